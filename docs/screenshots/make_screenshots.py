"""Screenshots of each role's main page, from the demo data, for the README.

    .venv/bin/python docs/screenshots/make_screenshots.py

Starts its own server on a throwaway SQLite database (migrate + seed_demo), walks a few cases
through the real API — flagged, triaged, planned — and photographs the pages with Playwright
driving Debian's Chromium (/usr/bin/chromium). Nothing is downloaded.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Api:
    def __init__(self, base: str) -> None:
        self.base = base
        self.tokens: dict[str, str] = {}

    def call(self, user: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        if user not in self.tokens:
            self.tokens[user] = self._token(user)
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Token {self.tokens[user]}",
                "Content-Type": "application/json",
                "Accept-Language": "en",
            },
            method="POST" if body is not None else "GET",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def _token(self, user: str) -> str:
        request = urllib.request.Request(
            self.base + "/api/auth/token/",
            data=json.dumps({"username": user, "password": "demo"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(json.loads(response.read())["token"])


def demo_cases(api: Api) -> int:
    """A handful of cases in different stages; returns the one shown on the case page."""
    _, students = api.call("teacher", "/api/students/?q=")
    ids = {s["code"]: s["id"] for s in students["results"]}
    flags = [
        ("D-1001", "Absent 9 zile luna aceasta; rămâne în urmă la atelier.", ["pedagogical"]),
        (
            "D-1003",
            "Corigent la trei materii; spune că ar putea pleca la muncă.",
            ["socio_economic"],
        ),
        ("D-1005", "Conflicte cu colegii; retras la ore.", ["pedagogical"]),
        ("D-1008", "Familia se mută; lipsesc actele pentru transfer.", ["administrative"]),
    ]
    cases = []
    for code, reason, functions in flags:
        status, case = api.call(
            "teacher",
            "/api/cases/",
            {"student": ids[code], "reason": reason, "functions": functions},
        )
        assert status == 201, case
        cases.append(case)
    # Triage of the first two: claimed and completed by a psychologist (the case is shared).
    for case, functions in (
        (cases[0], ["pedagogical", "socio_economic"]),
        (cases[1], ["socio_economic", "administrative"]),
    ):
        task = case["tasks"][0]["id"]
        api.call("psychologist", f"/api/tasks/{task}/claim/", {})
        status, body = api.call(
            "psychologist",
            f"/api/tasks/{task}/complete/",
            {
                "summary": "Am vorbit cu elevul și cu dirigintele.",
                "priority": 1,
                "recommended_functions": functions,
            },
        )
        assert status == 200, body
    # The first case gets a plan and starts its intervention.
    deadline = (datetime.date.today() + datetime.timedelta(days=45)).isoformat()
    status, body = api.call(
        "coordinator",
        f"/api/cases/{cases[0]['id']}/objectives/",
        {
            "description": "Participă la toate orele de atelier până la sfârșitul semestrului",
            "indicator": "prezența la atelier (%)",
            "baseline": "60%",
            "target": "95%",
            "deadline": deadline,
            "function": "pedagogical",
        },
    )
    assert status == 201, body
    status, body = api.call(
        "coordinator",
        f"/api/cases/{cases[0]['id']}/transitions/start_intervention/",
        {"note": "Decis în ședința din octombrie."},
    )
    assert status == 200, body
    # A psychologist holds the third triage, so "My tasks" has something in it.
    api.call("psychologist", f"/api/tasks/{cases[2]['tasks'][0]['id']}/claim/", {})
    return int(cases[0]["id"])


def shoot(base: str, case_id: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots: list[tuple[str, str, str, dict[str, int]]] = [
        ("teacher", "/", "teacher-cases-i-flagged.png", {"width": 1280, "height": 800}),
        (
            "teacher",
            f"/cases/{case_id}/",
            "teacher-case-page-phone.png",
            {"width": 390, "height": 844},
        ),
        ("psychologist2", "/", "psychologist-task-queue.png", {"width": 1280, "height": 800}),
        (
            "psychologist",
            "/tasks/inbox/",
            "psychologist-my-tasks.png",
            {"width": 1280, "height": 800},
        ),
        ("social", "/", "social-worker-task-queue.png", {"width": 1280, "height": 800}),
        ("coordinator", "/", "coordinator-office-dashboard.png", {"width": 1280, "height": 1000}),
        (
            "coordinator",
            f"/cases/{case_id}/",
            "coordinator-case-page.png",
            {"width": 1280, "height": 1000},
        ),
    ]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for user, path, name, viewport in shots:
            context = browser.new_context(viewport=viewport, locale="ro-RO")  # type: ignore[arg-type]
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", "demo")
            page.click("form.ao-login button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_selector("html[data-live=on]", timeout=10000)
            target = OUT / name
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
            context.close()
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ro-RO")
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        page.screenshot(path=str(OUT / "login.png"))
        written.append(OUT / "login.png")
        browser.close()
    return written


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("REDIS_URL", None)
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            case_id = demo_cases(Api(base))
            for path in shoot(base, case_id):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
