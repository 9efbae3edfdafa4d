"""Sharing the library with partner organisations: a signed, versioned JSON export of our
published entries (and tombstones), and the import of a partner's export.

An import checks, in this order and before writing anything: the signature (one of the
partner's registered keys, nothing altered since), the JSON Schema (no unknown key anywhere,
facts and tags from the shared vocabularies), and the narrative against our own anonymiser (a
text it would change is refused, naming the entry and the field, never silently altered).
Imported entries keep their provenance, are deduplicated by (uuid, version), are never mixed
with our own and are never exported again.
"""

from __future__ import annotations

import datetime
import uuid as uuidlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from casework import stored_text
from casework.anonymise import highlights, scrub
from casework.anonymise.generalise import AGE_LEVELS, SECTOR_OF, UNKNOWN_FAMILY
from casework.anonymise.placeholders import (
    LOCALITY_COUNTRY,
    LOCALITY_REGION,
    LOCALITY_SUPPRESSED,
)
from casework.errors import Invalid
from casework.models import AuditEvent, LibraryEntry, PartnerOrganisation, User
from casework.models.library import NARRATIVE_FIELDS
from casework.services.audit import audit_record
from casework.services.library import _search_text, refresh_search_vector
from casework.services.library_format import SCHEMA, SCHEMA_VERSION, document_check
from casework.services.library_keys import document_sign, document_verify

Status = LibraryEntry.Status
FINEST_AGE_BANDS = {label for _, _, label in AGE_LEVELS[0]}
SECTORS = set(SECTOR_OF.values())


def entry_document(entry: LibraryEntry) -> dict[str, Any]:
    """One entry as the export writes it (and as the partner API shows it)."""
    if entry.status == Status.WITHDRAWN:
        return {
            "uuid": str(entry.uuid),
            "version": entry.version,
            "status": "withdrawn",
            "withdrawn_at": entry.withdrawn_at.isoformat() if entry.withdrawn_at else None,
        }
    return {
        "uuid": str(entry.uuid),
        "version": entry.version,
        "status": "published",
        "language": entry.language,
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
        "narrative": entry.narrative,
        "facts": entry.facts,
        "tags": entry.tags,
    }


def library_export(*, since: datetime.datetime | None = None) -> dict[str, Any]:
    """Our own published entries and tombstones (newest version of each), as JSON data."""
    queryset = LibraryEntry.objects.filter(
        origin=LibraryEntry.Origin.OWN, status__in=[Status.PUBLISHED, Status.WITHDRAWN]
    ).exclude(status=Status.WITHDRAWN, published_at__isnull=True)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since) | queryset.filter(withdrawn_at__gte=since)
    entries = [entry_document(e) for e in queryset.order_by("uuid", "version")]
    return document_sign(
        {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "publisher": {"name": settings.LIBRARY_ORGANISATION_NAME[:200]},
            "exported_at": timezone.now().isoformat(),
            "entries": entries,
        }
    )


# -- import ---------------------------------------------------------------------------------


def locality_level(facts: dict[str, Any]) -> int:
    """How far the localities in an entry's text must be generalised, given its profile: the
    rule of a local draft (kanon.KAnonymity.locality_level) read back from what it produced —
    their region while the age band and programme are the finest, their country once either
    was generalised, nothing when age, programme and region were all suppressed."""
    profile = facts.get("profile") or {}
    age, programme = profile.get("age_band"), profile.get("programme")
    if age is None and programme is None and profile.get("region") is None:
        return LOCALITY_SUPPRESSED
    if age not in FINEST_AGE_BANDS or profile.get("programme_level") != "family":
        return LOCALITY_COUNTRY
    return LOCALITY_REGION


def _kinds(result: Any) -> str:
    # What it would remove, by kind ("student_code, class"); a locality already replaced but
    # too precise for the profile is coarsened without a new removal.
    return ", ".join(sorted({kind for _, _, kind in result.removed}) or ["town"])


def _when(value: str, where: str) -> datetime.datetime:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid({where: _("Not a date and time.")})
    return parsed


def _check_profile(index: int, facts: dict[str, Any]) -> None:
    """The profile says what the k-anonymity check did: a family is at level "family", a
    sector at "sector", nothing at neither. A profile that contradicts itself is refused, since
    the rule for localities below is read from it."""
    profile = facts.get("profile") or {}
    programme = profile.get("programme")
    if programme is None:
        expected: set[str | None] = {None}
    elif programme == UNKNOWN_FAMILY:
        expected = {"family", "sector"}  # "other" stays "other" one level up
    else:
        expected = {"sector"} if programme in SECTORS else {"family"}
    if profile and profile.get("programme_level") not in expected:
        raise Invalid(
            {f"entries[{index}].facts.profile.programme_level": _("Does not match the programme.")}
        )


