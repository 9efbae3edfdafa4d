from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from casework.models import Case, Student
from tests.factories import World, make_student, make_world
from workflows.services import case_flag


@pytest.fixture(scope="session")
def library_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("library-key") / "signing-key.pem"


@pytest.fixture(autouse=True)
def _library_signing_key(settings: Any, library_key_file: Path) -> None:
    """Exports are signed: tests sign with a key of their own, never the checkout's."""
    settings.LIBRARY_SIGNING_KEY_FILE = library_key_file


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def student(world: World) -> Student:
    return make_student(world.school)


@pytest.fixture
def case(world: World, student: Student) -> Case:
    """A case flagged by the teacher, in monitoring, with its process and triage task."""
    return case_flag(
        student=student, actor=world.teacher, reason="Absent a lot", functions=["pedagogical"]
    )


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)  # type: ignore[arg-type]
    return client


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL (set DATABASE_URL)",
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)"
)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The anonymiser's recall and precision on the corpus, when that test ran."""
    from tests.casework import corpus_report

    for line in corpus_report.LINES:
        terminalreporter.write_line(line)
