"""The task and notification API: lists cut to need to know, and the claim/release/complete
actions, all through ``workflows.services``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies
from casework.api.parsing import required_int
from casework.errors import Invalid, NotFound
from casework.models import Function
from casework.roles import actor_of
from workflows import selectors, services
from workflows.api.serializers import (
    NotificationSerializer,
    TaskReassignSerializer,
    TaskSerializer,
)
from workflows.flows import InterventionFlow
from workflows.models import CaseTask, Notification

SCOPES = {
    "available": selectors.available_tasks,
    "mine": selectors.my_tasks,
    "visible": selectors.tasks_visible_to,
}


@extend_schema(
    parameters=[
        OpenApiParameter("scope", enum=list(SCOPES), description="default: visible"),
        OpenApiParameter("case", int),
        OpenApiParameter("group", int, enum=[1, 2, 3, 4]),
        OpenApiParameter("overdue", bool),
    ]
)
class TaskListView(generics.ListAPIView[CaseTask]):
    serializer_class = TaskSerializer

    def get_queryset(self) -> QuerySet[CaseTask]:
        params = self.request.query_params
        scope = params.get("scope", "visible")
        if scope not in SCOPES:
            raise Invalid(
                {"scope": _("Choose one of %(choices)s.") % {"choices": ", ".join(SCOPES)}}
            )
        queryset = SCOPES[scope](actor_of(self.request))
        if params.get("case"):
            queryset = queryset.filter(case_id=required_int(params, "case"))
        if params.get("group"):
            queryset = queryset.filter(group=required_int(params, "group"))
        if params.get("overdue") in ("1", "true", "yes"):
            queryset = selectors.overdue(queryset)
        return queryset.order_by("due_at", "task_id")


class TaskDetailView(generics.GenericAPIView[CaseTask]):
    serializer_class = TaskSerializer

    def get(self, request: Request, pk: int) -> Response:
        return Response(TaskSerializer(selectors.task_get_for_user(actor_of(request), pk)).data)


def _fresh(case_task: CaseTask) -> dict[str, Any]:
    """The task as the service left it: its task row was read under the case's lock and
    changed in place, so no second read is needed."""
    return dict(TaskSerializer(case_task).data)


class TaskClaimView(generics.GenericAPIView[CaseTask]):
    serializer_class = TaskSerializer

    @extend_schema(request=None)
    def post(self, request: Request, pk: int) -> Response:
        with transaction.atomic():
            case_task = selectors.task_get_for_user(
                actor_of(request), pk, locked_if_of=InterventionFlow
            )
            done = services.task_claim(case_task=case_task, actor=actor_of(request))
        return Response(_fresh(done))


class TaskReleaseView(generics.GenericAPIView[CaseTask]):
    serializer_class = TaskSerializer

    @extend_schema(request=None)
    def post(self, request: Request, pk: int) -> Response:
        with transaction.atomic():
            case_task = selectors.task_get_for_user(
                actor_of(request), pk, locked_if_of=InterventionFlow
            )
            done = services.task_release(case_task=case_task, actor=actor_of(request))
        return Response(_fresh(done))


class TaskResultSerializer(serializers.Serializer[Any]):
    """What completing a task records (the schema's words; the service checks the rules):
    triage needs ``summary``, ``priority`` and ``recommended_functions``."""

    summary = serializers.CharField(required=False, max_length=4000)
    priority = serializers.ChoiceField(choices=[1, 2, 3], required=False, help_text="1 = high")
    recommended_functions = serializers.ListField(
        child=serializers.ChoiceField(choices=Function.choices), required=False, min_length=1
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class TaskCompleteView(generics.GenericAPIView[CaseTask]):
    """Finish a task you hold. Triage: ``{"summary","priority","recommended_functions"}``;
    other tasks: ``{"note"?}``."""

    serializer_class = TaskSerializer

    @extend_schema(request=TaskResultSerializer, responses={200: TaskSerializer})
    def post(self, request: Request, pk: int) -> Response:
        result: Any = request.data
        if hasattr(result, "getlist"):  # a form post: lists come as repeated fields
            result = {
                key: result.getlist(key) if key == "recommended_functions" else result.get(key)
                for key in result
            }
        with transaction.atomic():
            case_task = selectors.task_get_for_user(
                actor_of(request), pk, locked_if_of=InterventionFlow, lock_case=True
            )
            done = services.task_complete(
                case_task=case_task, actor=actor_of(request), result=result
            )
        return Response(_fresh(done))


class TaskReassignView(generics.GenericAPIView[CaseTask]):
    serializer_class = TaskReassignSerializer

    def post(self, request: Request, pk: int) -> Response:
        case_task = selectors.task_get_for_user(actor_of(request), pk)

        policies.require_reassign_task(actor_of(request), case_task.case)
        serializer = TaskReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.task_reassign(
            case_task=case_task, actor=actor_of(request), to=serializer.validated_data["to"]
        )
        return Response(_fresh(case_task))


class NotificationListView(generics.ListAPIView[Notification]):
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        queryset = selectors.notifications_for(actor_of(self.request))
        if self.request.query_params.get("unread") in ("1", "true", "yes"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("-created_at", "-id")


class NotificationReadView(generics.GenericAPIView[Notification]):
    serializer_class = NotificationSerializer

    @extend_schema(request=None)
    def post(self, request: Request, pk: int) -> Response:
        notification = selectors.notifications_for(actor_of(request)).filter(pk=pk).first()
        if notification is None:
            raise NotFound()
        notification = services.notification_mark_read(
            notification=notification, actor=actor_of(request)
        )
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(generics.GenericAPIView[Notification]):
    serializer_class = NotificationSerializer

    @extend_schema(request=None)
    def post(self, request: Request) -> Response:
        count = services.notifications_mark_all_read(actor=actor_of(request))
        return Response({"marked_read": count, "at": timezone.now()})
