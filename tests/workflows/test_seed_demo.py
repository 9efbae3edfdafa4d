"""The demo data command: the contract's users, idempotent, refused outside DEBUG."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from casework.models import (
    Case,
    CaseEvent,
    ClassAssignment,
    InstrumentResponse,
    LibraryEntry,
    Membership,
    Office,
    Position,
    School,
    Signal,
    Student,
    User,
)
from casework.selectors import user_may_see_case
from tests.conftest import client_for
from workflows.models import CaseTask, Meeting

pytestmark = pytest.mark.django_db

CONTRACT = {
    # username: (school, group, coordinator, external)
    "teacher": ("DEMO", 1, False, False),
    "psychologist": ("DEMO", 2, False, False),
    "psychologist2": ("DEMO", 2, False, False),
    "social": ("DEMO", 3, False, False),
    "network": (None, 3, False, True),
    "admin_staff": ("DEMO", 4, False, False),
    "coordinator": ("DEMO", 1, True, False),
    "form_tutor": ("DEMO", None, False, False),
    "outsider": ("OTHER", None, False, False),
    "director": ("DEMO", None, False, False),
    "deputy": ("DEMO", None, False, False),
    "counsellor": ("DEMO", 1, False, False),
    "ceiac": ("DEMO", None, False, False),
}

# username: the positions the contract gives them in DEMO
CONTRACT_POSITIONS = {
    "director": {("director", "")},
    "deputy": {("deputy_director", "")},
    "counsellor": {("career_counsellor", "")},
    "form_tutor": {("form_tutor", "11A"), ("study_counsellor", "")},
    "ceiac": {("quality_commission", "")},
}


def _snapshot() -> tuple[int, ...]:
    return (
        School.objects.count(),
        User.objects.count(),
        Office.objects.count(),
        Membership.objects.count(),
        Student.objects.count(),
        ClassAssignment.objects.count(),
        Position.objects.count(),
        Signal.objects.count(),
        InstrumentResponse.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        LibraryEntry.objects.count(),
        Meeting.objects.count(),
    )


@override_settings(DEBUG=True)
def test_it_gives_every_step_a_case_made_through_the_services() -> None:
    call_command("seed_demo", verbosity=0)
    stages = dict(Case.objects.values_list("student__code", "stage"))
    assert stages == {
        "D-1005": "monitoring",
        "D-1008": "shared",
        "D-1001": "intervention",
        "D-1009": "archived",
    }
    intervention = Case.objects.get(student__code="D-1001")
    assert set(
        CaseTask.objects.filter(case=intervention, task__status="NEW").values_list(
            "name", flat=True
        )
    ) == {"socio_economic"}
    assert user_may_see_case(User.objects.get(username="network"), intervention)
    [entry] = LibraryEntry.objects.all()
    assert entry.status == "published"
    assert "Țurcanu" not in str(entry.narrative) and "Turcanu" not in str(entry.narrative)
    [meeting] = Meeting.objects.all()
    assert meeting.scheduled_for > timezone.now()


@override_settings(DEBUG=True)
def test_it_creates_the_contract_users_with_password_demo() -> None:
    call_command("seed_demo", verbosity=0)
    for username, (school, group, coordinator, external) in CONTRACT.items():
        # As the login page does: the lock-out back-end needs the request.
        user = authenticate(
            RequestFactory().post("/accounts/login/"), username=username, password="demo"
        )
        assert user is not None, username
        assert (user.school.code if user.school else None) == school
        membership = Membership.objects.filter(user=user).first()
        if group is None:
            assert membership is None
        else:
            assert membership is not None
            assert (membership.group, membership.is_coordinator, membership.is_external) == (
                group,
                coordinator,
                external,
            )
    assert Office.objects.get(school__code="DEMO").is_operational
    held = {
        username: set(
            Position.objects.filter(user__username=username).values_list("position", "class_name")
        )
        for username in CONTRACT
    }
    assert {name: pos for name, pos in held.items() if pos} == CONTRACT_POSITIONS
    # The form tutor tutors the class her position names.
    assert ClassAssignment.objects.filter(
        user__username="form_tutor", class_name="11A", is_form_tutor=True
    ).exists()


@override_settings(DEBUG=True)
def test_it_is_idempotent() -> None:
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first


@override_settings(DEBUG=False)
def test_it_refuses_to_run_without_debug_or_force() -> None:
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(username="coordinator").exists()


@override_settings(DEBUG=True)
def test_it_gives_the_teacher_a_live_watchlist() -> None:
    call_command("seed_demo", verbosity=0)
    teacher = User.objects.get(username="teacher")
    body = client_for(teacher).get("/api/watchlist/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["classes"] == ["10A", "10B"]
    levels = [row["level"] for row in body["results"]]
    assert levels[0] == "high" and "caution" in levels and "none" in levels
    assert levels == sorted(levels, key=["high", "caution", "none"].index)
    assert body["results"][0]["reasons"] and body["results"][0]["changes"]
    assert any(row["worsened"] for row in body["results"])
    assert InstrumentResponse.objects.filter(student__code="D-1006").exists()
