"""What a participation linked to a case adds to the office's own records: a reason for the next
meeting's agenda and the words of its timeline rows.

The core (``workflows.agenda``, ``workflows.web.timeline``) cannot import this app; it keeps
lists the areas add to, and ``support.wiring`` adds these. The agenda lists only the cases its
reader sees, so a participation's link to a case is shown only to those who see the case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case, CaseEvent, Objective
from support.kinds import Kind
from support.models import ObjectiveEvidence, Participation, Status
from workflows.agenda import Reason, previous_meeting
from workflows.models import Meeting

CODE = "participations"


def participations_changed(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """A placement or mobility proposed from a case moved since the previous regular meeting
    (proposed, confirmed, completed, withdrawn, ...): the office hears of it."""
    previous = previous_meeting(meeting)
    moved = Participation.objects.filter(case__in=candidates).select_related("opportunity")
    if previous is not None:
        moved = moved.filter(status_changed_at__gt=previous.scheduled_for)
    found: dict[int, Reason] = {}
    for participation in moved.order_by("status_changed_at", "id"):
        assert participation.case_id is not None
        reason = found.setdefault(
            participation.case_id, {"code": CODE, "weight": 1, "participations": []}
        )
        reason["participations"].append(
            {
                "id": participation.pk,
                "status": participation.status,
                "kind": participation.opportunity.kind,
                "since": timezone.localdate(participation.status_changed_at).isoformat(),
            }
        )
    return found


def _kind(value: Any) -> str:
    """The kind's name; rows written before the kind was recorded say what they are."""
    if not value:
        return _("a placement or mobility")
    return str(dict(Kind.choices).get(value, value))


def _moved_words(status: Any, kind: str) -> str:
    words = {
        Status.PROPOSED: _("Participation proposed: %(kind)s."),
        Status.SELECTED: _("Participation selected: %(kind)s."),
        Status.CONFIRMED: _("Participation confirmed: %(kind)s."),
        Status.IN_PROGRESS: _("Participation started: %(kind)s."),
        Status.COMPLETED: _("Participation completed: %(kind)s."),
        Status.WITHDRAWN: _("Participation withdrawn: %(kind)s."),
    }
    return words.get(status, _("Participation changed: %(kind)s.")) % {"kind": kind}


def reason_words(reason: Reason) -> str | None:
    if reason.get("code") != CODE:
        return None
    return " ".join(
        _moved_words(p.get("status"), _kind(p.get("kind")))
        for p in reason.get("participations", [])
    )


def event_words(event: CaseEvent) -> str | None:
    """The timeline's line for a participation's step, or for a participation given as an
    objective's evidence."""
    data = event.data or {}
    if event.kind == CaseEvent.Kind.OBJECTIVE and event.name == "objective_evidence":
        return _("Evidence of an objective: %(kind)s completed") % {"kind": _kind(data.get("kind"))}
    if event.kind == CaseEvent.Kind.NOTE and event.name.startswith("participation_"):
        return _moved_words(data.get("status"), _kind(data.get("kind"))).rstrip(".")
    return None


def evidence_of(objectives: list[Objective]) -> dict[int, list[ObjectiveEvidence]]:
    """Each objective's evidence, oldest first, in one query."""
    found: dict[int, list[ObjectiveEvidence]] = {o.pk: [] for o in objectives}
    linked = ObjectiveEvidence.objects.filter(objective__in=objectives).select_related(
        "participation__opportunity", "linked_by"
    )
    for evidence in linked:
        found[evidence.objective_id].append(evidence)
    return found
