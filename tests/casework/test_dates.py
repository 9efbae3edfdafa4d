"""Every date people enter has a plausible window, at every front that takes it.

The list of date fields comes from the models: a new date field fails the first test until it is
given a window (``casework.dates.MODEL_FIELDS``) or declared set by the code (``SYSTEM_FIELDS``);
a windowed field fails the second until each front that takes it is tried below.
"""

from __future__ import annotations

import datetime
import html
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import formats, timezone, translation

from casework import dates
from casework.errors import Invalid
from casework.models import Consent, Objective, Position, Signal, Student, User
from casework.services.imports import ImportRefused, signals_import, students_import
from counselling.models import Activity
from plans.models import IndicatorValue
from support import services as support
from support.models import Agreement, DossierItem, Opportunity, Participation, Partner
from tests.casework.monitoring_helpers import csv_bytes
from tests.conftest import client_for, sign_in
from tests.factories import World, advance, make_student, objective_fields
from tests.plans.plan_helpers import make_plan_staff, one_indicator
from workflows import services
from workflows.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _model_date_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for config in apps.get_app_configs()
        # The project's apps, not its dependencies (installed under site-packages).
        if config.path.startswith(str(ROOT)) and "site-packages" not in config.path
        for model in config.get_models()
        if not model._meta.proxy  # viewflow's process proxies: its own dates, set by it
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)  # DateTimeField too
    }


def test_it_knows_every_date_field_of_the_models() -> None:
    assert _model_date_fields() == set(dates.MODEL_FIELDS) | set(dates.SYSTEM_FIELDS)
    assert not set(dates.MODEL_FIELDS) & set(dates.SYSTEM_FIELDS)
    assert set(dates.MODEL_FIELDS.values()) <= set(dates.WINDOWS)


def _outside(name: str) -> list[datetime.date]:
    earliest, latest = dates.WINDOWS[name].bounds()
    return [earliest - datetime.timedelta(days=1), latest + datetime.timedelta(days=1)]


def _at_two(day: datetime.date) -> str:
    return f"{day.isoformat()}T14:00"


def _english(user: Any) -> Any:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _page(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, user)
    return client


# Each front gets (world, day) and returns (status, text shown, how many rows exist now).
Front = Callable[[World, datetime.date], tuple[int, str, int]]


def _api_student(world: World, day: datetime.date) -> tuple[int, str, int]:
    body = {"code": "N-1", "first_name": "A", "last_name": "B", "class_name": "9A"}
    response = _english(world.coordinator).post(
        "/api/students/", {**body, "programme": "x", "birth_date": day.isoformat()}, format="json"
    )
    return response.status_code, str(response.json().get("birth_date")), Student.objects.count()


def _import_students(world: World, day: datetime.date) -> tuple[int, str, int]:
    header = ["code", "first_name", "last_name", "class_name", "programme", "birth_date"]
    data = csv_bytes([header, ["N-1", "A", "B", "9A", "x", day.isoformat()]])
    try:
        students_import(school=world.school, file=io.BytesIO(data), actor=world.coordinator)
    except ImportRefused as refused:
        return 400, " ".join(refused.lines), Student.objects.count()
    return 201, "", Student.objects.count()


def _import_left_on(world: World, day: datetime.date) -> tuple[int, str, int]:
    header = ["code", "first_name", "last_name", "class_name", "programme", "status", "left_on"]
    data = csv_bytes([header, ["N-1", "A", "B", "9A", "x", "dropped_out", day.isoformat()]])
    try:
        students_import(school=world.school, file=io.BytesIO(data), actor=world.coordinator)
    except ImportRefused as refused:
        return 400, " ".join(refused.lines), Student.objects.count()
    return 201, "", Student.objects.count()


def _admin_left_on(world: World, day: datetime.date) -> tuple[int, str, int]:
    user = User.objects.create_superuser("it", password="x", email="it@example.org")
    body = {"code": "N-1", "first_name": "A", "last_name": "B", "class_name": "9A"}
    response = _page(user).post(
        "/admin/casework/student/add/",
        {
            **body,
            "programme": "x",
            "school": world.school.pk,
            "status": "dropped_out",
            "left_on": day.isoformat(),
        },
    )
    return (
        400 if response.status_code == 200 else response.status_code,
        html.unescape(response.content.decode()),
        Student.objects.count(),
    )


