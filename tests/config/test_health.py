"""``GET /health/`` tells the balancer and the service manager whether a worker can serve."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from config import health


@pytest.fixture(autouse=True)
def _fresh_redis_client() -> Any:
    health._redis_client = None
    yield
    health._redis_client = None


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_it_answers_ok_without_a_login() -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "absent"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@override_settings(
    REDIS_URL="", ALLOWED_HOSTS=["office.example"], SECURE_SSL_REDIRECT=True, DEBUG=False
)
def test_it_answers_a_probe_on_plain_http_from_an_unlisted_host() -> None:
    # The balancer probes http://127.0.0.1:port/health/: no redirect to HTTPS, no 400.
    response = Client().get("/health/", HTTP_HOST="127.0.0.1:8001")
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_it_answers_503_when_the_database_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_it_stays_in_service_when_redis_is_unavailable() -> None:
    # Pages and the API work without Redis: taking every worker out would make it an outage.
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "redis": "unavailable"}


@pytest.mark.django_db
def test_it_leaves_other_methods_to_the_site() -> None:
    assert Client().post("/health/").status_code != 200
