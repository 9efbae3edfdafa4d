"""Drafting a library entry tells the office's reviewers that it waits, from the API and the
case page alike."""

from __future__ import annotations

from django.test import Client

from casework.models import LibraryEntry, User
from tests.casework.library_support import archived_case, fill_register
from tests.conftest import client_for, sign_in
from tests.factories import World
from workflows.models import Notification
from workflows.notification_text import notification_link


def _waiting(user: User) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, kind=Notification.Kind.LIBRARY_DRAFT_WAITING)
    )


def test_it_tells_the_reviewers_a_draft_waits(world: World) -> None:
    fill_register(world.school, 12)
    case = archived_case(world)
    answer = client_for(world.coordinator).post(f"/api/cases/{case.pk}/library-entry/")
    assert answer.status_code == 201
    entry = LibraryEntry.objects.get(pk=answer.json()["id"])
    told = _waiting(world.psychologist)
    assert len(told) == 1 and told[0].case_id is None
    assert notification_link(told[0]) == f"/library/{entry.pk}/"
    assert _waiting(world.psychologist2) and not _waiting(world.coordinator)
    assert not _waiting(world.teacher) and not _waiting(world.social)


def test_it_tells_the_reviewers_when_drafted_from_the_case_page(world: World) -> None:
    fill_register(world.school, 12)
    case = archived_case(world)
    page = sign_in(Client(), world.coordinator).post(f"/library/draft/{case.pk}/")
    assert page.status_code == 302
    assert _waiting(world.psychologist)