def _check_scrubbed(index: int, raw: dict[str, Any]) -> None:
    """A partner's text must already be what our anonymiser would leave: anything it would
    change is refused, naming the entry and the field, so nothing is silently altered."""
    level = locality_level(raw["facts"])
    for name in NARRATIVE_FIELDS:
        text = raw["narrative"][name]
        result = scrub(text, language=raw["language"], locality_level=level)
        if result.text != text:
            raise Invalid(
                {
                    f"entries[{index}].narrative.{name}": _(
                        "Entry %(uuid)s: our anonymiser would change this text (%(kinds)s)."
                    )
                    % {"uuid": raw["uuid"], "kinds": _kinds(result)}
                }
            )


def _parsed(index: int, raw: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "uuid": uuidlib.UUID(raw["uuid"]),
        "version": raw["version"],
        "status": raw["status"],
    }
    if raw["status"] == "published":
        item.update(
            narrative=raw["narrative"],
            facts=raw["facts"],
            tags=raw["tags"],
            language=raw["language"],
            published_at=_when(raw["published_at"], f"entries[{index}].published_at"),
        )
    return item


def parse_export(
    document: Any, *, partner: PartnerOrganisation
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Verify and validate a partner's export; every refusal names its place."""
    document_verify(document, partner=partner)
    document_check(document)
    for index, raw in enumerate(document["entries"]):
        if raw["status"] == "published":
            _check_profile(index, raw["facts"])
            _check_scrubbed(index, raw)
    header = {
        "name": document["publisher"]["name"],
        "exported_at": _when(document["exported_at"], "exported_at"),
    }
    return header, [_parsed(i, raw) for i, raw in enumerate(document["entries"])]


def _import_one(
    item: dict[str, Any], *, partner: PartnerOrganisation, header: dict[str, Any], actor: User
) -> str:
    rows = LibraryEntry.objects.filter(uuid=item["uuid"])
    if (
        rows.filter(origin=LibraryEntry.Origin.OWN).exists()
        or rows.exclude(partner=partner).exists()
    ):
        return "skipped"  # our own entry, or another partner's uuid: never mixed
    if item["status"] == "withdrawn":
        changed = rows.exclude(status=Status.WITHDRAWN).update(
            status=Status.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawal_reason=stored_text.PARTNER_WITHDREW,
            **{n: "" for n in NARRATIVE_FIELDS},
            facts={},
            tags=[],
            replacements={},
            search_text="",
            search_vector=None,
        )
        if not rows.filter(version=item["version"]).exists():
            # Keep the tombstone even for an entry we never had, so an older export imported
            # later cannot bring it back.
            LibraryEntry.objects.create(
                uuid=item["uuid"],
                version=item["version"],
                status=Status.WITHDRAWN,
                origin=LibraryEntry.Origin.PARTNER,
                partner=partner,
                source_name=header["name"],
                source_exported_at=header["exported_at"],
                imported_at=timezone.now(),
                imported_by=actor,
                withdrawn_at=timezone.now(),
                withdrawal_reason=stored_text.PARTNER_WITHDREW,
            )
            changed += 1
        return "withdrawn" if changed else "unchanged"
    if rows.filter(version=item["version"]).exists():
        return "unchanged"
    if rows.filter(status=Status.WITHDRAWN).exists():
        return "skipped"  # a tombstone stays a tombstone
    newer = rows.filter(version__gt=item["version"]).exists()
    entry = LibraryEntry(
        uuid=item["uuid"],
        version=item["version"],
        origin=LibraryEntry.Origin.PARTNER,
        partner=partner,
        source_name=header["name"],
        source_exported_at=header["exported_at"],
        imported_at=timezone.now(),
        imported_by=actor,
        language=item["language"],
        facts=item["facts"],
        tags=item["tags"],
        published_at=item["published_at"] or timezone.now(),
    )
    for name in NARRATIVE_FIELDS:
        # Checked in parse_export: our anonymiser leaves this text as it is.
        setattr(entry, name, item["narrative"][name])
        entry.replacements[name] = [r.as_dict() for r in highlights(item["narrative"][name])]
    entry.search_text = _search_text(entry)
    if newer:
        entry.status = Status.SUPERSEDED
    else:
        rows.filter(status=Status.PUBLISHED).update(status=Status.SUPERSEDED)
        entry.status = Status.PUBLISHED
    entry.save()
    refresh_search_vector(LibraryEntry.objects.filter(pk=entry.pk))
    return "created"


def library_import(*, document: Any, partner: PartnerOrganisation, actor: User) -> dict[str, int]:
    """Import a partner's export; all or nothing. Returns counts by what happened."""
    header, items = parse_export(document, partner=partner)
    counts = {"created": 0, "withdrawn": 0, "unchanged": 0, "skipped": 0}
    with transaction.atomic():
        for item in items:
            counts[_import_one(item, partner=partner, header=header, actor=actor)] += 1
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            obj=partner,
            data={"partner": partner.code, **counts},
        )
    return counts
