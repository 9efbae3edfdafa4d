"""Forms of the library pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Function

OUTCOMES = [("all", _("All met")), ("partly", _("Partly met")), ("none", _("Not met"))]
RISKS = [
    ("attendance", _("Attendance")),
    ("grade_failures", _("Failed courses")),
    ("behaviour", _("Behaviour")),
    ("self_assessment", _("Self-assessment")),
]
SOURCES = [("own", _("Our office's")), ("partner", _("Partners'")), ("all", _("All"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    function = forms.ChoiceField(
        label=_("Function"), required=False, choices=[("", _("Any")), *Function.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Objectives"), required=False, choices=[("", _("Any")), *OUTCOMES]
    )
    risk = forms.ChoiceField(label=_("Risk"), required=False, choices=[("", _("Any")), *RISKS])
    intervention = forms.CharField(label=_("Intervention"), required=False, max_length=60)
    source = forms.ChoiceField(label=_("Whose"), required=False, choices=SOURCES)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "function": data.get("function", ""),
            "outcome": data.get("outcome", ""),
            "risk": data.get("risk", ""),
            "intervention": (data.get("intervention") or "").strip(),
            "source": data.get("source") or "own",
        }


class NarrativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    situation = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 4}))
    intervention = forms.CharField(
        label=_("Intervention"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_worked = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=4000)
