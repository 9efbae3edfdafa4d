"""The API's OpenAPI schema says what the API validates: a schema-driven fuzzer (schemathesis)
logged in as a coordinator sends generated requests to every operation, and

* no request answers 5xx, and every answer conforms to the schema's status codes and shapes;
* every operation's generated requests reach its success path (a 2xx) at least once — so the
  schema describes request bodies, enums, ranges and formats well enough that generated bodies
  are not all refused as invalid.

Ids in paths and bodies cannot be guessed: they are set to records of a small world built
through the services (a case at each stage, a meeting with an agenda, a draft library entry...).
Two rules that relate fields, which JSON Schema cannot state, are helped the same way: exactly
one of a decision's ``item``/``case`` (of a referral's ``to``/``contact``), and a SMART target
that differs from its baseline.
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from casework.instrument_defaults import ensure_default_instrument
from casework.models import Case, Contact, Instrument, Item, Position, Subscale
from casework.models.plan import ASSESSMENT_ITEMS
from casework.services.accounts import api_token_issue
from casework.services.assessments import assessment_record
from casework.services.cases import closing_review_create
from casework.services.consents import consent_record
from casework.services.instruments import instrument_link_create
from counselling.reports.services import report_draft
from counselling.services import activity_record
from plans.models import PlanAction
from plans.services import plan_create
from support.services import (
    opportunity_add,
    participation_propose,
    participation_transition,
    partner_add,
)
from tests.casework.library_support import archived_case, fill_register, published_entry
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import CaseTask, Notification, TaskName
from workflows.services import library_entry_draft, referral_request

pytestmark = pytest.mark.django_db

EXAMPLES = 8
AREA = next(iter(ASSESSMENT_ITEMS))
# Operations whose success needs what a generated request cannot bring.
NO_SUCCESS_EXPECTED = {
    # A password that matches: the fuzzer cannot know one.
    "POST /api/auth/token/",
    # A signed document from a registered partner.
    "POST /api/library/import/",
    # A CSV or XLSX file with the right columns.
    "POST /api/signals/import/",
    "POST /api/students/import/",
}
# Operations whose success needs a sequence of earlier steps, not one request: reaching the
# state check (409) or the role check (403) shows the generated body passed validation.
STATEFUL = {
    # Every agenda item decided and attendance recorded first.
    "POST /api/meetings/{id}/close/",
    # The meeting under way first (its minutes opened).
    "POST /api/meetings/{id}/decisions/",
    # The transition the case's stage allows (the others are 409).
    "POST /api/cases/{id}/transitions/{name}/",
    # A recorded consent naming the recipient and this purpose.
    "POST /api/cases/{id}/referrals/",
    # A case not on the agenda yet: reading the agenda (tried before) puts shared cases on it.
    "POST /api/meetings/{id}/agenda/",
    # The assessment of a phase the case's stage allows, once per area and phase.
    "POST /api/cases/{id}/assessments/",
    # The recipient accepts, the sender revokes: each action by its own person and status.
    "POST /api/referrals/{id}/{name}/",
}
# Operations tried by another user than the coordinator: the one their success needs.
ACTORS = {
    "POST /api/tasks/{id}/claim/": "psychologist",
    "POST /api/tasks/{id}/complete/": "psychologist",
    "POST /api/tasks/{id}/release/": "psychologist",
    "POST /api/library/{id}/publish/": "psychologist",
}


def _case(world: World, stage: str, **student: Any) -> Case:
    case = services.case_flag(
        student=make_student(world.school, **student),
        actor=world.teacher,
        reason="Absent",
        functions=["pedagogical"],
    )
    return advance(case, world, stage)


def _task(world: World, *, claimed: bool) -> int:
    """The pedagogical (group 2) task of a case in intervention, claimed by the psychologist."""
    case_task = CaseTask.objects.exclude(name=TaskName.TRIAGE).get(
        case=_case(world, "intervention"), group=2
    )
    if claimed:
        services.task_claim(case_task=case_task, actor=world.psychologist)
    return int(case_task.task_id)


def _consent(world: World, case: Case) -> int:
    return consent_record(
        case=case, actor=world.coordinator, scope="library", given_by="parent", given_by_name="E"
    ).pk


def _world_ids(world: World) -> dict[str, Any]:
    fill_register(world.school, 6)
    # The fuzzer acts as the coordinator; as the school's director too, it may assign positions.
    Position.objects.create(user=world.coordinator, school=world.school, position="director")
    # ... and its study counsellor, who drafts and submits semester reports.
    Position.objects.create(
        user=world.coordinator, school=world.school, position="study_counsellor"
    )
    case = _case(world, "intervention")
    closing = _case(world, "closing")
    closing_fresh = _case(world, "closing")
    closing_review_create(
        case=closing,
        actor=world.coordinator,
        feedback="Satisfied",
        objectives_met="all",
        impact="Attendance back",
        lessons_learned="Call early",
    )
    meeting = services.meeting_schedule(
        office=world.office, actor=world.coordinator, scheduled_for=_soon()
    )
    later = _case(world, "shared")  # shared after the agenda was drawn: not on it yet
    removable = _case(world, "intervention")
    contact = Contact.objects.create(office=world.office, kind="ngo", name="Asociația Exemplu")
    referral = _referral(world, case)
    return {
        "student": case.student_id,
        "free_student": make_student(world.school).pk,
        "case": case.pk,
        "later": later.pk,
        "closing": closing.pk,
        "closing_fresh": closing_fresh.pk,
        # A transactional test run earlier in this process flushed the migration's instrument.
        "instrument": ensure_default_instrument(Instrument, Subscale, Item).code,
        "archived": archived_case(world).pk,
        "entry": library_entry_draft(case=archived_case(world), actor=world.coordinator).pk,
        "published": published_entry(world).pk,
        "consent": _consent(world, case),
        "case_consent": _consent(world, case),
        "meeting": meeting.pk,
        "meeting_to_close": services.meeting_schedule(
            office=world.office, actor=world.coordinator, scheduled_for=_soon()
        ).pk,
        "item": services.agenda_item_add(meeting=meeting, actor=world.coordinator, case=case).pk,
        "item_to_remove": services.agenda_item_add(
            meeting=meeting, actor=world.coordinator, case=removable
        ).pk,
        "transition_case": _case(world, "intervention").pk,
        "task": _task(world, claimed=False),
        "held_task": _task(world, claimed=True),
        "released_task": _task(world, claimed=True),
        "reassigned_task": _task(world, claimed=False),
        "objective": case.objectives.first().pk,  # type: ignore[union-attr]
        # Changed and removed while no progress is recorded (the reviews above record some).
        "objective_to_change": _case(world, "intervention").objectives.get().pk,
        "objective_to_remove": _case(world, "intervention").objectives.get().pk,
        "assessment": assessment_record(
            case=case,
            actor=world.coordinator,
            area=AREA,
            phase="initial",
            scores={code: 3 for code, _ in ASSESSMENT_ITEMS[AREA]},
        ).pk,
        "notification": Notification.objects.create(
            recipient=world.coordinator, kind=Notification.Kind.CASE_STAGE_CHANGED, case=case
        ).pk,
        "referral": referral,
        "contact": contact.pk,
        "user": world.coordinator.pk,
        "network": world.network.pk,
        "psychologist2": world.psychologist2.pk,
        "activity": activity_record(
            actor=world.coordinator,
            kind="group",
            channel="direct",
            topic="career_routes",
            title="Rute de carieră",
            held_on=datetime.date.today(),
            duration_minutes=50,
        ).pk,
        "instrument_link": instrument_link_create(
            student=case.student,
            instrument=Instrument.objects.get(code="autoevaluare-abandon"),
            actor=world.coordinator,
        )[0].pk,
        "report": report_draft(
            actor=world.coordinator, kind="counselling_semester", period="2025-2026/1"
        ).pk,
        "report_to_submit": report_draft(
            actor=world.coordinator, kind="counselling_semester", period="2025-2026/2"
        ).pk,
        "report_action": "submit",
        **_support_ids(world),
        **_plan_ids(world),
    }


def _plan_ids(world: World) -> dict[str, Any]:
    """The seed's mobility plan, and a manual indicator of an action the director (the
    coordinator here) answers for."""
    plan = plan_create(
        actor=world.coordinator, school_year="2025-2026", template="student_mobility"
    )
    action = PlanAction.objects.get(objective__plan=plan, number=8)
    return {
        "plan": plan.pk,
        "plan_objective": action.objective_id,
        "plan_action": action.pk,
        "plan_indicator": action.indicators.get(measure="manual").pk,
    }


def _support_ids(world: World) -> dict[str, Any]:
    """A partner, a placement to propose for, and two mobility participations: one proposed
    (its next step is ``select``), one under way (its outcome may be recorded)."""
    actor = world.coordinator
    partner = partner_add(actor=actor, name="SC Exemplu SRL", kind="employer", country="RO")
    day = datetime.date(2026, 3, 2)
    placement = opportunity_add(
        actor=actor,
        kind="practice_placement",
        title="Practică",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=9),
        partner=partner,
    )
    mobility = opportunity_add(
        actor=actor,
        kind="short_term_mobility",
        title="Mobilitate",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=19),
    )
    adult = {"birth_date": datetime.date(2000, 1, 1)}
    proposed, started = (
        participation_propose(
            actor=actor,
            opportunity=mobility,
            role="learner",
            student=make_student(world.school, **adult),
        )
        for _ in range(2)
    )
    for name in ("select", "confirm", "start"):
        started = participation_transition(actor=actor, participation=started, name=name)
    # A completed placement proposed from a case in intervention: its objective's evidence.
    case = _case(world, "intervention", **adult)
    completed = participation_propose(
        actor=actor, opportunity=placement, role="learner", student=case.student, case=case
    )
    for name in ("select", "confirm", "start", "complete"):
        completed = participation_transition(actor=actor, participation=completed, name=name)
    return {
        "partner": partner.pk,
        "opportunity": placement.pk,
        "participation": proposed.pk,
        "started_participation": started.pk,
        "move": "select",
        "participants_format": "xlsx",
        "evidence_objective": case.objectives.first().pk,  # type: ignore[union-attr]
        "completed_participation": completed.pk,
    }


def _referral(world: World, case: Case) -> int:
    purpose = "Scholarship"
    consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="E",
        recipient_user=world.network,
        purpose=purpose,
    )
    return referral_request(
        case=case, actor=world.coordinator, to_user=world.network, purpose=purpose
    ).pk


def _soon() -> Any:

    from django.utils import timezone

    return timezone.now()  # today: decisions and closing are recorded from the meeting's day


PATHS: dict[str, dict[str, str]] = {
    # The longest prefix wins; "METHOD path" before the path alone.
    "POST /api/cases/{id}/closing-review/": {"id": "closing_fresh"},
    "/api/cases/{id}/closing-review/": {"id": "closing"},
    "/api/cases/{id}/library-entry/": {"id": "archived"},
    "/api/cases/{id}/transitions/": {"id": "transition_case"},
    "DELETE /api/meetings/{id}/agenda/items/": {"id": "meeting", "item_pk": "item_to_remove"},
    "/api/cases/{case_pk}/consents/": {"case_pk": "case", "id": "case_consent"},
    "/api/cases/": {"id": "case"},
    "/api/consents/": {"id": "consent"},
    "/api/meetings/{id}/close/": {"id": "meeting_to_close"},
    "/api/meetings/": {"id": "meeting", "item_pk": "item"},
    "/api/tasks/{id}/complete/": {"id": "held_task"},
    "/api/tasks/{id}/release/": {"id": "released_task"},
    "/api/tasks/{id}/reassign/": {"id": "reassigned_task"},
    "/api/tasks/": {"id": "task"},
    "/api/students/": {"id": "student"},
    "/api/library/{id}/revise/": {"id": "published"},
    "/api/library/": {"id": "entry"},
    "PATCH /api/objectives/{id}/": {"id": "objective_to_change"},
    "DELETE /api/objectives/{id}/": {"id": "objective_to_remove"},
    "/api/objectives/{id}/evidence/": {"id": "evidence_objective"},
    "/api/objectives/": {"id": "objective"},
    "/api/notifications/": {"id": "notification"},
    "/api/assessments/": {"id": "assessment"},
    "/api/referrals/": {"id": "referral"},
    "/api/instrument-links/": {"id": "instrument_link"},
    "/api/activities/": {"id": "activity"},
    "/api/reports/{id}/{action}/": {"id": "report_to_submit", "action": "report_action"},
    "/api/reports/": {"id": "report"},
    "/api/partners/": {"id": "partner"},
    "/api/opportunities/{id}/participants.": {"id": "opportunity", "fmt": "participants_format"},
    "/api/opportunities/": {"id": "opportunity"},
    "/api/participations/{id}/outcome/": {"id": "started_participation"},
    "/api/participations/{id}/{name}/": {"id": "participation", "name": "move"},
    "/api/participations/": {"id": "participation"},
    "/api/plans/": {"id": "plan"},
    "/api/plan-objectives/": {"id": "plan_objective"},
    "/api/plan-actions/": {"id": "plan_action"},
    "/api/plan-indicators/": {"id": "plan_indicator"},
}


def _path_ids(method: str, path: str, ids: dict[str, Any]) -> dict[str, Any]:
    """The records a path's parameters name."""
    for prefix in sorted(PATHS, key=len, reverse=True):
        if f"{method} {path}".startswith(prefix) or path.startswith(prefix):
            return {name: ids[key] for name, key in PATHS[prefix].items()}
    return {}


