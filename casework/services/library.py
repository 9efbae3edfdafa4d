"""Writes about the case library: drafting an anonymised entry from an archived case, editing
it, publishing it under the two-person rule, correcting it with a new version, withdrawing it.

Every text that enters an entry goes through the scrubber here, on the way in: the draft, each
edit, and once more at publishing. A draft is a copy, never a view of the case, so what the
reviewer approves is exactly what is published.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Func
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import policies
from casework.anonymise import KnownIdentifiers, kanon, scrub
from casework.anonymise.text import fold
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Consent, LibraryEntry, Stage, User
from casework.models.library import NARRATIVE_FIELDS
from casework.services import library_facts as facts_of
from casework.services.audit import audit_record
from casework.services.consents import active_consent

Status = LibraryEntry.Status
_BLANK_CONTENT: dict[str, Any] = {
    **{name: "" for name in NARRATIVE_FIELDS},
    "facts": {},
    "tags": [],
    "replacements": {},
    "generalisation": {},
    "search_text": "",
    "search_vector": None,
}
NARRATIVE_LIMITS = {"title": 300}


def _require_consent(case: Case) -> Consent:
    consent = active_consent(case, Consent.Scope.LIBRARY)
    if consent is None:
        raise Conflict(
            _(
                "The case has no active consent for anonymised reuse in the library: record the "
                "student's or parent's consent first."
            ),
            missing_consent=Consent.Scope.LIBRARY,
        )
    return consent


def _known(entry: LibraryEntry) -> KnownIdentifiers:
    return facts_of.known_identifiers(entry.case) if entry.case is not None else KnownIdentifiers()


def _scrub_into(entry: LibraryEntry, values: dict[str, str], known: KnownIdentifiers) -> None:
    replacements = dict(entry.replacements or {})
    level = int((entry.generalisation or {}).get("locality_level", 0))
    for name, value in values.items():
        result = scrub(value, known, language=entry.language, locality_level=level)
        setattr(entry, name, result.text)
        replacements[name] = [r.as_dict() for r in result.replacements]
    entry.replacements = replacements


def _search_text(entry: LibraryEntry) -> str:
    parts = [getattr(entry, name) for name in NARRATIVE_FIELDS]
    parts.append(facts_of.search_labels(entry.facts, entry.language))
    return " ".join(fold(p) for p in parts if p)


def refresh_search_vector(queryset: Any) -> None:
    """On PostgreSQL, the stored tsvector of ``search_text`` (diacritics already folded; unaccent
    once more for any the folding kept). Other databases search ``search_text`` directly."""
    if connection.vendor == "postgresql":
        queryset.update(
            search_vector=SearchVector(Func(F("search_text"), function="unaccent"), config="simple")
        )


def _generalisation(k: kanon.KAnonymity) -> dict[str, Any]:
    return k.as_dict()


def library_draft_record(*, case: Case, actor: User) -> LibraryEntry:
    """The anonymised entry of an archived case, recorded as a draft (coordinators): scrubbed
    and generalised already; a reviewer then edits and publishes it. The service that drafts
    and tells the reviewers is ``workflows.services.library_entry_draft``."""
    policies.require_draft_library_entry(actor, case)
    if case.stage != Stage.ARCHIVED:
        raise Conflict(_("Only archived cases go into the library."), stage=case.stage)
    consent = _require_consent(case)
    existing = (
        LibraryEntry.objects.filter(case=case)
        .exclude(status=Status.WITHDRAWN)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        raise Conflict(
            _("This case already has a library entry; edit the draft or publish a correction."),
            entry=existing.pk,
        )
    k = facts_of.k_anonymity(case)
    facts = facts_of.build_facts(case, k)
    language = case.office.school.language
    entry = LibraryEntry(
        office=case.office,
        case=case,
        consent=consent,
        author=actor,
        language=language,
        facts=facts,
        tags=facts_of.tags_for(facts),
        generalisation=_generalisation(k),
    )
    _scrub_into(
        entry, facts_of.narrative_from_case(case, facts, language), facts_of.known_identifiers(case)
    )
    with transaction.atomic():
        entry.save()
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            name="library_drafted",
            data={"entry": entry.pk},
        )
        audit_record(
            actor=actor, action=AuditEvent.Action.CREATE, obj=entry, data=_audit_data(entry)
        )
    return entry


def _audit_data(entry: LibraryEntry) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for spans in (entry.replacements or {}).values():
        for span in spans:
            counts[span["kind"]] = counts.get(span["kind"], 0) + 1
    return {"uuid": str(entry.uuid), "version": entry.version, "replacements": counts}


def validate_narrative(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, list[str] | str] = {}
    clean: dict[str, str] = {}
    for name, value in values.items():
        if name not in NARRATIVE_FIELDS:
            errors[name] = _("Not an editable field; edit %(fields)s.") % {
                "fields": ", ".join(NARRATIVE_FIELDS)
            }
        elif not isinstance(value, str):
            errors[name] = _("Expected text.")
        elif name in NARRATIVE_LIMITS and len(value) > NARRATIVE_LIMITS[name]:
            errors[name] = _("At most %(limit)s characters.") % {"limit": NARRATIVE_LIMITS[name]}
        else:
            clean[name] = value
    if "title" in clean and not clean["title"].strip():
        errors["title"] = _("The title may not be blank.")
    if errors:
        raise Invalid(errors)
    return clean


def library_entry_update(*, entry: LibraryEntry, actor: User, **values: Any) -> LibraryEntry:
    """Edit a draft's narrative. The scrubber runs again on the edits, so a reviewer cannot put
    an identifier back; the k-anonymity check runs again against today's register."""
    policies.require_review_library_entry(actor, entry.office_id)
    values = validate_narrative(values)
    with transaction.atomic():
        entry = LibraryEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != Status.DRAFT:
            raise Conflict(
                _("Only drafts can be edited; publish a correction instead."), status=entry.status
            )
        if entry.case_id:
            _regeneralise(entry)
        _scrub_into(entry, values, _known(entry))
        entry.updated_at = timezone.now()
        entry.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=entry,
            data={**_audit_data(entry), "fields": sorted(values)},
        )
    return entry


