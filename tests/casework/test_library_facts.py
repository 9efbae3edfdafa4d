"""What a case gives its library entry beyond the basics: the risk profile at flagging, the
interventions done, the referrals by kind and the change in the structured assessments."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from casework.models import Contact
from casework.models.plan import ASSESSMENT_ITEMS
from casework.services.assessments import assessment_record
from casework.services.cases import closing_review_create
from casework.services.consents import consent_record
from casework.services.signals import signal_record
from tests.casework.library_support import fill_register
from tests.factories import World, advance, make_student, objective_fields, reload
from workflows import services
from workflows.models import CaseTask
from workflows.services import library_entry_draft, referral_request

pytestmark = pytest.mark.django_db


def _scores(area: str, score: int) -> dict[str, int]:
    return {code: score for code, _ in ASSESSMENT_ITEMS[area]}


def test_it_adds_risk_interventions_referrals_and_assessment_change(world: World) -> None:
    fill_register(world.school, 8)
    student = make_student(world.school)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10), tick=False):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        for kind, value in (("attendance", 81), ("behaviour", 3)):
            signal_record(
                student=student, actor=world.teacher, kind=kind, value=value, observed_on=yesterday
            )
        case = services.case_flag(
            student=student,
            actor=world.teacher,
            reason="Absent from the workshop",
            functions=["pedagogical", "socio_economic"],
        )
    # Later signals do not change the profile at flagging.
    signal_record(
        student=student,
        actor=world.teacher,
        kind="grade_failures",
        value=2,
        observed_on=timezone.localdate(),
    )
    case = advance(case, world, "shared")
    services.objective_add(case=case, actor=world.coordinator, **objective_fields())
    ngo = Contact.objects.create(
        office=world.office, kind=Contact.Kind.NGO, name="Asociația Sprijin Demo"
    )
    consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="Elena Vasilescu",
        recipient_contact=ngo,
        purpose="transport to school paid for Ionel",
    )
    referral_request(
        case=case,
        actor=world.coordinator,
        to_contact=ngo,
        purpose="transport to school paid for Ionel",
    )
    services.case_transition(case=reload(case), name="start_intervention", actor=world.coordinator)
    assessment_record(
        case=reload(case),
        actor=world.coordinator,
        area="academic",
        phase="initial",
        scores=_scores("academic", 2),
    )
    case_task = CaseTask.objects.get(case=case, name="pedagogical")
    services.task_claim(case_task=case_task, actor=world.psychologist)
    services.task_complete(
        case_task=case_task, actor=world.psychologist, result={"note": "met weekly"}
    )
    services.case_transition(
        case=reload(case), name="start_closing", actor=world.coordinator, cancel_open_tasks=True
    )
    assessment_record(
        case=reload(case),
        actor=world.coordinator,
        area="academic",
        phase="closing",
        scores=_scores("academic", 4),
    )
    closing_review_create(
        case=reload(case),
        actor=world.coordinator,
        feedback="f",
        objectives_met="partly",
        impact="i",
        lessons_learned="l",
    )
    services.case_transition(case=reload(case), name="archive", actor=world.coordinator)
    consent_record(
        case=reload(case),
        actor=world.coordinator,
        scope="library",
        given_by="parent",
        given_by_name="Elena Vasilescu",
    )

    entry = library_entry_draft(case=reload(case), actor=world.coordinator)

    facts = entry.facts
    assert facts["risk_profile"] == {
        "level": "high",
        "indicators": ["attendance", "behaviour"],
        "levels": {
            "attendance": "high",
            "behaviour": "caution",
            "grade_failures": "none",
            "self_assessment": "none",
        },
    }
    assert facts["interventions"] == {"types": ["pedagogical"], "counts": {"pedagogical": 1}}
    assert facts["referrals"]["by_kind"] == {"ngo": 1}
    assert facts["assessment_change"] == {
        "academic": {"initial": 2.0, "closing": 4.0, "change": 2.0}
    }
    assert {"risk:attendance", "risk:behaviour", "intervention:pedagogical"} <= set(entry.tags)
    text = str(facts) + str(entry.narrative)
    assert "Sprijin Demo" not in text and "Ionel" not in text and "transport" not in text