BODY_IDS = {
    "student": "free_student",
    "case": "later",
    "item": "item",
    "owner": "user",
    "user": "user",
    "to": "network",  # a referral's; a task's is set below
    "contact": "contact",
    "recipient_user": "network",
    "plan": "plan",
}


def _fill_ids(case: Any, ids: dict[str, Any]) -> None:
    if case.operation.path.endswith("/export.xlsx"):
        case.query = {"school_year": "2025-2026"}
    for name in list(case.path_parameters or {}):
        value = _path_ids(case.operation.method.upper(), case.operation.path, ids).get(name)
        if value is not None:
            case.path_parameters[name] = value
    if isinstance(case.body, dict):
        for name, key in BODY_IDS.items():
            if name in case.body and isinstance(case.body[name], int):
                case.body[name] = ids[key]
        if isinstance(case.body.get("attendees"), list):
            case.body["attendees"] = [ids["user"]]
        if case.operation.path.startswith("/api/tasks/") and "to" in case.body:
            case.body["to"] = ids["psychologist2"]
        if "instrument" in case.body:
            case.body["instrument"] = ids["instrument"]
        # Exactly one of two fields: a rule the schema does not say (both are optional there).
        if case.operation.path.endswith("/decisions/"):
            case.body.pop("case", None)
            case.body["item"] = ids["item"]
        if case.operation.path.endswith("/referrals/") and not {"to", "contact"} & set(case.body):
            case.body["to"] = ids["network"]
        # A class of the school, which a generated name is not.
        if case.operation.path.startswith("/api/activities") and "class_name" in case.body:
            case.body["class_name"] = "10A"
        # A proposal names one person, a student of the school here (student or staff).
        if case.operation.path.endswith("/participants/"):
            for name in ("staff", "case"):
                case.body.pop(name, None)
            case.body.update(role="learner", student=ids["free_student"])
        # A completed participation linked to the objective's case.
        if case.operation.path.endswith("/evidence/"):
            case.body["participation"] = ids["completed_participation"]
        # An item of the participant's dossier, which a generated name is not.
        if case.operation.path.endswith("/dossier/"):
            case.body["item"] = "insurance"
        # A SMART target differs from its baseline: a rule between two fields, likewise.
        if "baseline" in case.body and case.body.get("target") == case.body["baseline"]:
            case.body["target"] = f"{case.body['target']} and more"


