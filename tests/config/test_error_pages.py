"""The error pages are the product's own, in the visitor's language: a refusal, a missing page
and a server error; with DEBUG on they replace Django's technical pages when `make run` asks."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from config.logs import ClientErrorWithoutTracebackFilter
from config.urls import urlpatterns as project_urls
from tests.factories import World


def _refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("refuse/", _refuse), path("fail/", _fail), *project_urls]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_it_shows_a_romanian_page_for_a_missing_page(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(world.teacher)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'data-error-page="404"' in response.content.decode()
    assert "Pagina nu a fost găsită" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_it_shows_a_romanian_page_for_a_refusal(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(world.teacher)
    response = client.get("/refuse/")
    assert response.status_code == 403
    assert 'data-error-page="403"' in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=True, FRIENDLY_ERROR_PAGES=True)
def test_it_replaces_djangos_technical_pages_when_asked_with_debug_on(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ro", raise_request_exception=False)
    client.force_login(world.teacher)
    for url, status in (("/no-such-page/", 404), ("/refuse/", 403), ("/fail/", 500)):
        response = client.get(url)
        assert response.status_code == status
        body = response.content.decode()
        assert f'data-error-page="{status}"' in body
        assert "URLconf" not in body and "Traceback" not in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=True, FRIENDLY_ERROR_PAGES=False)
def test_it_leaves_djangos_technical_pages_to_developers_by_default(world: World) -> None:
    client = Client()
    client.force_login(world.teacher)
    assert "URLconf" in client.get("/no-such-page/").content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=True, FRIENDLY_ERROR_PAGES=True)
def test_it_leaves_the_apis_answers_alone(world: World) -> None:
    response = Client().get("/api/no-such-thing/")
    assert response.status_code == 404
    assert "data-error-page" not in response.content.decode()


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionDenied
    except PermissionDenied:
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden", (), sys.exc_info()
        )
    record.status_code = status
    return record


def test_it_logs_a_refusal_without_its_traceback() -> None:
    record = _record(403)
    assert ClientErrorWithoutTracebackFilter().filter(record)
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_it_keeps_the_traceback_of_a_server_error() -> None:
    record = _record(500)
    ClientErrorWithoutTracebackFilter().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_it_logs_through_the_filter_in_the_settings() -> None:
    from django.conf import settings

    logging_config: dict[str, Any] = settings.LOGGING
    assert "client_errors" in logging_config["handlers"]["console"]["filters"]


@pytest.mark.django_db
def test_it_answers_the_browsers_favicon_request() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
