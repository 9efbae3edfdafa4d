"""Settings from the environment: strict readers, and start-up failures that name the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


def _start(**overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "EMAIL_URL"}
    }
    environ.update(overrides)
    environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "overrides,variable",
    [
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://db/x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://cache"}, "REDIS_URL"),
        ({"DEBUG": "1", "SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({"DEBUG": "1", "ALLOWED_HOSTS": "a,,b"}, "ALLOWED_HOSTS"),
    ],
)
def test_it_fails_at_start_up_naming_the_variable(overrides: dict[str, str], variable: str) -> None:
    result = _start(**overrides)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "s" * 50}


@pytest.mark.parametrize(
    "email",
    [
        {},
        {"EMAIL_URL": "console://"},
        {"EMAIL_URL": "file:///tmp/mails"},
        {"EMAIL_URL": "memory://"},
    ],
)
def test_it_refuses_to_start_in_production_without_smtp(email: dict[str, str]) -> None:
    result = _start(**PRODUCTION, **email)
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL" in result.stderr


def _email_settings(**overrides: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
            "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS)",
        ],
        cwd=ROOT,
        env={**_start_env(), **overrides},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _start_env() -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEBUG"))}
    return {**environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"}


def test_it_reads_smtp_from_email_url_or_email_host() -> None:
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert _email_settings(EMAIL_URL="smtp://office:s%40cret@mail.example:587/?tls=True") == (
        f"{smtp} mail.example 587 office s@cret True"
    )
    assert _email_settings(EMAIL_HOST="relay.example", EMAIL_PORT="2525", EMAIL_HOST_USER="u") == (
        f"{smtp} relay.example 2525 u  False"
    )


def test_it_starts_on_the_embedded_default() -> None:
    result = _start(DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_it_reads_booleans_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    assert env.env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env.env_bool("FLAG", default=True) is False
    monkeypatch.delenv("FLAG")
    assert env.env_bool("FLAG", default=True) is True


def test_it_parses_postgres_and_sqlite_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB", "postgresql://u:p@db.example:6543/office")
    config = env.env_database("DB", default="sqlite:///x.sqlite3")
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example",
        6543,
        "office",
    )
    monkeypatch.delenv("DB")
    engine = env.env_database("DB", default="sqlite:///x.sqlite3")["ENGINE"]
    assert engine == "django.db.backends.sqlite3"


def test_it_refuses_a_postgres_url_without_a_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB", "postgresql://u@host:5432")
    with pytest.raises(ImproperlyConfigured, match="DB"):
        env.env_database("DB", default="")


def test_it_leaves_no_deploy_warning_a_setting_could_fix() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS"}
            },
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "k" * 20 + "Q9x!m2#Lr7$vT4@pZ8&nW3*hY6^bJ1%eC5",
            "ALLOWED_HOSTS": "office.school.example",
            "SECURE_HSTS_PRELOAD": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("database", "background"),
    [("", "False"), ("postgres://root@127.0.0.1:5432/x", "True")],
)
def test_it_links_the_audit_chain_in_the_background_only_off_sqlite(
    database: str, background: str
) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    if database:
        environ["DATABASE_URL"] = database
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.AUDIT_LINK_IN_BACKGROUND)",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == background, result.stderr
