"""Writes about positions: a member of staff takes up or leaves a school duty."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework import policies
from casework.dates import require_within
from casework.errors import Conflict, Invalid, one_of
from casework.models import AuditEvent, Position, PositionKind, School, User
from casework.positions import forget_positions
from casework.services.audit import audit_record


def _clean(
    *, school: School, user: User, position: str, class_name: str, valid_from: Any, valid_until: Any
) -> str:
    errors: dict[str, list[str] | str] = {}
    if user.school_id != school.pk or not user.is_active:
        errors["user"] = [_("Choose an active member of staff of your school.")]
    if position not in PositionKind.values:
        errors["position"] = [
            _("Choose one of: %(choices)s.") % {"choices": one_of(PositionKind.choices)}
        ]
    class_name = (class_name or "").strip()
    if position == PositionKind.FORM_TUTOR and not class_name:
        errors["class_name"] = [_("A form tutor holds the position for a class: name it.")]
    elif position != PositionKind.FORM_TUTOR and class_name:
        errors["class_name"] = [_("Only a form tutor holds a position for a class.")]
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("The end of the position comes after its start.")]
    if errors:
        raise Invalid(errors)
    return class_name


def position_assign(
    *,
    actor: User,
    school: School,
    user: User,
    position: str,
    class_name: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Position:
    """Record that ``user`` holds ``position`` in ``school``; the same position twice is 409."""
    policies.require_manage_positions(actor, school)
    require_within(valid_from=valid_from, valid_until=valid_until)
    class_name = _clean(
        school=school,
        user=user,
        position=position,
        class_name=class_name,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    duplicate = _("%(user)s already holds this position.") % {"user": user.get_full_name() or user}
    if Position.objects.filter(
        user=user, school=school, position=position, class_name=class_name
    ).exists():
        raise Conflict(duplicate)
    try:
        with transaction.atomic():
            held = Position.objects.create(
                user=user,
                school=school,
                position=position,
                class_name=class_name,
                valid_from=valid_from,
                valid_until=valid_until,
            )
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=held,
                data={"user": user.pk, "position": position, "class_name": class_name},
            )
    except IntegrityError:
        # A concurrent assignment of the same position won the race; the constraint decides.
        raise Conflict(duplicate) from None
    forget_positions(user)
    return held
