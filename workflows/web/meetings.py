"""The office meeting's pages: the list, scheduling, and one meeting — its agenda with the
reasons each case is there, the attendance, the decisions (each carried out as it is recorded)
and the minutes.

Every action calls ``workflows.services``, the same services as the API, so a decision that
starts an intervention creates the function tasks, notifications, timeline and audit rows
exactly as ``POST /api/meetings/{id}/decisions/`` does. Checks run in the API's order: the
meeting through its selector (404), the coordinator's role (403), the form (400), the service
(409).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import policies, roles
from casework.errors import Conflict, Invalid, NotFound
from casework.models import Stage, User
from casework.roles import actor_of
from casework.selectors import case_get_for_user, cases_visible_to
from casework.web.errors import domain_errors, form_write
from workflows import calendar, selectors, services
from workflows.agenda import agenda_refresh, reason_text
from workflows.models import AgendaItem, Attendance, CalendarFeed, Meeting
from workflows.web.meeting_forms import (
    AgendaAddForm,
    AttendanceForm,
    CancelForm,
    DecisionForm,
    MoveForm,
    NotesForm,
    ScheduleForm,
)

PAGE_SIZE = 50
AGENDA_CASES_OFFERED = 500


# -- the list ----------------------------------------------------------------------------------


def _list_context(request: HttpRequest, form: forms.Form | None = None) -> dict[str, Any]:
    visible = selectors.meetings_visible_to(actor_of(request)).select_related("office")
    coming = list(
        visible.filter(status=Meeting.Status.SCHEDULED).order_by("scheduled_for", "id")[:PAGE_SIZE]
    )
    past = Paginator(
        visible.exclude(status=Meeting.Status.SCHEDULED).order_by("-scheduled_for", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    may_schedule = any(m.is_coordinator for m in roles.memberships(actor_of(request)))
    return {
        "coming": coming,
        "page": past,
        "past": past.object_list,
        "schedule_form": (form or ScheduleForm()) if may_schedule else None,
        # As the API's calendar address: made on first sight, the token is the key.
        "calendar_url": (url := _calendar_url(request, calendar.feed_for(actor_of(request)))),
        "calendar_subscribe": "webcal://" + url.split("://", 1)[1],
    }


def _calendar_url(request: HttpRequest, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))


@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """A new calendar address; the old one stops working at once."""
    calendar.feed_rotate(actor_of(request))
    messages.success(
        request, _("Your calendar has a new address; subscribe again with the one below.")
    )
    return HttpResponseRedirect(reverse("meetings:list") + "#calendar")


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workflows/meeting_list.html", _list_context(request))


@require_POST
@domain_errors
def schedule(request: HttpRequest) -> HttpResponse:
    office = selectors.coordinator_office(actor_of(request))
    form = ScheduleForm(request.POST)
    written = form_write(
        form,
        lambda data: services.meeting_schedule(office=office, actor=actor_of(request), **data),
    )
    if written:
        messages.success(request, _("Meeting scheduled; the office has been invited."))
        return HttpResponseRedirect(reverse("meetings:detail", args=[written.value.pk]))
    return render(request, "workflows/meeting_list.html", _list_context(request, form), status=400)


# -- one meeting -------------------------------------------------------------------------------


def _items(user: User, meeting: Meeting) -> list[AgendaItem]:
    return list(
        selectors.agenda_items_for(user, meeting).prefetch_related("decisions__recorded_by")
    )


def _cases_to_add(user: User, meeting: Meeting, listed: list[AgendaItem]) -> list[tuple[int, str]]:
    if meeting.kind == Meeting.Kind.INDIVIDUAL:
        return []
    on_agenda = {item.case_id for item in listed}
    cases = (
        cases_visible_to(user)
        .filter(
            office_id=meeting.office_id,
            stage__in=[Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING],
        )
        .exclude(pk__in=on_agenda)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "pk")[:AGENDA_CASES_OFFERED]
    )
    return [(case.pk, f"#{case.pk} {case.student.full_name}") for case in cases]


def _agenda_entry(item: AgendaItem, bound: DecisionForm | None, may_decide: bool) -> dict[str, Any]:
    decisions = list(item.decisions.all())
    return {
        "item": item,
        "reasons": [reason_text(r, decided=bool(decisions)) for r in item.reasons],
        "decisions": decisions,
        # Before the meeting's day nothing is offered to decide (the service refuses it too).
        "form": bound or (DecisionForm(prefix_id=item.pk) if may_decide else None),
    }


def _meeting_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    decision_forms: dict[int, DecisionForm] | None = None,
    **forms_: Any,
) -> dict[str, Any]:
    user = actor_of(request)
    coordinator = policies.can_schedule_meeting(user, meeting.office_id) and meeting.is_open
    items = _items(user, meeting)
    decision_forms = decision_forms or {}
    rows = list(meeting.attendance.select_related("user").order_by("user__last_name", "user_id"))
    may_decide = coordinator and meeting.has_begun
    agenda = [_agenda_entry(item, decision_forms.get(item.pk), may_decide) for item in items]
    return {
        "meeting": meeting,
        "coordinator": coordinator,
        "begun": meeting.has_begun,
        "agenda": agenda,
        "attendance": rows,
        "recorded": sum(1 for r in rows if r.status != Attendance.Status.INVITED),
        "attendance_form": forms_.get("attendance_form") or AttendanceForm(rows=rows)
        if coordinator
        else None,
        "notes_form": forms_.get("notes_form") or NotesForm(initial={"notes": meeting.notes})
        if coordinator
        else None,
        "add_form": (
            forms_.get("add_form") or AgendaAddForm(cases=_cases_to_add(user, meeting, items))
        )
        if coordinator and meeting.kind == Meeting.Kind.REGULAR
        else None,
        "cancel_form": CancelForm() if coordinator else None,
        "problem": forms_.get("problem"),
        "may_read_minutes": policies.can_read_minutes(user, meeting.office_id),
    }


def _render(
    request: HttpRequest, meeting: Meeting, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "workflows/meeting_detail.html",
        _meeting_context(request, meeting, **extra),
        status=status,
    )


def _back(meeting: Meeting, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("meetings:detail", args=[meeting.pk]) + anchor)


@require_GET
@domain_errors
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(actor_of(request), pk)
    # As the API's agenda read does: bring the agenda up to date until the meeting is under way.
    agenda_refresh(meeting)
    return _render(request, meeting)


def _coordinated_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_get_for_user(actor_of(request), pk)
    policies.require_run_meeting(actor_of(request), meeting.office_id)
    return meeting


def _conflict(request: HttpRequest, meeting: Meeting, conflict: Conflict) -> HttpResponse:
    problem = {"message": conflict.detail, **conflict.extra}
    return _render(request, meeting, status=409, problem=problem)


@require_POST
@domain_errors
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    rows = list(meeting.attendance.select_related("user"))
    form = AttendanceForm(request.POST, rows=rows)

    def save(data: dict[str, Any]) -> None:
        for row, status in form.changed_rows():
            services.attendance_record(
                meeting=meeting, actor=actor_of(request), user=row.user, status=status
            )

    try:
        saved = form_write(form, save)
    except Conflict as conflict:
        return _conflict(request, meeting, conflict)
    if saved:
        messages.success(request, _("Attendance saved."))
        return _back(meeting, "#attendance")
    return _render(request, meeting, status=400, attendance_form=form)


@require_POST
@domain_errors
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=actor_of(request), **form.cleaned_data)
        except Conflict as conflict:
            return _conflict(request, meeting, conflict)
        messages.success(request, _("Notes saved."))
        return _back(meeting, "#minutes")
    return _render(request, meeting, status=400, notes_form=form)


@require_POST
@domain_errors
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    items = _items(actor_of(request), meeting)
    form = AgendaAddForm(request.POST, cases=_cases_to_add(actor_of(request), meeting, items))

    def add(data: dict[str, Any]) -> object:
        try:
            case = case_get_for_user(actor_of(request), data["case"])
        except NotFound:
            raise Invalid({"case": [_("No such case.")]}) from None
        return services.agenda_item_add(
            meeting=meeting, actor=actor_of(request), case=case, note=data["note"]
        )

    try:
        added = form_write(form, add)
    except Conflict as conflict:
        return _conflict(request, meeting, conflict)
    if added:
        messages.success(request, _("Case added to the agenda."))
        return _back(meeting, "#agenda")
    return _render(request, meeting, status=400, add_form=form)


def _item(request: HttpRequest, meeting: Meeting, item_pk: int) -> AgendaItem:
    item = selectors.agenda_items_for(actor_of(request), meeting).filter(pk=item_pk).first()
    if item is None:
        raise NotFound()
    return item


@require_POST
@domain_errors
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(actor_of(request), pk)
    item = _item(request, meeting, item_pk)
    policies.require_run_meeting(actor_of(request), meeting.office_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Invalid({"priority": [str(e) for e in form.errors.get("priority", [])]})
    try:
        services.agenda_item_change(
            item=item, actor=actor_of(request), priority=form.cleaned_data["priority"]
        )
    except Conflict as conflict:
        return _conflict(request, meeting, conflict)
    return _back(meeting, f"#item-{item.pk}")


@require_POST
@domain_errors
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(actor_of(request), pk)
    item = _item(request, meeting, item_pk)
    policies.require_run_meeting(actor_of(request), meeting.office_id)
    try:
        services.agenda_item_remove(item=item, actor=actor_of(request))
    except Conflict as conflict:
        return _conflict(request, meeting, conflict)
    messages.info(request, _("Case taken off the agenda."))
    return _back(meeting, "#agenda")


@require_POST
@domain_errors
def decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(actor_of(request), pk)
    item = _item(request, meeting, item_pk)
    policies.require_run_meeting(actor_of(request), meeting.office_id)
    form = DecisionForm(request.POST, prefix_id=item.pk)
    status = 400
    try:
        decided = form_write(
            form,
            lambda data: services.decision_record(
                meeting=meeting,
                item=item,
                actor=actor_of(request),
                kind=data["kind"],
                text=data["text"],
                **form.service_params(),
            ),
        )
    except Conflict as conflict:
        form.add_error(None, conflict.detail)
        decided, status = None, 409
    if decided:
        messages.success(request, _("Decision recorded and carried out."))
        return _back(meeting, f"#item-{item.pk}")
    meeting.refresh_from_db()
    return _render(request, meeting, status=status, decision_forms={item.pk: form})


@require_POST
@domain_errors
def close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    try:
        services.minutes_close(meeting=meeting, actor=actor_of(request))
    except Conflict as conflict:
        return _conflict(request, meeting, conflict)
    messages.success(request, _("The minutes are closed."))
    return _back(meeting)


@require_POST
@domain_errors
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.meeting_cancel(
            meeting=meeting, actor=actor_of(request), reason=form.cleaned_data.get("reason", "")
        )
    except Conflict as conflict:
        return _conflict(request, meeting, conflict)
    messages.info(request, _("The meeting is cancelled; the invited have been told."))
    return _back(meeting)
