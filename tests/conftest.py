from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from casework.instrument_defaults import ensure_default_instrument
from casework.models import Case, Instrument, Item, Student, Subscale
from tests.factories import World, make_student, make_world
from workflows.services import case_flag


@pytest.fixture(scope="session")
def library_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("library-key") / "signing-key.pem"


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The static files as deployed: ``collectstatic`` with the production (compressed manifest)
    storage. Compressing takes a minute, so it runs once per test run: the parallel workers share
    the folder (the first one collects under a lock, the others wait and reuse it)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base
    root = shared / "collected-static"
    with (shared / "collected-static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "staticfiles.json").exists():
            env = {
                **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "0",
                "SECRET_KEY": "collectstatic-test-key-0123456789-0123456789-0123456789",
                "ALLOWED_HOSTS": "localhost",
                "STATIC_ROOT": str(root),
            }
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=600,
            )
    return root


@pytest.fixture(autouse=True)
def _library_signing_key(settings: Any, library_key_file: Path) -> None:
    """Exports are signed: tests sign with a key of their own, never the checkout's."""
    settings.LIBRARY_SIGNING_KEY_FILE = library_key_file


@pytest.fixture(autouse=True)
def _no_language_left_over() -> None:
    """Each test starts in the default language: a test that activated Romanian and did not
    deactivate it would otherwise decide the language of whichever test runs next (and with
    parallel workers, which test that is changes from run to run)."""
    translation.deactivate()


@pytest.fixture
def world(db: None) -> World:
    # A transactional test run earlier on this worker flushed what the migrations installed;
    # the default instrument is part of every school's starting point.
    if not Instrument.objects.filter(is_active=True).exists():
        ensure_default_instrument(Instrument, Subscale, Item)
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


def sign_in(client: Client, user: Any) -> Client:
    """``force_login``, and for a superuser a confirmed two-factor device used for this session
    (a superuser's session reaches nothing but the enrolment page until it is verified)."""
    client.force_login(user)
    if user.is_superuser:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL (set DATABASE_URL)",
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)"
)


REPORTED: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Carry the corpus lines a test recorded on its report: with parallel workers the test runs
    in another process, and only its reports reach the process that prints the summary."""
    from tests.casework import corpus_report

    outcome = yield
    if call.when == "call" and corpus_report.LINES:
        report = outcome.get_result()
        report.user_properties.extend(("corpus_report", line) for line in corpus_report.LINES)
        corpus_report.LINES.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    REPORTED.extend(str(value) for key, value in report.user_properties if key == "corpus_report")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The anonymiser's recall and precision on the corpus, when that test ran."""
    for line in REPORTED:
        terminalreporter.write_line(line)
