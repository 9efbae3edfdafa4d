from casework.models.audit import AuditEvent
from casework.models.case import Case, CaseEvent, ClosingReview, Function, Objective, Stage
from casework.models.library import LibraryEntry, PartnerOrganisation, PartnerToken
from casework.models.network import Consent, Contact
from casework.models.office import Group, Membership, Office, School, User
from casework.models.student import Student

__all__ = [
    "AuditEvent",
    "Case",
    "CaseEvent",
    "ClosingReview",
    "Consent",
    "Contact",
    "Function",
    "Group",
    "LibraryEntry",
    "Membership",
    "Objective",
    "Office",
    "PartnerOrganisation",
    "PartnerToken",
    "School",
    "Stage",
    "Student",
    "User",
]
