"""The office meeting's agenda builds itself from the cases that need discussion.

Each reason is one small function: ``(meeting, candidates) -> {case_id: reason}``, where a
reason is ``{"code", "weight", ...facts}``. A case's urgency is the sum of its reasons' weights;
the agenda lists cases by urgency (then the longest waiting first), so ``priority`` 1 is
discussed first. The coordinator can add, remove and reorder items; once the agenda was
reordered by hand, a refresh only appends new cases after the existing ones.

The agenda is rebuilt on every read and change until the meeting is under way (its first
attendance or decision); from then on it is the record of what was discussed.

"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.models import Case, Objective, Referral, RiskLevel, Stage, Student, StudentRisk
from casework.risk import indicator_label
from casework.services.risk import risk_refresh_stale
from workflows import selectors
from workflows.models import AgendaItem, CaseTask, Decision, Meeting, TaskName

Reason = dict[str, Any]
ReasonFunction = Callable[[Meeting, QuerySet[Case]], dict[int, Reason]]

# Objectives whose deadline falls this close after the meeting are reviewed at it.
REVIEW_HORIZON = datetime.timedelta(days=7)
AGENDA_STAGES = (Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            office_id=meeting.office_id,
            kind=Meeting.Kind.REGULAR,
            scheduled_for__lt=meeting.scheduled_for,
        )
        .exclude(pk=meeting.pk)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-scheduled_for")
        .first()
    )


def individual_meeting(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """The case an individual meeting was called for is always its first item."""
    if meeting.case_id is None:
        return {}
    return {meeting.case_id: {"code": "individual_meeting", "weight": 20}}


def newly_shared(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """Shared with the office and not yet decided on at an earlier meeting."""
    decided = Decision.objects.exclude(meeting=meeting).values("case_id")
    cases = candidates.filter(stage=Stage.SHARED).exclude(pk__in=decided)
    return {
        case.pk: {"code": "newly_shared", "weight": 3, "shared_on": _day(case.shared_at)}
        for case in cases
    }


def triaged_urgent(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """Group 2's triage gave the case the highest priority and the office has not started."""
    triages = CaseTask.objects.filter(
        case__in=candidates.filter(stage=Stage.SHARED), name=TaskName.TRIAGE
    ).select_related("task")
    return {
        case_task.case_id: {"code": "triaged_urgent", "weight": 3}
        for case_task in triages
        if (case_task.task.data or {}).get("result", {}).get("priority") == 1
    }


