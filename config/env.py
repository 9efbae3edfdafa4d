"""Strict readers for settings that come from the environment.

Every reader names the variable in its error, so a bad deployment fails at start-up with a
message an IT person can act on instead of a traceback from deep inside Django.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}: expected one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}: expected a comma-separated list without empty items")
    return items


def env_database(name: str, default: str) -> dict[str, object]:
    """Parse a database URL; only PostgreSQL and SQLite are supported."""
    import dj_database_url

    raw = os.environ.get(name, "").strip() or default
    scheme = urlsplit(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name}: expected postgresql://user@host:port/db or sqlite:///path; "
            f"got scheme {scheme!r}"
        )
    try:
        config = dict(dj_database_url.parse(raw, conn_max_age=0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}: the URL names no database")
    return config


def env_redis_url(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name}: expected redis://host:port/db; got {raw!r}")
    return raw


_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def env_email(*, debug: bool) -> dict[str, object]:
    """E-mail settings from EMAIL_URL (``smtp://user:password@host:587/?tls=True``) or from
    EMAIL_HOST and its companions.

    Password-reset links travel by e-mail: a console or file backend would write them where
    whoever reads the server's logs can take over any account. So with DEBUG off only SMTP is
    accepted and its absence stops the start; with DEBUG on the console is the default.
    """
    import dj_email_url

    url = env_str("EMAIL_URL")
    host = env_str("EMAIL_HOST")
    if url:
        try:
            config: dict[str, object] = dict(dj_email_url.parse(url))
        except (KeyError, ValueError) as exc:
            raise ImproperlyConfigured(f"EMAIL_URL: not an e-mail URL ({exc})") from None
        if not debug and config["EMAIL_BACKEND"] != _SMTP:
            raise ImproperlyConfigured(
                "EMAIL_URL: with DEBUG off only smtp://, submission:// or smtps:// is "
                "accepted (other back-ends would write password-reset links to a log or a file)"
            )
        return {k: v for k, v in config.items() if v is not None}
    if host:
        return {
            "EMAIL_BACKEND": _SMTP,
            "EMAIL_HOST": host,
            "EMAIL_PORT": env_int("EMAIL_PORT", 25),
            "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER"),
            "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", default=False),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", default=False),
        }
    if not debug:
        raise ImproperlyConfigured(
            "EMAIL_URL: required when DEBUG is off (smtp://user:password@host:587/?tls=True), "
            "or set EMAIL_HOST; password-reset links must go by e-mail, never to a log"
        )
    return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
