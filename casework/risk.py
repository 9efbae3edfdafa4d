"""The risk rules: from a student's signals to indicators, a level and the reasons for it.

Pure functions, no database: ``casework.services.risk`` feeds them and stores the result. The
indicators are the ABC of early-warning systems (attendance, behaviour, course failures) and the
seed's self-assessment; thresholds and their sources are in docs/MONITORING.md.

What each kind of signal means here:

* attendance — percent present over a period; the latest value counts.
* grade_failures — the number of courses currently failed; the latest value counts.
* behaviour — incidents recorded on a day; they are added up over the window.
* self_assessment — a score from 0 to 100; the latest counts, against its instrument's cut-offs.

A value older than the school's window no longer counts. Every indicator is evaluated twice, as of
today and as of a week ago, which gives its trend and "what changed since last week".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.models import risk as defaults
from casework.models.risk import LEVEL_RANK, RiskLevel, RiskPolicy

ATTENDANCE = "attendance"
FAILURES = "grade_failures"
BEHAVIOUR = "behaviour"
SELF_ASSESSMENT = "self_assessment"
INDICATORS = (ATTENDANCE, FAILURES, BEHAVIOUR, SELF_ASSESSMENT)
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Thresholds:
    attendance_caution_below: Decimal = defaults.ATTENDANCE_CAUTION_BELOW
    attendance_high_below: Decimal = defaults.ATTENDANCE_HIGH_BELOW
    failures_caution_at_least: int | None = defaults.FAILURES_CAUTION_AT_LEAST
    failures_high_at_least: int = defaults.FAILURES_HIGH_AT_LEAST
    behaviour_caution_at_least: int = defaults.BEHAVIOUR_CAUTION_AT_LEAST
    behaviour_high_at_least: int = defaults.BEHAVIOUR_HIGH_AT_LEAST
    self_assessment_caution_below: Decimal = defaults.SELF_ASSESSMENT_CAUTION_BELOW
    self_assessment_high_below: Decimal = defaults.SELF_ASSESSMENT_HIGH_BELOW
    window_days: int = defaults.WINDOW_DAYS

    @classmethod
    def of(cls, policy: RiskPolicy | None) -> Thresholds:
        if policy is None:
            return cls()
        return cls(**{name: getattr(policy, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Cutoffs:
    """An instrument's cut-offs on its 0-100 score; ``risk_when`` is ``below`` or ``above``."""

    code: str
    name: str
    risk_when: str
    caution: Decimal | None
    high: Decimal | None


class Row(NamedTuple):
    kind: str
    value: Decimal
    observed_on: datetime.date
    instrument_id: int | None


@dataclass
class Reading:
    """One indicator as of one day."""

    level: RiskLevel = RiskLevel.NONE
    value: Decimal | None = None
    observed_on: datetime.date | None = None
    cutoffs: Cutoffs | None = None


@dataclass
class Assessment:
    level: RiskLevel
    previous_level: RiskLevel
    indicators: list[dict[str, Any]] = field(default_factory=list)

    @property
    def worsened(self) -> bool:
        return LEVEL_RANK[self.level] > LEVEL_RANK[self.previous_level] or any(
            i["trend"] == "worse" and i["level"] != RiskLevel.NONE for i in self.indicators
        )

    def count(self, level: RiskLevel) -> int:
        return sum(1 for i in self.indicators if i["level"] == level)


def evaluate(
    rows: Sequence[Row],
    *,
    as_of: datetime.date,
    thresholds: Thresholds,
    instruments: Mapping[int, Cutoffs],
) -> Assessment:
    """Assess one student from their signals (``rows`` sorted by ``observed_on``)."""
    now = _readings(rows, as_of, thresholds, instruments)
    before = _readings(rows, as_of - WEEK, thresholds, instruments)
    indicators = [
        _indicator(name, now[name], before[name], thresholds, instruments) for name in INDICATORS
    ]
    return Assessment(
        level=max((now[n].level for n in INDICATORS), key=LEVEL_RANK.__getitem__),
        previous_level=max((before[n].level for n in INDICATORS), key=LEVEL_RANK.__getitem__),
        indicators=indicators,
    )


