"""Recording consent to share a case outside the office. Withdrawing it ends referrals and
takes back access: that write is ``workflows.services.consents``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import policies
from casework.dates import window_error
from casework.errors import Invalid
from casework.models import AuditEvent, Case, CaseEvent, Consent, Contact, User
from casework.services.audit import audit_record


def consent_record(
    *,
    case: Case,
    actor: User,
    scope: str,
    given_by: str,
    given_by_name: str,
    recipient_user: User | None = None,
    recipient_contact: Contact | None = None,
    purpose: str = "",
    given_on: datetime.date | None = None,
) -> Consent:
    policies.require_record_consent(actor, case)
    errors: dict[str, list[str] | str] = {}
    if scope == Consent.Scope.REFERRAL and (recipient_user is None) == (recipient_contact is None):
        errors["recipient"] = _("A referral consent names one recipient: an account or a contact.")
    if scope == Consent.Scope.LIBRARY and (recipient_user or recipient_contact):
        errors["recipient"] = _("A library consent has no recipient.")
    if recipient_contact is not None and recipient_contact.office_id != case.office_id:
        errors["recipient_contact"] = _("The contact is not in this office's directory.")
    if not given_by_name.strip():
        errors["given_by_name"] = _("Name the person who gave consent.")
    if (late := window_error("given_on", given_on)) is not None:
        errors["given_on"] = late
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            scope=scope,
            given_by=given_by,
            given_by_name=given_by_name.strip(),
            recipient_user=recipient_user,
            recipient_contact=recipient_contact,
            purpose=purpose.strip(),
            given_on=given_on or timezone.localdate(),
            recorded_by=actor,
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            name="consent_recorded",
            data={"consent": consent.pk, "scope": scope},
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=consent)
    return consent


def active_consent(
    case: Case,
    scope: str,
    *,
    recipient_user: User | None = None,
    recipient_contact: Contact | None = None,
) -> Consent | None:
    """The newest active consent of ``scope`` for that recipient, or None."""
    return (
        Consent.objects.filter(
            case=case,
            scope=scope,
            withdrawn_at__isnull=True,
            recipient_user=recipient_user,
            recipient_contact=recipient_contact,
        )
        .order_by("-recorded_at", "-id")
        .first()
    )
