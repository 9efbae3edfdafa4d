"""Pushing stored notifications: one event loop per process for a network channel layer (so
channels-redis keeps its connections), never an error for the caller."""

from __future__ import annotations

import asyncio
import logging
import threading
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


def test_it_pushes_from_any_thread_on_one_loop_of_its_own(layer: type[RecordingLayer]) -> None:
    notify.push([(1, {"type": "task.claimed", "id": 10})])
    other = threading.Thread(target=notify.push, args=([(2, {"type": "task.due", "id": 11})],))
    other.start()
    other.join()
    notify.push([(3, {"type": "task.available", "id": 12}), (4, {"type": "x", "id": 13})])

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
    notify.push([(1, {"id": 1})])
    monkeypatch.setattr(notify.os, "getpid", lambda: -1)  # as in a forked worker
    notify.push([(1, {"id": 2})])
    first, second = (loop for _, _, loop, _ in layer.sent)
    assert first != second


def test_it_gives_up_on_a_push_that_hangs_without_raising(
    layer: type[RecordingLayer], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    layer.hang = True
    monkeypatch.setattr(notify, "PUSH_TIMEOUT", 0.05)
    with caplog.at_level(logging.WARNING, logger="workflows.notify"):
        notify.push([(1, {"id": 1})])
    assert "notification push failed" in caplog.text
    assert layer.sent == []
