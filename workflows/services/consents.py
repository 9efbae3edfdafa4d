"""Withdrawing consent: the referrals resting on it end (unless another active consent covers
them), their recipients are told and lose access at once (the selectors also check the
consent), and without consent for reuse the case's library entries go."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import policies
from casework.errors import Conflict
from casework.models import AuditEvent, CaseEvent, Consent, Referral, User
from casework.services.audit import audit_record
from casework.services.consents import active_consent
from casework.services.library import library_entries_withdraw_for_case
from casework.services.referrals import referrals_after_consent_withdrawn
from workflows.locking import case_lock
from workflows.models import Notification
from workflows.notify import notify
from workflows.services.referrals import release_tasks_of_departed


def consent_withdraw(*, consent: Consent, actor: User, note: str = "") -> Consent:
    """Withdraw a consent, with everything that rests on it."""
    case = consent.case
    with case_lock(case):
        consent, revoked = _withdraw(consent=consent, actor=actor, note=note)
        for referral in revoked:
            if referral.to_user is not None:
                notify(
                    recipients=[referral.to_user],
                    kind=Notification.Kind.REFERRAL_ENDED,
                    data={"referral": referral.pk, "status": referral.status},
                    exclude=actor,
                )
                release_tasks_of_departed(case, referral.to_user, actor=actor)
    return consent


def _withdraw(*, consent: Consent, actor: User, note: str) -> tuple[Consent, list[Referral]]:
    policies.require_record_consent(actor, consent.case)
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=actor, withdrawal_note=note.strip()
        )
        if not updated:
            raise Conflict(_("This consent was already withdrawn."))
        consent.refresh_from_db()
        CaseEvent.objects.create(
            case=consent.case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            name="consent_withdrawn",
            note=note.strip(),
            data={"consent": consent.pk, "scope": consent.scope},
        )
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=consent, data={"withdrawn": True}
        )
        revoked = referrals_after_consent_withdrawn(consent, actor=actor, note=note.strip())
        if (
            consent.scope == Consent.Scope.LIBRARY
            and active_consent(consent.case, "library") is None
        ):
            # Without consent for reuse the case's library entries go, in this transaction:
            # partners see the tombstones in the next export.
            library_entries_withdraw_for_case(
                case=consent.case, actor=actor, reason="Consent for reuse withdrawn."
            )
    return consent, revoked
