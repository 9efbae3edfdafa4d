"""Exactly-once claiming on PostgreSQL: of many concurrent claimers, one wins, the rest get 409."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection

from casework.models import Group
from casework.services.offices import membership_set
from tests.conftest import client_for, requires_postgres
from tests.factories import make_student, make_user, make_world
from workflows import services
from workflows.models import CaseTask

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

CLAIMERS = 20
ROUNDS = 50


class Crowd:
    """CLAIMERS long-lived threads, each a different group 2 member, claiming on a signal."""

    def __init__(self, users: Sequence[Any]) -> None:
        self.users = users
        self.start = threading.Barrier(len(users) + 1)
        self.done = threading.Barrier(len(users) + 1)
        self.path = ""
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        self.stop = False
        self.threads = [threading.Thread(target=self._run, args=(u,)) for u in users]
        for thread in self.threads:
            thread.start()

    def _run(self, user: Any) -> None:
        client = client_for(user)
        try:
            while True:
                self.start.wait()
                if self.stop:
                    return
                status = client.post(self.path, {}, format="json").status_code
                with self.lock:
                    self.statuses.append(status)
                self.done.wait()
        finally:
            connection.close()

    def claim(self, path: str) -> list[int]:
        self.path, self.statuses = path, []
        self.start.wait()
        self.done.wait()
        return self.statuses

    def close(self) -> None:
        self.stop = True
        self.start.wait()
        for thread in self.threads:
            thread.join()


def test_it_lets_exactly_one_of_twenty_concurrent_claimers_win_fifty_times() -> None:
    world = make_world()
    psychologists = [make_user(f"psy{i}", world.school) for i in range(CLAIMERS)]
    for user in psychologists:
        membership_set(office=world.office, user=user, group=Group.PEDAGOGY)
    crowd = Crowd(psychologists)
    outcomes: Counter[tuple[int, int]] = Counter()
    started = time.monotonic()
    try:
        for _ in range(ROUNDS):
            case = services.case_flag(
                student=make_student(world.school),
                actor=world.teacher,
                reason="r",
                functions=["pedagogical"],
            )
            case_task = CaseTask.objects.get(case=case, name="triage")
            statuses = crowd.claim(f"/api/tasks/{case_task.pk}/claim/")
            outcomes[(statuses.count(200), statuses.count(409))] += 1
            case_task.task.refresh_from_db()
            assert case_task.task.owner_id in {u.pk for u in psychologists}
            assert case.events.filter(name="task_claimed").count() == 1
    finally:
        crowd.close()
    assert outcomes == Counter({(1, CLAIMERS - 1): ROUNDS}), outcomes
    print(f"\n{ROUNDS} rounds of {CLAIMERS} claimers in {time.monotonic() - started:.1f}s")


def _claim_against_withdraw(world: Any, case_id: int, task_id: int) -> dict[str, int]:
    results: dict[str, int] = {}
    barrier = threading.Barrier(2)

    def call(key: str, user: Any, path: str, body: dict[str, str]) -> None:
        try:
            barrier.wait()
            results[key] = client_for(user).post(path, body).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=call, args=("claim", world.psychologist, f"/api/tasks/{task_id}/claim/", {})
        ),
        threading.Thread(
            target=call,
            args=(
                "withdraw",
                world.coordinator,
                f"/api/cases/{case_id}/transitions/withdraw/",
                {"note": "left"},
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_it_survives_a_claim_racing_a_transition_of_the_same_case() -> None:
    world = make_world()
    for _ in range(10):
        case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["pedagogical"],
        )
        case_task = CaseTask.objects.get(case=case, name="triage")
        results = _claim_against_withdraw(world, case.pk, case_task.pk)
        assert results["withdraw"] == 200
        assert results["claim"] in (200, 409)
        case_task.task.refresh_from_db()
        assert case_task.task.status == "CANCELED"
