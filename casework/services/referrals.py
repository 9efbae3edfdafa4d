"""Referring a case to the support network, consent first.

The record side: validation, the consent check, the state machine and the timeline. The
writes (they tell the people involved and end their access) are ``workflows.services.referrals``.

Consent matching: a referral needs an active referral-scope consent for the *same* recipient
(the same account, or the same directory contact) whose purpose is the referral's purpose,
compared without surrounding or repeated spaces and without regard to case.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework import policies
from casework.errors import Conflict, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Consent,
    Contact,
    Membership,
    Referral,
    Stage,
    User,
)
from casework.models.network import LIVE_REFERRAL_STATUSES
from casework.services.audit import audit_record

REFERRAL_STAGES = (Stage.SHARED, Stage.INTERVENTION)


def normalise_purpose(purpose: str) -> str:
    return " ".join((purpose or "").split()).casefold()


def matching_consent(
    case: Case, *, to_user: User | None, to_contact: Contact | None, purpose: str
) -> Consent | None:
    """The newest active consent that covers this recipient and purpose, or None."""
    wanted = normalise_purpose(purpose)
    candidates = Consent.objects.filter(
        case=case,
        scope=Consent.Scope.REFERRAL,
        withdrawn_at__isnull=True,
        recipient_user=to_user,
        recipient_contact=to_contact,
    ).order_by("-recorded_at", "-id")
    return next((c for c in candidates if normalise_purpose(c.purpose) == wanted), None)


def _recipient_label(to_user: User | None, to_contact: Contact | None) -> str:
    if to_user is not None:
        return f"{to_user} (user #{to_user.pk})"
    assert to_contact is not None
    return f"{to_contact} (contact #{to_contact.pk})"


def missing_consent(
    *, to_user: User | None, to_contact: Contact | None, purpose: str, what: str
) -> Conflict:
    recipient: dict[str, Any] = ({"recipient_user": to_user.pk} if to_user is not None else {}) | (
        {"recipient_contact": to_contact.pk} if to_contact is not None else {}
    )
    return Conflict(
        _(
            "%(what)s needs a recorded consent (of the student or a parent/guardian) to share "
            "the case with %(recipient)s for %(purpose)r; record it first."
        )
        % {
            "what": what,
            "recipient": _recipient_label(to_user, to_contact),
            "purpose": purpose.strip(),
        },
        missing_consent={"scope": Consent.Scope.REFERRAL, **recipient, "purpose": purpose.strip()},
    )


def validate_referral(
    *, case: Case, actor: User, to_user: User | None, to_contact: Contact | None, purpose: str
) -> None:
    errors: dict[str, list[str] | str] = {}
    if (to_user is None) == (to_contact is None):
        errors["to"] = _(
            'Refer to one recipient: a network member with an account ("to") or a directory '
            'contact ("contact").'
        )
    elif to_user is not None:
        if to_user.pk == actor.pk:
            errors["to"] = _("You cannot refer a case to yourself.")
        elif not Membership.objects.filter(
            office_id=case.office_id, user=to_user, active=True, user__is_active=True
        ).exists():
            errors["to"] = _("The recipient must be an active member of the office's network.")
    elif to_contact is not None:
        if to_contact.office_id != case.office_id or not to_contact.active:
            errors["contact"] = _("Not an active contact of this office's directory.")
        elif to_contact.user_id is not None:
            errors["contact"] = _(
                'This contact has an account: refer with "to" (their user id), so that they '
                "are invited to the case."
            )
    if not (purpose or "").strip():
        errors["purpose"] = _("Say what the referral is for.")
    if errors:
        raise Invalid(errors)


def referral_event(referral: Referral, actor: User, name: str, note: str = "") -> None:
    CaseEvent.objects.create(
        case_id=referral.case_id,
        kind=CaseEvent.Kind.REFERRAL,
        actor=actor,
        name=name,
        note=note or referral.purpose,
        data={
            "referral": referral.pk,
            "to_user": referral.to_user_id,
            "to_contact": referral.to_contact_id,
            "status": referral.status,
        },
    )


_PAST = {"accept": "accepted", "reject": "rejected", "complete": "done", "revoke": "revoked"}


def check_referral_move(*, referral: Referral, name: str, actor: User, reason: str) -> None:
    """403 for the role, 400 for the input, 409 for the state — in that order."""
    policies.require_move_referral(actor, referral, name)
    if name == "reject" and not reason.strip():
        raise Invalid({"reason": _("Say why the referral is rejected.")})
    if not can_proceed(getattr(referral, name)):
        raise Conflict(
            _("A referral that is %(status)s cannot be %(past)s.")
            % {"status": referral.status, "past": _PAST[name]},
            status=referral.status,
        )


def referrals_after_consent_withdrawn(
    consent: Consent, *, actor: User, note: str
) -> list[Referral]:
    """Live referrals resting on a withdrawn consent: moved to another active consent that
    still covers them, or revoked. Returns the revoked ones. Runs in the caller's transaction."""
    revoked = []
    for referral in Referral.objects.select_for_update().filter(
        consent=consent, status__in=LIVE_REFERRAL_STATUSES
    ):
        other = matching_consent(
            referral.case,
            to_user=referral.to_user,
            to_contact=referral.to_contact,
            purpose=referral.purpose,
        )
        if other is not None:
            Referral.objects.filter(pk=referral.pk).update(consent=other)
            continue
        referral.revoke()
        referral.ended_by = actor
        referral.reason = f"Consent withdrawn. {note}".strip()
        referral.save()
        referral_event(referral, actor, "referral_revoked", note=referral.reason)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=referral,
            data={"name": "revoke", "why": "consent_withdrawn", "consent": consent.pk},
        )
        revoked.append(referral)
    return revoked
