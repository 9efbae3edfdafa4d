"""Reports through their services: drafting, the content counted from the records, the circuit
with its steps as tasks and notifications, returns, and the register's numbers."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from viewflow.workflow.status import STATUS

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import AuditEvent
from counselling.models import Report, ReportTask
from counselling.reports import services
from counselling.reports.content import report_content
from counselling.reports.selectors import open_step
from tests.counselling.conftest import Staff
from tests.counselling.reports_helpers import SEMESTER, held, walk
from workflows.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 2, 10, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _february() -> object:
    with time_machine.travel(DAY, tick=False) as traveller:
        yield traveller


def _semester(staff: Staff) -> Report:
    return services.report_draft(actor=staff.tutor, kind="counselling_semester", period=SEMESTER)


def test_it_counts_the_authors_activities_of_the_semester(staff: Staff) -> None:
    a, b, c, d = staff.students
    held(staff.tutor, students=[a, b])
    held(staff.tutor, kind="individual", channel="phone", topic="mobility", students=[c])
    held(staff.tutor, day=datetime.date(2026, 2, 2), students=[d])  # next semester
    held(staff.counsellor, students=[d])  # someone else's
    content = report_content(_semester(staff))
    assert content["activities"]["total"] == 2
    assert content["activities"]["by_kind"] == {"individual": 1, "group": 1}
    assert content["activities"]["by_channel"]["phone"] == 1
    assert content["activities"]["by_topic"]["mobility"] == 1
    assert content["activities"]["by_topic"]["career_routes"] == 1
    assert content["students_reached"] == 3
    assert [row["present"] for row in content["attendance"]] == [2, 1]


def test_it_drafts_one_report_per_author_kind_and_period(staff: Staff) -> None:
    _semester(staff)
    with pytest.raises(Conflict) as refused:
        _semester(staff)
    assert refused.value.extra["code"] == "exists"


def test_it_refuses_a_period_it_cannot_read(staff: Staff) -> None:
    with pytest.raises(Invalid) as refused:
        services.report_draft(actor=staff.tutor, kind="counselling_semester", period="2025/1")
    assert "period" in refused.value.fields


def test_it_refuses_the_wrong_author(staff: Staff) -> None:
    with pytest.raises(Forbidden):
        services.report_draft(actor=staff.director, kind="counselling_semester", period=SEMESTER)


def test_it_leaves_plan_monitoring_to_the_plans(staff: Staff) -> None:
    with pytest.raises(Invalid) as refused:
        services.report_draft(actor=staff.ceiac, kind="plan_monitoring", period="2025-2026")
    assert "plan" in refused.value.fields


def test_it_gives_the_draft_to_its_author_as_a_task(staff: Staff) -> None:
    report = services.report_draft(
        actor=staff.tutor, kind="counselling_semester", period="2025-2026/2"
    )
    step = open_step(report)
    assert step is not None and step.name == "draft"
    assert step.task.owner_id == staff.tutor.pk
    assert step.due_at.date() == datetime.date(2026, 9, 10)
    assert Notification.objects.filter(
        recipient=staff.tutor, kind="task.assigned", data__report=report.pk
    ).exists()


def test_it_takes_a_semester_report_to_its_analysis(staff: Staff) -> None:
    held(staff.tutor, students=staff.students[:2])
    report = services.report_submit(actor=staff.tutor, report=_semester(staff))
    assert report.status == "submitted"
    assert report.content["activities"]["total"] == 1
    assert Notification.objects.filter(
        recipient=staff.counsellor, kind="task.available", data__report=report.pk
    ).exists()
    report = services.report_register(actor=staff.counsellor, report=report)
    assert report.registration == "1/10.02.2026"
    report = services.report_analyse(actor=staff.counsellor, report=report, note="Bine.")
    assert report.status == "analysed"
    assert open_step(report) is None
    assert AuditEvent.objects.filter(object_type="report", object_id=report.pk).count() >= 4


def test_it_refuses_steps_out_of_order(staff: Staff) -> None:
    report = _semester(staff)
    with pytest.raises(Conflict):
        services.report_register(actor=staff.counsellor, report=report)
    report = walk(report, staff.counsellor, "registered")
    with pytest.raises(Conflict):
        services.report_register(actor=staff.counsellor, report=report)
    with pytest.raises(Conflict):
        services.report_approve(actor=staff.counsellor, report=report)


def test_it_needs_remarks_to_return_and_a_note_to_analyse(staff: Staff) -> None:
    report = walk(_semester(staff), staff.counsellor, "registered")
    with pytest.raises(Invalid):
        services.report_return(actor=staff.counsellor, report=report, remarks=" ")
    with pytest.raises(Invalid):
        services.report_analyse(actor=staff.counsellor, report=report, note="")


def test_it_sends_a_returned_report_back_to_the_step_that_returned_it(staff: Staff) -> None:
    report = walk(_semester(staff), staff.counsellor, "registered")
    report = services.report_return(actor=staff.counsellor, report=report, remarks="Completați.")
    assert report.status == "returned"
    step = open_step(report)
    assert step is not None and step.name == "revise" and step.task.owner_id == staff.tutor.pk
    services.report_edit(actor=staff.tutor, report=report, narrative="Completat.")
    report = services.report_submit(actor=staff.tutor, report=report)
    assert report.status == "registered"
    assert report.registration == "1/10.02.2026"  # kept
    step = open_step(report)
    assert step is not None and step.name == "conclude"


def test_it_sends_a_report_returned_before_registration_back_to_the_register(
    staff: Staff,
) -> None:
    report = walk(_semester(staff), staff.counsellor, "submitted")
    services.report_return(actor=staff.counsellor, report=report, remarks="Lipsește ceva.")
    report = services.report_submit(actor=staff.tutor, report=Report.objects.get(pk=report.pk))
    assert report.status == "submitted"
    step = open_step(report)
    assert step is not None and step.name == "register"


def test_it_keeps_the_narrative_closed_once_submitted(staff: Staff) -> None:
    report = walk(_semester(staff), staff.counsellor, "submitted")
    with pytest.raises(Conflict):
        services.report_edit(actor=staff.tutor, report=report, narrative="x")


def test_it_numbers_the_register_per_school_and_year(staff: Staff, _february: object) -> None:
    first = walk(_semester(staff), staff.counsellor, "registered")
    other = services.report_draft(
        actor=staff.tutor, kind="counselling_semester", period="2025-2026/2"
    )
    second = walk(other, staff.counsellor, "registered")
    assert [first.registration_number, second.registration_number] == [1, 2]
    with time_machine.travel(datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC), tick=False):
        third = services.report_draft(
            actor=staff.tutor, kind="counselling_semester", period="2026-2027/1"
        )
        third = walk(third, staff.counsellor, "registered")
    assert third.registration == "1/05.01.2027"


def test_it_refuses_a_summary_with_no_registered_semester_report(staff: Staff) -> None:
    _semester(staff)
    with pytest.raises(Conflict) as refused:
        services.report_draft(actor=staff.counsellor, kind="counselling_summary", period=SEMESTER)
    assert refused.value.extra["code"] == "no_reports"


def test_it_sums_up_the_semester_reports_and_the_counsellors_own_work(staff: Staff) -> None:
    held(staff.tutor, students=staff.students[:2])
    held(staff.counsellor, students=staff.students[1:3])
    semester = walk(_semester(staff), staff.counsellor, "analysed")
    summary = services.report_draft(
        actor=staff.counsellor, kind="counselling_summary", period=SEMESTER
    )
    summary = services.report_submit(actor=staff.counsellor, report=summary)
    assert summary.content["activities"]["total"] == 2
    assert summary.content["students_reached"] == 3
    assert [r["id"] for r in summary.content["reports"]] == [semester.pk]
    assert Notification.objects.filter(recipient=staff.director, kind="task.available").exists()
    summary = services.report_register(actor=staff.director, report=summary)
    summary = services.report_approve(actor=staff.director, report=summary)
    assert summary.status == "approved" and summary.approved_on == DAY.date()
    assert summary.registration == "2/10.02.2026"  # one register for the school


def test_it_closes_the_step_tasks_as_it_goes(staff: Staff) -> None:
    report = walk(_semester(staff), staff.counsellor, "analysed")
    statuses = set(ReportTask.objects.filter(report=report).values_list("task__status", flat=True))
    assert statuses == {STATUS.DONE}
