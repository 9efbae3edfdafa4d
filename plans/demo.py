"""The action plans' part of the demo: the seed's mobility plan for the current school year, so
the plan's page shows live counts of the demo's activities, partners and participations.

Added when ``seed_demo`` sends ``demo_seeded`` (connected in ``PlansConfig.ready``), through the
same service the pages use. Idempotent: a school that has the plan of the year gets none.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from casework.models import School, User
from plans.models import ActionPlan
from plans.school_years import school_year_of
from plans.services import plan_create


def seed_plans_demo(
    sender: Any, *, schools: dict[str, School], users: dict[str, User], **_: Any
) -> None:
    school, director = schools.get("DEMO"), users.get("director")
    if school is None or director is None:
        return
    year = school_year_of(timezone.localdate()).code
    if ActionPlan.objects.filter(school=school, school_year=year, template="student_mobility"):
        return
    plan_create(actor=director, school_year=year, template="student_mobility")
