"""Choice sets of the meeting records, named for the OpenAPI schema."""

from workflows.models import Attendance, Decision, Meeting

MEETING_KINDS = Meeting.Kind.choices
MEETING_STATUSES = Meeting.Status.choices
DECISION_KINDS = Decision.Kind.choices
ATTENDANCE_STATUSES = Attendance.Status.choices
