"""The case library: anonymised entries, their versions and tombstones, and the partner
organisations that read and exchange them (seed, step 4: "Biblioteca de cazuri").

An entry is drafted from an archived case, reviewed by a second person and published. A
published version never changes: a correction is a new version with the same ``uuid``, and a
withdrawal leaves a tombstone (the uuid and version, no content) so partners drop it too.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.case import Case
from casework.models.network import Consent
from casework.models.office import Office

NARRATIVE_FIELDS = (
    "title",
    "situation",
    "intervention",
    "what_worked",
    "lessons_learned",
    "outcome",
)


class ImmutableEntryError(Exception):
    """Raised when code tries to change a published (or superseded, or withdrawn) entry."""


class PartnerOrganisation(models.Model):
    """An organisation we exchange library entries with; it reads through its own tokens."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=60, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerToken(models.Model):
    """A partner's API key, stored as its SHA-256 only; the key is shown once, when made."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="tokens",
    )
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.prefix}…"


class PartnerKey(models.Model):
    """A partner's Ed25519 public key: its exports must be signed by one of its active keys.
    A partner may hold several, so files signed before it rotated still verify until the old
    key is retired here."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="keys",
    )
    # First 16 hex digits of the SHA-256 of the raw key: the id an export's signature names.
    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    public_key = models.CharField(_("public key (base64)"), max_length=64)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner signing key")
        verbose_name_plural = _("partner signing keys")
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.key_id}"


class LibraryEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded by a newer version")
        WITHDRAWN = "withdrawn", _("Withdrawn (tombstone)")

    class Origin(models.TextChoices):
        OWN = "own", _("Our own case")
        PARTNER = "partner", _("Imported from a partner")

    uuid = models.UUIDField(_("entry id"), default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.OWN
    )
    language = models.CharField(_("language"), max_length=8, default="ro")

    # Own entries: where they come from. Never exported, never shown outside the office.
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="library_entries",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_entries",
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent for reuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="library_entries",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    # Partner entries: provenance.
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    source_name = models.CharField(_("source organisation"), max_length=200, blank=True)
    source_exported_at = models.DateTimeField(_("exported by the source at"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The content: anonymised narrative and generalised structured facts.
    title = models.CharField(_("title"), max_length=300, blank=True)
    situation = models.TextField(_("situation"), blank=True)
    intervention = models.TextField(_("intervention"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    facts = models.JSONField(_("structured facts"), default=dict, blank=True)
    tags = models.JSONField(_("filter tags"), default=list, blank=True)
    # Where each placeholder sits, per field, for the reviewer's highlighting.
    replacements = models.JSONField(_("replacements"), default=dict, blank=True)
    # The k-anonymity check and what it generalised or suppressed.
    generalisation = models.JSONField(_("generalisation report"), default=dict, blank=True)

    search_text = models.TextField(_("search text"), blank=True)
    search_vector = SearchVectorField(_("search vector"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True)

    class Meta:
        verbose_name = _("library entry")
        verbose_name_plural = _("case library")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["uuid", "version"], name="library_uuid_version_unique"),
            # One draft at a time per entry: a second correction waits for the first.
            models.UniqueConstraint(
                fields=["uuid"], condition=Q(status="draft"), name="library_one_draft_per_entry"
            ),
            # One published version per entry: the newest; older ones are superseded.
            models.UniqueConstraint(
                fields=["uuid"],
                condition=Q(status="published"),
                name="library_one_published_per_entry",
            ),
        ]
        indexes = [models.Index(fields=["status", "origin", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.uuid} v{self.version} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only drafts change through save(); published content is fixed, and status changes
        # (superseded, withdrawn) go through the library services' guarded updates.
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.Status.DRAFT:
                raise ImmutableEntryError(
                    "A published library entry cannot change: publish a correction instead."
                )
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def narrative(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}


# For the OpenAPI schema's enum names (drf-spectacular cannot import a nested class).
LIBRARY_STATUS_CHOICES = LibraryEntry.Status.choices
