from casework.models.accounts import ApiToken
from casework.models.audit import AuditEvent
from casework.models.case import Case, CaseEvent, ClosingReview, Function, Objective, Stage
from casework.models.instruments import (
    Instrument,
    InstrumentLink,
    InstrumentResponse,
    Item,
    Subscale,
)
from casework.models.library import LibraryEntry, PartnerKey, PartnerOrganisation, PartnerToken
from casework.models.network import Consent, Contact, Referral
from casework.models.office import Group, Membership, Office, School, User
from casework.models.plan import Area, Assessment, ObjectiveReview
from casework.models.positions import Position, PositionKind
from casework.models.risk import RiskLevel, RiskPolicy, StudentRisk
from casework.models.signals import ImportRun, Signal, SignalKind, SignalSource
from casework.models.student import Enrolment, Student
from casework.models.teaching import ClassAssignment

__all__ = [
    "ApiToken",
    "Area",
    "Assessment",
    "AuditEvent",
    "Case",
    "CaseEvent",
    "ClassAssignment",
    "ClosingReview",
    "Consent",
    "Contact",
    "Enrolment",
    "Function",
    "Group",
    "ImportRun",
    "Instrument",
    "InstrumentLink",
    "InstrumentResponse",
    "Item",
    "LibraryEntry",
    "Membership",
    "Objective",
    "ObjectiveReview",
    "Office",
    "PartnerKey",
    "PartnerOrganisation",
    "PartnerToken",
    "Position",
    "PositionKind",
    "Referral",
    "RiskLevel",
    "RiskPolicy",
    "School",
    "Signal",
    "SignalKind",
    "SignalSource",
    "Stage",
    "Student",
    "StudentRisk",
    "Subscale",
    "User",
]
