from casework.models.audit import AuditEvent
from casework.models.case import Case, CaseEvent, ClosingReview, Function, Objective, Stage
from casework.models.meeting import AgendaItem, Attendance, Decision, Meeting
from casework.models.network import Consent, Contact, Referral
from casework.models.office import Group, Membership, Office, School, User
from casework.models.plan import Area, Assessment, ObjectiveReview
from casework.models.student import Student

__all__ = [
    "AgendaItem",
    "Area",
    "Assessment",
    "Attendance",
    "AuditEvent",
    "Case",
    "CaseEvent",
    "ClosingReview",
    "Consent",
    "Contact",
    "Decision",
    "Function",
    "Group",
    "Meeting",
    "Membership",
    "Objective",
    "ObjectiveReview",
    "Office",
    "Referral",
    "School",
    "Stage",
    "Student",
    "User",
]