def high_risk(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """The student's risk indicators (step 1's ABC model) are high now; worse if they got
    worse since last week. Stored risk older than today is recomputed first."""
    student_of = dict(candidates.values_list("student_id", "pk"))
    students = Student.objects.filter(pk__in=list(student_of))
    risk_refresh_stale(students)
    found: dict[int, Reason] = {}
    for risk in StudentRisk.objects.filter(student__in=students, level=RiskLevel.HIGH):
        high = [i["name"] for i in risk.indicators if i.get("level") == RiskLevel.HIGH]
        found[student_of[risk.student_id]] = {
            "code": "high_risk",
            "weight": 4 if risk.worsened else 3,
            "indicators": high,
            "worsened": risk.worsened,
        }
    return found


def overdue_tasks(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """Open tasks past their due date: the office must unblock or reassign them."""
    late: dict[int, list[CaseTask]] = defaultdict(list)
    for case_task in selectors.overdue(CaseTask.objects.filter(case__in=candidates)).order_by(
        "due_at"
    ):
        late[case_task.case_id].append(case_task)
    return {
        case_id: {
            "code": "overdue_tasks",
            "weight": 4 + min(len(tasks) - 1, 2),
            "tasks": [{"id": t.pk, "name": t.name, "due": _day(t.due_at)} for t in tasks],
        }
        for case_id, tasks in late.items()
    }


def due_for_review(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """Objectives due by a week after the meeting or at risk; closing cases without review."""
    horizon = (meeting.scheduled_for + REVIEW_HORIZON).date()
    found: dict[int, Reason] = {}
    objectives = Objective.objects.filter(
        case__in=candidates.filter(stage=Stage.INTERVENTION),
        status__in=[Objective.Status.ON_TRACK, Objective.Status.AT_RISK],
    ).order_by("deadline")
    for objective in objectives:
        if objective.deadline > horizon and objective.status != Objective.Status.AT_RISK:
            continue
        reason = found.setdefault(
            objective.case_id, {"code": "due_for_review", "weight": 2, "objectives": []}
        )
        reason["objectives"].append(
            {
                "id": objective.pk,
                "deadline": objective.deadline.isoformat(),
                "status": objective.status,
            }
        )
    for case in candidates.filter(stage=Stage.CLOSING, closing_review__isnull=True):
        found[case.pk] = {"code": "due_for_review", "weight": 2, "closing_review": True}
    return found


def pending_referrals(meeting: Meeting, candidates: QuerySet[Case]) -> dict[int, Reason]:
    """Referrals still without an answer, and those rejected since the last meeting."""
    previous = previous_meeting(meeting)
    found: dict[int, Reason] = {}
    for referral in Referral.objects.filter(case__in=candidates).order_by("requested_at"):
        waiting = referral.status == Referral.Status.REQUESTED
        rejected = referral.status == Referral.Status.REJECTED and (
            previous is None
            or (referral.answered_at is not None and referral.answered_at > previous.scheduled_for)
        )
        if not (waiting or rejected):
            continue
        reason = found.setdefault(
            referral.case_id, {"code": "pending_referrals", "weight": 1, "referrals": []}
        )
        if rejected:
            reason["weight"] = 2
        reason["referrals"].append(
            {"id": referral.pk, "status": referral.status, "since": _day(referral.requested_at)}
        )
    return found


REASONS: list[ReasonFunction] = [
    individual_meeting,
    overdue_tasks,
    newly_shared,
    high_risk,
    triaged_urgent,
    due_for_review,
    pending_referrals,
]

# The areas built on top (support, ...) add their own reasons and their words here, from their
# AppConfig.ready: this module cannot import them (they build on it, never the reverse). A words
# function answers for the codes it knows and None for the others.
AREA_REASONS: list[ReasonFunction] = []
AREA_REASON_WORDS: list[Callable[[Reason], str | None]] = []


def _day(moment: datetime.datetime | None) -> str | None:
    return timezone.localdate(moment).isoformat() if moment else None


def candidates_for(meeting: Meeting) -> QuerySet[Case]:
    cases = Case.objects.filter(office_id=meeting.office_id, stage__in=AGENDA_STAGES)
    if meeting.kind == Meeting.Kind.INDIVIDUAL:
        cases = cases.filter(pk=meeting.case_id)
    return cases


def reasons_by_case(meeting: Meeting) -> dict[int, list[Reason]]:
    candidates = candidates_for(meeting)
    found: dict[int, list[Reason]] = defaultdict(list)
    for reason_function in [*REASONS, *AREA_REASONS]:
        for case_id, reason in reason_function(meeting, candidates).items():
            found[case_id].append(reason)
    for reasons in found.values():
        reasons.sort(key=lambda r: -int(r["weight"]))
    return dict(found)


def _order_key(item: AgendaItem) -> tuple[int, datetime.datetime, int]:
    waiting_since = item.case.shared_at or item.case.opened_at
    return (-item.score, waiting_since, item.case_id)


BY_HAND: Reason = {"code": "added_by_coordinator", "weight": 0}


def agenda_refresh(meeting: Meeting) -> None:
    """Bring the stored agenda up to date with the cases (until the meeting is under way)."""
    if meeting.started_at is not None or not meeting.is_open:
        return
    with transaction.atomic():
        # Two readers refreshing at once would both add a new case: they take turns on the
        # meeting's row, and the state is read again under it (the caller's copy may be stale).
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.started_at is not None or not current.is_open:
            return
        found = reasons_by_case(meeting)
        items = {
            item.case_id: item
            for item in AgendaItem.objects.select_for_update().filter(meeting=meeting)
        }
        for case_id, item in items.items():
            if case_id not in found and not item.added_by_hand and not item.decisions.exists():
                item.delete()
        for case_id, reasons in found.items():
            item = items.get(case_id) or AgendaItem(meeting=meeting, case_id=case_id, position=0)
            reasons = [*reasons, BY_HAND] if item.added_by_hand else reasons
            score = sum(int(r["weight"]) for r in reasons)
            if item.pk is None or item.reasons != reasons or item.score != score:
                item.reasons, item.score = reasons, score
                item.save()
        for case_id, item in items.items():
            if case_id not in found and item.added_by_hand and item.reasons != [BY_HAND]:
                item.reasons, item.score = [BY_HAND], 0
                item.save()
        renumber(meeting)


def renumber(meeting: Meeting) -> None:
    """Positions 1..N over the listed items: by urgency, or as ordered by hand."""
    items = list(AgendaItem.objects.filter(meeting=meeting, removed=False).select_related("case"))
    if meeting.agenda_by_hand:
        placed = sorted((i for i in items if i.position), key=lambda i: (i.position, i.pk))
        new = sorted((i for i in items if not i.position), key=_order_key)
        ordered = placed + new
    else:
        ordered = sorted(items, key=_order_key)
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)
            item.position = position
    AgendaItem.objects.filter(meeting=meeting, removed=True).exclude(position=0).update(position=0)


def _day_text(iso: str | None) -> str:
    """A day kept as ISO in the reason (the API's form), written for the reader."""
    if not iso:
        return "?"
    return formats.date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT")


def reason_text(reason: Reason, *, decided: bool = False) -> str:
    """The reason as a sentence in the active language (the API's, or the minutes'). The
    reasons are frozen once the meeting is under way; ``decided`` drops what a decision ended."""
    code = reason.get("code")
    if code == "individual_meeting":
        return _("An individual meeting was called for this case.")
    if code == "newly_shared":
        day = _day_text(reason.get("shared_on"))
        if decided:
            return _("Shared with the office on %(day)s.") % {"day": day}
        return _("Shared with the office on %(day)s; not decided on yet.") % {"day": day}
    if code == "triaged_urgent":
        return _("Triage gave it the highest priority.")
    if code == "high_risk":
        labels = ", ".join(indicator_label(name) for name in reason.get("indicators", []))
        if reason.get("worsened"):
            return _("High risk, worse than a week ago: %(indicators)s.") % {"indicators": labels}
        return _("High risk: %(indicators)s.") % {"indicators": labels}
    if code == "overdue_tasks":
        count = len(reason.get("tasks", []))
        return ngettext("%(count)d task is overdue.", "%(count)d tasks are overdue.", count) % {
            "count": count
        }
    if code == "due_for_review":
        if reason.get("closing_review"):
            return _("The case is closing and has no closing review yet.")
        count = len(reason.get("objectives", []))
        return ngettext(
            "%(count)d objective is due or at risk.",
            "%(count)d objectives are due or at risk.",
            count,
        ) % {"count": count}
    if code == "pending_referrals":
        if any(r["status"] == Referral.Status.REJECTED for r in reason.get("referrals", [])):
            return _("A referral was rejected; the office must plan again.")
        return _("A referral is waiting for an answer.")
    if code == "added_by_coordinator":
        return _("Added by the coordinator.")
    for words in AREA_REASON_WORDS:
        text = words(reason)
        if text is not None:
            return text
    return str(code)
