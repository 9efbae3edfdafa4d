"""Task pages: the queue, claiming, completing and giving back, through the services."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from casework.models import Case, CaseEvent, Stage
from tests.factories import World, make_student, reload
from workflows.models import CaseTask, Notification
from workflows.services import case_flag
from workflows.web.tasks import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _triage(case: Case) -> CaseTask:
    return CaseTask.objects.get(case=case, name="triage")


def test_it_lists_the_tasks_offered_to_my_groups_with_a_claim_button(
    world: World, case: Case
) -> None:
    triage = _triage(case)
    page = _client(world.psychologist).get("/tasks/queue/").content.decode()
    assert f'id="task-row-{triage.pk}"' in page
    assert f'action="/tasks/{triage.pk}/claim/"' in page
    assert (
        f'id="task-row-{triage.pk}"'
        not in _client(world.social).get("/tasks/queue/").content.decode()
    )


def test_it_claims_through_the_service_and_opens_the_form(world: World, case: Case) -> None:
    triage = _triage(case)
    response = _client(world.psychologist).post(f"/tasks/{triage.pk}/claim/")
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{triage.pk}/execute/"
    assert CaseEvent.objects.filter(case=case, name="task_claimed").exists()
    assert Notification.objects.filter(
        recipient=world.psychologist2, kind="task.claimed", task_id=triage.pk
    ).exists()
    assert (
        f'id="task-row-{triage.pk}"'
        not in _client(world.psychologist2).get("/tasks/queue/").content.decode()
    )


def test_it_answers_a_lost_claim_with_409_and_says_why(world: World, case: Case) -> None:
    triage = _triage(case)
    _client(world.psychologist).post(f"/tasks/{triage.pk}/claim/")
    response = _client(world.psychologist2).post(f"/tasks/{triage.pk}/claim/")
    assert response.status_code == 409
    assert "Someone else has already claimed this task." in response.content.decode()


def test_it_refuses_claims_from_other_groups_and_hides_other_schools(
    world: World, case: Case
) -> None:
    triage = _triage(case)
    assert _client(world.admin_staff).post(f"/tasks/{triage.pk}/claim/").status_code == 404
    assert _client(world.outsider).post(f"/tasks/{triage.pk}/claim/").status_code == 404
    assert _client(world.coordinator).post(f"/tasks/{triage.pk}/claim/").status_code == 403


def test_it_shows_the_form_only_to_the_holder(world: World, case: Case) -> None:
    triage = _triage(case)
    holder = _client(world.psychologist)
    holder.post(f"/tasks/{triage.pk}/claim/")
    page = holder.get(f"/tasks/{triage.pk}/execute/").content.decode()
    assert 'name="summary"' in page and 'name="recommended_functions"' in page
    # The functions the teacher chose when flagging come ticked.
    assert re.search(r'<input[^>]*value="pedagogical"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="administrative"[^>]*checked', page)
    assert _client(world.psychologist2).get(f"/tasks/{triage.pk}/execute/").status_code == 403


def test_it_puts_errors_next_to_the_fields_and_changes_nothing(world: World, case: Case) -> None:
    triage = _triage(case)
    holder = _client(world.psychologist)
    holder.post(f"/tasks/{triage.pk}/claim/")
    response = holder.post(f"/tasks/{triage.pk}/execute/", {"summary": "", "priority": "2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_summary_error"' in page
    assert (
        'aria-describedby="id_summary_error"' in page
        or "id_summary_helptext id_summary_error" in page
    )
    assert 'id="id_recommended_functions_error"' in page
    assert reload(case).stage == Stage.MONITORING


def test_it_completes_triage_and_shares_the_case(world: World, case: Case) -> None:
    triage = _triage(case)
    holder = _client(world.psychologist)
    holder.post(f"/tasks/{triage.pk}/claim/")
    response = holder.post(
        f"/tasks/{triage.pk}/execute/",
        {
            "summary": "Talked to the family",
            "priority": "1",
            "recommended_functions": ["pedagogical", "administrative"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    case = reload(case)
    assert case.stage == Stage.SHARED
    assert case.functions == ["pedagogical", "administrative"]


def test_it_gives_a_task_back_to_the_group(world: World, case: Case) -> None:
    triage = _triage(case)
    holder = _client(world.psychologist)
    holder.post(f"/tasks/{triage.pk}/claim/")
    assert holder.post(f"/tasks/{triage.pk}/release/").status_code == 302
    assert (
        f'id="task-row-{triage.pk}"'
        in _client(world.psychologist2).get("/tasks/queue/").content.decode()
    )
    assert CaseEvent.objects.filter(case=case, name="task_released").exists()


def test_it_lists_my_tasks_with_overdue_ones_marked(world: World, case: Case) -> None:
    import datetime

    from django.utils import timezone

    triage = _triage(case)
    _client(world.psychologist).post(f"/tasks/{triage.pk}/claim/")
    CaseTask.objects.filter(pk=triage.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    page = _client(world.psychologist).get("/tasks/inbox/").content.decode()
    assert f'id="task-row-{triage.pk}"' in page
    assert "ao-overdue" in page


def test_it_serves_one_row_for_the_live_queue(world: World, case: Case) -> None:
    triage = _triage(case)
    response = _client(world.psychologist2).get(f"/tasks/{triage.pk}/row/?list=queue")
    assert response.status_code == 200
    assert response.content.decode().strip().startswith("<tr")
    # Not their case to see (monitoring): 404, like every address of the task.
    assert _client(world.social).get(f"/tasks/{triage.pk}/row/?list=queue").status_code == 404
    assert _client(world.outsider).get(f"/tasks/{triage.pk}/row/?list=queue").status_code == 404
    _client(world.psychologist).post(f"/tasks/{triage.pk}/claim/")
    assert (
        _client(world.psychologist2).get(f"/tasks/{triage.pk}/row/?list=queue").status_code == 204
    )


def test_it_pages_the_queue_so_no_task_is_out_of_reach(world: World) -> None:
    for n in range(PAGE_SIZE + 2):
        case_flag(
            student=make_student(world.school, last_name=f"Elev{n:02d}"),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        )
    offered = set(CaseTask.objects.filter(name="triage").values_list("pk", flat=True))
    client = _client(world.psychologist)
    first = client.get("/tasks/queue/").content.decode()
    second = client.get("/tasks/queue/?page=2").content.decode()
    shown = [set(map(int, re.findall(r'id="task-row-(\d+)"', p))) for p in (first, second)]
    assert len(shown[0]) == PAGE_SIZE
    assert shown[0].isdisjoint(shown[1])
    assert shown[0] | shown[1] == offered
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert "Page 2 of 2" in second
