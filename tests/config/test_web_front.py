"""The web front as a whole: login, landing per role, languages, static files, and viewflow's
own flow pages kept out of reach."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.factories import World
from workflows.flows import GroupTask, InterventionFlow


def _client(user: object, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/tasks/queue/", "/cases/1/", "/office/", "/students/"])
def test_it_sends_anonymous_visitors_to_the_login_page(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.django_db
def test_it_keeps_answering_the_api_in_json_for_anonymous_clients() -> None:
    response = Client().get("/api/cases/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "landing"),
    [
        ("teacher", "/cases/flagged/"),
        ("form_tutor", "/cases/flagged/"),
        ("psychologist", "/tasks/queue/"),
        ("social", "/tasks/queue/"),
        ("network", "/tasks/queue/"),
        ("admin_staff", "/tasks/queue/"),
        ("coordinator", "/office/"),
    ],
)
def test_it_lands_each_role_on_its_page(world: World, user: str, landing: str) -> None:
    response = _client(world.user(user)).get("/")
    assert response.status_code == 302
    assert response["Location"] == landing


@pytest.mark.django_db
def test_it_keeps_the_dashboard_for_coordinators(world: World) -> None:
    assert _client(world.teacher).get("/office/").status_code == 403
    assert _client(world.coordinator).get("/office/").status_code == 200


@pytest.mark.django_db
def test_it_speaks_romanian_by_default_and_english_on_request(world: World) -> None:
    romanian = Client().get("/accounts/login/").content.decode()
    assert '<html lang="ro"' in romanian
    assert "Autentificare" in romanian
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert '<html lang="en"' in english
    page = _client(world.psychologist, "ro").get("/tasks/queue/").content.decode()
    assert "Sarcini disponibile" in page


@pytest.mark.django_db
def test_it_switches_language_with_the_switcher(world: World) -> None:
    client = _client(world.teacher, "ro")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cases/flagged/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/cases/flagged/").content.decode()


@pytest.mark.django_db
def test_it_localises_dates(world: World) -> None:
    from django.utils import timezone

    from tests.factories import make_student
    from workflows.services import case_flag

    student = make_student(world.school)
    case = case_flag(student=student, actor=world.teacher, reason="x", functions=["pedagogical"])
    romanian = _client(world.teacher, "ro").get(f"/cases/{case.pk}/").content.decode()
    english = _client(world.teacher, "en").get(f"/cases/{case.pk}/").content.decode()
    from django.utils import formats, translation

    opened = timezone.localtime(case.opened_at)
    with translation.override("ro"):
        day = formats.date_format(opened, "DATE_FORMAT")
    # One way of writing a date on Romanian pages: "28 noiembrie 2026".
    assert day == f"{opened.day} {day.split()[1]} {opened.year}" and day.split()[1].islower()
    assert day in romanian
    assert day not in english


def test_it_exposes_no_viewflow_task_page_that_bypasses_the_services() -> None:
    for node in InterventionFlow.instance.nodes():
        if isinstance(node, GroupTask):
            patterns, _, _ = node.urls
            names = {p.name for p in patterns[0].url_patterns}
            assert names == {"execute"}, node.name
    with pytest.raises(Resolver404):
        resolve("/intervention/1/triage/1/assign/")


def test_it_collects_static_files_with_the_manifest_storage(collected_static: Path) -> None:
    # The fixture ran `manage.py collectstatic` with the production settings (and failed the
    # test had it exited non-zero).
    tmp_path = collected_static
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "viewflow/css/viewflow.min.css",
        "viewflow/js/viewflow.min.js",
        "viewflow/js/viewflow.min.js.map",
        "viewflow/fonts/roboto/roboto-fontface.css",
        "web/app.css",
        "web/live.js",
    ):
        assert name in manifest, name
    assert not any("node_modules" in name or "/dash/" in name for name in manifest)