def _regeneralise(entry: LibraryEntry) -> None:
    assert entry.case is not None
    k = facts_of.k_anonymity(entry.case)
    facts = dict(entry.facts)
    facts["profile"] = facts_of.build_facts(entry.case, k)["profile"]
    entry.facts = facts
    entry.generalisation = _generalisation(k)


def library_entry_mark_published(*, entry: LibraryEntry, actor: User) -> LibraryEntry:
    """The records of publishing a reviewed draft (the reviewer is a second person, never the
    draft's author). The service is ``workflows.services.library_entry_publish``, which also
    closes the case's publication task."""
    policies.require_publish_library_entry(actor, entry.office_id, entry.author_id)
    with transaction.atomic():
        entry = (
            LibraryEntry.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=entry.pk)
        )
        if entry.status != Status.DRAFT:
            raise Conflict(_("This entry is not a draft any more."), status=entry.status)
        if entry.case is not None:
            entry.consent = _require_consent(entry.case)
            k = facts_of.k_anonymity(entry.case)
            stored = (
                entry.generalisation.get("age_level"),
                entry.generalisation.get("programme_level"),
            )
            if stored != (k.age_level, k.programme_level):
                raise Conflict(
                    _(
                        "The school's register changed since this draft was generalised: save the "
                        "draft again to re-check k-anonymity, then publish."
                    ),
                    generalisation=k.as_dict(),
                )
        # The last pass: the scrubber as it is today, with everyone the case knows today.
        _scrub_into(entry, entry.narrative, _known(entry))
        previous = (
            LibraryEntry.objects.select_for_update()
            .filter(uuid=entry.uuid, status=Status.PUBLISHED)
            .first()
        )
        if previous is not None:
            LibraryEntry.objects.filter(pk=previous.pk).update(status=Status.SUPERSEDED)
        entry.search_text = _search_text(entry)
        entry.updated_at = timezone.now()
        entry.save()
        LibraryEntry.objects.filter(pk=entry.pk).update(
            status=Status.PUBLISHED, reviewer=actor, published_at=timezone.now()
        )
        refresh_search_vector(LibraryEntry.objects.filter(pk=entry.pk))
        entry.refresh_from_db()
        if entry.case is not None:
            CaseEvent.objects.create(
                case=entry.case,
                kind=CaseEvent.Kind.NOTE,
                actor=actor,
                name="library_published",
                data={"entry": entry.pk, "version": entry.version},
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=entry,
            data={
                **_audit_data(entry),
                "to": Status.PUBLISHED,
                "supersedes": previous.pk if previous else None,
            },
        )
    return entry


