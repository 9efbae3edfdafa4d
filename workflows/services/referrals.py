"""Referrals to the support network: asking, answering and ending them, consent first.

The rules (validation, the consent check, the state machine) are ``casework.services.referrals``;
these write the referral and tell the people involved and, when a referral ends, take back work
the recipient can no longer see. Each runs under the case's lock, so it queues with every other
change of the case (transitions, claims) instead of interleaving with them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from viewflow.workflow.status import STATUS

from casework.errors import Conflict
from casework.models import AuditEvent, Case, Consent, Contact, Referral, User
from casework.selectors import case_viewers, user_may_see_case
from casework.services.audit import audit_record
from casework.services.referrals import (
    REFERRAL_STAGES,
    check_referral_move,
    matching_consent,
    missing_consent,
    referral_event,
    validate_referral,
)
from workflows import lifecycle, policies, selectors
from workflows.locking import case_lock
from workflows.models import Notification
from workflows.notify import notify


def referral_request(
    *,
    case: Case,
    actor: User,
    purpose: str,
    to_user: User | None = None,
    to_contact: Contact | None = None,
) -> Referral:
    """Refer the case; a recipient with an account is told (without the case's details)."""
    policies.require_refer(actor, case)
    with case_lock(case):
        referral = _record(
            case=case, actor=actor, purpose=purpose, to_user=to_user, to_contact=to_contact
        )
        if to_user is not None:
            # No case on the row: until they accept, the recipient may not see the case,
            # and the notification carries only what they need to decide.
            notify(
                recipients=[to_user],
                kind=Notification.Kind.CASE_INVITED,
                data={
                    "referral": referral.pk,
                    "purpose": referral.purpose,
                    "office": case.office.name,
                },
            )
    return referral


def _record(
    *, case: Case, actor: User, purpose: str, to_user: User | None, to_contact: Contact | None
) -> Referral:
    validate_referral(
        case=case, actor=actor, to_user=to_user, to_contact=to_contact, purpose=purpose
    )
    if case.stage not in REFERRAL_STAGES:
        raise Conflict(
            _("Referrals are made while the case is shared or in intervention."), stage=case.stage
        )
    with transaction.atomic():
        consent = matching_consent(case, to_user=to_user, to_contact=to_contact, purpose=purpose)
        if consent is None:
            raise missing_consent(
                to_user=to_user, to_contact=to_contact, purpose=purpose, what=_("This referral")
            )
        referral = Referral.objects.create(
            case=case,
            to_user=to_user,
            to_contact=to_contact,
            purpose=purpose.strip(),
            consent=consent,
            requested_by=actor,
        )
        referral_event(referral, actor, "referral_requested")
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=referral)
    return referral


def referral_change(*, referral: Referral, name: str, actor: User, reason: str = "") -> Referral:
    """accept / reject / complete / revoke, then tell who needs to know; a stale copy loses to
    a newer status (409)."""
    with case_lock(referral.case):
        referral = _move(referral=referral, name=name, actor=actor, reason=reason)
        _after_change(referral, actor)
    return referral


def _move(*, referral: Referral, name: str, actor: User, reason: str) -> Referral:
    check_referral_move(referral=referral, name=name, actor=actor, reason=reason)
    with transaction.atomic():
        if (
            name == "accept"
            and not Consent.objects.filter(
                pk=referral.consent_id, withdrawn_at__isnull=True
            ).exists()
        ):
            raise missing_consent(
                to_user=referral.to_user,
                to_contact=referral.to_contact,
                purpose=referral.purpose,
                what=_("Accepting this referral"),
            )
        source = referral.status
        getattr(referral, name)()
        if name in ("accept", "reject"):
            referral.answered_by = actor
        else:
            referral.ended_by = actor
        if reason.strip():
            referral.reason = reason.strip()
        try:
            referral.save()
        except ConcurrentTransition:
            raise Conflict(
                _("Someone else answered or ended this referral a moment ago; reload it.")
            ) from None
        referral_event(referral, actor, f"referral_{referral.status}", note=reason.strip())
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=referral,
            data={"name": name, "from": source, "to": referral.status},
        )
    return referral


def _office_side(referral: Referral) -> list[User]:
    coordinators = case_viewers(referral.case).filter(
        memberships__office_id=referral.case.office_id,
        memberships__active=True,
        memberships__is_coordinator=True,
    )
    return [referral.requested_by, *coordinators]


def _after_change(referral: Referral, actor: User) -> None:
    case = referral.case
    data = {"referral": referral.pk, "status": referral.status, "reason": referral.reason}
    if referral.status in (
        Referral.Status.ACCEPTED,
        Referral.Status.REJECTED,
        Referral.Status.DONE,
    ):
        notify(
            recipients=_office_side(referral),
            kind=Notification.Kind.REFERRAL_ANSWERED,
            case=case,
            data=data,
            exclude=actor,
        )
    if (
        referral.status in (Referral.Status.DONE, Referral.Status.REVOKED)
        and referral.to_user is not None
    ):
        notify(
            recipients=[referral.to_user],
            kind=Notification.Kind.REFERRAL_ENDED,
            data={"referral": referral.pk, "status": referral.status},
            exclude=actor,
        )
        release_tasks_of_departed(case, referral.to_user, actor=actor)


def release_tasks_of_departed(case: Case, user: User, *, actor: User) -> int:
    """Give back the case's tasks held by someone who may no longer see the case.

    Runs under the case's flow lock (the callers hold it; taking it again is a no-op).
    """
    if user_may_see_case(user, case):
        return 0
    released = 0
    held = selectors.open_tasks_of_case(case.pk).filter(task__owner=user)
    for case_task in held.select_related("task"):
        with case_task.task.activation() as activation:
            task = case_task.task
            if task.owner_id != user.pk or task.status != STATUS.ASSIGNED:
                continue
            activation.unassign()
            task.assigned = None
            task.save(update_fields=["assigned"])
        lifecycle.task_event(
            case_task, actor, "task_released", why="referral_ended", holder=user.pk
        )
        notify(
            recipients=selectors.users_offered(case_task),
            kind=Notification.Kind.TASK_AVAILABLE,
            case=case,
            task=task,
            data={"name": case_task.name, "group": case_task.group, "released_by": user.pk},
            exclude=actor,
        )
        released += 1
    return released
