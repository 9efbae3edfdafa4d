"""The demo's mobility plan, added by ``seed_demo`` through ``demo_seeded``, once, with live
counts of the demo's records."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from plans.models import ActionPlan, PlanAction
from plans.selectors import plan_monitoring_content

pytestmark = pytest.mark.django_db


def test_it_adds_the_mobility_plan_of_the_school_year_once() -> None:
    call_command("seed_demo", "--force", verbosity=0)
    plan = ActionPlan.objects.get()
    assert (plan.school.code, plan.template, plan.created_by.username) == (
        "DEMO",
        "student_mobility",
        "director",
    )
    assert PlanAction.objects.filter(objective__plan=plan).count() == 16
    assert any(row["achieved"] for row in plan_monitoring_content(plan)["indicators"])
    call_command("seed_demo", "--force", verbosity=0)
    assert ActionPlan.objects.count() == 1
