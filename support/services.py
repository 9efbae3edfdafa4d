"""Writes of partners, agreements, opportunities and participations.

Each write checks the actor's role (policies), then the input (400 naming the field), then the
state (409 with a ``code``), and writes its audit row in the same transaction. A participation
linked to a case writes on the case's timeline in that transaction too.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed

from casework.dates import require_within, window_error
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Consent, Contact, Office, Student, User
from casework.services.audit import audit_record
from support import policies
from support.countries import CODES
from support.kinds import ERASMUS_KINDS, LEARNER_KINDS, STAFF_KINDS, Kind, duration_fits, range_text
from support.models import (
    DIRECTORY_KIND,
    MOVES,
    PLACE_TAKING,
    SELECTED_OR_FURTHER,
    Agreement,
    AgreementPurpose,
    DossierItem,
    DossierItemKind,
    Opportunity,
    Participation,
    Partner,
    PartnerContact,
    PartnerKind,
    Role,
    Status,
    StudentConsent,
)
from support.selectors import has_mobility_consent

ADULT_AGE = 18


def _choose(errors: dict[str, list[str] | str], name: str, value: Any, choices: list[str]) -> None:
    if value not in choices:
        errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}]


def _outside_windows(**values: datetime.date | None) -> dict[str, list[str] | str]:
    """The plausible windows' messages (``casework.dates``) for the dates outside them."""
    return {
        name: [message]
        for name, value in values.items()
        if (message := window_error(name, value)) is not None
    }


def _office_of(school_id: int) -> Office:
    office = Office.objects.filter(school_id=school_id).first()
    if office is None:
        raise Conflict(
            _("The school has no action office to keep its directory."), code="no_office"
        )
    return office


# -- partners ------------------------------------------------------------------------------


def partner_add(*, actor: User, name: str, kind: str, country: str, city: str = "") -> Partner:
    """A partner organisation, entered once in the office's directory of contacts."""
    school_id = policies.require_some_school_to_manage(actor)
    errors: dict[str, list[str] | str] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the partner's name.")]
    _choose(errors, "kind", kind, PartnerKind.values)
    country = (country or "").strip().upper()
    if country not in CODES:
        errors["country"] = [_("Give the country as a two-letter ISO 3166 code, e.g. RO.")]
    if errors:
        raise Invalid(errors)
    office = _office_of(school_id)
    with transaction.atomic():
        entry = Contact.objects.create(
            office=office,
            kind=DIRECTORY_KIND[PartnerKind(kind)],
            name=name.strip(),
            organisation=name.strip(),
        )
        partner = Partner.objects.create(
            school_id=school_id,
            entry=entry,
            kind=kind,
            country=country,
            city=(city or "").strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=partner,
            data={"kind": kind, "country": country},
        )
    return partner


