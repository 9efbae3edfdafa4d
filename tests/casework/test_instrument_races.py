"""Two submissions racing for one link on PostgreSQL: exactly one is kept."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from casework.errors import Conflict
from casework.instrument_defaults import ensure_default_instrument
from casework.models import Instrument, InstrumentResponse, Item, Signal, Subscale
from casework.services.instruments import instrument_link_create, instrument_submit
from tests.conftest import requires_postgres
from tests.factories import make_student, make_world

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _submit(
    token: str, answers: dict[str, str], barrier: threading.Barrier, outcomes: list[str]
) -> None:
    try:
        barrier.wait()
        instrument_submit(token=token, answers=answers)
        outcomes.append("kept")
    except Conflict:
        outcomes.append("refused")
    finally:
        connection.close()


def test_it_keeps_exactly_one_of_two_racing_submissions() -> None:
    world = make_world()
    instrument = ensure_default_instrument(Instrument, Subscale, Item)
    answers = {f"item_{item.position}": "3" for item in instrument.items.all()}
    for _ in range(5):
        student = make_student(world.school)
        _, token = instrument_link_create(
            student=student, instrument=instrument, actor=world.teacher
        )
        outcomes: list[str] = []
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_submit, args=(token, answers, barrier, outcomes))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["kept", "refused"]
        assert InstrumentResponse.objects.filter(student=student).count() == 1
        assert Signal.objects.filter(student=student).count() == 1
