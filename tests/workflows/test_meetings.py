"""The office meeting: its agenda, attendance, decisions carried out, and the minutes."""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import Case, Consent, Objective, Stage
from casework.services.consents import consent_record
from tests.conftest import client_for
from tests.factories import World, advance, make_student, objective_fields, reload
from workflows import services
from workflows.models import AgendaItem, Attendance, CaseTask, Decision, Meeting, Notification
from workflows.services import referral_change, referral_request

pytestmark = pytest.mark.django_db


def _case(world: World, stage: str, functions: list[str] | None = None) -> Case:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=functions or ["pedagogical"],
    )
    return advance(case, world, stage)


def _meeting(world: World, days: int = 0, **extra: Any) -> Meeting:
    return services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=days),
        **extra,
    )


def _agenda(world: World, meeting: Meeting, user: str = "coordinator") -> list[dict[str, Any]]:
    response = client_for(world.user(user)).get(f"/api/meetings/{meeting.pk}/agenda/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["meeting"] == meeting.pk
    items: list[dict[str, Any]] = body["items"]
    return items


def _reasons(items: list[dict[str, Any]]) -> dict[int, list[str]]:
    return {item["case"]: item["reasons"] for item in items}


# -- scheduling -----------------------------------------------------------------------------


def test_it_schedules_a_regular_meeting_inviting_the_office(world: World) -> None:
    when = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    response = client_for(world.coordinator).post(
        "/api/meetings/", {"scheduled_for": when.isoformat()}, format="json"
    )
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.kind == "regular" and meeting.scheduled_for == when
    invited = set(meeting.attendance.values_list("user__username", flat=True))
    assert invited == {
        "teacher",
        "psychologist",
        "psychologist2",
        "social",
        "admin_staff",
        "coordinator",
    }
    told = set(
        Notification.objects.filter(kind="meeting.invited").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == invited - {"coordinator"}
    assert Notification.objects.filter(kind="meeting.invited").first().case is None  # type: ignore[union-attr]


def test_it_names_the_bad_meeting_field(world: World) -> None:
    client = client_for(world.coordinator)
    assert "scheduled_for" in client.post("/api/meetings/", {}, format="json").json()
    bad_kind = {"scheduled_for": timezone.now().isoformat(), "kind": "weekly"}
    assert "kind" in client.post("/api/meetings/", bad_kind, format="json").json()
    case = _case(world, "shared")
    with_case = {"scheduled_for": timezone.now().isoformat(), "case": case.pk}
    response = client.post("/api/meetings/", with_case, format="json")
    assert response.status_code == 400 and "case" in response.json()
    assert not Meeting.objects.exists()


def test_it_holds_an_individual_meeting_about_one_delicate_case(world: World) -> None:
    delicate = _case(world, "intervention")
    _case(world, "shared")
    meeting = _meeting(world, kind="individual", case=delicate, attendees=[world.psychologist])
    assert set(meeting.attendance.values_list("user__username", flat=True)) == {
        "coordinator",
        "psychologist",
    }
    items = _agenda(world, meeting)
    assert [i["case"] for i in items] == [delicate.pk]
    assert items[0]["reasons"][0] == "individual_meeting"
    assert delicate.events.filter(name="individual_meeting_scheduled").exists()
    # The teacher is not invited and is not an attendee: an individual meeting is not theirs,
    # but as an internal member they still see it exists (the office's calendar).
    with pytest.raises(Invalid) as refused:
        _meeting(world, kind="individual", case=delicate, attendees=[world.form_tutor])
    assert "attendees" in refused.value.fields


# -- the agenda: one reason at a time, then the order -----------------------------------------


def test_it_puts_newly_shared_cases_on_the_agenda_until_a_meeting_decides(world: World) -> None:
    shared = _case(world, "shared")
    _case(world, "monitoring")  # not shared with the office yet: not on its agenda
    first = _meeting(world)
    items = _agenda(world, first)
    assert _reasons(items) == {shared.pk: ["newly_shared"]}
    assert "not decided on yet" in items[0]["details"][0]["text"] or items[0]["details"][0]["text"]
    services.decision_record(
        meeting=first,
        item=AgendaItem.objects.get(meeting=first, case=shared),
        actor=world.coordinator,
        kind="note",
        text="Wait for the triage",
    )
    second = _meeting(world, days=30)
    assert shared.pk not in _reasons(_agenda(world, second))


def test_it_lists_cases_with_overdue_tasks(world: World) -> None:
    case = _case(world, "intervention")
    meeting = _meeting(world)
    assert case.pk not in _reasons(_agenda(world, meeting))
    CaseTask.objects.filter(case=case, name="pedagogical").update(
        due_at=timezone.now() - datetime.timedelta(days=2)
    )
    items = _agenda(world, meeting)
    assert _reasons(items)[case.pk] == ["overdue_tasks"]
    detail = items[0]["details"][0]
    assert [t["name"] for t in detail["tasks"]] == ["pedagogical"]


def test_it_lists_objectives_due_or_at_risk_and_closings_without_review(world: World) -> None:
    due = _case(world, "intervention")
    Objective.objects.filter(case=due).update(
        deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    at_risk = _case(world, "intervention")
    Objective.objects.filter(case=at_risk).update(status="at_risk")
    far = _case(world, "intervention")
    closing = _case(world, "closing")
    reasons = _reasons(_agenda(world, _meeting(world)))
    assert reasons[due.pk] == ["due_for_review"]
    assert reasons[at_risk.pk] == ["due_for_review"]
    assert reasons[closing.pk] == ["due_for_review"]
    assert far.pk not in reasons


def _referral_consent(world: World, case: Case, purpose: str = "social services") -> Consent:
    return consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="Maria Pop",
        recipient_user=world.network,
        purpose=purpose,
    )


def test_it_lists_cases_with_unanswered_or_rejected_referrals(world: World) -> None:
    waiting = _case(world, "intervention")
    _referral_consent(world, waiting)
    referral_request(
        case=waiting, actor=world.coordinator, to_user=world.network, purpose="social services"
    )
    rejected = _case(world, "intervention")
    _referral_consent(world, rejected)
    referral = referral_request(
        case=rejected, actor=world.coordinator, to_user=world.network, purpose="social services"
    )
    referral_change(referral=referral, name="reject", actor=world.network, reason="no capacity")
    items = _agenda(world, _meeting(world))
    assert _reasons(items) == {
        waiting.pk: ["pending_referrals"],
        rejected.pk: ["pending_referrals"],
    }
    # A rejection weighs more than a wait: the office must plan again.
    assert [i["case"] for i in items] == [rejected.pk, waiting.pk]


def test_it_lists_a_case_whose_student_is_at_high_risk(world: World) -> None:
    from casework.services.signals import signal_record

    risky = _case(world, "shared")
    calm = _case(world, "shared")
    today = timezone.localdate()
    signal_record(
        student=risky.student,
        actor=world.teacher,
        kind="attendance",
        value=82,
        observed_on=today - datetime.timedelta(days=1),
    )
    signal_record(
        student=calm.student,
        actor=world.teacher,
        kind="attendance",
        value=97,
        observed_on=today - datetime.timedelta(days=1),
    )
    items = _agenda(world, _meeting(world))
    assert _reasons(items) == {
        risky.pk: ["high_risk", "newly_shared"],
        calm.pk: ["newly_shared"],
    }
    assert [i["case"] for i in items] == [risky.pk, calm.pk]
    [detail] = [d for d in items[0]["details"] if d["code"] == "high_risk"]
    assert detail["indicators"] == ["attendance"]
    from django.utils import translation

    from casework.risk import indicator_label

    with translation.override("ro"):  # the API speaks the school's default language
        assert indicator_label("attendance") in detail["text"]


def test_it_lists_a_case_triage_marked_most_urgent(world: World) -> None:
    case = _case(world, "monitoring")
    triage = CaseTask.objects.get(case=case, name="triage")
    services.task_claim(case_task=triage, actor=world.psychologist)
    services.task_complete(
        case_task=triage,
        actor=world.psychologist,
        result={"summary": "s", "priority": 1, "recommended_functions": ["pedagogical"]},
    )
    assert _reasons(_agenda(world, _meeting(world)))[case.pk] == ["newly_shared", "triaged_urgent"]


def test_it_orders_the_agenda_by_urgency_then_by_waiting_time(world: World) -> None:
    review = _case(world, "intervention")
    Objective.objects.filter(case=review).update(status="at_risk")  # weight 2
    older_shared = _case(world, "shared")  # weight 3
    newer_shared = _case(world, "shared")  # weight 3, shared later
    Case.objects.filter(pk=older_shared.pk).update(
        shared_at=timezone.now() - datetime.timedelta(days=9)
    )
    late = _case(world, "intervention")  # weight 4
    CaseTask.objects.filter(case=late).update(due_at=timezone.now() - datetime.timedelta(days=1))
    items = _agenda(world, _meeting(world))
    assert [i["case"] for i in items] == [late.pk, older_shared.pk, newer_shared.pk, review.pk]
    assert [i["priority"] for i in items] == [1, 2, 3, 4]


def test_it_leaves_other_offices_and_closed_cases_off_the_agenda(world: World) -> None:
    archived = _case(world, "archived")
    reasons = _reasons(_agenda(world, _meeting(world)))
    assert archived.pk not in reasons


def test_it_lets_the_coordinator_add_move_and_remove_items(world: World) -> None:
    first = _case(world, "shared")
    second = _case(world, "shared")
    quiet = _case(world, "intervention")  # no reason of its own
    meeting = _meeting(world)
    client = client_for(world.coordinator)
    path = f"/api/meetings/{meeting.pk}/agenda/"
    added = client.post(path, {"case": quiet.pk, "note": "teacher worried"}, format="json")
    assert added.status_code == 201
    assert _reasons(added.json()["items"])[quiet.pk] == ["added_by_coordinator"]
    assert client.post(path, {"case": quiet.pk}, format="json").status_code == 409
    item = AgendaItem.objects.get(meeting=meeting, case=quiet)
    moved = client.patch(f"{path}items/{item.pk}/", {"priority": 1}, format="json").json()
    assert [i["case"] for i in moved["items"]] == [quiet.pk, first.pk, second.pk]
    removed_item = AgendaItem.objects.get(meeting=meeting, case=first)
    client.delete(f"{path}items/{removed_item.pk}/")
    # A later refresh keeps the coordinator's order and does not bring the removed case back.
    third = _case(world, "shared")
    assert [i["case"] for i in _agenda(world, meeting)] == [quiet.pk, second.pk, third.pk]
    assert (
        client_for(world.teacher).post(path, {"case": first.pk}, format="json").status_code == 403
    )


def test_it_freezes_the_agenda_once_the_meeting_is_under_way(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    services.attendance_record(
        meeting=meeting, actor=world.coordinator, user=world.teacher, status="present"
    )
    _case(world, "shared")
    assert [i["case"] for i in _agenda(world, meeting)] == [case.pk]


def test_it_shows_each_member_only_the_items_they_may_see(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    assert [i["case"] for i in _agenda(world, meeting, "social")] == [case.pk]
    for outsider in ("network", "form_tutor", "outsider"):
        response = client_for(world.user(outsider)).get(f"/api/meetings/{meeting.pk}/agenda/")
        assert response.status_code == 404


# -- decisions ---------------------------------------------------------------------------------


def _item(meeting: Meeting, case: Case) -> AgendaItem:
    """The case's agenda item; the coordinator adds it if no reason put it there."""
    from workflows.agenda import agenda_refresh

    agenda_refresh(meeting)
    item = AgendaItem.objects.filter(meeting=meeting, case=case).first()
    if item is None:
        item = services.agenda_item_add(meeting=meeting, actor=meeting.created_by, case=case)
    return item


def test_it_starts_the_intervention_by_decision_creating_the_function_tasks(world: World) -> None:
    case = _case(world, "shared", functions=["information", "socio_economic"])
    services.objective_add(case=case, actor=world.coordinator, **objective_fields())
    meeting = _meeting(world)
    response = client_for(world.coordinator).post(
        f"/api/meetings/{meeting.pk}/decisions/",
        {
            "case": case.pk,
            "kind": "transition",
            "transition": "start_intervention",
            "text": "Start the intervention: tutoring and a social inquiry",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"] == {
        "transition": "start_intervention",
        "from": "shared",
        "to": "intervention",
    }
    case = reload(case)
    assert case.stage == Stage.INTERVENTION
    open_names = set(
        CaseTask.objects.filter(case=case, task__status=STATUS.NEW).values_list("name", flat=True)
    )
    assert open_names == {"information", "socio_economic"}
    event = case.events.get(name="meeting_decision")
    assert event.note.startswith("Start the intervention") and event.data["meeting"] == meeting.pk


def test_it_records_no_decision_when_its_transition_is_refused(world: World) -> None:
    case = _case(world, "shared")  # no objective: the intervention cannot start
    meeting = _meeting(world)
    with pytest.raises(Conflict):
        services.decision_record(
            meeting=meeting,
            item=_item(meeting, case),
            actor=world.coordinator,
            kind="transition",
            text="start",
            transition="start_intervention",
        )
    assert not Decision.objects.exists()
    assert reload(case).stage == Stage.SHARED
    assert Meeting.objects.get(pk=meeting.pk).started_at is None


def test_it_creates_a_task_for_a_group_by_decision(world: World) -> None:
    case = _case(world, "intervention", functions=["pedagogical"])
    meeting = _meeting(world)
    due = timezone.localdate() + datetime.timedelta(days=10)
    decision = services.decision_record(
        meeting=meeting,
        item=_item(meeting, case),
        actor=world.coordinator,
        kind="task",
        text="Ask the social worker to visit the family",
        group=3,
        title="Home visit",
        due=due,
    )
    case_task = CaseTask.objects.get(pk=decision.data["task"])
    assert (case_task.name, case_task.group, case_task.title) == ("office_task", 3, "Home visit")
    assert timezone.localdate(case_task.due_at) == due
    offered = client_for(world.social).get("/api/tasks/", {"scope": "available"}).json()
    assert [(t["id"], t["title"]) for t in offered["results"]] == [(case_task.pk, "Home visit")]
    note = Notification.objects.get(
        recipient=world.social, kind="task.available", task=case_task.task
    )
    assert note.data["decision"] == decision.pk and note.data["meeting"] == meeting.pk
    # The task is worked like any other, and the case cannot close around it.
    services.task_claim(case_task=case_task, actor=world.social)
    with pytest.raises(Conflict) as refused:
        services.case_transition(case=reload(case), name="start_closing", actor=world.coordinator)
    assert case_task.pk in refused.value.extra["open_tasks"]
    services.task_complete(case_task=case_task, actor=world.social, result={"note": "visited"})
    case_task.task.refresh_from_db()
    assert case_task.task.status == STATUS.DONE
    assert case_task.task.process.status == "DONE"


def test_it_cancels_decided_tasks_with_their_process_on_withdrawal(world: World) -> None:
    case = _case(world, "intervention")
    meeting = _meeting(world)
    decision = services.decision_record(
        meeting=meeting,
        item=_item(meeting, case),
        actor=world.coordinator,
        kind="task",
        text="Paperwork for a transfer",
        group=4,
        title="Transfer papers",
    )
    case_task = CaseTask.objects.get(pk=decision.data["task"])
    services.task_claim(case_task=case_task, actor=world.admin_staff)
    services.case_transition(
        case=reload(case), name="withdraw", actor=world.coordinator, note="left"
    )
    case_task.task.refresh_from_db()
    assert case_task.task.status == STATUS.CANCELED
    assert case_task.task.process.status == "CANCELED"
    assert Notification.objects.filter(recipient=world.admin_staff, kind="task.cancelled").exists()


def test_it_names_the_bad_decision_field(world: World) -> None:
    case = _case(world, "intervention")
    meeting = _meeting(world)
    item = _item(meeting, case)
    for params, field in [
        ({"kind": "task", "text": "t", "group": 7, "title": "x"}, "group"),
        ({"kind": "task", "text": "t", "group": 2, "title": ""}, "title"),
        ({"kind": "transition", "text": "t", "transition": "fly"}, "transition"),
        ({"kind": "note", "text": " "}, "text"),
        ({"kind": "individual_meeting", "text": "t"}, "scheduled_for"),
    ]:
        with pytest.raises(Invalid) as refused:
            services.decision_record(meeting=meeting, item=item, actor=world.coordinator, **params)  # type: ignore[arg-type]
        assert field in refused.value.fields
    with pytest.raises(Forbidden):
        services.decision_record(
            meeting=meeting, item=item, actor=world.teacher, kind="note", text="t"
        )
    assert not Decision.objects.exists()


def test_it_schedules_an_individual_meeting_by_decision(world: World) -> None:
    case = _case(world, "intervention")
    meeting = _meeting(world)
    decision = services.decision_record(
        meeting=meeting,
        item=_item(meeting, case),
        actor=world.coordinator,
        kind="individual_meeting",
        text="A delicate family situation: meet with the psychologist",
        scheduled_for=timezone.now() + datetime.timedelta(days=5),
        attendees=[world.psychologist],
    )
    individual = Meeting.objects.get(pk=decision.data["meeting"])
    assert individual.kind == "individual" and individual.case == case
    assert (
        Notification.objects.filter(recipient=world.psychologist, kind="meeting.invited").count()
        == 2
    )


# -- attendance and minutes --------------------------------------------------------------------


def _attend_all(world: World, meeting: Meeting) -> None:
    for row in meeting.attendance.all():
        services.attendance_record(
            meeting=meeting,
            actor=world.coordinator,
            user=row.user,
            status="excused" if row.user == world.admin_staff else "present",
        )


def test_it_records_attendance_and_closes_the_minutes_once_complete(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    client = client_for(world.coordinator)
    base = f"/api/meetings/{meeting.pk}"
    assert (
        client.post(
            f"{base}/attendance/", {"user": world.teacher.pk, "status": "late"}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"{base}/attendance/", {"user": world.outsider.pk, "status": "present"}, format="json"
        ).status_code
        == 400
    )
    ok = client.post(
        f"{base}/attendance/", {"user": world.teacher.pk, "status": "present"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "present"
    refused = client.post(f"{base}/close/")
    assert refused.status_code == 409 and refused.json()["undecided_cases"] == [case.pk]
    client.post(
        f"{base}/decisions/",
        {"case": case.pk, "kind": "note", "text": "Triage first"},
        format="json",
    )
    refused = client.post(f"{base}/close/")
    assert (
        refused.status_code == 409 and world.psychologist.pk in refused.json()["attendance_missing"]
    )
    _attend_all(world, meeting)
    closed = client.post(f"{base}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "held"
    statuses = dict(meeting.attendance.values_list("user__username", "status"))
    assert statuses["teacher"] == "present" and statuses["admin_staff"] == "excused"
    # Closed minutes do not change.
    late = client.post(
        f"{base}/decisions/", {"case": case.pk, "kind": "note", "text": "x"}, format="json"
    )
    assert late.status_code == 409
    assert (
        client.post(
            f"{base}/attendance/", {"user": world.teacher.pk, "status": "absent"}, format="json"
        ).status_code
        == 409
    )


@time_machine.travel(datetime.datetime(2031, 1, 20, 9, 0, tzinfo=ZoneInfo("Europe/Bucharest")))
def test_it_schedules_the_next_monthly_meeting_when_the_minutes_close(world: World) -> None:
    when = timezone.make_aware(datetime.datetime(2031, 1, 31, 14, 0))
    meeting = services.meeting_schedule(
        office=world.office, actor=world.coordinator, scheduled_for=when
    )
    _attend_all(world, meeting)
    with time_machine.travel(when + datetime.timedelta(hours=2)):
        services.minutes_close(meeting=meeting, actor=world.coordinator)
    following = Meeting.objects.exclude(pk=meeting.pk).get()
    assert timezone.localtime(following.scheduled_for).date() == datetime.date(2031, 2, 28)
    assert timezone.localtime(following.scheduled_for).hour == 14
    assert following.attendance.count() == meeting.attendance.count()


def test_it_exports_the_minutes_as_a_pdf_with_the_decisions_in_romanian(world: World) -> None:
    from pypdf import PdfReader

    case = _case(world, "shared")
    other = _case(world, "shared")
    meeting = _meeting(world, location="Sala 12")
    services.decision_record(
        meeting=meeting,
        item=_item(meeting, case),
        actor=world.coordinator,
        kind="note",
        text="Contact the family before Friday",
    )
    services.decision_record(
        meeting=meeting,
        item=_item(meeting, other),
        actor=world.coordinator,
        kind="task",
        text="Tutoring in mathematics",
        group=1,
        title="Tutoring",
    )
    response = client_for(world.coordinator).get(f"/api/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"  # personal data: no copy kept anywhere
    body = response.content
    assert body.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    flat = " ".join(text.split())
    assert "Contact the family before Friday" in flat
    assert "Tutoring in mathematics" in flat
    assert "Decizie" in flat and "Proces-verbal" in flat
    # Every case here was decided on: no line says it was not; the paper has signature lines.
    assert "nu s-a luat încă o decizie" not in flat
    assert "Semnături" in flat and "Coordonator" in flat
    assert case.student.last_name not in flat  # code and initials only
    assert case.student.code in flat
    assert (
        client_for(world.network).get(f"/api/meetings/{meeting.pk}/minutes.pdf").status_code == 404
    )


def test_it_tells_attendees_when_a_meeting_moves_or_is_cancelled(world: World) -> None:
    meeting = _meeting(world)
    services.meeting_update(
        meeting=meeting,
        actor=world.coordinator,
        scheduled_for=meeting.scheduled_for + datetime.timedelta(hours=2),
    )
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1
    services.meeting_cancel(meeting=meeting, actor=world.coordinator, reason="holiday")
    assert Notification.objects.filter(recipient=world.teacher, kind="meeting.changed").count() == 2
    assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"


def test_it_keeps_attendance_rows_per_member(world: World) -> None:
    meeting = _meeting(world)
    assert Attendance.objects.filter(meeting=meeting, status="invited").count() == 6
    with pytest.raises(Conflict):
        services.minutes_close(meeting=meeting, actor=world.coordinator)


def test_it_refuses_decisions_and_closing_before_the_meetings_day(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world, days=7)
    item = _item(meeting, case)
    client = client_for(world.coordinator)
    base = f"/api/meetings/{meeting.pk}"
    early = client.post(
        f"{base}/decisions/", {"case": case.pk, "kind": "note", "text": "x"}, format="json"
    )
    assert early.status_code == 409 and "scheduled_for" in early.json()
    assert "Ședința are loc pe" in early.json()["detail"]
    assert client.post(f"{base}/close/").status_code == 409
    assert not item.decisions.exists()
    with time_machine.travel(meeting.scheduled_for):
        decision = services.decision_record(
            meeting=meeting, item=item, actor=world.coordinator, kind="note", text="x"
        )
    assert decision.pk
