"""Two-factor sign-in (TOTP, django-otp): enrol a phone app, confirm it with a first code, and
from then on every sign-in — the login page and ``POST /api/auth/token/`` — asks for a code.

Optional for coordinators and administrators, required for superusers (their sessions reach
nothing but the enrolment page until they have a confirmed device; see config/middleware.py).
django-otp throttles wrong codes per device (a growing wait after each failure).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework import policies
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, User
from casework.services.audit import audit_record

DEVICE_NAME = "authenticator"


def two_factor_device(user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None when two-factor sign-in is off."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device to show as a QR code (the same one until it is confirmed)."""
    policies.require_two_factor_allowed(user)
    if two_factor_device(user) is not None:
        raise Conflict(_("Two-factor sign-in is already on."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def two_factor_verify(device: TOTPDevice, token: str) -> bool:
    """Check a code, honouring django-otp's throttle; False for a wrong or throttled code."""
    allowed, _ = device.verify_is_allowed()
    return bool(allowed and token.strip().isdigit() and device.verify_token(token.strip()))


def two_factor_confirm(*, user: User, token: str) -> TOTPDevice:
    device = two_factor_start(user=user)
    if not two_factor_verify(device, token):
        raise Invalid({"otp_token": _("The code is not right; check the time on your phone.")})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_record(actor=user, action=AuditEvent.Action.UPDATE, obj=user, data={"2fa": "on"})
    return device


def two_factor_disable(*, user: User, token: str) -> None:
    if user.is_superuser:
        raise Conflict(_("Superusers must keep two-factor sign-in."))
    device = two_factor_device(user)
    if device is None:
        raise Conflict(_("Two-factor sign-in is already off."))
    if not two_factor_verify(device, token):
        raise Invalid({"otp_token": _("The code is not right; check the time on your phone.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action=AuditEvent.Action.UPDATE, obj=user, data={"2fa": "off"})
