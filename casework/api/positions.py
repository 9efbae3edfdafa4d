"""Positions (school duties) and who the caller is: ``GET /api/me/`` is also the cheapest
authenticated call, the one clients use to check a token."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies, roles
from casework.api.dates import date_field
from casework.models import Position, PositionKind, School, User
from casework.positions import positions_held, positions_visible_to
from casework.roles import actor_of
from casework.services.positions import position_assign


class PositionSerializer(serializers.ModelSerializer[Position]):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    position = serializers.ChoiceField(choices=PositionKind.choices)

    class Meta:
        model = Position
        fields = ["id", "user", "position", "class_name", "valid_from", "valid_until"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "valid_from": date_field("valid_from"),
            "valid_until": date_field("valid_until"),
        }
        # Uniqueness is the service's (409, not 400).
        validators: list[Any] = []


@extend_schema_view(
    post=extend_schema(
        examples=[
            OpenApiExample(
                "A form tutor of a class",
                value={"user": 1, "position": "form_tutor", "class_name": "10A"},
                request_only=True,
            ),
            OpenApiExample(
                "The director", value={"user": 1, "position": "director"}, request_only=True
            ),
        ]
    )
)
class PositionListView(generics.ListCreateAPIView[Position]):
    """The positions of your school; the director and the office's administration assign them."""

    serializer_class = PositionSerializer

    def get_queryset(self) -> QuerySet[Position]:
        queryset = positions_visible_to(actor_of(self.request))
        params = self.request.query_params
        if params.get("position"):
            queryset = queryset.filter(position=params["position"])
        if params.get("user", "").isdigit():
            queryset = queryset.filter(user_id=int(params["user"]))
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        school: School | None = getattr(request.user, "school", None)
        policies.require_manage_positions(actor_of(request), school)
        if school is None:  # refused just above; this line is for the type checker
            raise AssertionError
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        held = position_assign(actor=actor_of(request), school=school, **serializer.validated_data)
        return Response(PositionSerializer(held).data, status=status.HTTP_201_CREATED)


ME = inline_serializer(
    "Me",
    {
        "id": serializers.IntegerField(),
        "username": serializers.CharField(),
        "first_name": serializers.CharField(),
        "last_name": serializers.CharField(),
        "school": serializers.CharField(allow_null=True),
        "groups": serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=4)),
        "coordinator": serializers.BooleanField(),
        "external": serializers.BooleanField(),
        "positions": serializers.ListField(
            child=inline_serializer(
                "MePosition",
                {
                    "position": serializers.ChoiceField(choices=PositionKind.choices),
                    "class_name": serializers.CharField(),
                },
            )
        ),
    },
)


class MeView(APIView):
    """Who you are here: your office groups, whether you coordinate or are external, and the
    school duties you hold today."""

    @extend_schema(responses={200: ME})
    def get(self, request: Request) -> Response:
        user = actor_of(request)
        memberships = roles.memberships(user)
        school = getattr(user, "school", None)
        return Response(
            {
                "id": user.pk,
                "username": user.get_username(),
                "first_name": getattr(user, "first_name", ""),
                "last_name": getattr(user, "last_name", ""),
                "school": school.code if school is not None else None,
                "groups": sorted({m.group for m in memberships}),
                "coordinator": any(m.is_coordinator for m in memberships),
                "external": bool(memberships) and all(m.is_external for m in memberships),
                "positions": [
                    {"position": held.position, "class_name": held.class_name}
                    for held in positions_held(user)
                ],
            }
        )
