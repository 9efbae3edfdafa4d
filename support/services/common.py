"""What the support writes share: choice checks, date windows, the office of a school."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from casework.dates import window_error
from casework.errors import Conflict
from casework.models import Office

ADULT_AGE = 18


def _choose(errors: dict[str, list[str] | str], name: str, value: Any, choices: list[str]) -> None:
    if value not in choices:
        errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}]


def _outside_windows(**values: datetime.date | None) -> dict[str, list[str] | str]:
    """The plausible windows' messages (``casework.dates``) for the dates outside them."""
    return {
        name: [message]
        for name, value in values.items()
        if (message := window_error(name, value)) is not None
    }


def _office_of(school_id: int) -> Office:
    office = Office.objects.filter(school_id=school_id).first()
    if office is None:
        raise Conflict(
            _("The school has no action office to keep its directory."), code="no_office"
        )
    return office


# -- partners ------------------------------------------------------------------------------