def agreement_add(
    *,
    actor: User,
    partner: Partner,
    purpose: str,
    signed_on: datetime.date,
    valid_until: datetime.date | None = None,
) -> Agreement:
    policies.require_manage(actor, partner.school_id)
    errors: dict[str, list[str] | str] = {}
    _choose(errors, "purpose", purpose, AgreementPurpose.values)
    if outside := _outside_windows(signed_on=signed_on, valid_until=valid_until):
        errors |= outside  # no order is checked between implausible days
    elif valid_until is not None and valid_until < signed_on:
        errors["valid_until"] = [_("An agreement is valid until a day after it was signed.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            partner=partner,
            purpose=purpose,
            signed_on=signed_on,
            valid_until=valid_until,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=agreement,
            data={"partner": partner.pk, "purpose": purpose},
        )
    return agreement


def partner_contact_add(
    *, actor: User, partner: Partner, name: str, role: str = "", email: str = "", phone: str = ""
) -> PartnerContact:
    """A person at the partner, entered in the same directory as the referral contacts."""
    policies.require_manage(actor, partner.school_id)
    if not (name or "").strip():
        raise Invalid({"name": [_("Give the contact's name.")]})
    with transaction.atomic():
        entry = Contact.objects.create(
            office=partner.entry.office,
            kind=partner.entry.kind,
            name=name.strip(),
            organisation=partner.entry.name,
            email=(email or "").strip(),
            phone=(phone or "").strip(),
        )
        person = PartnerContact.objects.create(partner=partner, entry=entry, role=role.strip())
        audit_record(
            actor=actor, action=AuditEvent.Action.CREATE, obj=person, data={"partner": partner.pk}
        )
    return person


# -- opportunities -------------------------------------------------------------------------


def _clean_opportunity(
    *,
    school_id: int,
    kind: str,
    title: str,
    partner: Partner | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    places: int | None,
    supports: Opportunity | None,
    travel_days: int,
) -> None:
    errors: dict[str, list[str] | str] = {}
    _choose(errors, "kind", kind, Kind.values)
    if not (title or "").strip():
        errors["title"] = [_("Give the opportunity a title.")]
    if partner is not None and partner.school_id != school_id:
        errors["partner"] = [_("Choose a partner of your school.")]
    if places is not None and places < 1:
        errors["places"] = [_("Give at least one place, or none for no limit.")]
    if travel_days < 0:
        errors["travel_days"] = [_("Travel days cannot be negative.")]
    if outside := _outside_windows(starts_on=starts_on, ends_on=ends_on):
        errors |= outside  # no order or duration is counted from implausible days
    elif ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first day.")]
    elif kind in Kind.values and not duration_fits(kind, (ends_on - starts_on).days + 1):
        errors["ends_on"] = [
            _(
                "%(kind)s lasts %(range)s days, counted from the first day to the last, "
                "travel days apart; this one lasts %(days)d."
            )
            % {
                "kind": Kind(kind).label,
                "range": range_text(kind),
                "days": (ends_on - starts_on).days + 1,
            }
        ]
    if kind == Kind.PREPARATORY_VISIT:
        if (
            supports is None
            or supports.kind not in ERASMUS_KINDS
            or supports.school_id != school_id
        ):
            errors["supports"] = [
                _("A preparatory visit supports a mobility: choose an Erasmus+ activity.")
            ]
    elif supports is not None:
        errors["supports"] = [_("Only a preparatory visit supports another activity.")]
    if errors:
        raise Invalid(errors)


def opportunity_add(
    *,
    actor: User,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    partner: Partner | None = None,
    places: int | None = None,
    supports: Opportunity | None = None,
    travel_days: int = 0,
    hours_planned: int | None = None,
    practice_centre: str = "",
    financial_support: str = "",
    tutor: str = "",
) -> Opportunity:
    school_id = policies.require_some_school_to_manage(actor)
    _clean_opportunity(
        school_id=school_id,
        kind=kind,
        title=title,
        partner=partner,
        starts_on=starts_on,
        ends_on=ends_on,
        places=places,
        supports=supports,
        travel_days=travel_days,
    )
    with transaction.atomic():
        opportunity = Opportunity.objects.create(
            school_id=school_id,
            kind=kind,
            title=title.strip(),
            partner=partner,
            starts_on=starts_on,
            ends_on=ends_on,
            places=places,
            supports=supports,
            travel_days=travel_days,
            hours_planned=hours_planned,
            practice_centre=practice_centre.strip(),
            financial_support=financial_support.strip(),
            tutor=tutor.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=opportunity,
            data={"kind": kind, "starts_on": starts_on.isoformat()},
        )
    return opportunity


# -- participations ------------------------------------------------------------------------


def is_minor_on(student: Student, day: datetime.date) -> bool:
    """Under 18 on ``day``; a student without a birth date counts as a minor (the safe side)."""
    born = student.birth_date
    if born is None:
        return True
    try:
        adult_on = born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February: of age on 1 March
        adult_on = datetime.date(born.year + ADULT_AGE, 3, 1)
    return day < adult_on


def _clean_participant(
    *,
    opportunity: Opportunity,
    role: str,
    student: Student | None,
    staff: User | None,
    case: Case | None,
) -> None:
    errors: dict[str, list[str] | str] = {}
    if role not in Role.values:
        _choose(errors, "role", role, Role.values)
    elif role == Role.STAFF and opportunity.kind not in STAFF_KINDS:
        errors["role"] = [_("This activity is for learners and their accompanying staff.")]
    elif role != Role.STAFF and opportunity.kind not in LEARNER_KINDS:
        errors["role"] = [_("This activity is for staff: choose the role staff.")]
    elif role == Role.LEARNER and (student is None or staff is not None):
        errors["student"] = [_("A learner is a student: choose the student.")]
    elif role != Role.LEARNER and (staff is None or student is not None):
        errors["staff"] = [_("Staff take part as staff members: choose the staff member.")]
    if student is not None and student.school_id != opportunity.school_id:
        errors["student"] = [_("Choose a student of the opportunity's school.")]
    if staff is not None and staff.school_id != opportunity.school_id:
        errors["staff"] = [_("Choose a member of the opportunity's school's staff.")]
    if case is not None and (student is None or case.student_id != student.pk):
        errors["case"] = [_("A participation is linked to the case of the same student.")]
    if errors:
        raise Invalid(errors)


def _dossier_items(opportunity: Opportunity, role: str, student: Student | None) -> list[str]:
    if not opportunity.is_mobility:
        return []
    items = [DossierItemKind.IDENTITY_DOCUMENT]
    if student is not None and is_minor_on(student, opportunity.starts_on):
        items.append(DossierItemKind.PARENTAL_CONSENT)
    items += [
        DossierItemKind.LEARNING_AGREEMENT,
        DossierItemKind.INSURANCE,
        DossierItemKind.EUROPASS,
    ]
    return list(items)


def _on_timeline(participation: Participation, *, actor: User, name: str, note: str = "") -> None:
    if participation.case_id is None:
        return
    CaseEvent.objects.create(
        case_id=participation.case_id,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        name=f"participation_{name}",
        note=note or participation.opportunity.title,
        data={
            "participation": participation.pk,
            "opportunity": participation.opportunity_id,
            "status": participation.status,
        },
    )


def participation_propose(
    *,
    actor: User,
    opportunity: Opportunity,
    role: str,
    student: Student | None = None,
    staff: User | None = None,
    case: Case | None = None,
) -> Participation:
    """Propose a student or a staff member for an opportunity (from a case, when given)."""
    policies.require_propose(actor, opportunity.school_id, case)
    _clean_participant(opportunity=opportunity, role=role, student=student, staff=staff, case=case)
    with transaction.atomic():
        # The opportunity's row lock orders proposals and confirmations of one opportunity.
        Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        person = {"student": student} if student is not None else {"staff": staff}
        if (
            Participation.objects.filter(opportunity=opportunity, **person)
            .exclude(status=Status.WITHDRAWN)
            .exists()
        ):
            raise Conflict(
                _("This person is already on the opportunity's list."), code="already_listed"
            )
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    opportunity=opportunity,
                    role=role,
                    student=student,
                    staff=staff,
                    case=case,
                    proposed_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                _("This person is already on the opportunity's list."), code="already_listed"
            ) from None
        DossierItem.objects.bulk_create(
            DossierItem(participation=participation, item=item)
            for item in _dossier_items(opportunity, role, student)
        )
        _on_timeline(participation, actor=actor, name="proposed")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=participation,
            data={"opportunity": opportunity.pk, "role": role, "case": case.pk if case else None},
        )
    return participation


