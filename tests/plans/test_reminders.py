"""Those responsible for a plan's action are told once that its term began and once that an
indicator is at risk; nobody else, and never the staff of another school."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from casework.models import User
from plans import services
from plans.models import PlanIndicator
from plans.reminders import plan_reminders_send
from plans.tasks import send_plan_reminders
from tests.plans.plan_helpers import PlanStaff, activity, one_indicator
from workflows.models import Notification
from workflows.notification_text import notification_link, notification_sentence

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
BEFORE_TERM = datetime.date(2025, 8, 25)
# The term is September-October (61 days): past its middle on 1 October.
TERM_STARTS = datetime.date(2025, 9, 1)
PAST_MIDDLE = datetime.date(2025, 10, 2)


def _on(day: datetime.date) -> time_machine.travel:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
    return time_machine.travel(moment, tick=False)


def _told(kind: str) -> set[User]:
    return {n.recipient for n in Notification.objects.filter(kind=kind).select_related("recipient")}


@pytest.fixture
def indicator(plan_staff: PlanStaff) -> PlanIndicator:
    with _on(BEFORE_TERM):
        return one_indicator(plan_staff, responsible=["director", "form_tutor"])


def test_it_tells_the_responsible_once_when_the_term_starts(
    plan_staff: PlanStaff, indicator: PlanIndicator
) -> None:
    with _on(BEFORE_TERM):
        assert plan_reminders_send() == 0
    with _on(TERM_STARTS):
        assert send_plan_reminders() == 1
        assert plan_reminders_send() == 0
    assert _told(Kind.PLAN_TERM_STARTED) == {plan_staff.director, plan_staff.tutor}
    note = Notification.objects.filter(kind=Kind.PLAN_TERM_STARTED).first()
    assert note is not None
    plan = indicator.action.objective.plan
    assert notification_link(note) == f"/plans/{plan.pk}/"
    assert notification_sentence(note) == (
        "A început termenul acțiunii «Activități de informare» din planul Plan 2025-2026"
    )
    with translation.override("en"):
        assert notification_sentence(note).startswith("The term of the action «Activități")


def test_it_reminds_the_responsible_once_when_an_indicator_is_at_risk(
    plan_staff: PlanStaff, indicator: PlanIndicator
) -> None:
    with _on(TERM_STARTS):
        plan_reminders_send()
    with _on(PAST_MIDDLE - datetime.timedelta(days=1)):
        assert plan_reminders_send() == 0  # not yet past half its term
    with _on(PAST_MIDDLE):
        assert plan_reminders_send() == 1
        assert plan_reminders_send() == 0
    with _on(PAST_MIDDLE + datetime.timedelta(days=3)):
        assert plan_reminders_send() == 0
    assert _told(Kind.PLAN_AT_RISK) == {plan_staff.director, plan_staff.tutor}
    note = Notification.objects.get(kind=Kind.PLAN_AT_RISK, recipient=plan_staff.tutor)
    assert note.data["achieved"] == 0 and note.data["target"] == 2
    assert notification_sentence(note) == (
        "Indicatorul «min. 2 activități» din planul Plan 2025-2026 este în pericol: 0 din 2"
    )


def test_it_does_not_remind_when_the_indicator_is_on_track(
    plan_staff: PlanStaff, indicator: PlanIndicator
) -> None:
    activity(plan_staff.tutor, datetime.date(2025, 9, 10))
    with _on(PAST_MIDDLE):
        assert plan_reminders_send() == 1  # the term's start only
    assert not Notification.objects.filter(kind=Kind.PLAN_AT_RISK).exists()


def test_it_tells_nobody_outside_the_responsible_positions(
    plan_staff: PlanStaff, indicator: PlanIndicator
) -> None:
    with _on(PAST_MIDDLE):
        assert plan_reminders_send() == 2
    told = _told(Kind.PLAN_TERM_STARTED) | _told(Kind.PLAN_AT_RISK)
    for outsider in (plan_staff.deputy, plan_staff.ceiac, plan_staff.head):
        assert outsider not in told
    assert not Notification.objects.filter(recipient=plan_staff.world.coordinator).exists()


def test_it_never_tells_another_schools_staff(
    plan_staff: PlanStaff, indicator: PlanIndicator
) -> None:
    other = plan_staff.other_director
    with _on(BEFORE_TERM):
        plan = services.plan_create(actor=other, title="Alt plan", school_year="2025-2026")
        objective = services.plan_objective_add(actor=other, plan=plan, text="Informare")
        services.plan_action_add(
            actor=other,
            objective=objective,
            text="Vizite",
            responsible=["director"],
            term={"from": "2025-09", "to": "2025-10"},
        )
    with _on(TERM_STARTS):
        assert plan_reminders_send() == 2
    theirs = Notification.objects.filter(recipient=other)
    assert [n.data["plan"] for n in theirs] == [plan.pk]
    ours = Notification.objects.filter(recipient=plan_staff.director)
    assert [n.data["plan"] for n in ours] == [indicator.action.objective.plan_id]
