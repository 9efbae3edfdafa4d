"""The office meeting's API: schedule, agenda, attendance, decisions, minutes, calendar.

Thin views: fetch through ``workflows.selectors`` (404), check the role (403), validate (400),
then call the service (409 for state and races).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies
from casework.api.dates import date_field
from casework.errors import Invalid, NotFound
from casework.models import User
from casework.roles import actor_of
from casework.selectors import case_get_for_user
from workflows import calendar, selectors, services
from workflows.agenda import agenda_refresh, reason_text
from workflows.minutes import minutes_pdf
from workflows.models import AgendaItem, Attendance, Decision, Meeting


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = Attendance
        fields = ["user", "name", "status", "note", "recorded_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "item",
            "case",
            "kind",
            "text",
            "data",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "office",
            "kind",
            "case",
            "scheduled_for",
            "duration_minutes",
            "location",
            "status",
            "notes",
            "started_at",
            "minutes_closed_at",
            "minutes_closed_by",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class MeetingCreateSerializer(serializers.Serializer[Any]):
    scheduled_for = serializers.DateTimeField(**date_field("scheduled_for"))
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, default=Meeting.Kind.REGULAR)
    case = serializers.IntegerField(required=False, allow_null=True)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    duration_minutes = serializers.IntegerField(
        required=False, default=90, min_value=15, max_value=600
    )
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    office = serializers.IntegerField(required=False, allow_null=True)


class MeetingUpdateSerializer(serializers.Serializer[Any]):
    scheduled_for = serializers.DateTimeField(required=False, **date_field("scheduled_for"))
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    duration_minutes = serializers.IntegerField(required=False, min_value=15, max_value=600)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


def _meeting_detail(meeting: Meeting, user: User) -> dict[str, Any]:
    data = dict(MeetingSerializer(meeting).data)
    data["attendance"] = AttendanceSerializer(
        meeting.attendance.select_related("user"), many=True
    ).data
    visible = selectors.agenda_items_for(user, meeting).values("pk")
    data["decisions"] = DecisionSerializer(
        Decision.objects.filter(meeting=meeting, item__in=visible), many=True
    ).data
    return data


@extend_schema_view(
    post=extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
)
class MeetingListView(generics.ListCreateAPIView[Meeting]):
    """Meetings you may see; coordinators schedule one (``kind``: regular or individual)."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meetings_visible_to(actor_of(self.request)).order_by(
            "-scheduled_for", "-id"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw_office = str(request.data.get("office") or "") if hasattr(request.data, "get") else ""
        office = selectors.coordinator_office(
            actor_of(request), int(raw_office) if raw_office.isdigit() else None
        )
        serializer = MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = None
        if data.get("case") is not None:
            try:
                case = case_get_for_user(actor_of(request), data["case"])
            except NotFound:
                raise Invalid({"case": _("No such case.")}) from None
        meeting = services.meeting_schedule(
            office=office,
            actor=actor_of(request),
            scheduled_for=data["scheduled_for"],
            kind=data["kind"],
            case=case,
            location=data["location"],
            duration_minutes=data["duration_minutes"],
            attendees=data.get("attendees") or [],
        )
        return Response(_meeting_detail(meeting, actor_of(request)), status=status.HTTP_201_CREATED)


