"""Two reviewers publishing one draft at the same moment: one wins, the other gets 409."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from casework.models import LibraryEntry
from tests.casework.library_support import archived_case, fill_register
from tests.conftest import client_for, requires_postgres
from tests.factories import make_world
from workflows.services import library_entry_draft

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_it_publishes_a_draft_once_when_two_reviewers_race() -> None:
    world = make_world()
    fill_register(world.school, 6)
    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    lock = threading.Lock()

    def publish(user: object) -> None:
        try:
            client = client_for(user)
            barrier.wait()
            status = client.post(f"/api/library/{draft.pk}/publish/").status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=publish, args=(user,))
        for user in (world.psychologist, world.psychologist2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    entry = LibraryEntry.objects.get(pk=draft.pk)
    assert entry.status == "published"
    assert entry.reviewer in (world.psychologist, world.psychologist2)
