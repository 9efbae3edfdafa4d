"""Racing registrations on PostgreSQL, each from its own thread and connection: the register
gives distinct, consecutive numbers, and one report is registered once."""

from __future__ import annotations

import pytest

from counselling.models import Report
from counselling.reports import services
from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.counselling.conftest import Staff

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


def _submitted(staff: Staff, first_year: int) -> Report:
    report = services.report_draft(
        actor=staff.tutor,
        kind="counselling_semester",
        period=f"{first_year}-{first_year + 1}/1",
    )
    return services.report_submit(actor=staff.tutor, report=report)


def test_it_gives_racing_registrations_consecutive_numbers(staff: Staff) -> None:
    reports = [_submitted(staff, 2010 + i) for i in range(RACERS)]
    statuses = race(
        [(staff.counsellor, "post", f"/api/reports/{r.pk}/register/", {}) for r in reports]
    )
    assert statuses == [200] * RACERS
    numbers = sorted(
        n or 0
        for n in Report.objects.filter(pk__in=[r.pk for r in reports]).values_list(
            "registration_number", flat=True
        )
    )
    assert numbers == list(range(1, RACERS + 1))


def test_it_registers_one_report_once_when_two_click_together(staff: Staff) -> None:
    report = _submitted(staff, 2030)
    path = f"/api/reports/{report.pk}/register/"
    statuses = race([(staff.counsellor, "post", path, {})] * 2)
    assert sorted(statuses) == [200, 409]
    assert Report.objects.get(pk=report.pk).registration_number == 1
    # The loser took no number: the next registration is 2, not 3.
    other = _submitted(staff, 2031)
    assert services.report_register(actor=staff.counsellor, report=other).registration_number == 2
