"""The notification websocket: handshake rules, backlog, live pushes, need to know — on the
in-memory layer and, when REDIS_URL is set, on channels-redis."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client, override_settings
from django.utils import timezone

from casework.models import ApiToken
from casework.services.accounts import api_token_for_key, api_token_issue, api_token_revoke
from config.asgi import application
from tests.factories import World, make_student, make_world
from workflows import services
from workflows.models import CaseTask, Notification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://testserver")
HOST = (b"host", b"testserver")

LAYERS = {
    "memory": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
    "redis": {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": os.environ.get("REDIS_URL", ""), "socket_timeout": 30}],
                "prefix": f"test-{os.getpid()}",
            },
        }
    },
}


@pytest.fixture(params=["memory", "redis"])
def layer(request: pytest.FixtureRequest) -> Any:
    if request.param == "redis" and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis (set REDIS_URL)")
    with override_settings(CHANNEL_LAYERS=LAYERS[request.param]):
        yield request.param


@pytest.fixture
async def people(layer: str) -> World:
    return await database_sync_to_async(make_world)()


@database_sync_to_async
def token_for(user: Any) -> str:
    return api_token_issue(user=user)[1]


@database_sync_to_async
def session_cookie(user: Any) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(
    user: Any = None, *, token: str | None = None, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[WebsocketCommunicator, bool]:
    if user is not None and token is None:
        token = await token_for(user)
    path = "/ws/notifications/" + (f"?token={token}" if token else "")
    # A browser always names the host it connected to; the Origin is checked against it.
    communicator = WebsocketCommunicator(application, path, headers=[HOST, *(headers or [])])
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.fixture
async def sockets() -> AsyncIterator[list[WebsocketCommunicator]]:
    opened: list[WebsocketCommunicator] = []
    yield opened
    for communicator in opened:
        await communicator.disconnect()


flag = database_sync_to_async(
    lambda world: services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["pedagogical"],
    )
)


async def test_it_refuses_anonymous_connections(people: World) -> None:
    _, connected = await connect(headers=[ORIGIN])
    assert not connected
    _, connected = await connect(token="not-a-token")
    assert not connected


async def test_it_refuses_an_expired_or_revoked_token_and_one_older_than_the_password(
    people: World,
) -> None:
    for spoil in ("expire", "revoke", "password"):
        token = await token_for(people.psychologist)
        await database_sync_to_async(_spoil)(people.psychologist, token, spoil)
        _, connected = await connect(token=token)
        assert connected is False, spoil


def _spoil(user: Any, key: str, how: str) -> None:
    token = api_token_for_key(key)
    assert token is not None
    if how == "expire":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif how == "revoke":
        api_token_revoke(token=token, actor=user)
    else:
        user.set_password("a new long passphrase 42")
        user.save()


async def test_it_accepts_a_token_without_an_origin_but_not_a_foreign_origin(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    communicator, connected = await connect(people.psychologist)
    sockets.append(communicator)
    assert connected
    _, connected = await connect(
        people.psychologist, headers=[(b"origin", b"https://evil.example")]
    )
    assert not connected


async def test_it_accepts_a_session_only_from_an_allowed_origin(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    cookie = (b"cookie", await session_cookie(people.psychologist))
    communicator, connected = await connect(token="", headers=[cookie, ORIGIN])
    sockets.append(communicator)
    assert connected
    _, connected = await connect(token="", headers=[cookie])
    assert not connected
    _, connected = await connect(token="", headers=[cookie, (b"origin", b"http://evil.example")])
    assert not connected


async def test_it_pushes_a_flag_to_every_group_2_member_and_no_one_else(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    names = [
        "psychologist",
        "psychologist2",
        "teacher",
        "social",
        "network",
        "admin_staff",
        "coordinator",
        "form_tutor",
        "outsider",
    ]
    connected = {}
    for name in names:
        communicator, ok = await connect(people.user(name))
        assert ok
        sockets.append(communicator)
        connected[name] = communicator
    case = await flag(people)
    for name in ("psychologist", "psychologist2"):
        message = await connected[name].receive_json_from(timeout=3)
        assert (message["type"], message["case"], message["name"]) == (
            "task.available",
            case.pk,
            "triage",
        )
    for name in names[2:]:
        assert await connected[name].receive_nothing(timeout=0.2)


async def test_it_tells_the_other_psychologist_when_one_claims(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    case = await flag(people)
    other, _ = await connect(people.psychologist2)
    sockets.append(other)
    backlog = await other.receive_json_from(timeout=3)
    assert backlog["type"] == "task.available"
    case_task = await database_sync_to_async(CaseTask.objects.get)(case=case, name="triage")
    await database_sync_to_async(services.task_claim)(
        case_task=case_task, actor=people.psychologist
    )
    message = await other.receive_json_from(timeout=3)
    assert (message["type"], message["task"], message["by"]) == (
        "task.claimed",
        case_task.pk,
        people.psychologist.pk,
    )


async def test_it_sends_the_unread_backlog_on_connect(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    first = await flag(people)
    second = await flag(people)
    communicator, _ = await connect(people.psychologist)
    sockets.append(communicator)
    received = [await communicator.receive_json_from(timeout=3) for _ in range(2)]
    assert [m["case"] for m in received] == [first.pk, second.pk]
    assert await communicator.receive_nothing(timeout=0.2)
    # Reading one over the socket keeps it out of the next backlog.
    await communicator.send_json_to({"type": "notification.read", "id": received[0]["id"]})
    assert (await communicator.receive_json_from(timeout=3))["ok"] is True
    again, _ = await connect(people.psychologist)
    sockets.append(again)
    assert [(await again.receive_json_from(timeout=3))["case"]] == [second.pk]


async def test_it_keeps_uninvited_external_members_out_of_the_backlog(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    case = await flag(people)
    await database_sync_to_async(Notification.objects.create)(
        recipient=people.network, kind="task.available", case=case
    )
    communicator, _ = await connect(people.network)
    sockets.append(communicator)
    assert await communicator.receive_nothing(timeout=0.3)


@pytest.mark.parametrize(
    "origin",
    [
        b"http://localhost:9999",
        b"http://testserver:9999",
        b"https://testserver",
        b"ftp://testserver",
    ],
)
async def test_it_refuses_an_origin_that_differs_in_scheme_host_or_port(
    people: World, origin: bytes
) -> None:
    cookie = (b"cookie", await session_cookie(people.psychologist))
    _, connected = await connect(token="", headers=[cookie, (b"origin", origin)])
    assert not connected
    _, connected = await connect(people.psychologist, headers=[(b"origin", origin)])
    assert not connected


@override_settings(CSRF_TRUSTED_ORIGINS=["https://app.example.org:8443"])
async def test_it_accepts_a_trusted_origin_with_its_port(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    cookie = (b"cookie", await session_cookie(people.psychologist))
    trusted = (b"origin", b"https://app.example.org:8443")
    communicator, connected = await connect(token="", headers=[cookie, trusted])
    sockets.append(communicator)
    assert connected
    other_port = (b"origin", b"https://app.example.org")
    _, connected = await connect(token="", headers=[cookie, other_port])
    assert not connected


async def _session_socket(user: Any) -> tuple[WebsocketCommunicator, Client]:
    client = Client()
    await database_sync_to_async(client.force_login)(user)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    communicator, connected = await connect(token="", headers=[cookie, ORIGIN])
    assert connected
    return communicator, client


async def _assert_closed(communicator: WebsocketCommunicator) -> None:
    output = await communicator.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4001}


async def test_it_closes_the_socket_when_its_session_logs_out(people: World) -> None:
    communicator, client = await _session_socket(people.psychologist)
    await database_sync_to_async(client.post)("/accounts/logout/")
    await _assert_closed(communicator)


async def test_it_stops_pushing_once_the_session_is_gone_even_without_the_close(
    people: World,
) -> None:
    from django.contrib.sessions.models import Session

    communicator, _ = await _session_socket(people.psychologist)
    # The session ends without the logout hook (it expired, or was cleared by hand).
    await database_sync_to_async(lambda: Session.objects.all().delete())()
    await flag(people)
    await _assert_closed(communicator)


async def test_it_closes_the_sockets_of_a_changed_password(people: World) -> None:
    communicator, _ = await _session_socket(people.psychologist)
    with_token, _ = await connect(people.psychologist)

    def change() -> None:
        people.psychologist.set_password("a new secret 123")
        people.psychologist.save()

    await database_sync_to_async(change)()
    await _assert_closed(communicator)
    await _assert_closed(with_token)


async def test_it_closes_the_socket_of_a_member_made_inactive(people: World) -> None:
    from casework.services.offices import membership_set

    communicator, _ = await connect(people.psychologist)
    await database_sync_to_async(membership_set)(
        office=people.office, user=people.psychologist, group=2, active=False
    )
    await _assert_closed(communicator)


async def test_it_pushes_nothing_about_a_case_the_user_no_longer_sees(
    people: World, sockets: list[WebsocketCommunicator]
) -> None:
    from workflows.notify import notify

    case = await flag(people)
    communicator, _ = await connect(people.social)
    sockets.append(communicator)
    # A stored notification about a case in monitoring, which group 3 may not see.
    await database_sync_to_async(notify)(
        recipients=[people.social], kind="case.stage_changed", case=case
    )
    assert await communicator.receive_nothing(timeout=0.3)
