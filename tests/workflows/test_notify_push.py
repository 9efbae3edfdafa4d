"""Pushing stored notifications: one event loop per process for a network channel layer (so
channels-redis keeps its connections), never an error for the caller."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from channels.layers import BaseChannelLayer
from django.test import override_settings

from workflows import notify


class RecordingLayer(BaseChannelLayer):
    """A stand-in for a network layer: records where each group_send ran."""

    sent: ClassVar[list[tuple[str, dict[str, Any], int, str]]] = []
    hang: ClassVar[bool] = False

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if RecordingLayer.hang:
            await asyncio.sleep(60)
        loop = id(asyncio.get_running_loop())
        RecordingLayer.sent.append((group, message, loop, threading.current_thread().name))


@pytest.fixture
def layer() -> Iterator[type[RecordingLayer]]:
    RecordingLayer.sent, RecordingLayer.hang = [], False
    backend = {"default": {"BACKEND": f"{__name__}.RecordingLayer"}}
    with override_settings(CHANNEL_LAYERS=backend):
        yield RecordingLayer


def _done(future: concurrent.futures.Future[None] | None) -> None:
    assert future is not None
    future.result(timeout=5)


def test_it_pushes_from_any_thread_on_one_loop_of_its_own(layer: type[RecordingLayer]) -> None:
    _done(notify.push([(1, {"type": "task.claimed", "id": 10})]))
    futures: list[Any] = []
    other = threading.Thread(
        target=lambda: futures.append(notify.push([(2, {"type": "task.due", "id": 11})]))
    )
    other.start()
    other.join()
    _done(futures[0])
    _done(notify.push([(3, {"type": "task.available", "id": 12}), (4, {"type": "x", "id": 13})]))

    assert [(group, message["message"]["id"]) for group, message, _, _ in layer.sent] == [
        ("user.1", 10),
        ("user.2", 11),
        ("user.3", 12),
        ("user.4", 13),
    ]
    assert {message["type"] for _, message, _, _ in layer.sent} == {"notification.message"}
    # One loop, on the push thread, for every caller: one connection pool, not one per push.
    assert len({loop for _, _, loop, _ in layer.sent}) == 1
    assert {thread for _, _, _, thread in layer.sent} == {"notification-push"}


def test_it_makes_a_new_loop_after_a_fork(
    layer: type[RecordingLayer], monkeypatch: pytest.MonkeyPatch
) -> None:
    _done(notify.push([(1, {"id": 1})]))
    monkeypatch.setattr(notify.os, "getpid", lambda: -1)  # as in a forked worker
    _done(notify.push([(1, {"id": 2})]))
    first, second = (loop for _, _, loop, _ in layer.sent)
    assert first != second


def test_it_returns_at_once_and_gives_up_later_on_a_push_that_hangs(
    layer: type[RecordingLayer], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    layer.hang = True
    monkeypatch.setattr(notify, "PUSH_TIMEOUT", 0.2)
    with caplog.at_level(logging.WARNING, logger="workflows.notify"):
        started = time.perf_counter()
        future = notify.push([(1, {"id": 1})])
        assert time.perf_counter() - started < 0.1  # the caller does not wait for the push
        _done(future)
    assert "notification push failed" in caplog.text
    assert layer.sent == []


def test_it_drops_pushes_beyond_those_in_flight_without_waiting(
    layer: type[RecordingLayer], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    layer.hang = True
    monkeypatch.setattr(notify, "PUSH_TIMEOUT", 0.5)
    monkeypatch.setattr(notify, "MAX_IN_FLIGHT", 2)
    with caplog.at_level(logging.WARNING, logger="workflows.notify"):
        futures = [notify.push([(1, {"id": n})]) for n in range(3)]
    assert futures[2] is None
    assert "2 pushes already waiting" in caplog.text
    for future in futures[:2]:
        _done(future)
    assert notify._push_loop.in_flight == 0


@pytest.mark.django_db
def test_it_pushes_a_group_notification_with_its_words_and_link_as_the_backlog_has_them(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.models import User
    from tests.factories import make_user, make_world
    from workflows.models import Notification
    from workflows.notification_text import notification_message

    world = make_world()
    make_user("second", world.school)
    pushed: list[tuple[int, dict[str, object]]] = []
    monkeypatch.setattr(notify, "push", lambda messages: pushed.extend(messages))
    data = {"plan": 1, "plan_title": "Mobilitate", "text": "Informarea elevilor"}
    with django_capture_on_commit_callbacks(execute=True):
        created = notify.notify(
            recipients=User.objects.filter(school=world.school),
            kind=Notification.Kind.PLAN_TERM_STARTED,
            data=data,
        )

    assert len(created) >= 2 and len(pushed) == len(created)
    for recipient_id, message in pushed:
        stored = Notification.objects.get(pk=int(str(message["id"])), recipient_id=recipient_id)
        expected = notification_message(stored)
        assert message["text"] == expected["text"] != "Informarea elevilor"
        assert message["url"] == expected["url"]
