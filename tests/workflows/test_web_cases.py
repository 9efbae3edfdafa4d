"""Case pages: flagging, the case page, its actions, by role; errors as the API gives them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from casework.models import AuditEvent, Case, Stage, Student
from tests.factories import World, advance, make_student, objective_fields, reload
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_it_flags_a_student_and_opens_the_case_page(world: World, student: Student) -> None:
    response = _client(world.teacher).post(
        f"/cases/flag/{student.pk}/", {"reason": "Absent three weeks", "functions": ["pedagogical"]}
    )
    case = Case.objects.get(student=student)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert CaseTask.objects.filter(case=case, name="triage").exists()
    flagged = _client(world.teacher).get("/cases/flagged/").content.decode()
    assert f'href="/cases/{case.pk}/"' in flagged


def test_it_warns_before_flagging_a_student_with_an_open_case(world: World, case: Case) -> None:
    page = _client(world.form_tutor).get(f"/cases/flag/{case.student_id}/").content.decode()
    assert f'data-open-case="{case.pk}"' in page
    response = _client(world.form_tutor).post(
        f"/cases/flag/{case.student_id}/", {"reason": "Again", "functions": ["pedagogical"]}
    )
    assert response.status_code == 409
    assert f'data-open-case="{case.pk}"' in response.content.decode()
    assert Case.objects.filter(student_id=case.student_id).count() == 1


def test_it_puts_flag_errors_next_to_the_fields(world: World, student: Student) -> None:
    response = _client(world.teacher).post(f"/cases/flag/{student.pk}/", {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_reason_error"' in page and 'id="id_functions_error"' in page
    assert not Case.objects.filter(student=student).exists()


def test_it_hides_students_and_cases_of_other_schools(world: World, case: Case) -> None:
    outsider = _client(world.outsider)
    assert outsider.get(f"/cases/{case.pk}/").status_code == 404
    assert outsider.get(f"/cases/flag/{case.student_id}/").status_code == 404
    assert outsider.get(f"/students/{case.student_id}/").status_code == 404
    # Group 3 does not see a case still in monitoring (need to know).
    assert _client(world.social).get(f"/cases/{case.pk}/").status_code == 404


def test_it_audits_reading_a_case_page(world: World, case: Case) -> None:
    reads = AuditEvent.objects.filter(
        actor=world.teacher,
        action=AuditEvent.Action.READ,
        object_type="case",
        object_id=str(case.pk),
    )
    assert not reads.exists()
    _client(world.teacher).get(f"/cases/{case.pk}/")
    assert reads.count() == 1


def test_it_shows_the_stage_bar_tasks_and_only_the_transitions_of_my_role(
    world: World, case: Case
) -> None:
    teacher_page = _client(world.teacher).get(f"/cases/{case.pk}/").content.decode()
    assert 'aria-current="step"' in teacher_page
    # The triage comes first: the teacher is told so instead of being offered "share".
    assert 'data-transition="share"' not in teacher_page
    assert "data-share-waits" in teacher_page
    assert 'data-transition="withdraw"' not in teacher_page
    coordinator_page = _client(world.coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-transition="share"' in coordinator_page
    assert 'data-transition="withdraw"' in coordinator_page
    # "Withdraw" is apart from the forward buttons, at the end of the page.
    forward = coordinator_page.index('data-transition="share"')
    assert coordinator_page.index('id="timeline"') < coordinator_page.index(
        'data-transition="withdraw"'
    )
    assert forward < coordinator_page.index('id="tasks"')


def test_it_moves_the_case_through_the_same_service_as_the_api(world: World, case: Case) -> None:
    early = _client(world.teacher).post(f"/cases/{case.pk}/transitions/share/", {"note": "Now"})
    assert early.status_code == 409 and "triage" in early.content.decode()
    assert reload(case).stage == Stage.MONITORING
    response = _client(world.coordinator).post(
        f"/cases/{case.pk}/transitions/share/", {"note": "Please look"}
    )
    assert response.status_code == 302
    assert reload(case).stage == Stage.SHARED
    assert case.events.filter(name="share", note="Please look").exists()


def test_it_refuses_a_transition_of_another_role_with_403(world: World, case: Case) -> None:
    case = advance(case, world, "shared")
    response = _client(world.teacher).post(f"/cases/{case.pk}/transitions/start_intervention/")
    assert response.status_code == 403
    assert reload(case).stage == Stage.SHARED


def test_it_says_what_is_missing_with_409(world: World, case: Case) -> None:
    case = advance(case, world, "shared")
    response = _client(world.coordinator).post(f"/cases/{case.pk}/transitions/start_intervention/")
    assert response.status_code == 409
    assert "at least one SMART objective" in response.content.decode()


def test_it_needs_a_reason_to_withdraw(world: World, case: Case) -> None:
    response = _client(world.coordinator).post(
        f"/cases/{case.pk}/transitions/withdraw/", {"note": " "}
    )
    assert response.status_code == 400
    assert 'id="id_note_error"' in response.content.decode()
    assert reload(case).stage == Stage.MONITORING


def test_it_closes_only_when_told_to_cancel_open_tasks(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    coordinator = _client(world.coordinator)
    refused = coordinator.post(f"/cases/{case.pk}/transitions/start_closing/", {"note": ""})
    assert refused.status_code == 409
    assert reload(case).stage == Stage.INTERVENTION
    done = coordinator.post(
        f"/cases/{case.pk}/transitions/start_closing/", {"note": "Met", "cancel_open_tasks": "on"}
    )
    assert done.status_code == 302
    assert reload(case).stage == Stage.CLOSING
    assert case.events.filter(name="task_cancelled").exists()


def test_it_adds_objectives_for_coordinators_and_task_holders_only(
    world: World, case: Case
) -> None:
    case = advance(case, world, "shared")
    fields = {
        **objective_fields(),
        "deadline": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    }
    assert _client(world.teacher).post(f"/cases/{case.pk}/objectives/", fields).status_code == 403
    bad = _client(world.coordinator).post(
        f"/cases/{case.pk}/objectives/", {**fields, "target": fields["baseline"]}
    )
    assert bad.status_code == 400
    assert 'id="id_target_error"' in bad.content.decode()
    ok = _client(world.coordinator).post(f"/cases/{case.pk}/objectives/", fields)
    assert ok.status_code == 302
    assert case.objectives.count() == 1


def test_it_records_the_closing_review_and_archives(world: World, case: Case) -> None:
    case = advance(case, world, "closing")
    coordinator = _client(world.coordinator)
    page = coordinator.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/closing-review/"' in page
    response = coordinator.post(
        f"/cases/{case.pk}/closing-review/",
        {
            "feedback": "Good",
            "objectives_met": "all",
            "impact": "Back at school",
            "lessons_learned": "Call early",
        },
    )
    assert response.status_code == 302
    assert coordinator.post(f"/cases/{case.pk}/transitions/archive/").status_code == 302
    assert reload(case).stage == Stage.ARCHIVED


def test_it_shows_the_student_register(world: World) -> None:
    student = make_student(world.school, first_name="Ioana", class_name="11B")
    page = _client(world.teacher).get("/students/", {"q": "Ioana"}).content.decode()
    assert f'href="/students/{student.pk}/"' in page
    detail = _client(world.teacher).get(f"/students/{student.pk}/").content.decode()
    assert f'href="/cases/flag/{student.pk}/"' in detail
    assert "11B" in detail


def test_it_shows_what_the_triage_recorded_on_the_case_page_in_romanian(
    world: World, case: Case
) -> None:
    from workflows import services

    triage = case.tasks.get(name="triage")
    services.task_claim(case_task=triage, actor=world.psychologist)
    services.task_complete(
        case_task=triage,
        actor=world.psychologist,
        result={
            "summary": "Lipsește lunea",
            "priority": 1,
            "recommended_functions": ["pedagogical", "socio_economic"],
            "note": "Mama a confirmat că lucrează noaptea.",
        },
    )
    for viewer in (world.teacher, world.coordinator):
        page = _client(viewer).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="ro")
        html = page.content.decode()
        assert "Rezumat: Lipsește lunea" in html
        assert "Prioritate: ridicată" in html
        assert "Notă: Mama a confirmat că lucrează noaptea." in html
        assert "Funcții recomandate: Sprijin pedagogic" in html


def test_it_shows_what_was_done_when_a_function_task_is_finished(world: World) -> None:
    from workflows import services

    shared = advance(
        services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        ),
        world,
        "intervention",
    )
    case_task = shared.tasks.exclude(name="triage").get(group=2)
    services.task_claim(case_task=case_task, actor=world.psychologist)
    services.task_complete(
        case_task=case_task,
        actor=world.psychologist,
        result={"note": "Trei ședințe de consiliere."},
    )
    page = _client(world.coordinator).get(f"/cases/{shared.pk}/", HTTP_ACCEPT_LANGUAGE="ro")
    html = page.content.decode()
    assert "Ce s-a făcut: Trei ședințe de consiliere." in html
