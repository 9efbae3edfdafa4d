"""The web front in a real Chromium: the teacher flags a student, the psychologists see the
task arrive live, one claims it (it leaves the other's queue), completes the triage, the
teacher's open case page follows, and the coordinator moves the case on. Then an axe-core
check of the main pages: no serious or critical violation.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.conftest import requires_postgres
from tests.factories import World, make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000


def _passwords_for_the_server(world: World) -> None:
    """The test settings hash with MD5, which the server (real settings) does not accept:
    store the demo password with PBKDF2, cheap iterations, as the server can check it."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import User

    password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    User.objects.filter(pk__in=[world.user(name).pk for name in ROLES]).update(password=password)


ROLES = ["teacher", "psychologist", "psychologist2", "coordinator", "network"]


def _login(browser: Any, base: str, username: str, **context: Any) -> Any:
    page = browser.new_context(locale="en-GB", **context).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _live(page: Any) -> None:
    page.wait_for_selector("html[data-live=on]", state="attached")


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_it_runs_the_case_from_flag_to_closing_live(server: str, browser: Any) -> None:
    world: World = make_world()
    _passwords_for_the_server(world)
    student = make_student(world.school, first_name="Bianca", last_name="Stoica")

    # Two psychologists have their queue open before anything happens.
    psychologist = _login(browser, server, "psychologist")
    psychologist2 = _login(browser, server, "psychologist2")
    for page in (psychologist, psychologist2):
        assert page.url.endswith("/tasks/queue/")
        _live(page)
        assert page.locator("table[data-live-list=queue] tr[data-task]").count() == 0

    # The teacher finds the student and flags her.
    teacher = _login(browser, server, "teacher")
    assert teacher.url.endswith("/cases/flagged/")
    teacher.goto(f"{server}/students/?q=Bianca")
    teacher.click(f"a[href='/students/{student.pk}/']")
    teacher.click(f"a[href='/cases/flag/{student.pk}/']")
    teacher.fill("#id_reason", "Absent nine days this month")
    teacher.check("input[name=functions][value=pedagogical]")
    teacher.click("form.ao-form button[type=submit]")
    teacher.wait_for_selector("[data-live-case]")
    case_id = int(teacher.get_attribute("[data-live-case]", "data-live-case"))
    assert teacher.get_attribute("[data-stage]", "data-stage") == "monitoring"
    _live(teacher)

    # The triage task appears in both queues without a reload, with a toast and a badge.
    row = "table[data-live-list=queue] tr[data-task]"
    for page in (psychologist, psychologist2):
        page.wait_for_selector(row)
        page.wait_for_selector("#ao-toasts .ao-toast")
        assert page.inner_text("[data-unread-badge]").strip() == "1"
    task_id = psychologist.get_attribute(row, "data-task")

    # One claims it: it leaves the other's queue, live.
    psychologist.click(f"tr[data-task='{task_id}'] button[type=submit]")
    psychologist.wait_for_url(f"**/tasks/{task_id}/execute/")
    psychologist2.wait_for_selector(f"tr[data-task='{task_id}']", state="detached")

    # Completing the triage opens its form; a missing field is said next to it.
    psychologist.click("form.ao-form button[type=submit]")
    psychologist.wait_for_selector("#id_summary_error")
    psychologist.fill("#id_summary", "Talked with Bianca and her form tutor")
    psychologist.select_option("#id_priority", "1")
    psychologist.check("input[name=recommended_functions][value=pedagogical]")
    psychologist.click("form.ao-form button[type=submit]")
    psychologist.wait_for_url(f"**/cases/{case_id}/")

    # The teacher's case page, left open, shows the case shared with the office.
    teacher.wait_for_selector("[data-stage=shared]")

    # The coordinator plans and moves the case on with the buttons on the case page.
    coordinator = _login(browser, server, "coordinator")
    assert coordinator.url.endswith("/office/")
    coordinator.goto(f"{server}/cases/{case_id}/")
    coordinator.click("#plan summary")
    coordinator.fill("#id_description", "Attend every workshop session")
    coordinator.fill("#id_indicator", "workshop attendance (%)")
    coordinator.fill("#id_baseline", "60%")
    coordinator.fill("#id_target", "95%")
    coordinator.fill(
        "#id_deadline", (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    )
    coordinator.click("#plan form button[type=submit]")
    coordinator.wait_for_selector(".ao-objective")

    # The coordinator runs the meeting: schedules it, finds the case on the agenda with its
    # reasons, records the attendance and decides to start the intervention.
    coordinator.goto(f"{server}/meetings/")
    # Today: decisions are taken from the meeting's day on.
    when = datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")
    coordinator.fill("#id_scheduled_for", when)
    coordinator.fill("#id_location", "Room 12")
    coordinator.click("#schedule button[type=submit]")
    coordinator.wait_for_selector("[data-meeting-page]")
    item = coordinator.locator(f"[data-agenda-case='{case_id}']")
    assert "not decided on yet" in item.inner_text()
    selects = coordinator.locator("#attendance select")
    for index in range(selects.count()):
        selects.nth(index).select_option("present")
    coordinator.click("#attendance button[type=submit]")
    coordinator.wait_for_selector("#attendance >> text=6 of 6 recorded")
    item = coordinator.locator(f"[data-agenda-case='{case_id}']")
    item.locator("summary").click()
    item.locator("select[name=kind]").select_option("transition")
    item.locator("textarea[name=text]").fill("Start the plan agreed today")
    item.locator("select[name=transition]").select_option("start_intervention")
    item.locator("[data-decision-form] button[type=submit]").click()
    coordinator.wait_for_selector(f"[data-agenda-case='{case_id}'] [data-decision-kind=transition]")

    # The case moved on: the teacher's open page follows, the function task is offered.
    teacher.wait_for_selector("[data-stage=intervention]")
    coordinator.goto(f"{server}/cases/{case_id}/")
    assert coordinator.get_attribute("[data-stage]", "data-stage") == "intervention"
    assert coordinator.locator("#tasks tr[data-task]").count() == 2
    assert coordinator.locator("[data-case-meeting]").count() == 1
    psychologist2.goto(f"{server}/tasks/queue/")
    psychologist2.wait_for_selector("table[data-live-list=queue] tr[data-task]")

    coordinator.check("#transition-start_closing input[name=cancel_open_tasks]")
    coordinator.click("[data-transition=start_closing]")
    coordinator.wait_for_selector("[data-stage=closing]")
    assert coordinator.locator("#closing form").count() == 1


def test_it_has_no_serious_accessibility_violations_on_the_main_pages(
    server: str, browser: Any
) -> None:
    from workflows import services

    world = make_world()
    _passwords_for_the_server(world)
    student = make_student(world.school)
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
    )
    case_task = case.tasks.get(name="triage")
    services.task_claim(case_task=case_task, actor=world.psychologist)
    other = make_student(world.school)
    services.case_flag(
        student=other, actor=world.teacher, reason="Grades", functions=["pedagogical"]
    )
    # A shared case on a meeting's agenda, a referral and a questionnaire link.
    from django.utils import timezone

    from casework.instrument_defaults import ensure_default_instrument
    from casework.models import ClassAssignment, Instrument, Item, Subscale
    from casework.services.consents import consent_record
    from casework.services.instruments import instrument_link_create
    from tests.casework.monitoring_helpers import record
    from tests.factories import advance
    from workflows import services
    from workflows.services import referral_request

    ClassAssignment.objects.create(user=world.teacher, school=world.school, class_name="10A")
    record(other, "attendance", 86, timezone.localdate() - datetime.timedelta(days=1))
    shared = advance(
        services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        ),
        world,
        "intervention",
    )
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
    )
    services.agenda_item_add(meeting=meeting, actor=world.coordinator, case=shared)
    consent_record(
        case=shared,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="Elena Pop",
        recipient_user=world.network,
        purpose="Scholarship",
    )
    referral_request(
        case=shared, actor=world.coordinator, purpose="Scholarship", to_user=world.network
    )
    _, token = instrument_link_create(
        student=other,
        # A transactional test flushed the migration's instrument: install it again.
        instrument=ensure_default_instrument(Instrument, Subscale, Item),
        actor=world.teacher,
    )

    pages = {
        "anonymous": ["/accounts/login/", f"/assessment/{token}/"],
        "teacher": [
            "/cases/flagged/",
            "/students/watchlist/",
            "/students/",
            f"/students/{other.pk}/",
            f"/cases/flag/{other.pk}/",
            f"/cases/{case.pk}/",
            "/library/",
        ],
        "network": ["/referrals/"],
        "psychologist": [
            "/tasks/queue/",
            "/tasks/inbox/",
            f"/tasks/{case_task.pk}/execute/",
            "/notifications/",
        ],
        "coordinator": [
            "/office/",
            f"/cases/{case.pk}/",
            f"/cases/{shared.pk}/",
            "/cases/",
            "/meetings/",
            f"/meetings/{meeting.pk}/",
            "/library/drafts/",
        ],
    }
    problems: dict[str, list[str]] = {}
    for user, paths in pages.items():
        if user == "anonymous":
            page = browser.new_context(locale="ro-RO").new_page()
        else:
            page = _login(browser, server, user)
        for path in paths:
            page.goto(server + path)
            page.wait_for_load_state("networkidle")
            found = _serious(page)
            if found:
                problems[f"{user} {path}"] = found
        # The phone: the same pages stay usable at 390 px.
        page.set_viewport_size({"width": 390, "height": 844})
        for path in paths[:2]:
            page.goto(server + path)
            found = _serious(page)
            if found:
                problems[f"{user} {path} (phone)"] = found
    assert problems == {}
