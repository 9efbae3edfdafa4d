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