def _require_place(opportunity: Opportunity, participation: Participation) -> None:
    if opportunity.places is None:
        return
    taken = (
        Participation.objects.filter(
            opportunity=opportunity, role=Role.LEARNER, status__in=PLACE_TAKING
        )
        .exclude(pk=participation.pk)
        .count()
    )
    if taken >= opportunity.places:
        raise Conflict(
            _("Every place is taken (%(places)d of %(places)d).") % {"places": opportunity.places},
            code="full",
        )


def _require_consent(opportunity: Opportunity, participation: Participation) -> None:
    student = participation.student
    assert student is not None
    if is_minor_on(student, opportunity.starts_on) and not has_mobility_consent(
        student, participation.case
    ):
        raise Conflict(
            _(
                "%(name)s is under 18 on the first day (or has no birth date): record the "
                "parents' consent of scope mobility first."
            )
            % {"name": student.full_name},
            code="missing_consent",
        )


def _require_group(opportunity: Opportunity) -> None:
    """Seed 003: a group mobility has at least two learners, accompanied by staff."""
    chosen = Participation.objects.filter(opportunity=opportunity, status__in=SELECTED_OR_FURTHER)
    learners = chosen.filter(role=Role.LEARNER).count()
    accompanying = chosen.filter(role=Role.ACCOMPANYING).count()
    missing = []
    if learners < 2:
        missing.append(
            ngettext("%(n)d more learner", "%(n)d more learners", 2 - learners)
            % {"n": 2 - learners}
        )
    if accompanying < 1:
        missing.append(_("an accompanying staff member"))
    if missing:
        raise Conflict(
            _(
                "A group mobility needs at least two learners and accompanying staff, selected: "
                "%(missing)s missing."
            )
            % {"missing": ", ".join(missing)},
            code="group_rule",
            learners=learners,
            accompanying=accompanying,
        )


