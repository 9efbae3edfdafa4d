"""The audit trail: written for reads and writes, and impossible to change or remove."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from casework.models import AuditEvent, Case, Student
from casework.models.audit import AppendOnlyError
from tests.conftest import client_for, requires_postgres, sign_in
from tests.factories import World


def test_it_records_a_read_of_a_case_with_actor_and_request_id(world: World, case: Case) -> None:
    response = client_for(world.psychologist).get(
        f"/api/cases/{case.pk}/", HTTP_X_REQUEST_ID="req-12345678"
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-12345678"
    row = AuditEvent.objects.filter(action="read", object_type="case").latest("id")
    assert (row.actor, row.object_id, row.request_id, row.school_id) == (
        world.psychologist,
        str(case.pk),
        "req-12345678",
        world.school.pk,
    )


@pytest.mark.parametrize(
    "sent",
    ["req-12345678\n", "short", "x" * 65, "<script>alert(1)</script>", "id with spaces"],
)
def test_it_replaces_a_malformed_request_id_with_its_own(
    world: World, case: Case, sent: str
) -> None:
    response = client_for(world.psychologist).get(f"/api/cases/{case.pk}/", HTTP_X_REQUEST_ID=sent)
    row = AuditEvent.objects.filter(action="read", object_type="case").latest("id")
    assert row.request_id != sent
    assert len(row.request_id) == 32 and row.request_id.isalnum()
    assert response["X-Request-ID"] == row.request_id


def test_it_records_a_read_of_a_student(world: World, student: Student) -> None:
    client_for(world.teacher).get(f"/api/students/{student.pk}/")
    assert AuditEvent.objects.filter(
        action="read", object_type="student", object_id=str(student.pk), actor=world.teacher
    ).exists()


def test_it_records_lists_with_the_ids_shown(world: World, case: Case) -> None:
    client_for(world.coordinator).get("/api/cases/")
    row = AuditEvent.objects.filter(action="list", object_type="case").latest("id")
    assert row.data["ids"] == [case.pk]


def test_it_records_writes_in_the_same_transaction(world: World, case: Case) -> None:
    client_for(world.coordinator).post(f"/api/cases/{case.pk}/transitions/share/", {})
    row = AuditEvent.objects.filter(action="transition").latest("id")
    assert row.data == {"name": "share", "from": "monitoring", "to": "shared"}
    assert row.actor == world.coordinator
    assert AuditEvent.objects.filter(action="create", object_type="case").count() == 1


def test_it_refuses_to_update_or_delete_through_the_orm(world: World, case: Case) -> None:
    row = AuditEvent.objects.latest("id")
    row.action = "read"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(action="read")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_it_refuses_a_raw_sql_update(world: World, case: Case) -> None:
    row = AuditEvent.objects.latest("id")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE casework_auditevent SET action = 'read' WHERE id = %s", [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).action == row.action


@requires_postgres
def test_it_refuses_a_raw_sql_delete_on_postgres(world: World, case: Case) -> None:
    row = AuditEvent.objects.latest("id")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM casework_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_it_shows_the_trail_read_only_in_the_admin(world: World, case: Case) -> None:
    from django.test import Client

    from casework.models import User

    admin = User.objects.create_superuser("it", password="x", email="it@example.org")
    client = Client()
    sign_in(client, admin)
    row = AuditEvent.objects.latest("id")
    page = client.get(f"/admin/casework/auditevent/{row.pk}/change/")
    assert page.status_code == 200
    assert b'name="action"' not in page.content
    post = client.post(f"/admin/casework/auditevent/{row.pk}/change/", {"action": "read"})
    assert post.status_code == 403
    assert (
        client.post(f"/admin/casework/auditevent/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
