"""Partners in the one directory, their agreements and their people."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import Invalid
from casework.models import AuditEvent, Contact, User
from casework.services.audit import audit_record
from support import policies
from support.countries import CODES
from support.models import (
    DIRECTORY_KIND,
    Agreement,
    AgreementPurpose,
    Partner,
    PartnerContact,
    PartnerKind,
)
from support.services.common import (
    _choose,
    _office_of,
    _outside_windows,
)


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