def _require_confirmable(opportunity: Opportunity, participation: Participation) -> None:
    if participation.role == Role.LEARNER:
        _require_place(opportunity, participation)
        _require_consent(opportunity, participation)
    if opportunity.kind == Kind.GROUP_MOBILITY:
        _require_group(opportunity)


def participation_transition(
    *, actor: User, participation: Participation, name: str, note: str = ""
) -> Participation:
    """Move a participation one step: select, confirm, start, complete, or withdraw."""
    policies.require_manage(actor, participation.opportunity.school_id)
    if name not in MOVES:
        raise Invalid({"name": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(MOVES)}]})
    with transaction.atomic():
        # Lock the opportunity, not just the row: confirmations count the opportunity's places.
        opportunity = Opportunity.objects.select_for_update().get(pk=participation.opportunity_id)
        current = Participation.objects.select_related("student", "case").get(pk=participation.pk)
        move = getattr(current, name)
        if not can_proceed(move):
            raise Conflict(
                _("A participation that is %(status)s cannot be moved by %(move)s.")
                % {"status": current.get_status_display(), "move": name},
                code="status",
            )
        if name == "confirm":
            _require_confirmable(opportunity, current)
        before = current.status
        move()
        current.save()
        _on_timeline(current, actor=actor, name=current.status, note=note)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=current,
            data={"transition": name, "from": before, "to": current.status, "note": note},
        )
    return current


def dossier_item_mark(
    *, actor: User, participation: Participation, item: str, done_on: datetime.date | None
) -> DossierItem:
    """Tick (or untick, with no date) one item of a mobility participant's dossier."""
    policies.require_manage(actor, participation.opportunity.school_id)
    found = DossierItem.objects.filter(participation=participation, item=item).first()
    if found is None:
        names = list(participation.dossier.values_list("item", flat=True))
        raise Invalid(
            {"item": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(names) or "—"}]}
        )
    require_within(done_on=done_on)
    with transaction.atomic():
        found.done_on = done_on
        found.recorded_by = actor
        found.save(update_fields=["done_on", "recorded_by"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=participation,
            data={"dossier": item, "done_on": done_on.isoformat() if done_on else None},
        )
    return found


def participation_outcome_record(
    *,
    actor: User,
    participation: Participation,
    certificate: str = "",
    competences: str = "",
    hours_done: int | None = None,
) -> Participation:
    policies.require_manage(actor, participation.opportunity.school_id)
    if hours_done is not None and hours_done < 0:
        raise Invalid({"hours_done": [_("Hours cannot be negative.")]})
    if participation.status not in (Status.IN_PROGRESS, Status.COMPLETED):
        raise Conflict(
            _("Outcomes are recorded once the participation has started."), code="status"
        )
    with transaction.atomic():
        participation.certificate = certificate.strip()
        participation.competences = competences.strip()
        participation.hours_done = hours_done
        participation.save(update_fields=["certificate", "competences", "hours_done"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=participation,
            data={"outcome": True, "hours_done": hours_done},
        )
    return participation


def student_consent_record(
    *,
    actor: User,
    student: Student,
    scope: str,
    given_by: str,
    given_by_name: str,
    case: Case | None = None,
) -> StudentConsent:
    """A consent for the student (a parent's, for a mobility), recorded by a manager, or from
    the student's case by whoever may propose from it."""
    policies.require_propose(actor, student.school_id, case)
    errors: dict[str, list[str] | str] = {}
    _choose(errors, "scope", scope, StudentConsent.Scope.values)
    _choose(errors, "given_by", given_by, Consent.GivenBy.values)
    if not (given_by_name or "").strip():
        errors["given_by_name"] = [_("Give the name of the person consenting.")]
    if case is not None and case.student_id != student.pk:
        errors["case"] = [_("Choose a case of this student.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        consent = StudentConsent.objects.create(
            student=student,
            case=case,
            scope=scope,
            given_by=given_by,
            given_by_name=given_by_name.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=consent,
            data={"scope": scope, "given_by": given_by},
        )
    return consent
