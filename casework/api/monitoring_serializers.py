"""Serializers of the monitoring API: signals, imports, risk, the watchlist, instruments."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.api.dates import date_field
from casework.models import (
    ImportRun,
    Instrument,
    InstrumentLink,
    RiskLevel,
    School,
    Signal,
    SignalKind,
)


class SignalInputSerializer(serializers.Serializer[Any]):
    """What ``POST /api/signals/`` takes; the rules themselves are the service's (one set for the
    API and the imports)."""

    student = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SignalKind.choices)
    value = extend_schema_field(
        {
            "oneOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "integer", "minimum": 0, "maximum": 1000},
                {"type": "string", "minLength": 1, "maxLength": 4000},
            ]
        }
    )(serializers.JSONField)(
        help_text="A number for attendance (0-100), counts (whole, 0 to 1000) and "
        "self-assessment scores (0-100); the text for an observation."
    )
    observed_on = serializers.DateField(**date_field("observed_on"))
    note = serializers.CharField(required=False, allow_blank=True)


class SignalSerializer(serializers.ModelSerializer[Signal]):
    value = serializers.SerializerMethodField()
    instrument = serializers.SlugRelatedField[Instrument](slug_field="code", read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "student",
            "kind",
            "value",
            "note",
            "observed_on",
            "source",
            "recorded_by",
            "instrument",
            "import_run",
            "case",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_value(self, signal: Signal) -> int | float | str | None:  # type: ignore[override]
        if signal.kind == SignalKind.OBSERVATION:
            return signal.text
        if signal.value is None:
            return None
        if signal.value == signal.value.to_integral_value():
            return int(signal.value)
        return float(signal.value)


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV (UTF-8, comma or semicolon) or XLSX.")
    school = serializers.CharField(
        required=False, help_text="School code; defaults to your own school."
    )


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    school = serializers.SlugRelatedField[School](slug_field="code", read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "school",
            "kind",
            "filename",
            "sha256",
            "rows",
            "created",
            "updated",
            "unchanged",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class IndicatorSerializer(serializers.Serializer[Any]):
    name = serializers.ChoiceField(
        choices=["attendance", "grade_failures", "behaviour", "self_assessment"]
    )
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    value = serializers.FloatField(allow_null=True)
    observed_on = serializers.DateField(allow_null=True)
    previous = serializers.FloatField(allow_null=True, help_text="The value a week earlier.")
    previous_level = serializers.ChoiceField(choices=RiskLevel.choices)
    trend = serializers.ChoiceField(choices=["worse", "better", "same", "new"], allow_null=True)
    thresholds = serializers.DictField()
    instrument = serializers.DictField(required=False)


class FlagSuggestionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()
    functions = serializers.ListField(child=serializers.CharField())


class RiskSerializer(serializers.Serializer[Any]):
    student = serializers.IntegerField()
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    previous_level = serializers.ChoiceField(
        choices=RiskLevel.choices, help_text="The level a week earlier."
    )
    as_of = serializers.DateField()
    indicators = IndicatorSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    changes = serializers.ListField(
        child=serializers.CharField(), help_text="What changed since a week earlier."
    )
    open_case = serializers.IntegerField(allow_null=True)
    flag = FlagSuggestionSerializer(
        allow_null=True,
        help_text="What a one-click flag would send to POST /api/cases/ (null when there is "
        "nothing to flag or a case is open).",
    )


class WatchlistStudentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    class_name = serializers.CharField()


class WatchlistEntrySerializer(serializers.Serializer[Any]):
    student = WatchlistStudentSerializer()
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    previous_level = serializers.ChoiceField(choices=RiskLevel.choices)
    worsened = serializers.BooleanField()
    indicators = IndicatorSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    changes = serializers.ListField(child=serializers.CharField())
    new_signals = serializers.IntegerField(help_text="Signals recorded in the last 7 days.")
    open_case = serializers.IntegerField(allow_null=True)
    flag = FlagSuggestionSerializer(allow_null=True)


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    items = serializers.IntegerField(source="items.count", read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "language",
            "scale_min",
            "scale_max",
            "risk_when",
            "caution_cutoff",
            "high_cutoff",
            "items",
        ]
        read_only_fields = fields


class InstrumentLinkInputSerializer(serializers.Serializer[Any]):
    instrument = serializers.CharField(help_text="The instrument's code (or id).")
    expires_in_days = serializers.IntegerField(required=False, default=7)


class InstrumentLinkSerializer(serializers.ModelSerializer[InstrumentLink]):
    instrument = serializers.SlugRelatedField[Instrument](slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = InstrumentLink
        fields = [
            "id",
            "instrument",
            "student",
            "created_by",
            "created_at",
            "expires_at",
            "used_at",
            "revoked_at",
            "status",
        ]
        read_only_fields = fields


class InstrumentLinkCreatedSerializer(InstrumentLinkSerializer):
    url = serializers.CharField(read_only=True, help_text="Give this to the student; shown once.")
    token = serializers.CharField(read_only=True)

    class Meta(InstrumentLinkSerializer.Meta):
        fields = [*InstrumentLinkSerializer.Meta.fields, "url", "token"]
        read_only_fields = fields


class InstrumentAssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    instrument = serializers.DictField()
    submitted_at = serializers.DateTimeField()
    score = serializers.FloatField()
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    subscales = serializers.DictField(child=serializers.FloatField())
    change_since_previous = serializers.FloatField(allow_null=True)
    change_since_first = serializers.FloatField(allow_null=True)
