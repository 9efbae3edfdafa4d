"""Choice sets named for the OpenAPI schema (several models have a ``kind`` or ``status``)."""

from casework.models import CaseEvent, Objective, Referral

REFERRAL_STATUSES = Referral.Status.choices
OBJECTIVE_STATUSES = Objective.Status.choices
TIMELINE_KINDS = CaseEvent.Kind.choices
