"""The audit trail is tamper-evident: a hash chain, signed checkpoints outside the database,
``manage.py audit_verify``, the nightly check, and the two-role deployment on PostgreSQL."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from casework import audit_chain
from casework.models import AuditEvent, User
from casework.models.audit import CHAIN_LOCK, chain_link
from casework.services.audit import (
    audit_checkpoint,
    audit_link,
    audit_record,
    audit_verify_and_report,
)
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoints(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "checkpoints.jsonl"
    with override_settings(AUDIT_CHECKPOINT_FILE=path):
        yield path


def _rows(count: int) -> list[AuditEvent]:
    """``count`` audit rows, linked onto the chain as their commit would link them."""
    rows = [
        audit_record(actor=None, action="read", object_type="case", object_id=i, data={"i": i})
        for i in range(count)
    ]
    # Inside the test's transaction nothing commits: link as the commit would.
    audit_link()
    for row in rows:
        row.refresh_from_db()
    return rows


def _tamper(sql: str, params: list[Any]) -> None:
    """Do what the table's owner can: lift the append-only trigger, change rows, restore it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE casework_auditevent DISABLE TRIGGER casework_auditevent_append_only"
            )
            cursor.execute(sql, params)
            cursor.execute(
                "ALTER TABLE casework_auditevent ENABLE TRIGGER casework_auditevent_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER IF EXISTS casework_auditevent_no_update")
            cursor.execute(sql, params)


def _verify() -> str:
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return str(exc)
    return "intact"


def test_it_chains_every_row_to_the_previous_one(db: None) -> None:
    first, second = _rows(2)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == audit_chain.GENESIS
    assert second.prev_hash == first.row_hash != second.row_hash


def test_it_passes_an_untouched_trail_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    _rows(3)
    audit_checkpoint()
    _rows(2)
    call_command("audit_verify")
    assert "audit trail intact: 5 rows, head #5" in capsys.readouterr().out


def test_it_names_the_first_changed_row() -> None:
    rows = _rows(4)
    _tamper("UPDATE casework_auditevent SET object_id = 'x' WHERE id = %s", [rows[1].pk])
    assert _verify() == f"audit trail NOT intact: row #2 (id {rows[1].pk}) was changed"


def test_it_names_a_missing_row() -> None:
    rows = _rows(4)
    _tamper("DELETE FROM casework_auditevent WHERE id = %s", [rows[2].pk])
    assert "row #3 is missing" in _verify()


def test_it_catches_a_deleted_newest_row_through_the_checkpoint() -> None:
    rows = _rows(3)
    audit_checkpoint()
    _tamper("DELETE FROM casework_auditevent WHERE id = %s", [rows[2].pk])
    assert "truncated: rows after #2 are missing" in _verify()


def test_it_catches_a_truncated_trail() -> None:
    _rows(3)
    audit_checkpoint()
    _tamper("DELETE FROM casework_auditevent", [])
    assert "truncated: rows after #0 are missing" in _verify()


def test_it_catches_a_trail_rewritten_with_fresh_hashes() -> None:
    rows = _rows(3)
    audit_checkpoint()
    # The owner changes a row and recomputes every hash after it: the chain fits again...
    prev = rows[0].row_hash
    for row in rows[1:]:
        row.object_id = "forged"
        fields = row.chained_fields()
        new = audit_chain.row_hash(prev, fields)
        _tamper(
            "UPDATE casework_auditevent SET object_id = %s, prev_hash = %s, row_hash = %s "
            "WHERE id = %s",
            ["forged", prev, new, row.pk],
        )
        prev = new
    # ...but not the checkpoint signed before.
    assert "row #3 does not match the checkpoint" in _verify()


def test_it_refuses_a_checkpoint_written_without_the_key(checkpoints: Path) -> None:
    _rows(1)
    audit_checkpoint()
    line = json.loads(checkpoints.read_text())
    line["seq"] = 0
    checkpoints.write_text(json.dumps(line) + "\n")
    assert "has a wrong signature" in _verify()


def test_it_chains_rows_written_in_bulk(db: None) -> None:
    _rows(1)
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="import", object_type="student", object_id=str(i)) for i in range(3)]
    )
    audit_link()
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert _verify() == "intact"


def test_it_tells_the_administrators_when_the_nightly_check_fails() -> None:
    User.objects.create_superuser("it", "it@school.example", "x-long-pass-42")
    rows = _rows(2)
    assert audit_verify_and_report() is True
    assert mail.outbox == []
    _tamper("UPDATE casework_auditevent SET action = 'export' WHERE id = %s", [rows[0].pk])
    assert audit_verify_and_report() is False
    assert mail.outbox[0].to == ["it@school.example"]
    assert f"row #1 (id {rows[0].pk}) was changed" in mail.outbox[0].body


def test_it_schedules_the_checkpoint_and_the_nightly_verification() -> None:
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"casework.tasks.audit_checkpoint", "casework.tasks.audit_verify"} <= tasks


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_chain_under_concurrent_inserts() -> None:
    barrier = threading.Barrier(8)

    def write() -> None:
        try:
            barrier.wait()
            _rows(10)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.count() == 80
    assert _verify() == "intact"