def _admin_student(world: World, day: datetime.date) -> tuple[int, str, int]:
    user = User.objects.create_superuser("it", password="x", email="it@example.org")
    body = {"code": "N-1", "first_name": "A", "last_name": "B", "class_name": "9A"}
    response = _page(user).post(
        "/admin/casework/student/add/",
        {**body, "programme": "x", "school": world.school.pk, "birth_date": day.isoformat()},
    )
    return (
        400 if response.status_code == 200 else response.status_code,
        html.unescape(response.content.decode()),
        Student.objects.count(),
    )


def _api_signal(world: World, day: datetime.date) -> tuple[int, str, int]:
    student = make_student(world.school)
    body = {"student": student.pk, "kind": "attendance", "value": 90}
    response = _english(world.teacher).post(
        "/api/signals/", {**body, "observed_on": day.isoformat()}, format="json"
    )
    return response.status_code, str(response.json().get("observed_on")), Signal.objects.count()


def _page_signal(world: World, day: datetime.date) -> tuple[int, str, int]:
    student = make_student(world.school)
    response = _page(world.teacher).post(
        f"/students/{student.pk}/signals/",
        {"kind": "attendance", "value": "90", "observed_on": day.isoformat()},
    )
    return response.status_code, html.unescape(response.content.decode()), Signal.objects.count()


def _import_signals(world: World, day: datetime.date) -> tuple[int, str, int]:
    make_student(world.school, code="S-1")
    header = ["student_code", "kind", "value", "observed_on"]
    data = csv_bytes([header, ["S-1", "attendance", "90", day.isoformat()]])
    try:
        signals_import(school=world.school, file=io.BytesIO(data), actor=world.teacher)
    except ImportRefused as refused:
        return 400, " ".join(refused.lines), Signal.objects.count()
    return 201, "", Signal.objects.count()


def _shared_case(world: World) -> Any:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="Absent",
        functions=["pedagogical"],
    )
    return advance(case, world, "shared")


def _api_consent(world: World, day: datetime.date) -> tuple[int, str, int]:
    case = _shared_case(world)
    body = {"scope": "library", "given_by": "parent", "given_by_name": "Elena Pop"}
    response = _english(world.coordinator).post(
        f"/api/cases/{case.pk}/consents/", {**body, "given_on": day.isoformat()}, format="json"
    )
    return response.status_code, str(response.json().get("given_on")), Consent.objects.count()


def _page_consent(world: World, day: datetime.date) -> tuple[int, str, int]:
    case = _shared_case(world)
    body = {"scope": "library", "given_by": "parent", "given_by_name": "Elena Pop"}
    response = _page(world.coordinator).post(
        f"/cases/{case.pk}/consents/", {**body, "given_on": day.isoformat()}
    )
    return response.status_code, html.unescape(response.content.decode()), Consent.objects.count()


def _api_position(field: str) -> Callable[[World, datetime.date], tuple[int, str, int]]:
    def front(world: World, day: datetime.date) -> tuple[int, str, int]:
        body = {"user": world.teacher.pk, "position": "director", field: day.isoformat()}
        response = _english(world.admin_staff).post("/api/positions/", body, format="json")
        return response.status_code, str(response.json().get(field)), Position.objects.count()

    return front


def _admin_position(field: str) -> Callable[[World, datetime.date], tuple[int, str, int]]:
    def front(world: World, day: datetime.date) -> tuple[int, str, int]:
        user = User.objects.create_superuser("it", password="x", email="it@example.org")
        response = _page(user).post(
            "/admin/casework/position/add/",
            {
                "user": world.teacher.pk,
                "school": world.school.pk,
                "position": "director",
                field: day.isoformat(),
            },
        )
        return (
            400 if response.status_code == 200 else response.status_code,
            html.unescape(response.content.decode()),
            Position.objects.count(),
        )

    return front


def _api_objective(world: World, day: datetime.date) -> tuple[int, str, int]:
    case = _shared_case(world)
    body = {**objective_fields(), "deadline": day.isoformat()}
    response = _english(world.coordinator).post(
        f"/api/cases/{case.pk}/objectives/", body, format="json"
    )
    return response.status_code, str(response.json().get("deadline")), Objective.objects.count()


def _page_objective(world: World, day: datetime.date) -> tuple[int, str, int]:
    case = _shared_case(world)
    body = {**objective_fields(), "deadline": day.isoformat()}
    response = _page(world.coordinator).post(f"/cases/{case.pk}/objectives/", body)
    return response.status_code, html.unescape(response.content.decode()), Objective.objects.count()


def _api_meeting(world: World, day: datetime.date) -> tuple[int, str, int]:
    response = _english(world.coordinator).post(
        "/api/meetings/", {"scheduled_for": _at_two(day)}, format="json"
    )
    return response.status_code, str(response.json().get("scheduled_for")), Meeting.objects.count()


