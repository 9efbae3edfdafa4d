"""The services' messages reach the pages and the API in Romanian, the values they name
included: a stage by its name, a step by its button, the choices by their labels, the rows of
an import by "rândul"."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.utils import translation

from casework.errors import Invalid
from casework.models import Case
from casework.services.imports import ImportRefused, signals_import
from casework.services.signals import clean_value
from casework.tabular import CellError
from tests.casework.monitoring_helpers import csv_bytes
from tests.conftest import client_for, sign_in
from tests.factories import World, advance, make_student
from workflows import services

ENGLISH = re.compile(r"\b(line|column|got|cannot|Choose|user #|stage|the|is not)\b")


def test_it_says_an_attendance_out_of_range_in_romanian() -> None:
    with pytest.raises(CellError) as refused:
        clean_value("attendance", "150")
    assert str(refused.value) == "prezența este un procent între 0 și 100; s-a primit 150"


def test_it_lists_the_bad_rows_of_an_import_in_romanian(world: World) -> None:
    make_student(world.school, code="A-1")
    header = ["student_code", "kind", "value", "observed_on", "note"]
    rows = [["A-1", "attendance", "150", "2025-03-03", ""], ["X-9", "behavior", "x", "", ""]]
    with pytest.raises(ImportRefused) as refused:
        signals_import(
            school=world.school,
            file=io.BytesIO(csv_bytes([header, *rows])),
            filename="f.csv",
            actor=None,
        )
    lines = [str(p) for p in refused.value.problems]
    assert lines[0] == (
        "rândul 2, coloana value: prezența este un procent între 0 și 100; s-a primit 150"
    )
    for line in lines:
        assert not ENGLISH.search(line.split(": ", 1)[1]), line


def test_it_refuses_a_transition_naming_the_stage_and_the_step_in_romanian(
    world: World, case: Case
) -> None:
    answer = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/transitions/archive/", {}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "Un caz aflat în etapa Monitorizare nu permite pasul „Arhivează”."
    )
    with translation.override("en"):
        english = client_for(world.coordinator).post(
            f"/api/cases/{case.pk}/transitions/archive/",
            {},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "'monitoring'" not in english.json()["detail"]


def test_it_offers_the_choices_by_their_labels_and_codes(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    objective = case.objectives.get()
    with pytest.raises(Invalid) as refused:
        services.objective_review(
            objective=objective, actor=world.coordinator, value="1", status="x"
        )
    said = str(refused.value.fields["status"])
    assert "Atins (met)" in said and "Alegeți" in said


def test_it_names_the_referral_recipient_in_romanian(world: World) -> None:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["socio_economic"],
    )
    case = advance(case, world, "intervention")
    answer = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/referrals/",
        {"to": world.network.pk, "purpose": "Anchetă socială"},
        format="json",
    )
    assert answer.status_code == 409
    detail = answer.json()["detail"]
    assert "(contul #" in detail and "„Anchetă socială”" in detail and "user #" not in detail


def test_it_labels_the_admin_and_the_menu_button_in_romanian(world: World) -> None:
    admin = sign_in(Client(), world.coordinator)
    page = admin.get("/", follow=True).content.decode()
    assert 'aria-label="Deschideți meniul de navigare"' in page
    assert "Open navigation menu" not in page
    with translation.override("ro"):
        assert translation.gettext("Process list") == "Lista proceselor"
        assert translation.gettext("Model name") == "Numele modelului"
