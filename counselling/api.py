"""``/api/activities/``: information and counselling activities and their attendance lists."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.dates import date_field
from casework.api.mixins import AuditedListMixin
from casework.api.parsing import MAX_ID, body
from casework.errors import Invalid
from casework.models import Student, User
from casework.selectors import students_visible_to
from counselling import policies
from counselling.attendance_sheet import attendance_response
from counselling.models import Activity, ActivityKind, Channel, Topic
from counselling.selectors import activities_visible_to, activity_get_for_user, attendees_of
from counselling.services import activity_attendance_set, activity_record


def actor_of(request: Request) -> User:
    # Every view here is for signed-in users only (the API's default permission).
    return cast(User, request.user)


class StudentField(serializers.PrimaryKeyRelatedField[Student]):
    """A student the caller may see; any other id reads as one that does not exist."""

    def get_queryset(self) -> QuerySet[Student]:
        return students_visible_to(self.context["request"].user)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    topic = serializers.ChoiceField(choices=Topic.choices)
    student = StudentField(required=False, allow_null=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    attendance = serializers.IntegerField(read_only=True, source="attendance_count", default=0)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "channel",
            "topic",
            "title",
            "held_on",
            "duration_minutes",
            "class_name",
            "student",
            "author",
            "attendance",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"held_on": date_field("held_on")}


def _day(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise Invalid({name: _("Give a date as YYYY-MM-DD.")}) from None


@extend_schema(
    parameters=[
        OpenApiParameter("from", datetime.date, description="held on or after this day"),
        OpenApiParameter("to", datetime.date, description="held on or before this day"),
    ]
)
class ActivityListView(AuditedListMixin, generics.ListCreateAPIView[Activity]):
    """Your activities; the school's, for its career counsellors, deputy director, director and
    quality commission. Recorded by form tutors, study and career counsellors and the office's
    groups 1 and 2."""

    serializer_class = ActivitySerializer
    audit_object_type = "activity"

    def get_queryset(self) -> QuerySet[Activity]:
        queryset = activities_visible_to(actor_of(self.request)).annotate(
            attendance_count=Count("attendees")
        )
        since, until = _day(self.request, "from"), _day(self.request, "to")
        if since:
            queryset = queryset.filter(held_on__gte=since)
        if until:
            queryset = queryset.filter(held_on__lte=until)
        return queryset

    @extend_schema(
        examples=[
            OpenApiExample(
                "A class informed about career routes",
                value={
                    "kind": "group",
                    "channel": "direct",
                    "topic": "career_routes",
                    "title": "Rute de carieră după clasa a XII-a",
                    "held_on": "2026-11-20",
                    "duration_minutes": 50,
                    "class_name": "11A",
                },
                request_only=True,
            )
        ]
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # 403 before 400: someone who may not record learns that, not which field was wrong.
        policies.require_record_activities(actor_of(request))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = activity_record(actor=actor_of(request), **serializer.validated_data)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(APIView):
    @extend_schema(responses={200: ActivitySerializer})
    def get(self, request: Request, pk: int) -> Response:
        activity = activity_get_for_user(actor_of(request), pk)
        data = ActivitySerializer(activity).data
        data["attendance"] = attendees_of(activity).count()
        return Response(data)


ATTENDANCE = inline_serializer(
    "ActivityAttendance", {"students": serializers.ListField(child=serializers.IntegerField())}
)


class AttendanceView(APIView):
    """The attendance list: the ids of the students who were there."""

    @extend_schema(responses={200: ATTENDANCE})
    def get(self, request: Request, pk: int) -> Response:
        activity = activity_get_for_user(actor_of(request), pk)
        return Response({"students": list(attendees_of(activity).values_list("pk", flat=True))})

    @extend_schema(request=ATTENDANCE, responses={200: ATTENDANCE})
    def put(self, request: Request, pk: int) -> Response:
        activity = activity_get_for_user(actor_of(request), pk, audit=False)
        policies.require_activity_author(actor_of(request), activity.author_id)
        ids = body(request).get("students")
        if not isinstance(ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID for i in ids
        ):
            raise Invalid({"students": [_("Give a list of student ids.")]})
        students = list(Student.objects.filter(pk__in=ids, school_id=activity.school_id))
        unknown = sorted(set(ids) - {s.pk for s in students})
        if unknown:
            raise Invalid(
                {
                    "students": [
                        _("No student of the school has the id %(ids)s.")
                        % {"ids": ", ".join(map(str, unknown))}
                    ]
                }
            )
        chosen = activity_attendance_set(
            actor=actor_of(request), activity=activity, students=students
        )
        return Response({"students": sorted(s.pk for s in chosen)})


@extend_schema(responses={(200, "application/pdf"): bytes})
class AttendancePdfView(APIView):
    """The attendance list to print and sign."""

    def get(self, request: Request, pk: int) -> HttpResponse:
        activity = activity_get_for_user(actor_of(request), pk, audit=False)
        return attendance_response(activity, actor_of(request))