def _page_meeting(world: World, day: datetime.date) -> tuple[int, str, int]:
    response = _page(world.coordinator).post(
        "/meetings/schedule/", {"scheduled_for": _at_two(day), "duration_minutes": 90}
    )
    return response.status_code, html.unescape(response.content.decode()), Meeting.objects.count()


def _activity_body(day: datetime.date) -> dict[str, object]:
    return {
        "kind": "group",
        "channel": "direct",
        "topic": "career_routes",
        "title": "Rute de carieră",
        "held_on": day.isoformat(),
        "duration_minutes": 50,
    }


def _api_activity(world: World, day: datetime.date) -> tuple[int, str, int]:
    response = _english(world.teacher).post("/api/activities/", _activity_body(day), format="json")
    return response.status_code, str(response.json().get("held_on")), Activity.objects.count()


def _page_activity(world: World, day: datetime.date) -> tuple[int, str, int]:
    response = _page(world.teacher).post("/activities/new/", _activity_body(day))
    # The page answers the form again with the message by the field.
    status = 400 if response.status_code == 200 else response.status_code
    return status, html.unescape(response.content.decode()), Activity.objects.count()


def _partner(world: World) -> Partner:
    return support.partner_add(
        actor=world.coordinator, name="SC Exemplu SRL", kind="employer", country="RO"
    )


def _api_agreement(field: str) -> Front:
    def front(world: World, day: datetime.date) -> tuple[int, str, int]:
        body = {"purpose": "practice", "signed_on": timezone.localdate().isoformat()}
        response = _english(world.coordinator).post(
            f"/api/partners/{_partner(world).pk}/agreements/",
            {**body, field: day.isoformat()},
            format="json",
        )
        return response.status_code, str(response.json().get(field)), Agreement.objects.count()

    return front


def _opportunity_body(field: str, day: datetime.date) -> dict[str, str]:
    # The other day is today: only ``field`` is outside its window.
    today = timezone.localdate().isoformat()
    body = {"kind": "practice_placement", "title": "Practică", "starts_on": today, "ends_on": today}
    return {**body, field: day.isoformat()}


def _api_opportunity(field: str) -> Front:
    def front(world: World, day: datetime.date) -> tuple[int, str, int]:
        response = _english(world.coordinator).post(
            "/api/opportunities/", _opportunity_body(field, day), format="json"
        )
        return response.status_code, str(response.json().get(field)), Opportunity.objects.count()

    return front


def _page_opportunity(field: str) -> Front:
    def front(world: World, day: datetime.date) -> tuple[int, str, int]:
        body = {**_opportunity_body(field, day), "travel_days": "0"}
        response = _page(world.coordinator).post("/opportunities/new/", body)
        # The page answers the form again with the message by the field.
        status = 400 if response.status_code == 200 else response.status_code
        return status, html.unescape(response.content.decode()), Opportunity.objects.count()

    return front


def _mobility_participation(world: World) -> Participation:
    today = timezone.localdate()
    mobility = support.opportunity_add(
        actor=world.coordinator,
        kind="short_term_mobility",
        title="Mobilitate",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=19),
    )
    return support.participation_propose(
        actor=world.coordinator,
        opportunity=mobility,
        role="learner",
        student=make_student(world.school),
    )


def _api_dossier(world: World, day: datetime.date) -> tuple[int, str, int]:
    participation = _mobility_participation(world)
    response = _english(world.coordinator).post(
        f"/api/participations/{participation.pk}/dossier/",
        {"item": "identity_document", "done_on": day.isoformat()},
        format="json",
    )
    done = DossierItem.objects.filter(done_on__isnull=False).count()
    return response.status_code, str(response.json().get("done_on")), done


def _api_indicator_value(world: World, day: datetime.date) -> tuple[int, str, int]:
    staff = make_plan_staff(world)
    indicator = one_indicator(staff, measure="manual", responsible=["director"])
    response = client_for(staff.director).post(
        f"/api/plan-indicators/{indicator.pk}/values/",
        {"value": 1, "evidence": "e", "as_of": day.isoformat()},
        format="json",
    )
    return response.status_code, str(response.json().get("as_of")), IndicatorValue.objects.count()


