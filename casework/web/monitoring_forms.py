"""Forms of the monitoring pages: a signal, and an instrument's one-time link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import SignalKind


class SignalForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was observed"), choices=SignalKind.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=4000,
        help_text=_(
            "Attendance: percent present (0 to 100). Failed courses or incidents: a number. "
            "Score: 0 to 100. Observation: the text."
        ),
    )
    observed_on = forms.DateField(
        label=_("Observed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_signal_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("observed_on", timezone.localdate())


class InstrumentLinkForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), choices=[])
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=30, initial=7
    )

    def __init__(self, *args: Any, instruments: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_link_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = instruments
