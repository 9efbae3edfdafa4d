"""A report's notifications say which step of which report and lead to the report."""

from __future__ import annotations

import pytest

from tests.factories import World
from workflows.models import Notification
from workflows.notification_text import notification_link, notification_sentence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (Notification.Kind.TASK_AVAILABLE, "Înregistrarea raportului #7 vă așteaptă"),
        (Notification.Kind.TASK_ASSIGNED, "Înregistrarea raportului #7 vă revine"),
        (Notification.Kind.TASK_DUE, "Înregistrarea raportului #7 are termen pe 3 decembrie 2026"),
    ],
)
def test_it_words_a_reports_step_and_links_to_the_report(
    world: World, kind: str, words: str
) -> None:
    note = Notification(
        recipient=world.teacher,
        kind=kind,
        data={"report": 7, "name": "register", "due": "2026-12-03T10:00:00+00:00"},
    )
    assert notification_sentence(note) == words
    assert notification_link(note) == "/reports/7/"


def test_it_leaves_a_cases_task_to_the_core_words(world: World) -> None:
    note = Notification(
        recipient=world.teacher, kind=Notification.Kind.TASK_AVAILABLE, data={"name": "triage"}
    )
    assert "raport" not in notification_sentence(note)