FRONTS: dict[str, dict[str, Front]] = {
    "casework.Student.birth_date": {
        "api": _api_student,
        "import": _import_students,
        "admin": _admin_student,
    },
    "casework.Student.left_on": {"import": _import_left_on, "admin": _admin_left_on},
    "casework.Signal.observed_on": {
        "api": _api_signal,
        "page": _page_signal,
        "import": _import_signals,
    },
    "casework.Consent.given_on": {"api": _api_consent, "page": _page_consent},
    "casework.Objective.deadline": {"api": _api_objective, "page": _page_objective},
    "workflows.Meeting.scheduled_for": {"api": _api_meeting, "page": _page_meeting},
    "casework.Position.valid_from": {
        "api": _api_position("valid_from"),
        "admin": _admin_position("valid_from"),
    },
    "casework.Position.valid_until": {
        "api": _api_position("valid_until"),
        "admin": _admin_position("valid_until"),
    },
    "counselling.Activity.held_on": {"api": _api_activity, "page": _page_activity},
    "support.Agreement.signed_on": {"api": _api_agreement("signed_on")},
    "support.Agreement.valid_until": {"api": _api_agreement("valid_until")},
    "support.Opportunity.starts_on": {
        "api": _api_opportunity("starts_on"),
        "page": _page_opportunity("starts_on"),
    },
    "support.Opportunity.ends_on": {
        "api": _api_opportunity("ends_on"),
        "page": _page_opportunity("ends_on"),
    },
    "support.DossierItem.done_on": {"api": _api_dossier},
    "plans.IndicatorValue.as_of": {"api": _api_indicator_value},
}


def test_it_tries_every_windowed_field_at_its_fronts() -> None:
    assert set(FRONTS) == set(dates.MODEL_FIELDS)


@pytest.mark.parametrize(
    "field,front", [(field, front) for field, fronts in FRONTS.items() for front in fronts]
)
@pytest.mark.parametrize("side", [0, 1], ids=["too_early", "too_late"])
def test_it_refuses_a_date_outside_its_window(
    world: World, field: str, front: str, side: int
) -> None:
    name = dates.MODEL_FIELDS[field]
    day = _outside(name)[side]
    with translation.override("en"):
        status, shown, rows = FRONTS[field][front](world, day)
        message = dates.window_error(name, day)
    assert message is not None
    assert status == 400
    assert message in shown
    assert rows == 0


def test_it_refuses_a_decisions_due_date_outside_its_window(world: World) -> None:
    case = _shared_case(world)
    meeting = services.meeting_schedule(
        office=world.office, actor=world.coordinator, scheduled_for=timezone.now()
    )
    item = AgendaItem.objects.get(meeting=meeting, case=case)  # newly shared: on the agenda
    for day in _outside("due"):
        with pytest.raises(Invalid) as refused:
            services.decision_record(
                meeting=meeting,
                item=item,
                actor=world.coordinator,
                kind="task",
                text="Call the family",
                group=3,
                title="Call",
                due=day,
            )
        assert refused.value.fields == {"due": [dates.window_error("due", day)]}


def test_it_refuses_support_dates_outside_their_windows_in_the_services(world: World) -> None:
    # The API's serializers refuse these first; the services hold the rule for any other caller.
    partner = _partner(world)
    participation = _mobility_participation(world)
    for day in (datetime.date(1900, 1, 1), datetime.date(9999, 12, 31)):
        with pytest.raises(Invalid) as refused:
            support.agreement_add(
                actor=world.coordinator, partner=partner, purpose="practice", signed_on=day
            )
        assert refused.value.fields == {"signed_on": [dates.window_error("signed_on", day)]}
        with pytest.raises(Invalid) as refused:
            support.dossier_item_mark(
                actor=world.coordinator,
                participation=participation,
                item="identity_document",
                done_on=day,
            )
        assert refused.value.fields == {"done_on": [dates.window_error("done_on", day)]}
    assert not Agreement.objects.exists()
    assert not DossierItem.objects.filter(done_on__isnull=False).exists()


def test_it_names_the_field_and_the_window_in_both_languages() -> None:
    day = datetime.date(9999, 12, 31)
    earliest, latest = dates.WINDOWS["scheduled_for"].bounds()
    with translation.override("en"):
        english = dates.window_error("scheduled_for", day)
        shown = (formats.date_format(earliest), formats.date_format(latest))
    assert english == f"The meeting's date must be between {shown[0]} and {shown[1]}."
    with translation.override("ro"):
        romanian = dates.window_error("scheduled_for", day)
    assert romanian is not None and romanian != english
    # In a sentence the days read as the reader's language writes them, never in ISO.
    months = "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie"
    months += " noiembrie decembrie"
    romanian_day = f"{latest.day} {months.split()[latest.month - 1]} {latest.year}"
    assert romanian_day in romanian
    assert earliest.isoformat() not in romanian and latest.isoformat() not in english
