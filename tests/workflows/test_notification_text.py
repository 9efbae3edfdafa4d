"""Every notification kind says what happened, in Romanian, and links to a page that opens.
The kinds are read from ``Notification.Kind``: a new kind fails here until it has words."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from casework.dates import api_datetime
from casework.models import Case, LibraryEntry
from plans.models import ActionPlan
from tests.conftest import sign_in
from tests.factories import World
from workflows import services
from workflows.models import CaseTask, Meeting, Notification
from workflows.notification_text import notification_link, notification_sentence

Kind = Notification.Kind
Build = Callable[[Case, CaseTask, Meeting], dict[str, Any]]


def _task(case: Case, case_task: CaseTask, meeting: Meeting) -> dict[str, Any]:
    return {"case": case, "task_id": case_task.pk, "data": {"name": case_task.name}}


def _due(case: Case, case_task: CaseTask, meeting: Meeting) -> dict[str, Any]:
    due = api_datetime(case_task.due_at)
    return {"case": case, "task_id": case_task.pk, "data": {"name": case_task.name, "due": due}}


def _meeting(case: Case, case_task: CaseTask, meeting: Meeting) -> dict[str, Any]:
    when = api_datetime(meeting.scheduled_for)
    data = {"meeting": meeting.pk, "kind": meeting.kind, "scheduled_for": when}
    return {"data": {**data, "status": meeting.status}}


def _draft(case: Case) -> int:
    entry = LibraryEntry.objects.create(
        office=case.office, author=case.flagged_by, title="Draft", situation="..."
    )
    return entry.pk


def _plan(case: Case, case_task: CaseTask, meeting: Meeting) -> dict[str, Any]:
    plan = ActionPlan.objects.create(
        school=case.office.school, title="Plan", school_year="2025-2026", created_by=case.flagged_by
    )
    about = {"plan": plan.pk, "plan_title": str(plan), "action": 1, "number": 1, "text": "Vizite"}
    risk = {"indicator": 1, "indicator_text": "min. 2", "achieved": 0, "target": 2}
    return {"data": {**about, **risk}}


# The data each writer stores (workflows/lifecycle.py, services/tasks.py, due.py, referrals.py,
# meetings.py; plans/reminders.py).
BUILDERS: dict[str, Build] = {
    Kind.TASK_AVAILABLE: _task,
    Kind.TASK_CLAIMED: _task,
    Kind.TASK_ASSIGNED: _task,
    Kind.TASK_RELEASED: _task,
    Kind.TASK_DUE: _due,
    Kind.TASK_OVERDUE: _due,
    Kind.TASK_CANCELLED: _task,
    Kind.CASE_STAGE_CHANGED: lambda c, t, m: {
        "case": c,
        "data": {"from": "monitoring", "to": "intervention", "transition": "start_intervention"},
    },
    Kind.CASE_INVITED: lambda c, t, m: {
        "data": {"referral": 1, "purpose": "Consiliere", "office": "Biroul de acțiune"}
    },
    Kind.REFERRAL_ANSWERED: lambda c, t, m: {
        "case": c,
        "data": {"referral": 1, "status": "accepted", "reason": ""},
    },
    Kind.REFERRAL_ENDED: lambda c, t, m: {"data": {"referral": 1, "status": "done"}},
    Kind.MEETING_INVITED: _meeting,
    Kind.MEETING_CHANGED: _meeting,
    Kind.LIBRARY_DRAFT_WAITING: lambda c, t, m: {"data": {"entry": _draft(c)}},
    Kind.PLAN_TERM_STARTED: _plan,
    Kind.PLAN_AT_RISK: _plan,
}


@pytest.fixture
def meeting(world: World) -> Meeting:
    return services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=3),
    )


def test_it_has_words_for_every_kind() -> None:
    assert set(Kind.values) <= set(BUILDERS), "give the new kind a builder and words"


@pytest.mark.parametrize("kind", Kind.values)
def test_it_says_what_happened_in_romanian_and_links_to_it(
    kind: str, world: World, case: Case, meeting: Meeting
) -> None:
    case_task = CaseTask.objects.get(case=case)
    row = Notification.objects.create(
        recipient=world.coordinator, kind=kind, **BUILDERS[kind](case, case_task, meeting)
    )
    romanian = notification_sentence(row)
    with translation.override("en"):
        english = notification_sentence(row)
    assert romanian != english, f"{kind}: {romanian!r} is not translated"
    assert romanian != str(row.get_kind_display()), f"{kind} says only its kind"
    assert "None" not in romanian and "%(" not in romanian
    client = sign_in(Client(), world.coordinator)
    page = client.get("/notifications/").content.decode()
    link = notification_link(row)
    assert f'href="{link}"' in page and romanian in page
    assert client.get(link, follow=True).status_code == 200


def test_it_says_which_stage_the_case_reached() -> None:
    row = Notification(kind=Kind.CASE_STAGE_CHANGED, case_id=12, data={"to": "intervention"})
    assert notification_sentence(row) == "Cazul #12 a trecut în etapa Intervenție"
    assert notification_link(row) == "/cases/12/"


def test_it_links_a_meeting_invitation_to_the_meeting(meeting: Meeting) -> None:
    row = Notification(kind=Kind.MEETING_INVITED, data={"meeting": meeting.pk})
    assert notification_link(row) == f"/meetings/{meeting.pk}/"


def test_it_sends_the_words_and_the_link_over_the_api(world: World, case: Case) -> None:
    from tests.conftest import client_for

    found = client_for(world.psychologist).get("/api/notifications/").json()
    rows = found["results"] if isinstance(found, dict) else found
    task = next(r for r in rows if r["type"] == Kind.TASK_AVAILABLE)
    assert task["url"] == f"/tasks/{task['task']}/" and "#" in task["text"]
