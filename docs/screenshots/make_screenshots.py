"""Screenshots of each role's main page, from the demo data, for the README.

    .venv/bin/python docs/screenshots/make_screenshots.py

Starts its own server on a throwaway SQLite database (migrate + seed_demo), walks a few cases
through the real API — flagged, triaged, planned, archived into the library — schedules a
meeting, makes a questionnaire link, and photographs the pages with Playwright
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


def call(api: Api, user: str, path: str, body: dict[str, Any] | None = None) -> Any:
    status, answer = api.call(user, path, body)
    assert status < 300, (path, status, answer)
    return answer


class Demo:
    """Cases walked through the API from whatever the demo contains: students that already
    have an open case (the demo may hold some) are skipped, never assumed."""

    def __init__(self, api: Api) -> None:
        self.api = api
        students = call(api, "teacher", "/api/students/?q=")["results"]
        self.students = [s for s in students if s["code"].startswith("D-")] or students
        self.cases: dict[str, dict[str, Any]] = {}
        self.deadline = (datetime.date.today() + datetime.timedelta(days=45)).isoformat()

    def flag(self, name: str, reason: str, functions: list[str]) -> dict[str, Any]:
        while self.students:
            student = self.students.pop(0)
            status, case = self.api.call(
                "teacher",
                "/api/cases/",
                {
                    "student": student["id"],
                    "reason": reason.format(name=student["first_name"]),
                    "functions": functions,
                },
            )
            if status == 201:
                self.cases[name] = case
                return dict(case)
            assert status == 409, case  # an open case already: take the next student
        raise SystemExit("no student without an open case is left in the demo data")

    def triage(self, case: dict[str, Any], functions: list[str]) -> None:
        task = case["tasks"][0]["id"]
        call(self.api, "psychologist", f"/api/tasks/{task}/claim/", {})
        call(
            self.api,
            "psychologist",
            f"/api/tasks/{task}/complete/",
            {
                "summary": "Am vorbit cu elevul și cu dirigintele.",
                "priority": 1,
                "recommended_functions": functions,
            },
        )

    def plan(self, case: dict[str, Any], description: str, function: str) -> None:
        call(
            self.api,
            "coordinator",
            f"/api/cases/{case['id']}/objectives/",
            {
                "description": description,
                "indicator": "prezența la atelier (%)",
                "baseline": "60%",
                "target": "95%",
                "deadline": self.deadline,
                "function": function,
            },
        )

    def move(self, case: dict[str, Any], name: str, **extra: Any) -> None:
        body = {"note": "Decis în ședința biroului.", **extra}
        call(self.api, "coordinator", f"/api/cases/{case['id']}/transitions/{name}/", body)

    def archive(self, case: dict[str, Any]) -> None:
        self.move(case, "start_closing", cancel_open_tasks=True)
        call(
            self.api,
            "coordinator",
            f"/api/cases/{case['id']}/closing-review/",
            {
                "feedback": "Elevul și familia spun că sprijinul i-a ajutat să rămână la școală.",
                "objectives_met": "all",
                "impact": "Prezența a crescut de la 60% la 94% într-un semestru.",
                "lessons_learned": (
                    "Contactul timpuriu cu familia și un mentor din atelier au contat cel mai mult."
                ),
            },
        )
        self.move(case, "archive")
        call(
            self.api,
            "coordinator",
            f"/api/cases/{case['id']}/consents/",
            {"scope": "library", "given_by": "parent", "given_by_name": "Elena Vasilescu"},
        )


def demo_cases(api: Api) -> dict[str, Any]:
    """Cases in different stages, a meeting with its agenda, a library entry published and one
    in draft, and a questionnaire link; returns what the shots need."""
    demo = Demo(api)
    main = demo.flag(
        "main", "Absent 9 zile luna aceasta; rămâne în urmă la atelier.", ["pedagogical"]
    )
    second = demo.flag(
        "second",
        "Corigent la trei materii; spune că ar putea pleca la muncă.",
        ["socio_economic"],
    )
    demo.flag("third", "Conflicte cu colegii; retras la ore.", ["pedagogical"])
    demo.flag("fourth", "Familia se mută; lipsesc actele pentru transfer.", ["administrative"])
    demo.triage(main, ["pedagogical", "socio_economic"])
    demo.triage(second, ["socio_economic", "administrative"])
    demo.plan(
        main, "Participă la toate orele de atelier până la sfârșitul semestrului", "pedagogical"
    )
    demo.move(main, "start_intervention")
    # A psychologist holds the third triage, so "My tasks" has something in it.
    third = demo.cases["third"]
    call(api, "psychologist", f"/api/tasks/{third['tasks'][0]['id']}/claim/", {})

    # Two cases that ran their course: one published in the library, one in draft for review.
    published = demo.flag(
        "published", "Lipsește des de la practică; lucrează seara.", ["socio_economic"]
    )
    # The draft's reason names the student and a phone: the reviewer sees both replaced.
    draft = demo.flag(
        "draft",
        "{name} lipsește după mutarea familiei; mama a sunat de pe 0722 123 456.",
        ["pedagogical"],
    )
    for case in (published, draft):
        demo.triage(case, ["pedagogical", "socio_economic"])
        demo.plan(case, "Revine la orele de practică cel puțin 4 zile pe săptămână", "pedagogical")
        demo.move(case, "start_intervention")
        demo.archive(case)
    entry = call(api, "coordinator", f"/api/cases/{published['id']}/library-entry/", {})
    call(api, "psychologist", f"/api/library/{entry['id']}/publish/", {})
    draft_entry = call(api, "coordinator", f"/api/cases/{draft['id']}/library-entry/", {})

    # The office meeting, with the shared case on its agenda.
    when = (datetime.datetime.now() + datetime.timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting = call(
        api,
        "coordinator",
        "/api/meetings/",
        {"scheduled_for": when.isoformat(), "location": "Sala 12"},
    )

    # A questionnaire link for a student, to photograph the student's page.
    link = call(
        api,
        "teacher",
        f"/api/students/{main['student']}/instrument-links/",
        {"instrument": "autoevaluare-abandon"},
    )
    watch = call(api, "teacher", "/api/watchlist/")["results"]
    return {
        "case": main["id"],
        "meeting": meeting["id"],
        "draft": draft_entry["id"],
        "link": link["url"],
        "student": watch[0]["student"]["id"] if watch else main["student"],
    }


def shoot(base: str, demo: dict[str, Any]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    case_id = demo["case"]
    wide = {"width": 1280, "height": 900}
    phone = {"width": 390, "height": 844}
    shots: list[tuple[str, str, str, dict[str, int]]] = [
        ("teacher", "/", "teacher-cases-i-flagged.png", wide),
        ("teacher", "/students/watchlist/", "teacher-watchlist.png", wide),
        ("teacher", f"/students/{demo['student']}/", "teacher-student-page.png", wide),
        ("teacher", f"/cases/{case_id}/", "teacher-case-page-phone.png", phone),
        ("psychologist2", "/", "psychologist-task-queue.png", wide),
        ("psychologist", "/tasks/inbox/", "psychologist-my-tasks.png", wide),
        ("psychologist", f"/library/{demo['draft']}/", "psychologist-library-draft.png", wide),
        ("social", "/", "social-worker-task-queue.png", wide),
        ("coordinator", "/", "coordinator-office-dashboard.png", wide),
        ("coordinator", f"/meetings/{demo['meeting']}/", "coordinator-meeting.png", wide),
        ("coordinator", f"/cases/{case_id}/", "coordinator-case-page.png", wide),
        ("form_tutor", "/library/", "library-search.png", wide),
        ("form_tutor", "/activities/", "form-tutor-activities-phone.png", phone),
        ("counsellor", "/reports/", "counsellor-reports.png", wide),
        ("coordinator", "/opportunities/", "coordinator-opportunities.png", wide),
        ("director", "/outcomes/", "director-outcomes.png", wide),
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
        context.close()
        # The student's questionnaire: no login, on a phone (the first screen of it).
        context = browser.new_context(viewport=phone, locale="ro-RO")  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(demo["link"])
        page.screenshot(path=str(OUT / "student-questionnaire-phone.png"))
        written.append(OUT / "student-questionnaire-phone.png")
        # The students' information pack: public, on a phone.
        page.goto(base + "/info/DEMO/")
        page.screenshot(path=str(OUT / "student-info-pack-phone.png"), full_page=True)
        written.append(OUT / "student-info-pack-phone.png")
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
        log = open(os.environ.get("SHOTS_SERVER_LOG", os.devnull), "a")  # noqa: SIM115 (the server's life)
        server = subprocess.Popen(
            [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
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
            demo = demo_cases(Api(base))
            for path in shoot(base, demo):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
