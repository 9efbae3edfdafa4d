"""Middleware of the whole site: a view that lets StopIteration escape fails, it never hangs."""

from __future__ import annotations

import asyncio

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, override_settings
from django.urls import path


@login_not_required
def _bare_next(request: HttpRequest) -> HttpResponse:
    return HttpResponse(next(iter(())))


urlpatterns = [path("bare-next/", _bare_next)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
async def test_it_answers_500_when_a_view_lets_stopiteration_escape() -> None:
    client = AsyncClient(raise_request_exception=False)
    response = await asyncio.wait_for(client.get("/bare-next/"), timeout=10)
    assert response.status_code == 500
