"""The OpenAPI schema's generator: drf-spectacular's, plus what our validators know.

A date guarded by a plausible window (``casework.dates``) cannot be said in JSON Schema, whose
formats have no bounds; the schema gives the window in words and an example inside it, computed
when the schema is served, so a client (or a fuzzer) has a valid date to start from.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from casework.dates import WINDOWS


def _window_of(field: Any) -> str | None:
    for validator in getattr(field, "validators", []):
        name = getattr(validator, "date_window", None)
        if name is not None:
            return str(name)
    return None


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        name = _window_of(field)
        if name is not None:
            earliest, latest = WINDOWS[name].bounds()
            middle = earliest + (latest - earliest) / 2
            if isinstance(field, serializers.DateTimeField):
                moment = datetime.datetime.combine(middle, datetime.time(14, 0))
                schema["example"] = timezone.make_aware(moment).isoformat()
            else:
                schema["example"] = middle.isoformat()
        return schema
