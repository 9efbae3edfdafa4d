"""Security headers: a strict Content-Security-Policy with no inline script anywhere, a
Permissions-Policy, and no-store on everything that carries personal data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import client_for
from tests.factories import World

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_it_sends_a_csp_that_allows_no_inline_or_foreign_script(world: World) -> None:
    web = Client()
    web.force_login(world.coordinator)
    response = web.get("/notifications/")
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/notifications/", "/accounts/login/", "/api/tasks/?scope=mine"])
def test_it_forbids_storing_pages_and_api_answers(world: World, path: str) -> None:
    web = Client()
    web.force_login(world.coordinator)
    assert web.get(path)["Cache-Control"] == "no-store"


def test_it_serves_the_api_docs_without_an_inline_script(world: World) -> None:
    response = client_for(world.coordinator).get("/api/docs/")
    assert response.status_code == 200
    assert not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>\s*\S", response.content)


def test_it_leaves_no_inline_script_or_event_handler_in_the_templates() -> None:
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(ROOT)}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{template.relative_to(ROOT)}: inline handler")
    assert offenders == []
