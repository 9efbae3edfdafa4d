"""Two-factor sign-in (TOTP): optional for coordinators and administrators, required for
superusers, on the login page and on the API's sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from casework.models import User
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """Time stands still (a code stays valid); ``clock.shift(60)`` moves to a fresh code —
    django-otp accepts each code once."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _enrol(user: User) -> TOTPDevice:
    web = Client()
    web.force_login(user)
    page = web.get("/account/two-factor/")
    assert page.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml', page.content.decode())
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert web.post("/account/two-factor/", {"otp_token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def _login(username: str, password: str = "demo", **extra: str) -> Any:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": password, **extra}
    )
    return client, response


def test_it_lets_a_coordinator_turn_it_on_and_then_asks_for_the_code(
    world: World, clock: time_machine.Traveller
) -> None:
    device = _enrol(world.coordinator)
    _, without = _login("coordinator")
    assert without.status_code == 200 and "_auth_user_id" not in without.wsgi_request.session
    _, wrong = _login("coordinator", otp_token="123456")
    assert wrong.status_code == 200 and "_auth_user_id" not in wrong.wsgi_request.session
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    clock.shift(60)
    client, right = _login("coordinator", otp_token=_code(device))
    assert right.status_code == 302
    assert client.get("/notifications/").wsgi_request.user.is_verified()


def test_it_keeps_the_sign_in_without_a_code_for_those_who_did_not_turn_it_on(
    world: World,
) -> None:
    _, response = _login("teacher")
    assert response.status_code == 302


def test_it_offers_two_factor_only_to_coordinators_and_administrators(world: World) -> None:
    web = Client()
    web.force_login(world.teacher)
    assert web.get("/account/two-factor/").status_code == 403
    web.force_login(world.admin_staff)
    assert web.get("/account/two-factor/").status_code == 200


def test_it_asks_the_api_sign_in_for_the_code_once_it_is_on(
    world: World, clock: time_machine.Traveller
) -> None:
    device = _enrol(world.coordinator)
    clock.shift(60)
    api = APIClient()
    body = {"username": "coordinator", "password": "demo"}
    refused = api.post("/api/auth/token/", body)
    assert refused.status_code == 400 and "otp_token" in refused.json()
    accepted = api.post("/api/auth/token/", {**body, "otp_token": _code(device)})
    assert accepted.status_code == 200 and accepted.json()["token"]


def test_it_holds_a_superuser_at_the_enrolment_page_until_two_factor_is_on(
    world: World,
) -> None:
    User.objects.create_superuser("it", "it@school.example", "demo")
    client, response = _login("it")
    assert response.status_code == 302
    assert client.get("/admin/")["Location"] == "/account/two-factor/"
    assert client.get("/api/tasks/?scope=mine").status_code == 403
    assert (
        APIClient().post("/api/auth/token/", {"username": "it", "password": "demo"}).status_code
        == 403
    )
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username="it", confirmed=False)
    done = client.post("/account/two-factor/", {"otp_token": _code(device)})
    assert done.status_code == 302, re.findall(
        r'role="alert"[^<]*<[^>]*>[^<]*', done.content.decode()
    )
    assert client.get("/admin/").status_code == 200


def test_it_lets_a_coordinator_turn_it_off_with_a_code(
    world: World, clock: time_machine.Traveller
) -> None:
    device = _enrol(world.coordinator)
    clock.shift(60)
    web = Client()
    web.force_login(world.coordinator)
    assert web.post("/account/two-factor/", {"otp_token": _code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()


def test_it_sends_the_admin_sign_in_to_the_one_login_page_that_asks_for_the_code(
    world: World,
) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
