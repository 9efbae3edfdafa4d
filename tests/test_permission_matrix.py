"""Every role against every endpoint of the foundation: the exact status each one gets.

The rule under test is DESIGN.md's: not visible → 404, visible but not allowed → 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import Case, Student
from casework.services.cases import closing_review_create
from tests.conftest import client_for
from tests.factories import World, advance, make_student, objective_fields
from workflows.services import case_flag

ROLES = [
    "teacher",
    "psychologist",
    "psychologist2",
    "social",
    "network",
    "admin_staff",
    "coordinator",
    "form_tutor",
    "outsider",
]


def _expect(**by_role: int) -> list[tuple[str, int]]:
    assert set(by_role) == set(ROLES), set(ROLES) ^ set(by_role)
    return list(by_role.items())


def _flagged(world: World, stage: str = "monitoring") -> Case:
    case = case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="Missed three weeks",
        functions=["pedagogical", "socio_economic"],
    )
    return advance(case, world, stage)


def _with_objective(world: World, stage: str) -> Case:
    case = _flagged(world, stage)
    from workflows.services import objective_add

    objective_add(case=case, actor=world.coordinator, **objective_fields())
    return case


def _with_review(world: World) -> Case:
    case = _flagged(world, "closing")
    closing_review_create(
        case=case,
        actor=world.coordinator,
        feedback="f",
        objectives_met="all",
        impact="i",
        lessons_learned="l",
    )
    return case


ONLY_COORDINATOR_ON_SHARED = _expect(
    teacher=403,
    psychologist=403,
    psychologist2=403,
    social=403,
    network=404,
    admin_staff=403,
    coordinator=200,
    form_tutor=404,
    outsider=404,
)

Call = Callable[[World], tuple[str, str, dict[str, Any] | None]]


def _student_payload(world: World) -> tuple[str, str, dict[str, Any]]:
    return (
        "post",
        "/api/students/",
        {
            "code": "NEW-1",
            "first_name": "Ana",
            "last_name": "Pop",
            "class_name": "9B",
            "programme": "Electrician",
        },
    )


def _flag_payload(world: World) -> tuple[str, str, dict[str, Any]]:
    student = make_student(world.school)
    return (
        "post",
        "/api/cases/",
        {"student": student.pk, "reason": "Absent", "functions": ["information"]},
    )


def _get_student(world: World) -> tuple[str, str, None]:
    return "get", f"/api/students/{make_student(world.school).pk}/", None


def _get_case(stage: str) -> Call:
    return lambda world: ("get", f"/api/cases/{_flagged(world, stage).pk}/", None)


def _transition(
    name: str, make: Callable[[World], Case], body: dict[str, Any] | None = None
) -> Call:
    return lambda world: (
        "post",
        f"/api/cases/{make(world).pk}/transitions/{name}/",
        body or {"note": "decided at the meeting"},
    )


def _objective(world: World) -> tuple[str, str, dict[str, Any]]:
    case = _flagged(world, "shared")
    body = {**objective_fields(), "deadline": objective_fields()["deadline"].isoformat()}
    return "post", f"/api/cases/{case.pk}/objectives/", body


def _closing_review(world: World) -> tuple[str, str, dict[str, Any]]:
    case = _flagged(world, "closing")
    return (
        "post",
        f"/api/cases/{case.pk}/closing-review/",
        {"feedback": "f", "objectives_met": True, "impact": "i", "lessons_learned": "l"},
    )


def _list(path: str) -> Call:
    return lambda world: ("get", path, None)


def _meeting_with_case(world: World) -> tuple[Any, Case]:

    from django.utils import timezone

    from workflows.services import meeting_schedule

    case = _flagged(world, "shared")
    meeting = meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    return meeting, case


def _schedule(world: World) -> tuple[str, str, dict[str, Any]]:
    when = timezone.localtime() + datetime.timedelta(days=10)
    return "post", "/api/meetings/", {"scheduled_for": when.isoformat()}


def _agenda(world: World) -> tuple[str, str, None]:
    meeting, _ = _meeting_with_case(world)
    return "get", f"/api/meetings/{meeting.pk}/agenda/", None


def _decision(world: World) -> tuple[str, str, dict[str, Any]]:
    meeting, case = _meeting_with_case(world)
    body = {"case": case.pk, "kind": "note", "text": "Wait for triage"}
    return "post", f"/api/meetings/{meeting.pk}/decisions/", body


def _attendance(world: World) -> tuple[str, str, dict[str, Any]]:
    meeting, _ = _meeting_with_case(world)
    body = {"user": world.teacher.pk, "status": "present"}
    return "post", f"/api/meetings/{meeting.pk}/attendance/", body


def _minutes_pdf(world: World) -> tuple[str, str, None]:
    meeting, _ = _meeting_with_case(world)
    return "get", f"/api/meetings/{meeting.pk}/minutes.pdf", None


def _referral_consent(world: World, case: Case) -> None:
    from casework.services.consents import consent_record

    consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="P",
        recipient_user=world.network,
        purpose="aid",
    )


def _refer(world: World) -> tuple[str, str, dict[str, Any]]:
    case = _flagged(world, "intervention")
    _referral_consent(world, case)
    return "post", f"/api/cases/{case.pk}/referrals/", {"to": world.network.pk, "purpose": "aid"}


def _accept_referral(world: World) -> tuple[str, str, None]:
    from workflows.services import referral_request

    case = _flagged(world, "intervention")
    _referral_consent(world, case)
    referral = referral_request(
        case=case, actor=world.coordinator, to_user=world.network, purpose="aid"
    )
    return "post", f"/api/referrals/{referral.pk}/accept/", None


def _assess(world: World) -> tuple[str, str, dict[str, Any]]:
    from casework.models.plan import ASSESSMENT_ITEMS

    case = _flagged(world, "intervention")
    scores = {code: 3 for code, _ in ASSESSMENT_ITEMS["emotional"]}
    body = {"area": "emotional", "phase": "initial", "scores": scores}
    return "post", f"/api/cases/{case.pk}/assessments/", body


def _review_objective(world: World) -> tuple[str, str, dict[str, Any]]:
    case = _flagged(world, "intervention")
    objective = case.objectives.get()
    return (
        "post",
        f"/api/objectives/{objective.pk}/reviews/",
        {"value": "75%", "status": "on_track"},
    )


INTERNAL_ONLY = _expect(
    teacher=200,
    psychologist=200,
    psychologist2=200,
    social=200,
    network=404,
    admin_staff=200,
    coordinator=200,
    form_tutor=404,
    outsider=404,
)


MATRIX: list[tuple[str, Call, list[tuple[str, int]]]] = [
    (
        "register student",
        _student_payload,
        _expect(
            teacher=201,
            psychologist=403,
            psychologist2=403,
            social=403,
            network=403,
            admin_staff=201,
            coordinator=201,
            form_tutor=403,
            outsider=403,
        ),
    ),
    (
        "read student",
        _get_student,
        _expect(
            teacher=200,
            psychologist=200,
            psychologist2=200,
            social=200,
            network=404,
            admin_staff=200,
            coordinator=200,
            form_tutor=200,
            outsider=404,
        ),
    ),
    ("list students", _list("/api/students/"), [(role, 200) for role in ROLES]),
    (
        "flag",
        _flag_payload,
        _expect(
            teacher=201,
            psychologist=201,
            psychologist2=201,
            social=201,
            network=404,
            admin_staff=201,
            coordinator=201,
            form_tutor=201,
            outsider=404,
        ),
    ),
    ("list cases", _list("/api/cases/"), [(role, 200) for role in ROLES]),
    (
        "read monitoring case",
        _get_case("monitoring"),
        _expect(
            teacher=200,
            psychologist=200,
            psychologist2=200,
            social=404,
            network=404,
            admin_staff=404,
            coordinator=200,
            form_tutor=404,
            outsider=404,
        ),
    ),
    (
        "read shared case",
        _get_case("shared"),
        _expect(
            teacher=200,
            psychologist=200,
            psychologist2=200,
            social=200,
            network=404,
            admin_staff=200,
            coordinator=200,
            form_tutor=404,
            outsider=404,
        ),
    ),
    (
        # The role may share, but the triage is still open: only a coordinator goes ahead of it.
        "share",
        _transition("share", lambda w: _flagged(w)),
        _expect(
            teacher=409,
            psychologist=409,
            psychologist2=409,
            social=404,
            network=404,
            admin_staff=404,
            coordinator=200,
            form_tutor=404,
            outsider=404,
        ),
    ),
    (
        "start intervention",
        _transition("start_intervention", lambda w: _with_objective(w, "shared")),
        ONLY_COORDINATOR_ON_SHARED,
    ),
    (
        "start closing",
        _transition(
            "start_closing",
            lambda w: _flagged(w, "intervention"),
            {"note": "done", "cancel_open_tasks": True},
        ),
        ONLY_COORDINATOR_ON_SHARED,
    ),
    ("archive", _transition("archive", _with_review), ONLY_COORDINATOR_ON_SHARED),
    (
        "withdraw while monitoring",
        _transition("withdraw", lambda w: _flagged(w)),
        _expect(
            teacher=403,
            psychologist=403,
            psychologist2=403,
            social=404,
            network=404,
            admin_staff=404,
            coordinator=200,
            form_tutor=404,
            outsider=404,
        ),
    ),
    (
        "add objective",
        _objective,
        [(r, 201 if s == 200 else s) for r, s in ONLY_COORDINATOR_ON_SHARED],
    ),
    (
        "closing review",
        _closing_review,
        [(r, 201 if s == 200 else s) for r, s in ONLY_COORDINATOR_ON_SHARED],
    ),
    (
        "schedule meeting",
        _schedule,
        [(r, 201 if r == "coordinator" else 403) for r in ROLES],
    ),
    ("read agenda", _agenda, INTERNAL_ONLY),
    (
        "record decision",
        _decision,
        [(r, 201 if s == 200 else s) for r, s in ONLY_COORDINATOR_ON_SHARED],
    ),
    ("record attendance", _attendance, ONLY_COORDINATOR_ON_SHARED),
    ("minutes pdf", _minutes_pdf, INTERNAL_ONLY),
    ("calendar address", _list("/api/calendar/"), [(role, 200) for role in ROLES]),
    (
        "refer",
        _refer,
        [(r, 201 if s == 200 else s) for r, s in ONLY_COORDINATOR_ON_SHARED],
    ),
    (
        "accept referral",
        _accept_referral,
        _expect(
            teacher=403,
            psychologist=403,
            psychologist2=403,
            social=403,
            network=200,
            admin_staff=403,
            coordinator=403,
            form_tutor=404,
            outsider=404,
        ),
    ),
    (
        "emotional assessment",
        _assess,
        _expect(
            teacher=403,
            psychologist=201,
            psychologist2=201,
            social=403,
            network=404,
            admin_staff=403,
            coordinator=201,
            form_tutor=404,
            outsider=404,
        ),
    ),
    (
        "review objective",
        _review_objective,
        [(r, 201 if s == 200 else s) for r, s in ONLY_COORDINATOR_ON_SHARED],
    ),
]


@pytest.mark.parametrize(
    "label,call,role,expected",
    [(label, call, role, status) for label, call, pairs in MATRIX for role, status in pairs],
    ids=[f"{label}-{role}" for label, _, pairs in MATRIX for role, _ in pairs],
)
def test_it_answers_each_role_with_the_exact_status(
    label: str, call: Call, role: str, expected: int, world: World
) -> None:
    method, path, body = call(world)
    client = client_for(world.user(role))
    response = getattr(client, method)(path, body, format="json")
    assert response.status_code == expected, (label, role, response.content[:300])
    pdf = path.endswith(".pdf") and expected == 200
    assert response["Content-Type"].startswith("application/pdf" if pdf else "application/json")


@pytest.mark.parametrize(
    "method,path",
    [("get", "/api/cases/"), ("post", "/api/cases/"), ("get", "/api/students/1/")],
)
def test_it_refuses_anonymous_callers(method: str, path: str, api: APIClient, world: World) -> None:
    response = getattr(api, method)(path, {}, format="json")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_it_answers_a_visible_student_the_same_as_a_missing_one_to_outsiders(
    world: World, student: Student
) -> None:
    client = client_for(world.outsider)
    hidden = client.get(f"/api/students/{student.pk}/")
    missing = client.get("/api/students/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
