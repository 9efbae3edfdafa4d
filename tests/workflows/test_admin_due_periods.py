"""Due periods in the admin: the office's coordinators set them, validated, audited, and only
for their own offices."""

from __future__ import annotations

from django.test import Client

from casework.models import AuditEvent, Office, User
from casework.services.offices import membership_set
from tests.factories import World, make_user
from workflows.models import DuePeriod

ADD = "/admin/workflows/dueperiod/add/"


def _admin(user: User) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _other_office(world: World) -> Office:
    other = Office.objects.create(school=world.other_school, name="Other")
    membership_set(office=other, user=world.outsider, group=1, is_coordinator=True)
    return other


def test_it_lets_a_coordinator_set_the_offices_due_period(world: World) -> None:
    response = _admin(world.coordinator).post(
        ADD, {"office": world.office.pk, "task": "triage", "days": 5}
    )
    assert response.status_code == 302, response.content
    period = DuePeriod.objects.get()
    assert (period.office, period.task, period.days) == (world.office, "triage", 5)
    audit = AuditEvent.objects.get(object_type="dueperiod")
    assert audit.data == {"office": world.office.pk, "task": "triage", "days": 5, "before": 3}


def test_it_refuses_a_period_out_of_range_or_twice(world: World) -> None:
    client = _admin(world.coordinator)
    for days in (0, 366, -1):
        response = client.post(ADD, {"office": world.office.pk, "task": "triage", "days": days})
        assert response.status_code == 200  # the form again, with its error
        assert response.context["adminform"].form.errors["days"]
    client.post(ADD, {"office": world.office.pk, "task": "triage", "days": 5})
    again = client.post(ADD, {"office": world.office.pk, "task": "triage", "days": 6})
    assert again.status_code == 200
    assert DuePeriod.objects.get().days == 5


def test_it_keeps_another_offices_periods_out_of_reach(world: World) -> None:
    other = _other_office(world)
    theirs = DuePeriod.objects.create(office=other, task="triage", days=2)
    client = _admin(world.coordinator)
    listing = client.get("/admin/workflows/dueperiod/")
    assert [p.pk for p in listing.context["cl"].result_list] == []
    assert client.get(f"/admin/workflows/dueperiod/{theirs.pk}/change/").status_code == 302
    refused = client.post(ADD, {"office": other.pk, "task": "closing_meeting", "days": 9})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors["office"]
    assert DuePeriod.objects.count() == 1


def test_it_shows_due_periods_to_coordinators_only(world: World) -> None:
    assert _admin(world.psychologist).get("/admin/workflows/dueperiod/").status_code == 403
    outsider = make_user("it-staff", world.school)
    assert _admin(outsider).get(ADD).status_code == 403


def test_it_resets_a_period_to_the_default_on_delete(world: World) -> None:
    period = DuePeriod.objects.create(office=world.office, task="triage", days=5)
    response = _admin(world.coordinator).post(
        f"/admin/workflows/dueperiod/{period.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not DuePeriod.objects.exists()
    assert AuditEvent.objects.get(object_type="dueperiod").data["reset"] is True
