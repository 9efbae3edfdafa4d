"""Publishing a case's library entry finishes the coordinator's publication task (step 5)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.casework.library_support import archived_case
from tests.conftest import client_for
from tests.factories import World
from workflows.models import CaseTask
from workflows.services import library_entry_draft

pytestmark = pytest.mark.django_db


def _publication(case_id: int) -> CaseTask:
    return CaseTask.objects.select_related("task").get(case_id=case_id, name="library_publication")


def test_it_closes_the_publication_task_when_the_entry_is_published(world: World) -> None:
    case = archived_case(world)
    assert _publication(case.pk).task.status == "ASSIGNED"
    draft = library_entry_draft(case=case, actor=world.coordinator)
    response = client_for(world.psychologist).post(f"/api/library/{draft.pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert _publication(case.pk).task.status == "DONE"
    assert case.events.filter(name="task_completed", data__task_name="library_publication")
    inbox = client_for(world.coordinator).get("/api/tasks/?scope=mine").json()["results"]
    assert all(row["name"] != "library_publication" for row in inbox)


def test_it_closes_the_task_when_published_from_the_page(world: World) -> None:
    case = archived_case(world)
    draft = library_entry_draft(case=case, actor=world.coordinator)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.psychologist)
    response = client.post(f"/library/{draft.pk}/publish/")
    assert response.status_code == 302
    assert _publication(case.pk).task.status == "DONE"