class MeetingDetailView(generics.GenericAPIView[Meeting]):
    serializer_class = MeetingUpdateSerializer

    @extend_schema(responses={200: MeetingSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            _meeting_detail(
                selectors.meeting_get_for_user(actor_of(request), pk), actor_of(request)
            )
        )

    @extend_schema(responses={200: MeetingSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        serializer = MeetingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_update(
            meeting=meeting, actor=actor_of(request), **serializer.validated_data
        )
        return Response(_meeting_detail(meeting, actor_of(request)))


class MeetingCancelView(generics.GenericAPIView[Meeting]):
    serializer_class = ReasonSerializer

    @extend_schema(responses={200: MeetingSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(
            meeting=meeting, actor=actor_of(request), reason=serializer.validated_data["reason"]
        )
        return Response(_meeting_detail(meeting, actor_of(request)))


def agenda_item_data(item: AgendaItem) -> dict[str, Any]:
    student = item.case.student
    return {
        "id": item.pk,
        "case": item.case_id,
        "priority": item.position,
        "reasons": [r["code"] for r in item.reasons],
        "details": [{**r, "text": reason_text(r)} for r in item.reasons],
        "note": item.note,
        "added_by_hand": item.added_by_hand,
        "stage": item.case.stage,
        "student": {"id": student.pk, "code": student.code, "name": student.full_name},
    }


def _agenda(meeting: Meeting, user: User) -> dict[str, Any]:
    items = selectors.agenda_items_for(user, meeting)
    return {"meeting": meeting.pk, "items": [agenda_item_data(i) for i in items]}


class AgendaSerializer(serializers.Serializer[Any]):
    case = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AgendaView(generics.GenericAPIView[Meeting]):
    """The agenda, built from the office's cases that need discussion, most urgent first.
    POST adds a case by hand (coordinators)."""

    serializer_class = AgendaSerializer

    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        agenda_refresh(meeting)
        return Response(_agenda(meeting, actor_of(request)))

    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        serializer = AgendaSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = case_get_for_user(actor_of(request), serializer.validated_data["case"])
        except NotFound:
            raise Invalid({"case": _("No such case.")}) from None
        services.agenda_item_add(
            meeting=meeting,
            actor=actor_of(request),
            case=case,
            note=serializer.validated_data["note"],
        )
        return Response(_agenda(meeting, actor_of(request)), status=status.HTTP_201_CREATED)


class AgendaItemSerializer(serializers.Serializer[Any]):
    priority = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AgendaItemView(generics.GenericAPIView[Meeting]):
    """Move an item (``priority``: 1 = first), change its note, or take it off (DELETE)."""

    serializer_class = AgendaItemSerializer

    def _item(self, request: Request, pk: int, item_pk: int) -> AgendaItem:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        item = selectors.agenda_items_for(actor_of(request), meeting).filter(pk=item_pk).first()
        if item is None:
            raise NotFound()
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        return item

    def patch(self, request: Request, pk: int, item_pk: int) -> Response:
        item = self._item(request, pk, item_pk)
        serializer = AgendaItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.agenda_item_change(item=item, actor=actor_of(request), **serializer.validated_data)
        return Response(_agenda(item.meeting, actor_of(request)))

    def delete(self, request: Request, pk: int, item_pk: int) -> Response:
        item = self._item(request, pk, item_pk)
        services.agenda_item_remove(item=item, actor=actor_of(request))
        return Response(_agenda(item.meeting, actor_of(request)))


ATTENDANCE_RECORDED = [
    (status.value, status.label)
    for status in (Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED)
]


class AttendanceWriteSerializer(serializers.Serializer[Any]):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    status = serializers.ChoiceField(choices=ATTENDANCE_RECORDED)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class AttendanceView(generics.GenericAPIView[Meeting]):
    serializer_class = AttendanceWriteSerializer

    @extend_schema(responses={200: AttendanceSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        rows = meeting.attendance.select_related("user")
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(responses={200: AttendanceSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        serializer = AttendanceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.attendance_record(
            meeting=meeting, actor=actor_of(request), **serializer.validated_data
        )
        return Response(AttendanceSerializer(row).data)


class DecisionWriteSerializer(serializers.Serializer[Any]):
    item = serializers.IntegerField(required=False)
    case = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=Decision.Kind.choices)
    text = serializers.CharField(max_length=4000)
    transition = serializers.CharField(required=False)
    cancel_open_tasks = serializers.BooleanField(required=False, default=False)
    group = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    due = serializers.DateField(required=False, allow_null=True, **date_field("due"))
    scheduled_for = serializers.DateTimeField(required=False, **date_field("scheduled_for"))
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    functions = serializers.ListField(child=serializers.CharField(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("item" in attrs) == ("case" in attrs):
            raise serializers.ValidationError({"item": 'Name the agenda item ("item" or "case").'})
        return attrs


class DecisionView(generics.GenericAPIView[Meeting]):
    """The minutes' decisions; recording one carries it out (a transition, a task, ...)."""

    serializer_class = DecisionWriteSerializer

    @extend_schema(responses={200: DecisionSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        return Response(_meeting_detail(meeting, actor_of(request))["decisions"])

    @extend_schema(responses={201: DecisionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        items = selectors.agenda_items_for(actor_of(request), meeting)
        if "item" in data:
            item = items.filter(pk=data.pop("item")).first()
            if item is None:
                raise Invalid({"item": _("Not an item of this meeting's agenda.")})
        else:
            item = items.filter(case_id=data.pop("case")).first()
            if item is None:
                raise Invalid({"case": _("This case is not on the meeting's agenda.")})
        decision = services.decision_record(
            meeting=meeting,
            item=item,
            actor=actor_of(request),
            kind=data.pop("kind"),
            text=data.pop("text"),
            **data,
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class MinutesCloseView(generics.GenericAPIView[Meeting]):
    serializer_class = MeetingSerializer

    @extend_schema(request=None)
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_run_meeting(actor_of(request), meeting.office_id)
        meeting = services.minutes_close(meeting=meeting, actor=actor_of(request))
        return Response(_meeting_detail(meeting, actor_of(request)))


class MinutesPdfView(generics.GenericAPIView[Meeting]):
    """The minutes as PDF, in the office's language (office members who see the meeting)."""

    serializer_class = MeetingSerializer

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, pk: int) -> HttpResponse:
        meeting = selectors.meeting_get_for_user(actor_of(request), pk)
        policies.require_read_minutes(actor_of(request), meeting.office_id)
        pdf = minutes_pdf(meeting, actor_of(request))
        response = HttpResponse(pdf, content_type="application/pdf")
        day = meeting.scheduled_for.date().isoformat()
        response["Content-Disposition"] = f'attachment; filename="minutes-{day}-{meeting.pk}.pdf"'
        return response


class CalendarSerializer(serializers.Serializer[Any]):
    url = serializers.URLField(read_only=True)


def _feed_answer(request: Request, feed: Any) -> Response:
    return Response({"url": request.build_absolute_uri(f"/calendar/{feed.token}.ics")})


class CalendarView(generics.GenericAPIView[Meeting]):
    """Your private calendar address (meetings and your deadlines, no names)."""

    serializer_class = CalendarSerializer

    def get(self, request: Request) -> Response:
        return _feed_answer(request, calendar.feed_for(request.user))  # type: ignore[arg-type]


class CalendarRotateView(generics.GenericAPIView[Meeting]):
    serializer_class = CalendarSerializer

    @extend_schema(request=None)
    def post(self, request: Request) -> Response:
        return _feed_answer(request, calendar.feed_rotate(request.user))  # type: ignore[arg-type]


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed itself: no login (calendar programs cannot), the token is the key."""
    user = calendar.user_for_token(token)
    if user is None:
        raise Http404
    body = calendar.calendar_for(user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
