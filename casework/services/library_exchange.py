"""Sharing the library with partner organisations: a versioned JSON export of our published
entries (and tombstones), and the import of a partner's export.

Imported entries keep their provenance (partner, source name, export time), are deduplicated by
(uuid, version), are never mixed with our own (an import never touches an own entry, and is
never exported again), and are scrubbed once more on the way in as a safety net.
"""

from __future__ import annotations

import datetime
import uuid as uuidlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casework.anonymise import scrub
from casework.errors import Invalid
from casework.models import AuditEvent, LibraryEntry, PartnerOrganisation
from casework.models.library import NARRATIVE_FIELDS
from casework.services.audit import audit_record
from casework.services.library import _search_text, refresh_search_vector

SCHEMA = "action-office/case-library"
SCHEMA_VERSION = 1
Status = LibraryEntry.Status
FACT_KEYS = {
    "profile", "period", "functions", "duration", "objectives", "outcome",
    "risk_profile", "interventions", "referrals", "assessment_change",
}  # fmt: skip
MAX_ENTRIES = 10_000


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
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "publisher": {"name": settings.LIBRARY_ORGANISATION_NAME},
        "exported_at": timezone.now().isoformat(),
        "entries": entries,
    }


# -- import ---------------------------------------------------------------------------------


def _fail(path: str, message: str) -> Invalid:
    return Invalid({path: message})


def _parse_entry(index: int, raw: Any) -> dict[str, Any]:
    path = f"entries[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, "Expected an object.")
    try:
        entry_uuid = uuidlib.UUID(str(raw.get("uuid")))
    except ValueError:
        raise _fail(f"{path}.uuid", "Expected a UUID.") from None
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(f"{path}.version", "Expected a whole number from 1.")
    status = raw.get("status")
    if status not in ("published", "withdrawn"):
        raise _fail(f"{path}.status", "Expected 'published' or 'withdrawn'.")
    parsed: dict[str, Any] = {"uuid": entry_uuid, "version": version, "status": status}
    if status == "withdrawn":
        return parsed
    narrative = raw.get("narrative")
    if not isinstance(narrative, dict):
        raise _fail(f"{path}.narrative", "Expected an object.")
    for name, value in narrative.items():
        if name not in NARRATIVE_FIELDS:
            raise _fail(f"{path}.narrative.{name}", "Unknown field.")
        if not isinstance(value, str):
            raise _fail(f"{path}.narrative.{name}", "Expected text.")
    facts = raw.get("facts", {})
    if not isinstance(facts, dict) or set(facts) - FACT_KEYS:
        raise _fail(f"{path}.facts", f"Expected an object with keys among {sorted(FACT_KEYS)}.")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and ":" in t for t in tags):
        raise _fail(f"{path}.tags", "Expected a list of 'kind:value' strings.")
    language = raw.get("language", "en")
    if not isinstance(language, str) or len(language) > 8:
        raise _fail(f"{path}.language", "Expected a language code.")
    published_at = parse_datetime(str(raw.get("published_at") or ""))
    parsed.update(
        narrative=narrative, facts=facts, tags=tags, language=language, published_at=published_at
    )
    return parsed


def parse_export(document: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Validate a partner's export; every error names where it is (``entries[3].uuid``)."""
    if not isinstance(document, dict):
        raise _fail("document", "Expected a JSON object.")
    if document.get("schema") != SCHEMA:
        raise _fail("schema", f"Expected {SCHEMA!r}.")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise _fail("schema_version", f"This installation reads version {SCHEMA_VERSION}.")
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise _fail("entries", "Expected a list.")
    if len(entries) > MAX_ENTRIES:
        raise _fail("entries", f"At most {MAX_ENTRIES} entries per import.")
    publisher = document.get("publisher") or {}
    header = {
        "name": str(publisher.get("name", ""))[:200] if isinstance(publisher, dict) else "",
        "exported_at": parse_datetime(str(document.get("exported_at") or "")),
    }
    return header, [_parse_entry(i, raw) for i, raw in enumerate(entries)]


def _import_one(
    item: dict[str, Any], *, partner: PartnerOrganisation, header: dict[str, Any], actor: Any
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
            withdrawal_reason="Withdrawn by the partner.",
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
                withdrawal_reason="Withdrawn by the partner.",
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
        result = scrub(item["narrative"].get(name, ""), language=entry.language)
        setattr(entry, name, result.text)
        entry.replacements[name] = [r.as_dict() for r in result.replacements]
    entry.search_text = _search_text(entry)
    if newer:
        entry.status = Status.SUPERSEDED
    else:
        rows.filter(status=Status.PUBLISHED).update(status=Status.SUPERSEDED)
        entry.status = Status.PUBLISHED
    entry.save()
    refresh_search_vector(LibraryEntry.objects.filter(pk=entry.pk))
    return "created"


def library_import(*, document: Any, partner: PartnerOrganisation, actor: Any) -> dict[str, int]:
    """Import a partner's export; all or nothing. Returns counts by what happened."""
    header, items = parse_export(document)
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
