"""Choice sets named for the OpenAPI schema (several models have a ``kind`` or ``status``)."""

from casework.models import Attendance, CaseEvent, Decision, Meeting, Objective, Referral

MEETING_KINDS = Meeting.Kind.choices
MEETING_STATUSES = Meeting.Status.choices
DECISION_KINDS = Decision.Kind.choices
ATTENDANCE_STATUSES = Attendance.Status.choices
REFERRAL_STATUSES = Referral.Status.choices
OBJECTIVE_STATUSES = Objective.Status.choices
TIMELINE_KINDS = CaseEvent.Kind.choices
