"""Need to know, generated: whatever hangs off a case is visible exactly when its case is.

Nothing here is listed by hand that the code can find by itself. The models are every model with
a foreign-key path to ``Case`` (``casework.selectors.case_path``); the addresses are every URL
pattern that takes an id (the URL resolver). Each must be reached by a front below, or be in an
exemption with its reason, or the coverage tests fail naming it. Then, for every role and stage,
each front — the API, the web pages, the websocket push, the calendar feed, the minutes PDF — is
asked for each object, and must answer "visible" iff the case itself is (``GET /api/cases/{id}/``
answers 200), with the narrower or wider rules that docs/ROLES.md states and ``expect`` encodes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import icalendar
import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from casework import policies
from casework.models import Assessment, Case, Consent, LibraryEntry, Objective, Referral, User
from casework.models.plan import ASSESSMENT_ITEMS
from casework.selectors import case_path
from casework.services.assessments import assessment_record
from casework.services.consents import consent_record
from casework.services.offices import membership_set
from tests.conftest import client_for
from tests.factories import ROLE_NAMES, World, advance, make_student, make_user
from workflows import calendar, services
from workflows.consumers import push_verdict
from workflows.minutes import minutes_context
from workflows.models import AgendaItem, CaseTask, Decision, Meeting, Notification
from workflows.notify import notify
from workflows.selectors import meetings_visible_to
from workflows.services import library_entry_draft

pytestmark = pytest.mark.django_db

# The world's roles, and a group 2 member whose membership ended after everything was made.
ROLES = [*ROLE_NAMES, "leaver"]
STAGES = ["monitoring", "shared", "intervention", "revoked", "archived"]

# Models that refer to a case but that no front shows as a record of the case, with the reason.
EXEMPT_MODELS = {
    "casework.Signal": "belongs to the student (monitoring comes before any case); whoever sees "
    "the student sees it — DESIGN.md, who sees a student",
    "casework.InstrumentResponse": "a signal's answers: follows the signal, hence the student",
    "workflows.Attendance": "read only inside its meeting (MeetingDetail, minutes): the meeting's "
    "rule covers it",
    "workflows.Notification": "per recipient; covered by the websocket front and "
    "/api/notifications/<pk>/read/ below",
    "support.Participation": "wider than its case: the opportunity's managers see every "
    "participant; the case's viewers see it and the link, others neither — by its own generated "
    "matrix (tests/support/test_access_matrix.py)",
    "support.StudentConsent": "a consent for the student, recorded from a case or not: read by "
    "the student's school's opportunity managers (tests/support/test_access_matrix.py)",
}
# Addresses that take an id but are not about a case record, with the reason.
EXEMPT_ROUTES = {
    "admin/": "the Django admin: superusers (the school's IT) only, outside need to know",
    "accounts/reset/": "a password-reset token, not an id",
    "calendar/<str:token>.ics": "a feed token, not an id: the calendar front below",
    "assessment/<str:token>/": "a questionnaire link token, not an id",
    "api/students/<int:pk>/": "a student and what was observed of them (risk, signals, "
    "instrument scores) follow the school, not a case (DESIGN.md, who sees a student)",
    "students/<int:pk>/": "the student's page, signals and instrument links: as above",
    "cases/flag/<int:student_pk>/": "flagging a student: students follow the school",
    "api/library/<int:pk>/": "published entries are anonymised for everyone; drafts below",
    "account/tokens/<int:pk>/": "one's own API tokens: owned by the account, not a case record "
    "(tests/casework/test_accounts.py)",
    "api/instrument-links/<int:pk>/": "a questionnaire link belongs to the student, who follows "
    "the school (tests/casework/test_instrument_links.py)",
    "api/activities/": "counselling activities are not case records: the author and the report "
    "readers see them, by their own generated matrix (tests/counselling/test_access_matrix.py)",
    "activities/": "the activity pages: as above",
    "api/reports/": "counselling reports are not case records: the author and the school's "
    "receivers and readers see them, by their own generated matrix "
    "(tests/counselling/test_report_api_matrix.py)",
    "reports/": "the report pages: as above",
    "info/<str:code>/": "the students' information pack: public by design, a school's code, "
    "no record of anyone (tests/counselling/test_info_pack.py)",
    "api/partners/": "partners and agreements are the school's, not case records "
    "(tests/support/test_access_matrix.py)",
    "api/opportunities/": "the catalogue is read by the school's staff; participants by its own "
    "generated matrix (tests/support/test_access_matrix.py)",
    "api/participations/": "as above: wider than the case for the opportunity's managers",
    "opportunities/": "the opportunity pages: as above",
    "api/plans/": "action plans are the school's, read by all its staff, not case records: by "
    "their own generated matrix (tests/plans/test_plan_access_matrix.py)",
    "api/plan-objectives/": "as above",
    "api/plan-actions/": "as above",
    "api/plan-indicators/": "as above",
    "plans/": "the action plan pages: as above",
}


@dataclass
class Scene:
    world: World
    stage: str
    case: Case
    leaver: User
    task: CaseTask
    individual: Meeting | None = None
    regular: Meeting | None = None
    item: AgendaItem | None = None
    decision: Decision | None = None
    consent: Consent | None = None
    referral: Referral | None = None
    objective: Objective | None = None
    assessment: Assessment | None = None
    draft: LibraryEntry | None = None
    notes: str = "Suspiciune de abuz în familie"
    notifications: dict[int, Notification] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.leaver if role == "leaver" else self.world.user(role)


def _scene(world: World, stage: str) -> Scene:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["pedagogical", "socio_economic"],
    )
    leaver = make_user("leaver", world.school)
    membership_set(office=world.office, user=leaver, group=2)
    to = {"revoked": "intervention"}.get(stage, stage)
    case = advance(case, world, "closing" if to == "archived" else to)
    scene = Scene(world, stage, case, leaver, CaseTask.objects.filter(case=case).first())  # type: ignore[arg-type]
    coordinator = world.coordinator
    scene.consent = consent_record(
        case=case,
        actor=coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="P",
        recipient_user=world.network,
        purpose="aid",
    )
    if case.stage in ("intervention",):
        scene.referral = services.referral_request(
            case=case, actor=coordinator, to_user=world.network, purpose="aid"
        )
        services.referral_change(referral=scene.referral, name="accept", actor=world.network)
        scores = {code: 3 for code, _ in ASSESSMENT_ITEMS["emotional"]}
        scene.assessment = assessment_record(
            case=case, actor=world.psychologist, area="emotional", phase="initial", scores=scores
        )
    scene.objective = case.objectives.first()
    when = timezone.now()  # today: the meeting records its decisions from its day on
    attendees = [world.network] if scene.referral else []
    scene.individual = services.meeting_schedule(
        office=world.office,
        actor=coordinator,
        scheduled_for=when,
        kind=Meeting.Kind.INDIVIDUAL,
        case=case,
        attendees=attendees,
    )
    services.meeting_update(meeting=scene.individual, actor=coordinator, notes=scene.notes)
    scene.regular = services.meeting_schedule(
        office=world.office, actor=coordinator, scheduled_for=when
    )
    if case.stage != "monitoring":  # the office discusses shared cases only
        # The agenda lists a shared case by itself; the coordinator adds it otherwise.
        scene.item = scene.regular.agenda_items.filter(case=case).first() or (
            services.agenda_item_add(meeting=scene.regular, actor=coordinator, case=case)
        )
        scene.decision = services.decision_record(
            meeting=scene.regular, item=scene.item, actor=coordinator, kind="note", text="Wait"
        )
    if stage == "archived":
        case = advance(case, world, "archived")
        consent_record(
            case=case, actor=coordinator, scope="library", given_by="parent", given_by_name="P"
        )
        scene.draft = library_entry_draft(case=case, actor=coordinator)
    if stage == "revoked":
        services.referral_change(referral=scene.referral, name="revoke", actor=coordinator)  # type: ignore[arg-type]
    for role in ROLES:
        user = scene.user(role)
        [scene.notifications[user.pk]] = notify(
            recipients=[user], kind=Notification.Kind.CASE_STAGE_CHANGED, case=case
        )
    membership_set(office=world.office, user=leaver, group=2, active=False)
    scene.case = Case.objects.get(pk=case.pk)
    return scene


# -- what each address is about, and who should find it ------------------------------------------

Target = Callable[[Scene, User], "dict[str, Any] | None"]


def _case_sees(scene: Scene, user: User) -> bool:
    return client_for(user).get(f"/api/cases/{scene.case.pk}/").status_code == 200


def _is_recipient(scene: Scene, user: User) -> bool:
    return scene.referral is not None and scene.referral.to_user_id == user.pk


def _reviews_drafts(scene: Scene, user: User) -> bool:
    return policies.can_review_library_entry(user, scene.case.office_id)


def _sees_regular(scene: Scene, user: User) -> bool:
    return meetings_visible_to(user).filter(pk=scene.regular.pk).exists()  # type: ignore[union-attr]


def _pk(key: str, attr: str, **extra: Any) -> Target:
    def target(scene: Scene, user: User) -> dict[str, Any] | None:
        obj = getattr(scene, attr)
        return None if obj is None else {key: obj.pk, **extra}

    return target


def _case_and(attr: str, key: str) -> Target:
    def target(scene: Scene, user: User) -> dict[str, Any] | None:
        obj = getattr(scene, attr)
        return None if obj is None else {"pk": scene.case.pk, key: obj.pk}

    return target


def _item(scene: Scene, user: User) -> dict[str, Any] | None:
    if scene.item is None:
        return None
    return {"pk": scene.regular.pk, "item_pk": scene.item.pk}  # type: ignore[union-attr]


def _with_review(scene: Scene, user: User) -> dict[str, Any] | None:
    # Before the review is written the address is 404 for everyone: nothing to show yet.
    return {"pk": scene.case.pk} if hasattr(scene.case, "closing_review") else None


def _notification(scene: Scene, user: User) -> dict[str, Any]:
    return {"pk": scene.notifications[user.pk].pk}


# route → (what it is about, extra rule beyond "its case is visible"). ``and``: narrower,
# ``or``: wider. Every route taking an id must be here or in EXEMPT_ROUTES.
Rule = Callable[[Scene, User], bool]
ROUTES: dict[str, tuple[Target, Rule | None, Rule | None]] = {
    # the case itself and what is written on it
    "api/cases/<int:pk>/": (_pk("pk", "case"), None, None),
    "api/cases/<int:pk>/transitions/<str:name>/": (_pk("pk", "case", name="share"), None, None),
    "api/cases/<int:pk>/objectives/": (_pk("pk", "case"), None, None),
    "api/cases/<int:pk>/closing-review/": (_with_review, None, None),
    "api/cases/<int:pk>/consents/": (_pk("pk", "case"), None, None),
    "api/cases/<int:pk>/assessments/": (_pk("pk", "case"), None, None),
    "api/cases/<int:pk>/library-entry/": (_pk("pk", "case"), None, None),
    "api/cases/<int:pk>/referrals/": (_pk("pk", "case"), None, None),
    "cases/<int:pk>/": (_pk("pk", "case"), None, None),
    "cases/<int:pk>/transitions/<str:name>/": (_pk("pk", "case", name="share"), None, None),
    "cases/<int:pk>/objectives/": (_pk("pk", "case"), None, None),
    "cases/<int:pk>/closing-review/": (_pk("pk", "case"), None, None),
    "cases/<int:pk>/assessments/<str:area>/": (_pk("pk", "case", area="emotional"), None, None),
    "cases/<int:pk>/consents/": (_pk("pk", "case"), None, None),
    "cases/<int:pk>/referrals/": (_pk("pk", "case"), None, None),
    "library/draft/<int:case_pk>/": (_pk("case_pk", "case"), None, None),
    # records hanging off the case
    "api/assessments/<int:pk>/": (_pk("pk", "assessment"), None, None),
    "api/objectives/<int:pk>/": (_pk("pk", "objective"), None, None),
    "api/objectives/<int:pk>/reviews/": (_pk("pk", "objective"), None, None),
    "cases/<int:pk>/objectives/<int:objective_pk>/": (
        _case_and("objective", "objective_pk"),
        None,
        None,
    ),
    "cases/<int:pk>/objectives/<int:objective_pk>/remove/": (
        _case_and("objective", "objective_pk"),
        None,
        None,
    ),
    "cases/<int:pk>/objectives/<int:objective_pk>/reviews/": (
        _case_and("objective", "objective_pk"),
        None,
        None,
    ),
    # a completed placement given as an objective's evidence: the objective's rule
    "api/objectives/<int:pk>/evidence/": (_pk("pk", "objective"), None, None),
    "opportunities/objectives/<int:pk>/evidence/": (_pk("pk", "objective"), None, None),
    "api/consents/<int:pk>/withdraw/": (_pk("pk", "consent"), None, None),
    "api/cases/<int:case_pk>/consents/<int:pk>/withdraw/": (
        lambda s, u: {"case_pk": s.case.pk, "pk": s.consent.pk},  # type: ignore[union-attr]
        None,
        None,
    ),
    "cases/<int:pk>/consents/<int:consent_pk>/withdraw/": (
        _case_and("consent", "consent_pk"),
        None,
        None,
    ),
    # a referral is also the recipient's to answer before they see the case
    "api/referrals/<int:pk>/": (_pk("pk", "referral"), None, _is_recipient),
    "api/referrals/<int:pk>/<str:name>/": (
        _pk("pk", "referral", name="complete"),
        None,
        _is_recipient,
    ),
    "referrals/<int:pk>/<str:name>/": (_pk("pk", "referral", name="complete"), None, _is_recipient),
    # tasks
    "api/tasks/<int:pk>/": (_pk("pk", "task"), None, None),
    "api/tasks/<int:pk>/claim/": (_pk("pk", "task"), None, None),
    "api/tasks/<int:pk>/release/": (_pk("pk", "task"), None, None),
    "api/tasks/<int:pk>/complete/": (_pk("pk", "task"), None, None),
    "api/tasks/<int:pk>/reassign/": (_pk("pk", "task"), None, None),
    "tasks/<int:pk>/": (_pk("pk", "task"), None, None),
    "tasks/<int:pk>/row/": (_pk("pk", "task"), None, None),
    "tasks/<int:pk>/claim/": (_pk("pk", "task"), None, None),
    "tasks/<int:pk>/release/": (_pk("pk", "task"), None, None),
    "tasks/<int:pk>/execute/": (_pk("pk", "task"), None, None),
    "api/notifications/<int:pk>/read/": (_notification, None, None),
    # the individual meeting about the case: every address of a meeting
    "api/meetings/<int:pk>/": (_pk("pk", "individual"), None, None),
    "api/meetings/<int:pk>/cancel/": (_pk("pk", "individual"), None, None),
    "api/meetings/<int:pk>/agenda/": (_pk("pk", "individual"), None, None),
    "api/meetings/<int:pk>/attendance/": (_pk("pk", "individual"), None, None),
    "api/meetings/<int:pk>/decisions/": (_pk("pk", "individual"), None, None),
    "api/meetings/<int:pk>/close/": (_pk("pk", "individual"), None, None),
    "api/meetings/<int:pk>/minutes.pdf": (_pk("pk", "individual"), None, None),
    "meetings/<int:pk>/": (_pk("pk", "individual"), None, None),
    "meetings/<int:pk>/attendance/": (_pk("pk", "individual"), None, None),
    "meetings/<int:pk>/notes/": (_pk("pk", "individual"), None, None),
    "meetings/<int:pk>/agenda/": (_pk("pk", "individual"), None, None),
    "meetings/<int:pk>/close/": (_pk("pk", "individual"), None, None),
    "meetings/<int:pk>/cancel/": (_pk("pk", "individual"), None, None),
    # the case's line on a regular meeting's agenda: the case's rule, inside the meeting's
    "api/meetings/<int:pk>/agenda/items/<int:item_pk>/": (_item, _sees_regular, None),
    "meetings/<int:pk>/items/<int:item_pk>/move/": (_item, _sees_regular, None),
    "meetings/<int:pk>/items/<int:item_pk>/remove/": (_item, _sees_regular, None),
    "meetings/<int:pk>/items/<int:item_pk>/decide/": (_item, _sees_regular, None),
    # drafts are reviewed by the office's coordinators and group 2, among the case's viewers
    "api/library/<int:pk>/publish/": (_pk("pk", "draft"), _reviews_drafts, None),
    "api/library/<int:pk>/revise/": (_pk("pk", "draft"), _reviews_drafts, None),
    "api/library/<int:pk>/withdraw/": (_pk("pk", "draft"), _reviews_drafts, None),
    "library/<int:pk>/": (_pk("pk", "draft"), _reviews_drafts, None),
    "library/<int:pk>/edit/": (_pk("pk", "draft"), _reviews_drafts, None),
    "library/<int:pk>/publish/": (_pk("pk", "draft"), _reviews_drafts, None),
    "library/<int:pk>/revise/": (_pk("pk", "draft"), _reviews_drafts, None),
    "library/<int:pk>/withdraw/": (_pk("pk", "draft"), _reviews_drafts, None),
}

# The model each front shows; every model with a path to Case is one of these or exempt.
MODELS_REACHED = {
    "casework.CaseEvent": "the case's timeline: GET /api/cases/<pk>/ and the case page",
    "casework.Objective": "api/objectives/<int:pk>/ and its reviews/",
    "casework.ObjectiveReview": "api/objectives/<int:pk>/reviews/ (listed there)",
    "support.ObjectiveEvidence": "api/objectives/<int:pk>/evidence/ (listed there)",
    "casework.ClosingReview": "api/cases/<int:pk>/closing-review/",
    "casework.Consent": "api/consents/<int:pk>/withdraw/",
    "casework.Referral": "api/referrals/<int:pk>/",
    "casework.LibraryEntry": "library/<int:pk>/ (drafts)",
    "workflows.Meeting": "api/meetings/<int:pk>/, the calendar and the minutes PDF",
    "workflows.AgendaItem": "api/meetings/<int:pk>/agenda/items/<int:item_pk>/, the minutes PDF",
    "workflows.Decision": "api/meetings/<int:pk>/ (decisions), the minutes PDF",
    "casework.Assessment": "api/assessments/<int:pk>/",
    "workflows.CaseTask": "api/tasks/<int:pk>/, the calendar",
}


def _routes() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns, ""):
        if "<" in route or "(?P<" in route:
            yield route


def _exempt(route: str) -> bool:
    # An exemption covers the address and everything under it.
    return any(route.startswith(e) for e in EXEMPT_ROUTES)


def test_it_covers_every_model_that_refers_to_a_case() -> None:
    found = {m._meta.label for m in apps.get_models() if m is not Case and case_path(m)}
    missing = found - set(MODELS_REACHED) - set(EXEMPT_MODELS)
    assert not missing, f"no front tested and no exemption for: {sorted(missing)}"
    stale = (set(MODELS_REACHED) | set(EXEMPT_MODELS)) - found
    assert not stale, f"no longer refer to a case: {sorted(stale)}"


def test_it_covers_every_address_that_takes_an_id() -> None:
    routes = set(_routes())
    missing = {r for r in routes if r not in ROUTES and not _exempt(r)}
    assert not missing, f"no visibility rule tested for: {sorted(missing)}"
    assert not set(ROUTES) - routes, f"routes gone: {sorted(set(ROUTES) - routes)}"


# -- the fronts ------------------------------------------------------------------------------


@pytest.fixture(params=STAGES)
def scene(request: pytest.FixtureRequest, world: World) -> Scene:
    return _scene(world, request.param)


def _expected(scene: Scene, route: str, user: User) -> bool:
    _, narrower, wider = ROUTES[route]
    visible = _case_sees(scene, user)
    if narrower is not None:
        visible = visible and narrower(scene, user)
    if wider is not None:
        visible = visible or wider(scene, user)
    return visible


def _path(route: str, kwargs: dict[str, Any]) -> str:
    path = "/" + route
    for key, value in kwargs.items():
        for kind in ("int", "str"):
            path = path.replace(f"<{kind}:{key}>", str(value))
    return path


def _ask(client: Any, path: str) -> int:
    """GET, or POST (then PATCH) with an empty body where GET is not allowed — rolled back."""
    with transaction.atomic():
        status: int = client.get(path).status_code
        if status == 405:
            status = client.post(path, {}).status_code
        if status == 405:
            status = client.patch(path, {}, content_type="application/json").status_code
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("front", ["api", "page"])
def test_it_answers_each_address_iff_the_case_is_visible(scene: Scene, front: str) -> None:
    wrong = []
    for route, (target, _, _) in ROUTES.items():
        if route.startswith("api/") != (front == "api"):
            continue
        for role in ROLES:
            user = scene.user(role)
            kwargs = target(scene, user)
            if kwargs is None:
                continue  # that record does not exist at this stage
            if front == "api":
                client: Any = client_for(user)
            else:
                client = Client(HTTP_ACCEPT_LANGUAGE="en")
                client.force_login(user)
            status = _ask(client, _path(route, kwargs))
            if (status != 404) != _expected(scene, route, user):
                wrong.append((route, role, status))
    assert not wrong, f"{scene.stage}: {wrong}"


def test_it_lists_the_records_of_a_case_only_to_its_viewers(scene: Scene) -> None:
    for role in ROLES:
        user = scene.user(role)
        sees = _case_sees(scene, user)
        api = client_for(user)
        listed = {m["id"] for m in api.get("/api/meetings/?page_size=100").json()["results"]}
        assert (scene.individual.pk in listed) == sees, (scene.stage, role)  # type: ignore[union-attr]
        agenda = api.get(f"/api/meetings/{scene.regular.pk}/agenda/")  # type: ignore[union-attr]
        cases = {i["case"] for i in agenda.json()["items"]} if agenda.status_code == 200 else set()
        on_agenda = scene.item is not None and sees and _sees_regular(scene, user)
        assert (scene.case.pk in cases) == on_agenda, (scene.stage, role)
        detail = api.get(f"/api/meetings/{scene.regular.pk}/")  # type: ignore[union-attr]
        decided = (
            {d["case"] for d in detail.json()["decisions"]} if detail.status_code == 200 else set()
        )
        assert (scene.case.pk in decided) == on_agenda, (scene.stage, role)
        tasks = {t["case"] for t in api.get("/api/tasks/?scope=available").json()["results"]}
        assert not tasks - ({scene.case.pk} if sees else set()), (scene.stage, role)
        told = {n["case"] for n in api.get("/api/notifications/").json()["results"]}
        assert (scene.case.pk in told) == sees, (scene.stage, role)


def test_it_pushes_over_the_websocket_iff_the_case_is_visible(scene: Scene) -> None:
    for role in ROLES:
        user = scene.user(role)
        scope = {"user": user, "auth_token": _token(user)}
        verdict = push_verdict(scope, scene.notifications[user.pk].as_message())
        # The leaver's account still stands: their sockets were closed when the seat ended
        # (tests/workflows/test_consumers.py); a socket opened since gets nothing of the case.
        expected = "send" if _case_sees(scene, user) else "skip"
        assert verdict == expected, (scene.stage, role, verdict)


def _token(user: User) -> str:
    from casework.services.accounts import api_token_issue

    return api_token_issue(user=user)[1]


def test_it_puts_a_case_meeting_in_the_calendar_iff_the_case_is_visible(scene: Scene) -> None:
    for role in ROLES:
        user = scene.user(role)
        feed = icalendar.Calendar.from_ical(calendar.calendar_for(user, base_url="https://x"))
        uids = {str(e["uid"]) for e in feed.walk("VEVENT")}
        assert (f"meeting-{scene.individual.pk}@action-office" in uids) == _case_sees(scene, user)  # type: ignore[union-attr]
        assert scene.notes not in calendar.calendar_for(user).decode()


def test_it_prints_the_case_in_the_minutes_iff_the_case_is_visible(scene: Scene) -> None:
    for role in ROLES:
        user = scene.user(role)
        sees = _case_sees(scene, user)
        pdf = client_for(user).get(f"/api/meetings/{scene.individual.pk}/minutes.pdf")  # type: ignore[union-attr]
        # Visible: 200, or 403 for an invited network member (the minutes are the office's).
        assert (pdf.status_code != 404) == sees, (scene.stage, role, pdf.status_code)
        if _sees_regular(scene, user) and scene.item is not None:
            items = minutes_context(scene.regular, user)["items"]  # type: ignore[arg-type]
            assert (scene.case.pk in {i["item"].case_id for i in items}) == sees, (
                scene.stage,
                role,
            )
