"""The admin: need-to-know for coordinators, and role groups kept in step with memberships."""

from __future__ import annotations

from django.test import Client

from casework.models import AuditEvent, Case, Group, Membership, User
from casework.services.offices import ROLE_GROUP_NAMES
from tests.conftest import sign_in
from tests.factories import World, make_student
from workflows.services import case_flag


def _admin_client(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_it_keeps_role_groups_in_step_when_a_membership_changes(world: World) -> None:
    superuser = User.objects.create_superuser("it", password="x", email="it@example.org")
    membership = Membership.objects.get(user=world.social)
    response = _admin_client(superuser).post(
        f"/admin/casework/membership/{membership.pk}/change/",
        {
            "office": world.office.pk,
            "user": world.social.pk,
            "group": 4,
            "active": "on",
        },
    )
    assert response.status_code == 302
    names = set(world.social.groups.values_list("name", flat=True))
    assert names == {ROLE_GROUP_NAMES[Group.ADMINISTRATION]}


def test_it_audits_a_seat_changed_in_the_admin(world: World) -> None:
    superuser = User.objects.create_superuser("it", password="x", email="it@example.org")
    membership = Membership.objects.get(user=world.social)
    response = _admin_client(superuser).post(
        f"/admin/casework/membership/{membership.pk}/change/",
        {"group": 4, "is_coordinator": "on", "active": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.group, membership.is_coordinator) == (4, True)
    rows = AuditEvent.objects.filter(object_type="membership", object_id=str(membership.pk))
    row = rows.order_by("pk").last()
    assert row is not None
    assert (row.actor, row.action) == (superuser, AuditEvent.Action.UPDATE)
    assert row.data == {"group": 4, "coordinator": True, "external": False}


def test_it_shows_coordinators_only_the_cases_they_may_see(world: World) -> None:
    from django.contrib.auth.models import Permission

    world.coordinator.is_staff = True
    world.coordinator.save()
    world.coordinator.user_permissions.add(Permission.objects.get(codename="view_case"))
    visible = case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["information"],
    )
    other_office_case_student = make_student(world.other_school)
    from casework.models import Office

    other = Office.objects.create(school=world.other_school, name="Other")
    from casework.services.offices import membership_set
    from tests.factories import make_user

    for name, group in [("o1", 1), ("o2", 2), ("o3", 3), ("o4", 4)]:
        membership_set(office=other, user=make_user(name, world.other_school), group=group)
    hidden = case_flag(
        student=other_office_case_student,
        actor=world.outsider,
        reason="r",
        functions=["information"],
    )
    client = _admin_client(world.coordinator)
    page = client.get("/admin/casework/case/")
    assert page.status_code == 200
    ids = {obj.pk for obj in page.context["cl"].result_list}
    assert ids == {visible.pk}
    assert client.get(f"/admin/casework/case/{hidden.pk}/change/").status_code == 302
    assert Case.objects.count() == 2


def test_it_lets_the_director_add_a_position_in_the_admin_through_the_service(
    world: World,
) -> None:
    from casework.models import AuditEvent, Position

    director = User.objects.create_user("director", password="x", school=world.school)
    director.is_staff = True
    director.save()
    Position.objects.create(user=director, school=world.school, position="director")
    client = _admin_client(director)
    response = client.post(
        "/admin/casework/position/add/",
        {
            "user": world.teacher.pk,
            "school": world.school.pk,
            "position": "form_tutor",
            "class_name": "10A",
        },
    )
    assert response.status_code == 302
    held = Position.objects.get(user=world.teacher)
    assert AuditEvent.objects.filter(object_type="position", object_id=str(held.pk)).exists()
    # The other school is not on offer, and a teacher does not see positions at all.
    form = client.get("/admin/casework/position/add/").content.decode()
    assert "Colegiul Tehnic Other" not in form
    world.teacher.is_staff = True
    world.teacher.save()
    assert _admin_client(world.teacher).get("/admin/casework/position/").status_code == 403


def test_it_names_the_product_and_speaks_romanian_in_the_admin(world: World) -> None:
    world.coordinator.is_staff = True
    world.coordinator.save()
    client = _admin_client(world.coordinator)
    body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "Administrarea Biroului de acțiune" in body
    assert "Sari la conținutul principal" in body
    assert "Django" not in body.split("<body")[1]