def _readings(
    rows: Sequence[Row],
    day: datetime.date,
    t: Thresholds,
    instruments: Mapping[int, Cutoffs],
) -> dict[str, Reading]:
    start = day - datetime.timedelta(days=t.window_days)
    latest: dict[str, Row] = {}
    incidents: Decimal | None = None
    last_incident: datetime.date | None = None
    for row in rows:
        if row.observed_on > day:
            break
        if row.observed_on <= start:
            continue
        if row.kind == BEHAVIOUR:
            incidents = (incidents or Decimal(0)) + row.value
            last_incident = row.observed_on
        else:
            latest[row.kind] = row
    readings = {name: Reading() for name in INDICATORS}
    if ATTENDANCE in latest:
        row = latest[ATTENDANCE]
        readings[ATTENDANCE] = Reading(
            _below(row.value, t.attendance_caution_below, t.attendance_high_below),
            row.value,
            row.observed_on,
        )
    if FAILURES in latest:
        row = latest[FAILURES]
        readings[FAILURES] = Reading(
            _at_least(row.value, t.failures_caution_at_least, t.failures_high_at_least),
            row.value,
            row.observed_on,
        )
    if incidents is not None:
        readings[BEHAVIOUR] = Reading(
            _at_least(incidents, t.behaviour_caution_at_least, t.behaviour_high_at_least),
            incidents,
            last_incident,
        )
    if SELF_ASSESSMENT in latest:
        row = latest[SELF_ASSESSMENT]
        cutoffs = instruments.get(row.instrument_id or 0) or school_cutoffs(t)
        readings[SELF_ASSESSMENT] = Reading(
            _beyond(row.value, cutoffs), row.value, row.observed_on, cutoffs
        )
    return readings


def school_cutoffs(t: Thresholds) -> Cutoffs:
    """The cut-offs for scores recorded or imported without an instrument."""
    return Cutoffs("", "", "below", t.self_assessment_caution_below, t.self_assessment_high_below)


def _below(value: Decimal, caution: Decimal, high: Decimal) -> RiskLevel:
    if value < high:
        return RiskLevel.HIGH
    if value < caution:
        return RiskLevel.CAUTION
    return RiskLevel.NONE


def _at_least(value: Decimal, caution: int | None, high: int) -> RiskLevel:
    if value >= high:
        return RiskLevel.HIGH
    if caution is not None and value >= caution:
        return RiskLevel.CAUTION
    return RiskLevel.NONE


def _beyond(value: Decimal, cutoffs: Cutoffs) -> RiskLevel:
    def past(cutoff: Decimal | None) -> bool:
        if cutoff is None:
            return False
        return value < cutoff if cutoffs.risk_when == "below" else value > cutoff

    if past(cutoffs.high):
        return RiskLevel.HIGH
    if past(cutoffs.caution):
        return RiskLevel.CAUTION
    return RiskLevel.NONE


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _indicator(
    name: str,
    now: Reading,
    before: Reading,
    t: Thresholds,
    instruments: Mapping[int, Cutoffs],
) -> dict[str, Any]:
    higher_is_better = name == ATTENDANCE or (
        name == SELF_ASSESSMENT and (now.cutoffs is None or now.cutoffs.risk_when == "below")
    )
    indicator: dict[str, Any] = {
        "name": name,
        "level": str(now.level),
        "value": _number(now.value),
        "observed_on": now.observed_on.isoformat() if now.observed_on else None,
        "previous": _number(before.value),
        "previous_level": str(before.level),
        "trend": _trend(now.value, before.value, higher_is_better),
        "thresholds": _thresholds(name, t, now.cutoffs),
    }
    if name == SELF_ASSESSMENT and now.cutoffs is not None and now.cutoffs.code:
        indicator["instrument"] = {"code": now.cutoffs.code, "name": now.cutoffs.name}
    return indicator


def _trend(now: Decimal | None, before: Decimal | None, higher_is_better: bool) -> str | None:
    if now is None:
        return None
    if before is None:
        return "new"
    if now == before:
        return "same"
    return "better" if (now > before) == higher_is_better else "worse"


def _thresholds(name: str, t: Thresholds, cutoffs: Cutoffs | None) -> dict[str, Any]:
    if name == ATTENDANCE:
        return {
            "caution_below": _number(t.attendance_caution_below),
            "high_below": _number(t.attendance_high_below),
        }
    if name == FAILURES:
        return {
            "caution_at_least": t.failures_caution_at_least,
            "high_at_least": t.failures_high_at_least,
        }
    if name == BEHAVIOUR:
        return {
            "caution_at_least": t.behaviour_caution_at_least,
            "high_at_least": t.behaviour_high_at_least,
            "window_days": t.window_days,
        }
    cutoffs = cutoffs or school_cutoffs(t)
    return {
        f"caution_{cutoffs.risk_when}": _number(cutoffs.caution),
        f"high_{cutoffs.risk_when}": _number(cutoffs.high),
    }


# -- words: rendered when read, in the reader's language ------------------------------------------


def _fmt(value: Any) -> str:
    return str(formats.number_format(value)) if value is not None else "?"