@requires_postgres
def test_it_runs_with_an_application_role_that_may_only_insert_and_select_audit_rows() -> None:
    # Roles are cluster-wide: a name of this run's own. CREATE ROLE is transactional, so the
    # test's rollback removes it again.
    role = f"ao_test_app_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        # What docs/DEPLOYMENT.md grants the application role on the audit table.
        cursor.execute(f"GRANT SELECT, INSERT ON casework_auditevent TO {role}")
        cursor.execute(f"GRANT UPDATE (seq, prev_hash, row_hash) ON casework_auditevent TO {role}")
        cursor.execute(f"GRANT USAGE ON SEQUENCE casework_auditevent_id_seq TO {role}")
        cursor.execute(f"SET ROLE {role}")
        try:
            row = audit_record(actor=None, action="read", object_type="case", object_id=1)
            assert chain_link() == 1
            row.refresh_from_db()
            assert row.seq == 1
            # The link columns may be written once, by the linker, and never again.
            cursor.execute("SAVEPOINT relink")
            with pytest.raises(Exception, match=r"append-only \(UPDATE refused\)"):
                cursor.execute("UPDATE casework_auditevent SET seq = 99, row_hash = ''")
            cursor.execute("ROLLBACK TO SAVEPOINT relink")
            for sql in (
                "UPDATE casework_auditevent SET action = 'x'",
                "DELETE FROM casework_auditevent",
                "TRUNCATE casework_auditevent",
                "ALTER TABLE casework_auditevent DISABLE TRIGGER ALL",
            ):
                cursor.execute("SAVEPOINT refused")
                with pytest.raises(Exception, match=r"permission denied|must be owner"):
                    cursor.execute(sql)
                cursor.execute("ROLLBACK TO SAVEPOINT refused")
        finally:
            cursor.execute("RESET ROLE")
    assert _verify() == "intact"


# -- linked after commit: writers never wait for one another on the chain --------------------


def test_it_writes_a_row_unlinked_and_links_it_on_verification() -> None:
    row = audit_record(actor=None, action="read", object_type="case", object_id=1)
    row.refresh_from_db()
    assert (row.seq, row.prev_hash, row.row_hash) == (None, "", "")
    assert _verify() == "intact"
    row.refresh_from_db()
    assert row.seq == 1 and row.prev_hash == audit_chain.GENESIS


def test_it_links_rows_a_stopped_worker_left_behind_every_minute() -> None:
    from django.conf import settings

    from casework.tasks import link

    audit_record(actor=None, action="read", object_type="case", object_id=1)
    assert link.delay().get() == 1
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    beat = settings.CELERY_BEAT_SCHEDULE.values()
    schedule = {entry["task"]: entry["schedule"] for entry in beat}
    assert schedule["casework.tasks.audit_link"] <= 60


def test_it_lets_the_link_through_but_nothing_else_with_it() -> None:
    row = audit_record(actor=None, action="read", object_type="case", object_id=1)
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT forged")
        with pytest.raises(Exception, match="append-only"):
            cursor.execute(
                "UPDATE casework_auditevent SET seq = 1, row_hash = 'x', object_id = '2' "
                "WHERE id = %s",
                [row.pk],
            )
        cursor.execute("ROLLBACK TO SAVEPOINT forged")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_it_commits_a_write_while_the_chain_is_locked() -> None:
    """A request's transaction never takes the chain's lock: it commits while a linker holds it."""
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        with override_settings(AUDIT_LINK_IN_BACKGROUND=True), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            audit_record(actor=None, action="update", object_type="case", object_id=1)
        assert AuditEvent.objects.filter(seq__isnull=True).count() == 1
    finally:
        release.set()
        holder.join()
    _wait_until_linked(1)
    assert _verify() == "intact"


def _wait_until_linked(count: int) -> None:
    for _ in range(200):
        if AuditEvent.objects.filter(seq__isnull=False).count() == count:
            return
        threading.Event().wait(0.05)
    raise AssertionError("the background linker did not link every row")


@requires_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("background", [True, False])
def test_it_keeps_one_complete_chain_under_concurrent_writers(background: bool) -> None:
    """Eight writers, each committing audit rows with the change they record: the linker (in the
    background, or by each committing thread) chains every one of them, without gaps."""
    from casework.models import School

    barrier = threading.Barrier(8)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    School.objects.create(code=f"S{n}-{i}", name=f"School {n}-{i}")
                    audit_record(actor=None, action="create", object_type="school", object_id=i)
                    audit_record(actor=None, action="read", object_type="school", object_id=i)
        finally:
            connection.close()

    with override_settings(AUDIT_LINK_IN_BACKGROUND=background):
        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _wait_until_linked(160)
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 161))
    rows = list(AuditEvent.objects.order_by("seq"))
    assert _verify() == "intact"
    # And the verifier still catches a row changed after all that.
    _tamper("UPDATE casework_auditevent SET object_id = 'forged' WHERE id = %s", [rows[77].pk])
    assert _verify() == f"audit trail NOT intact: row #78 (id {rows[77].pk}) was changed"
