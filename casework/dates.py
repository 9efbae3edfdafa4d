"""Plausible windows for the dates people enter, in one place.

A date that makes no sense — a student born next year, a meeting on 31.12.9999 (which overflowed
the agenda), one in 1999 (which became "the next meeting"), an objective due in 9999 — is refused
at every front with the same message, naming the field and the window. The services check
(``window_error``), the API's serializers and the pages' forms carry the same rule as a validator
(``validator``), the imports as a cell rule (``clean_within``).

``MODEL_FIELDS`` says which window guards each date field that people fill in; ``SYSTEM_FIELDS``
lists the date fields that only the code sets (stamps, computed dates). Every date field of our
models is in one of the two: a test generated from the models keeps it so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from casework.errors import Invalid
from casework.tabular import CellError


def api_datetime(value: datetime.datetime) -> str:
    """A moment as every date-time of the API is written: in the deployment's zone
    (``TIME_ZONE``) with its offset, as the REST framework renders serializer fields ("Z" for
    UTC). Data written by hand into JSON (notifications, their pushes, timeline details) uses
    this too, so a task's ``due`` reads the same in its notification as in the task list."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def day_text(day: datetime.date) -> str:
    """A day inside a sentence, as the reader's language writes it ("1 septembrie 2026",
    "Sept. 1, 2026"): ISO dates belong in the API's date fields, not in what people read."""
    return str(formats.date_format(day, "DATE_FORMAT"))