def library_entry_revise(*, entry: LibraryEntry, actor: User) -> LibraryEntry:
    """Start a correction of a published entry: a new draft version with the same uuid."""
    policies.require_correct_library_entry(actor, entry.office_id)
    if entry.status != Status.PUBLISHED:
        raise Conflict(
            _("Only the published version of an entry can be corrected."), status=entry.status
        )
    if entry.case is not None:
        _require_consent(entry.case)
    draft = LibraryEntry(
        uuid=entry.uuid,
        version=entry.version + 1,
        office=entry.office,
        case=entry.case,
        consent=entry.consent,
        author=actor,
        language=entry.language,
        supersedes=entry,
        facts=entry.facts,
        tags=entry.tags,
        generalisation=entry.generalisation,
    )
    if draft.case_id:
        _regeneralise(draft)
    _scrub_into(draft, entry.narrative, _known(entry))
    try:
        with transaction.atomic():
            draft.save()
            audit_record(
                actor=actor, action=AuditEvent.Action.CREATE, obj=draft, data=_audit_data(draft)
            )
    except IntegrityError:
        pending = LibraryEntry.objects.filter(uuid=entry.uuid, status=Status.DRAFT).first()
        raise Conflict(
            _("A correction of this entry is already being drafted."),
            entry=pending.pk if pending else None,
        ) from None
    return draft


def _tombstone(uuid: Any, *, actor: User, reason: str) -> int:
    """Withdraw every version of an entry: the rows stay, their content goes."""
    return (
        LibraryEntry.objects.filter(uuid=uuid)
        .exclude(status=Status.WITHDRAWN)
        .update(
            status=Status.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawn_by=actor if getattr(actor, "is_authenticated", False) else None,
            withdrawal_reason=reason,
            **_BLANK_CONTENT,
        )
    )


def library_entry_withdraw(*, entry: LibraryEntry, actor: User, reason: str) -> LibraryEntry:
    policies.require_manage_library_entry(actor, entry.office_id)
    if not (reason or "").strip():
        raise Invalid({"reason": _("Say why the entry is withdrawn.")})
    if entry.origin != LibraryEntry.Origin.OWN:
        raise Conflict(_("Partner entries are withdrawn by their publisher's export."))
    with transaction.atomic():
        if not _tombstone(entry.uuid, actor=actor, reason=reason.strip()):
            raise Conflict(_("This entry was already withdrawn."))
        entry.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=entry,
            data={"uuid": str(entry.uuid), "to": Status.WITHDRAWN},
        )
    return entry


def library_entries_withdraw_for_case(*, case: Case, actor: User, reason: str) -> int:
    """Consent for reuse was withdrawn: every entry of the case becomes a tombstone, at once."""
    withdrawn = 0
    for uuid in set(
        LibraryEntry.objects.filter(case=case)
        .exclude(status=Status.WITHDRAWN)
        .values_list("uuid", flat=True)
    ):
        withdrawn += _tombstone(uuid, actor=actor, reason=reason)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            object_type="libraryentry",
            object_id=str(uuid),
            data={"uuid": str(uuid), "to": Status.WITHDRAWN, "why": "consent"},
        )
    return withdrawn
