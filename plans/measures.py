"""What each measure of an indicator counts, and the filters it takes (DESIGN.md, "Action
plans"; docs/PLANS.md says how each is counted).

| measure | counts, dated by | filter |
| activities | activities of the school, by ``held_on`` | topic, kind, with_attendance |
| students_reached | distinct students on their attendance lists (or of an individual one) | topic |
| partners | partners, by ``identified_on`` | kind |
| agreements | agreements with the school's partners, by ``signed_on`` | purpose |
| opportunities | opportunities, by ``starts_on`` | kind |
| participants | distinct students with a completed participation, by the day completed | kinds |
| dossiers | complete mobility dossiers, by the day the last item was done | kinds |
| reports | approved reports, by the approval | kind |
| manual | the values entered, by ``as_of`` | — |
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from casework.errors import Invalid
from counselling.models import ActivityKind, ReportKind, Topic
from plans.models import Measure
from support.kinds import LEARNER_KINDS
from support.models import AgreementPurpose, PartnerKind

BOOLEAN = "boolean"
LEARNER_KIND_VALUES = sorted(str(kind) for kind in LEARNER_KINDS)
# filter key -> the values it takes: a list of codes, BOOLEAN, or ("list", codes) for a list.
FILTERS: dict[str, dict[str, Any]] = {
    Measure.ACTIVITIES: {
        "topic": Topic.values,
        "kind": ActivityKind.values,
        "with_attendance": BOOLEAN,
    },
    Measure.STUDENTS_REACHED: {"topic": Topic.values},
    Measure.PARTNERS: {"kind": PartnerKind.values},
    Measure.AGREEMENTS: {"purpose": AgreementPurpose.values},
    Measure.OPPORTUNITIES: {"kind": LEARNER_KIND_VALUES},
    Measure.PARTICIPANTS: {"kinds": ("list", LEARNER_KIND_VALUES)},
    Measure.DOSSIERS: {"kinds": ("list", LEARNER_KIND_VALUES)},
    Measure.REPORTS: {"kind": ReportKind.values},
    Measure.MANUAL: {},
}


def clean_measure(measure: Any) -> str:
    if measure not in Measure.values:
        raise Invalid(
            {"measure": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Measure.values)}]}
        )
    return str(measure)


def _clean_value(key: str, value: Any, allowed: Any) -> Any:
    if allowed == BOOLEAN:
        if not isinstance(value, bool):
            raise Invalid({"filter": [_("%(key)s is true or false.") % {"key": key}]})
        return value
    if isinstance(allowed, tuple):
        codes = allowed[1]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or any(v not in codes for v in value):
            raise Invalid(
                {
                    "filter": [
                        _("%(key)s is a list of: %(choices)s.")
                        % {"key": key, "choices": ", ".join(codes)}
                    ]
                }
            )
        return sorted(set(value))
    if value not in allowed:
        raise Invalid(
            {
                "filter": [
                    _("Unknown value of %(key)s: choose one of %(choices)s.")
                    % {"key": key, "choices": ", ".join(allowed)}
                ]
            }
        )
    return value


def clean_filter(measure: str, raw: Any) -> dict[str, Any]:
    """The filter of an indicator of ``measure``, checked key by key; 400 on ``filter`` naming
    an unknown key or value."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        raise Invalid({"filter": [_('Give the filter as an object, e.g. {"topic": "mobility"}.')]})
    allowed = FILTERS[measure]
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in allowed:
            raise Invalid(
                {
                    "filter": [
                        _("Unknown filter %(key)s for %(measure)s: use %(keys)s.")
                        % {
                            "key": key,
                            "measure": measure,
                            "keys": ", ".join(allowed) or _("no filter"),
                        }
                    ]
                }
            )
        cleaned[str(key)] = _clean_value(str(key), value, allowed[key])
    return cleaned


def matches(filter: Mapping[str, Any], attrs: Mapping[str, Any]) -> bool:
    """Does a record with ``attrs`` pass an indicator's ``filter``?"""
    for key, wanted in filter.items():
        if key == "kinds":
            if attrs.get("kind") not in wanted:
                return False
        elif attrs.get(key) != wanted:
            return False
    return True