def iso_day_text(iso: str | None) -> str:
    """``day_text`` of a day stored as ISO text in JSON (a risk indicator, a report's rows)."""
    if not iso:
        return ""
    try:
        return day_text(datetime.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


def years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Window:
    """Dates from ``earliest(today)`` to ``latest(today)``, both included."""

    label: Promise
    earliest: Callable[[datetime.date], datetime.date]
    latest: Callable[[datetime.date], datetime.date]
    help: str = ""

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def error(self, value: datetime.date | datetime.datetime) -> str | None:
        """The message for a ``value`` outside the window, else None."""
        day = _day(value)
        earliest, latest = self.bounds()
        if earliest <= day <= latest:
            return None
        return gettext("%(field)s must be between %(earliest)s and %(latest)s.") % {
            "field": str(self.label)[:1].upper() + str(self.label)[1:],
            "earliest": day_text(earliest),
            "latest": day_text(latest),
        }


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _days(n: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: today + datetime.timedelta(days=n)


def _years(n: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: years_from(today, n)


WINDOWS: dict[str, Window] = {
    # Learners of a VET school, adults in evening classes included.
    "birth_date": Window(
        gettext_lazy("the birth date"),
        _years(-80),
        _years(-10),
        help="Between 80 and 10 years before today (learners of 10 to 80).",
    ),
    # What was seen: not in the future, and within a school career.
    "observed_on": Window(
        gettext_lazy("the day observed"),
        _years(-10),
        _days(0),
        help="From 10 years ago to today: signals record what was seen.",
    ),
    "given_on": Window(
        gettext_lazy("the day consent was given"),
        _years(-10),
        _days(0),
        help="From 10 years ago to today.",
    ),
    # SMART objectives are time-bound within a school programme (three years at most).
    "deadline": Window(
        gettext_lazy("the deadline"),
        _days(1),
        _years(3),
        help="From tomorrow to 3 years ahead.",
    ),
    # Office meetings are at least monthly: one may be recorded up to a month late, and none
    # planned more than a year ahead.
    "scheduled_for": Window(
        gettext_lazy("the meeting's date"),
        _days(-31),
        _years(1),
        help="From 31 days ago to one year ahead.",
    ),
    # A school duty: recorded from a long career's start, at most a school year in advance.
    "valid_from": Window(
        gettext_lazy("the start of the position"),
        _years(-40),
        _years(1),
        help="From 40 years ago to one year ahead.",
    ),
    # The end of a school duty, or of a partner's agreement: the window is keyed by the field's
    # name, so its label is generic.
    "valid_until": Window(
        gettext_lazy("the end date"),
        _years(-40),
        _years(10),
        help="From 40 years ago to 10 years ahead.",
    ),
    # A partner's agreement: signed (not in the future), within a long partnership.
    "signed_on": Window(
        gettext_lazy("the day the agreement was signed"),
        _years(-40),
        _days(0),
        help="From 40 years ago to today.",
    ),
    # An opportunity's first and last day: recorded afterwards within a multi-year plan, or
    # planned a few years ahead (an Erasmus+ project); the last day a year further, so a
    # 365-day mobility starting at the window's end still fits.
    "starts_on": Window(
        gettext_lazy("the first day of the activity"),
        _years(-5),
        _years(3),
        help="From 5 years ago to 3 years ahead.",
    ),
    "ends_on": Window(
        gettext_lazy("the last day of the activity"),
        _years(-5),
        _years(4),
        help="From 5 years ago to 4 years ahead.",
    ),
    # An item of a mobility dossier was done: not in the future, within the opportunities' past.
    "done_on": Window(
        gettext_lazy("the day the item was done"),
        _years(-5),
        _days(0),
        help="From 5 years ago to today.",
    ),
    # Counselling activities are recorded when held (a semester's report may come late), or
    # planned within the school year.
    "held_on": Window(
        gettext_lazy("the day of the activity"),
        _years(-3),
        _years(1),
        help="From three years ago to one year ahead.",
    ),
    # The day a student left the school (the import's ``left_on``): what happened, not in the
    # future, within a school career.
    "left_on": Window(
        gettext_lazy("the day the student left"),
        _years(-10),
        _days(0),
        help="From 10 years ago to today: the day the student left the school.",
    ),
    # A value of an action plan's indicator, as of a day: what was done, not in the future.
    "as_of": Window(
        gettext_lazy("the day of the value"),
        _years(-5),
        _days(0),
        help="From 5 years ago to today: the day the value was reached.",
    ),
    "due": Window(
        gettext_lazy("the due date"),
        _days(1),
        _years(1),
        help="From tomorrow to one year ahead.",
    ),
}

# "app_label.Model.field" → the window that guards it.
MODEL_FIELDS: dict[str, str] = {
    "casework.Student.birth_date": "birth_date",
    "casework.Student.left_on": "left_on",
    "casework.Signal.observed_on": "observed_on",
    "casework.Consent.given_on": "given_on",
    "casework.Objective.deadline": "deadline",
    "workflows.Meeting.scheduled_for": "scheduled_for",
    "casework.Position.valid_from": "valid_from",
    "casework.Position.valid_until": "valid_until",
    "counselling.Activity.held_on": "held_on",
    "support.Agreement.signed_on": "signed_on",
    "support.Agreement.valid_until": "valid_until",
    "support.Opportunity.starts_on": "starts_on",
    "support.Opportunity.ends_on": "ends_on",
    "support.DossierItem.done_on": "done_on",
    "plans.IndicatorValue.as_of": "as_of",
}

# Date fields only the code sets: stamps of what happened, and dates computed from others.
SYSTEM_FIELDS: dict[str, str] = {
    "casework.Case.opened_at": "stamp",
    "casework.Position.created_at": "stamp",
    "casework.Case.stage_changed_at": "stamp",
    "casework.Case.shared_at": "stamp",
    "casework.Case.closed_at": "stamp",
    "casework.CaseEvent.created_at": "stamp",
    "casework.Objective.created_at": "stamp",
    "casework.ClosingReview.created_at": "stamp",
    "workflows.Meeting.started_at": "stamp",
    "workflows.Meeting.minutes_closed_at": "stamp",
    "workflows.Meeting.created_at": "stamp",
    "workflows.Attendance.recorded_at": "stamp",
    "workflows.Decision.recorded_at": "stamp",
    "casework.Instrument.created_at": "stamp",
    "casework.InstrumentLink.created_at": "stamp",
    "casework.InstrumentLink.expires_at": "computed from expires_in_days (1 to 30)",
    "casework.InstrumentLink.used_at": "stamp",
    "casework.InstrumentLink.revoked_at": "stamp",
    "casework.ApiToken.created_at": "stamp",
    "casework.ApiToken.expires_at": "computed from API_TOKEN_TTL_HOURS",
    "casework.ApiToken.revoked_at": "stamp",
    "casework.InstrumentResponse.submitted_at": "stamp",
    "casework.ImportRun.started_at": "stamp",
    "casework.ImportRun.finished_at": "stamp",
    "casework.Signal.created_at": "stamp",
    "casework.Signal.updated_at": "stamp",
    "casework.Student.created_at": "stamp",
    "casework.StudentRisk.as_of": "computed: the day risk was assessed",
    "casework.StudentRisk.computed_at": "stamp",
    "casework.Consent.recorded_at": "stamp",
    "casework.Consent.withdrawn_at": "stamp",
    "casework.Referral.requested_at": "stamp",
    "casework.Referral.answered_at": "stamp",
    "casework.Referral.ended_at": "stamp",
    "casework.AuditEvent.created_at": "stamp",
    "casework.ObjectiveReview.reviewed_at": "stamp",
    "casework.Assessment.created_at": "stamp",
    "casework.Assessment.updated_at": "stamp",
    "casework.ClosingReview.updated_at": "stamp",
    "casework.LibraryEntry.created_at": "stamp",
    "casework.LibraryEntry.updated_at": "stamp",
    "casework.LibraryEntry.published_at": "stamp",
    "casework.LibraryEntry.withdrawn_at": "stamp",
    "casework.LibraryEntry.imported_at": "stamp",
    "casework.LibraryEntry.source_exported_at": "from a partner's signed export document",
    "casework.Membership.joined_on": "stamp",
    "casework.PartnerOrganisation.created_at": "stamp",
    "casework.PartnerToken.created_at": "stamp",
    "casework.PartnerToken.last_used_at": "stamp",
    "casework.PartnerToken.revoked_at": "stamp",
    "casework.PartnerKey.added_at": "stamp",
    "casework.PartnerKey.retired_at": "stamp",
    "casework.RiskPolicy.updated_at": "stamp",
    "casework.User.date_joined": "stamp",
    "casework.User.last_login": "stamp",
    "counselling.Activity.created_at": "stamp",
    "counselling.Attendee.recorded_at": "stamp",
    "counselling.InfoPack.updated_at": "stamp",
    "counselling.Report.created_at": "stamp",
    "counselling.Report.submitted_at": "stamp",
    "counselling.Report.registered_on": "stamp: the day of the registration step",
    "counselling.Report.approved_on": "stamp: the day of the approval step",
    "counselling.ReportTask.due_at": "computed: from the report's period, or the step's start",
    "counselling.ReportTask.reminded_at": "stamp",
    "support.Partner.identified_on": "the day the partner was added (read-only in the API)",
    "support.Agreement.recorded_at": "stamp",
    "support.Opportunity.created_at": "stamp",
    "support.Participation.proposed_at": "stamp",
    "support.Participation.status_changed_at": "stamp",
    "support.Participation.completed_on": "stamp: the day of the move to completed",
    "support.StudentConsent.given_on": "the day the consent was recorded (read-only in the API)",
    "support.StudentConsent.recorded_at": "stamp",
    "support.StudentConsent.withdrawn_at": "stamp",
    "support.ObjectiveEvidence.linked_at": "stamp",
    "workflows.CalendarFeed.created_at": "stamp",
    "plans.ActionPlan.created_at": "stamp",
    "plans.PlanAction.starts_on": "computed from the action's term, within the plan's school year",
    "plans.PlanAction.ends_on": "computed from the action's term, within the plan's school year",
    "plans.IndicatorValue.entered_at": "stamp",
    "plans.PlanAction.term_notified_at": "stamp",
    "plans.PlanIndicator.at_risk_notified_at": "stamp",
    "workflows.CaseTask.due_at": "computed: from the task's kind, or a decision's due date",
    "workflows.CaseTask.reminded_at": "stamp",
    "workflows.CaseTask.escalated_at": "stamp",
    "workflows.Notification.created_at": "stamp",
    "workflows.Notification.read_at": "stamp",
}


def window_error(name: str, value: datetime.date | datetime.datetime | None) -> str | None:
    """The message if ``value`` is outside the window ``name``; None for no value."""
    return None if value is None else WINDOWS[name].error(value)


def require_within(**values: datetime.date | datetime.datetime | None) -> None:
    """Raise Invalid naming each field whose value is outside its window."""
    errors: dict[str, list[str] | str] = {
        name: message
        for name, value in values.items()
        if (message := window_error(name, value)) is not None
    }
    if errors:
        raise Invalid(errors)


def validator(name: str) -> Callable[[Any], None]:
    """A Django validator (forms, DRF serializers) for the window ``name``."""

    def validate(value: Any) -> None:
        message = window_error(name, value)
        if message is not None:
            raise ValidationError(message, code="date_window")

    validate.date_window = name  # type: ignore[attr-defined]  # read by the API's schema
    return validate


def clean_within(name: str, day: datetime.date) -> datetime.date:
    """For the imports: ``day``, or a CellError with the window's message."""
    message = window_error(name, day)
    if message is not None:
        raise CellError(message)
    return day
