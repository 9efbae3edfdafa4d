"""The period of the outcomes, read from ``from`` and ``to`` (the API's query and the page's)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Invalid
from plans.outcomes import Period

DEFAULT_DAYS = 365


def _day(params: Mapping[str, Any], name: str) -> datetime.date | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise Invalid({name: _("Give a date as YYYY-MM-DD.")}) from None


def period_of(params: Mapping[str, Any]) -> Period:
    """``from`` to ``to``; without ``to``, today; without ``from``, a year before ``to``."""
    until = _day(params, "to") or timezone.localdate()
    since = _day(params, "from") or until - datetime.timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise Invalid({"from": _("The period's first day comes after its last day.")})
    return Period(since, until)
