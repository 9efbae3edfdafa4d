"""The library's JSON: a published entry (what everyone, partners too, may read), a tombstone,
and a draft with the reviewer's extras (highlights, the k-anonymity report)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casework.library_selectors import library_entry_doubts
from casework.models import LibraryEntry
from casework.models.library import NARRATIVE_FIELDS

Status = LibraryEntry.Status


class NarrativeSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(required=False, allow_blank=False, max_length=300)
    situation = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    intervention = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    what_worked = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    lessons_learned = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=20000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(NARRATIVE_FIELDS)
        if unknown:
            raise serializers.ValidationError(
                {name: "Not an editable field." for name in sorted(unknown)}
            )
        return attrs


class LibraryEntrySerializer(serializers.ModelSerializer[LibraryEntry]):
    """A published (or superseded) entry: anonymised content, no link back to a case."""

    narrative = serializers.DictField(child=serializers.CharField(allow_blank=True), read_only=True)
    provenance = serializers.SerializerMethodField()

    class Meta:
        model = LibraryEntry
        fields = [
            "id",
            "uuid",
            "version",
            "status",
            "language",
            "narrative",
            "facts",
            "tags",
            "published_at",
            "provenance",
        ]
        read_only_fields = fields

    def get_provenance(self, entry: LibraryEntry) -> dict[str, Any] | None:
        if entry.origin != LibraryEntry.Origin.PARTNER:
            return None
        return {
            "partner": entry.partner.code if entry.partner else None,
            "organisation": entry.source_name,
            "exported_at": entry.source_exported_at,
            "imported_at": entry.imported_at,
        }

    def to_representation(self, entry: LibraryEntry) -> dict[str, Any]:
        if entry.status == Status.WITHDRAWN:
            return {
                "id": entry.pk,
                "uuid": str(entry.uuid),
                "version": entry.version,
                "status": entry.status,
                "withdrawn_at": serializers.DateTimeField().to_representation(entry.withdrawn_at)
                if entry.withdrawn_at
                else None,
            }
        return super().to_representation(entry)


class LibraryDraftSerializer(LibraryEntrySerializer):
    """What the office's reviewers see: the draft with every replacement's place and kind, and
    the words the scrubber kept but doubts (``doubts``: per field, ``start`` and ``end``)."""

    doubts = serializers.SerializerMethodField()

    class Meta(LibraryEntrySerializer.Meta):
        fields = [
            *LibraryEntrySerializer.Meta.fields,
            "case",
            "author",
            "reviewer",
            "consent",
            "replacements",
            "doubts",
            "generalisation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_doubts(self, entry: LibraryEntry) -> dict[str, list[dict[str, int]]]:
        return library_entry_doubts(entry)


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class ImportSerializer(serializers.Serializer[Any]):
    partner = serializers.SlugField(
        help_text="Code of the partner organisation the export is from."
    )
    document = serializers.JSONField(
        help_text="The partner's export, as written by /api/library/export/."
    )
