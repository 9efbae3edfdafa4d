"""Writes of partners, agreements, opportunities and participations.

Each write checks the actor's role (policies), then the input (400 naming the field), then the
state (409 with a ``code``), and writes its audit row in the same transaction. A participation
linked to a case writes on the case's timeline in that transaction too. The fronts call them
through this package: ``from support.services import participation_propose``.
"""

from __future__ import annotations

from support.services.consents import student_consent_record
from support.services.evidence import objective_evidence_add
from support.services.opportunities import opportunity_add
from support.services.participations import (
    dossier_item_mark,
    is_minor_on,
    participation_outcome_record,
    participation_propose,
    participation_transition,
)
from support.services.partners import agreement_add, partner_add, partner_contact_add

__all__ = [
    "agreement_add",
    "dossier_item_mark",
    "is_minor_on",
    "objective_evidence_add",
    "opportunity_add",
    "participation_outcome_record",
    "participation_propose",
    "participation_transition",
    "partner_add",
    "partner_contact_add",
    "student_consent_record",
]
