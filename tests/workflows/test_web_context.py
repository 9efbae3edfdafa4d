"""What every page shows about notifications: the bell's count and the live module's start."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Case
from tests.conftest import sign_in
from tests.factories import World
from workflows.models import Notification
from workflows.web import context

pytestmark = pytest.mark.django_db


def _page(world: World) -> tuple[str, list[dict[str, str]]]:
    client = sign_in(Client(), world.psychologist)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tasks/queue/").content.decode()
    return page, queries.captured_queries


def _config(page: str) -> dict[str, object]:
    found = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', page)
    assert found, "the live module's start is on the page"
    return dict(json.loads(found.group(1)))


def test_it_counts_the_unread_and_hands_the_live_module_their_ids(world: World, case: Case) -> None:
    mine = Notification.objects.filter(recipient=world.psychologist).order_by("id")
    assert mine.count() >= 1, "the flag offered the triage to the psychologist"
    first = mine.first()
    assert first is not None
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    unread = list(mine.filter(read_at__isnull=True).values_list("pk", flat=True))
    page, queries = _page(world)
    config = _config(page)
    assert config["unread"] == unread
    assert config["last_id"] == mine.last().pk  # type: ignore[union-attr]
    badge = re.search(r"data-unread-badge[^>]*>([^<]*)<", page)
    assert badge and badge.group(1) == (str(len(unread)) if unread else "")
    # The user's meetings are read once for the bell and the live module together.
    assert sum('"casework_meeting"' in q["sql"].split(" WHERE ")[0] for q in queries) == 1


def test_it_counts_all_the_unread_when_it_lists_only_the_first(
    world: World, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "UNREAD_IDS_SHOWN", 1)
    Notification.objects.create(recipient=world.psychologist, kind="task.offered", case=case)
    total = Notification.objects.filter(recipient=world.psychologist, read_at=None).count()
    assert total >= 2
    page, _ = _page(world)
    assert len(_config(page)["unread"]) == 1  # type: ignore[arg-type]
    badge = re.search(r"data-unread-badge[^>]*>([^<]*)<", page)
    assert badge and badge.group(1) == str(total)