def _date(iso: str | None) -> str:
    if not iso:
        return "?"
    return str(formats.date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT"))


def indicator_label(name: str) -> str:
    return {
        ATTENDANCE: _("Attendance"),
        FAILURES: _("Failed courses"),
        BEHAVIOUR: _("Behaviour incidents"),
        SELF_ASSESSMENT: _("Self-assessment"),
    }[name]


def level_label(level: str) -> str:
    return {"none": _("no risk"), "caution": _("caution"), "high": _("high risk")}[level]


def reasons(indicators: Iterable[dict[str, Any]]) -> list[str]:
    """Why the student is at risk, one sentence per indicator that is not ``none``."""
    flagged = [i for i in indicators if i["level"] != RiskLevel.NONE]
    flagged.sort(key=lambda i: -LEVEL_RANK[RiskLevel(i["level"])])
    return [_reason(i) for i in flagged]


def _reason(i: dict[str, Any]) -> str:
    high = i["level"] == RiskLevel.HIGH
    step = "high" if high else "caution"
    t = i["thresholds"]
    if i["name"] == ATTENDANCE:
        return _attendance_reason(i, high, t[f"{step}_below"])
    if i["name"] == SELF_ASSESSMENT:
        return _score_reason(i, t)
    count = int(i["value"])
    params = {
        "count": count,
        "date": _date(i["observed_on"]),
        "days": t.get("window_days"),
        "threshold": t[f"{step}_at_least"],
        "level": level_label(i["level"]),
    }
    if i["name"] == FAILURES:
        message = ngettext(
            "Failing %(count)d course as of %(date)s (%(threshold)s or more: %(level)s).",
            "Failing %(count)d courses as of %(date)s (%(threshold)s or more: %(level)s).",
            count,
        )
    else:
        message = ngettext(
            "%(count)d behaviour incident in the last %(days)s days "
            "(%(threshold)s or more: %(level)s).",
            "%(count)d behaviour incidents in the last %(days)s days "
            "(%(threshold)s or more: %(level)s).",
            count,
        )
    return message % params


def _attendance_reason(i: dict[str, Any], high: bool, threshold: Any) -> str:
    params = {
        "value": _fmt(i["value"]),
        "date": _date(i["observed_on"]),
        "threshold": _fmt(threshold),
    }
    if high:
        message = _("Chronic absence: attendance %(value)s%% on %(date)s, below %(threshold)s%%.")
    else:
        message = _(
            "Attendance %(value)s%% on %(date)s is below %(threshold)s%%: "
            "at risk of chronic absence."
        )
    return message % params


def _score_reason(i: dict[str, Any], t: dict[str, Any]) -> str:
    side = "above" if "high_above" in t else "below"
    step = "high" if i["level"] == RiskLevel.HIGH else "caution"
    params = {
        "value": _fmt(i["value"]),
        "date": _date(i["observed_on"]),
        "instrument": (i.get("instrument") or {}).get("name") or _("recorded score"),
        "threshold": _fmt(t[f"{step}_{side}"]),
        "level": level_label(i["level"]),
    }
    if side == "above":
        message = _(
            "Self-assessment score %(value)s on %(date)s (%(instrument)s) is above the "
            "cut-off %(threshold)s: %(level)s."
        )
    else:
        message = _(
            "Self-assessment score %(value)s on %(date)s (%(instrument)s) is below the "
            "cut-off %(threshold)s: %(level)s."
        )
    return message % params


def changes(level: str, previous_level: str, indicators: Iterable[dict[str, Any]]) -> list[str]:
    """What changed since a week ago: the level, then each indicator whose value moved."""
    said: list[str] = []
    if level != previous_level:
        params = {"before": level_label(previous_level), "now": level_label(level)}
        if LEVEL_RANK[RiskLevel(level)] > LEVEL_RANK[RiskLevel(previous_level)]:
            said.append(_("Risk rose from %(before)s to %(now)s since last week.") % params)
        else:
            said.append(_("Risk fell from %(before)s to %(now)s since last week.") % params)
    for i in indicators:
        if i["trend"] in (None, "same"):
            continue
        unit = "%" if i["name"] == ATTENDANCE else ""
        params = {
            "indicator": indicator_label(i["name"]),
            "before": f"{_fmt(i['previous'])}{unit}",
            "now": f"{_fmt(i['value'])}{unit}",
        }
        if i["trend"] == "new":
            said.append(_("%(indicator)s: %(now)s, first recorded this week.") % params)
        else:
            said.append(_("%(indicator)s: %(before)s a week ago, %(now)s now.") % params)
    return said


def flag_suggestion(indicators: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """What a one-click flag would send: the reasons as the reason, and the functions they need.

    Failing courses call for academic guidance (function 1, the educators); everything else
    starts with the pedagogues and psychologists (function 2), who triage every case anyway.
    """
    flagged = [i for i in indicators if i["level"] != RiskLevel.NONE]
    if not flagged:
        return None
    functions = ["pedagogical"]
    if any(i["name"] == FAILURES for i in flagged):
        functions.insert(0, "information")
    return {"reason": " ".join(reasons(flagged)), "functions": functions}
