"""Opportunities: practice placements, visits, exchanges and the Erasmus+ kinds, with the
contract's duration rules."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import Invalid
from casework.models import AuditEvent, User
from casework.services.audit import audit_record
from support import policies
from support.kinds import ERASMUS_KINDS, Kind, duration_fits, range_text
from support.models import (
    Opportunity,
    Partner,
)
from support.services.common import (
    _choose,
    _outside_windows,
)


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