@pytest.fixture
def api_schema() -> Iterator[Any]:
    # Requests go to Django's WSGI handler in this process, on the test's own connection: keep
    # the end of each request from closing it, as Django's test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(
    operation: Any,
    world: World,
    ids: dict[str, Any],
    statuses: dict[str, collections.Counter[int]],
    failures: list[str],
    samples: dict[str, list[Any]],
) -> None:
    """Send EXAMPLES generated requests to ``operation``; count the statuses."""
    name = f"{operation.method.upper()} {operation.path}"
    seen = statuses.setdefault(name, collections.Counter())
    actor = world.user(ACTORS.get(name, "coordinator"))
    headers = {"Authorization": f"Token {_token(actor)}", "Accept-Language": "en"}
    # The schema's examples (a date inside its window, ...) and generated requests.
    examples = operation.get_strategies_from_examples(fill_missing=True)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(*examples, operation.as_strategy()))
    def run(case: Any) -> None:
        _fill_ids(case, ids)
        response = case.call(headers=headers)
        seen[response.status_code] += 1
        if response.status_code >= 400 and len(samples.setdefault(name, [])) < 2:
            samples[name].append((case.body, response.text[:300]))
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code} for {case.as_curl_command()}")

    run()


def test_it_fuzzes_every_operation_without_a_server_error_and_reaches_success(
    world: World, api_schema: Any
) -> None:
    ids = _world_ids(world)
    statuses: dict[str, collections.Counter[int]] = {}
    failures: list[str] = []
    samples: dict[str, list[Any]] = {}
    for operation in _operations(api_schema):
        _fuzz(operation, world, ids, statuses, failures, samples)
    report = {name: dict(counts) for name, counts in statuses.items()}
    assert failures == [], failures
    never = sorted(
        name
        for name, counts in statuses.items()
        if not any(200 <= code < 300 for code in counts)
        and name not in NO_SUCCESS_EXPECTED
        and not (name in STATEFUL and counts.keys() & {403, 409})
    )
    assert never == [], "\n".join(f"{name}: {report[name]} {samples.get(name)}" for name in never)


def test_it_serves_a_schema_that_validates_to_anyone(api_schema: Any) -> None:
    # Public on purpose (docs/DEPLOYMENT.md): the shape of an open-source API, no data.
    served = Client().get("/api/schema/", {"format": "json"})
    assert served.status_code == 200
    assert Client().get("/api/docs/").status_code == 200
    validate_schema(served.json())  # the OpenAPI 3.0 meta-schema; raises when it does not hold
    assert len(list(_operations(api_schema))) >= 70


def _token(user: Any) -> str:
    return api_token_issue(user=user)[1]
