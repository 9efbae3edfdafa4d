"""Referrals to the support network: the people side.

The casework service keeps the record, the consent rule and the state machine; these wrap it
to tell the people involved and, when a referral ends, to take back work the recipient can no
longer see. Each runs under the case's flow lock, so it queues with every other change of the
case (transitions, claims) instead of interleaving with them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from casework.errors import Conflict
from casework.models import Case, Contact, Referral, User
from casework.selectors import case_viewers, user_may_see_case
from casework.services.consents import consent_withdraw_and_revoke
from casework.services.referrals import referral_create, referral_move
from workflows import policies, selectors
from workflows.flows import InterventionFlow
from workflows.models import Notification
from workflows.notify import notify


def _lock(case: Case) -> Any:
    from workflows.services import process_of

    return InterventionFlow.lock(process_of(case).pk)


def referral_request(
    *,
    case: Case,
    actor: Any,
    purpose: str,
    to_user: User | None = None,
    to_contact: Contact | None = None,
) -> Referral:
    """Refer the case; a recipient with an account is told (without the case's details)."""
    policies.require_refer(actor, case)
    try:
        with _lock(case):
            referral = referral_create(
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
    except FlowLockFailed:
        raise Conflict(_("Someone else is changing this case right now; try again.")) from None
    return referral


def referral_change(*, referral: Referral, name: str, actor: Any, reason: str = "") -> Referral:
    """accept / reject / complete / revoke, then tell who needs to know."""
    case = referral.case
    try:
        with _lock(case):
            referral = referral_move(referral=referral, name=name, actor=actor, reason=reason)
            _after_change(referral, actor)
    except FlowLockFailed:
        raise Conflict(_("Someone else is changing this case right now; try again.")) from None
    return referral


def _office_side(referral: Referral) -> list[User]:
    coordinators = case_viewers(referral.case).filter(
        memberships__office_id=referral.case.office_id,
        memberships__active=True,
        memberships__is_coordinator=True,
    )
    return [referral.requested_by, *coordinators]


def _after_change(referral: Referral, actor: Any) -> None:
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


def release_tasks_of_departed(case: Case, user: User, *, actor: Any) -> int:
    """Give back the case's tasks held by someone who may no longer see the case.

    Runs under the case's flow lock (the callers hold it; taking it again is a no-op).
    """
    from workflows.services import _task_event

    if user_may_see_case(user, case):
        return 0
    released = 0
    held = selectors.open_tasks_of_case(case.pk).filter(task__owner=user)
    for terms in held.select_related("task"):
        with terms.task.activation() as activation:
            task = terms.task
            if task.owner_id != user.pk or task.status != STATUS.ASSIGNED:
                continue
            activation.unassign()
            task.assigned = None
            task.save(update_fields=["assigned"])
        _task_event(terms, actor, "task_released", why="referral_ended", holder=user.pk)
        notify(
            recipients=selectors.users_offered(terms),
            kind=Notification.Kind.TASK_AVAILABLE,
            case=case,
            task=task,
            data={"name": terms.name, "group": terms.group, "released_by": user.pk},
            exclude=actor,
        )
        released += 1
    return released


def end_live_referrals(case: Case, *, actor: Any, archived: bool) -> list[Referral]:
    """A case leaving for good ends its referrals: on archive the accepted ones are done and
    pending ones revoked; on withdrawal all are revoked. Runs inside the transition's lock."""
    ended = []
    live = Referral.objects.filter(
        Q(status=Referral.Status.REQUESTED) | Q(status=Referral.Status.ACCEPTED), case=case
    ).select_related("case", "to_user", "requested_by")
    why = "The case was archived." if archived else "The case was withdrawn."
    for referral in live:
        name = "complete" if archived and referral.status == Referral.Status.ACCEPTED else "revoke"
        getattr(referral, name)()
        referral.ended_by = actor
        referral.reason = why
        referral.save()
        from casework.services.referrals import _event

        _event(referral, actor, f"referral_{referral.status}", note=why)
        if referral.to_user is not None:
            notify(
                recipients=[referral.to_user],
                kind=Notification.Kind.REFERRAL_ENDED,
                data={"referral": referral.pk, "status": referral.status},
                exclude=actor,
            )
        ended.append(referral)
    return ended


def consent_withdraw(*, consent: Any, actor: Any, note: str = "") -> Any:
    """Withdraw a consent; referrals resting on it end, their recipients are told and lose
    access at once (the selectors also check the consent)."""
    case = consent.case
    try:
        with _lock(case):
            consent, revoked = consent_withdraw_and_revoke(consent=consent, actor=actor, note=note)
            for referral in revoked:
                if referral.to_user is not None:
                    notify(
                        recipients=[referral.to_user],
                        kind=Notification.Kind.REFERRAL_ENDED,
                        data={"referral": referral.pk, "status": referral.status},
                        exclude=actor,
                    )
                    release_tasks_of_departed(case, referral.to_user, actor=actor)
    except FlowLockFailed:
        raise Conflict(_("Someone else is changing this case right now; try again.")) from None
    return consent
