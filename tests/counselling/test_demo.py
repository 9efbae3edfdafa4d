"""The demo holds a semester of counselling activities with their lists, and the pack."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from counselling.demo import ACTIVITIES
from counselling.models import Activity, Attendee, InfoPack, Report
from counselling.reports.periods import current_semester

pytestmark = pytest.mark.django_db


def test_it_seeds_a_semester_of_activities_with_their_lists_once() -> None:
    call_command("seed_demo", force=True, verbosity=0)
    today = timezone.localdate()
    activities = Activity.objects.filter(school__code="DEMO")
    assert activities.count() == len(ACTIVITIES) + 1  # and the pack handed to 11A
    assert all(current_semester(today).start <= a.held_on <= today for a in activities)
    assert not activities.filter(attendees__isnull=True).exists()
    assert {a.topic for a in activities} >= {"education_routes", "career_routes", "mobility"}
    assert InfoPack.objects.get(school__code="DEMO").email == "birou.actiune@demo.invalid"
    attendees = Attendee.objects.count()
    call_command("seed_demo", force=True, verbosity=0)
    assert Activity.objects.filter(school__code="DEMO").count() == len(ACTIVITIES) + 1
    assert Attendee.objects.count() == attendees


@pytest.mark.parametrize(
    ("today", "start"),
    [("2026-11-27", "2026-09-01"), ("2027-01-15", "2026-09-01"), ("2027-03-02", "2027-02-01")],
)
def test_it_finds_the_semester_a_day_falls_in(today: str, start: str) -> None:
    assert current_semester(
        datetime.date.fromisoformat(today)
    ).start == datetime.date.fromisoformat(start)


def test_it_seeds_one_report_in_each_state_of_the_circuit() -> None:
    call_command("seed_demo", force=True, verbosity=0)
    states = set(Report.objects.filter(school__code="DEMO").values_list("status", flat=True))
    assert states == {"draft", "submitted", "registered", "analysed", "approved", "returned"}
    numbers = Report.objects.exclude(registration_number=None).values_list(
        "registration_number", flat=True
    )
    assert sorted(n for n in numbers if n is not None) == [1, 2, 3, 4]  # gap-free
    call_command("seed_demo", force=True, verbosity=0)
    assert Report.objects.filter(school__code="DEMO").count() == 6
