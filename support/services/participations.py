"""Participations: proposed, selected, confirmed, started, completed or withdrawn, with the
places counted under a lock, the consent of a minor, the group rule, the dossier and outcomes."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed

from casework.dates import require_within
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Student, User
from casework.services.audit import audit_record
from support import policies
from support.kinds import LEARNER_KINDS, MOBILITY_KINDS, STAFF_KINDS, Kind
from support.models import (
    MOVES,
    PLACE_TAKING,
    SELECTED_OR_FURTHER,
    DossierItem,
    DossierItemKind,
    Opportunity,
    Participation,
    Role,
    Status,
)
from support.selectors import has_mobility_consent
from support.services.common import (
    ADULT_AGE,
    _choose,
)


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
            "kind": participation.opportunity.kind,
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
        if opportunity.kind in MOBILITY_KINDS:
            message = _(
                "%(name)s is under 18 on the first day (or has no birth date): record the "
                "parents' consent of scope mobility first."
            )
        else:
            # The scope is named "mobility" in the contract, yet covers any activity away from
            # school: a placement is not called a mobility to the reader.
            message = _(
                "%(name)s is under 18 on the first day (or has no birth date): record the "
                "parents' consent to take part in this activity first."
            )
        raise Conflict(message % {"name": student.full_name}, code="missing_consent")


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
