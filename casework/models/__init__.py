from casework.models.audit import AuditEvent
from casework.models.case import Case, CaseEvent, ClosingReview, Function, Objective, Stage
from casework.models.instruments import (
    Instrument,
    InstrumentLink,
    InstrumentResponse,
    Item,
    Subscale,
)
from casework.models.office import Group, Membership, Office, School, User
from casework.models.risk import RiskLevel, RiskPolicy, StudentRisk
from casework.models.signals import ImportRun, Signal, SignalKind, SignalSource
from casework.models.student import Student
from casework.models.teaching import ClassAssignment

__all__ = [
    "AuditEvent",
    "Case",
    "CaseEvent",
    "ClassAssignment",
    "ClosingReview",
    "Function",
    "Group",
    "ImportRun",
    "Instrument",
    "InstrumentLink",
    "InstrumentResponse",
    "Item",
    "Membership",
    "Objective",
    "Office",
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
