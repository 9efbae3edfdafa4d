"""Forms of the web pages. They only shape input; the services validate the rules and their
``Invalid`` errors are put back next to the fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import ClosingReview, Function, User

PRIORITIES = [(1, _("High")), (2, _("Medium")), (3, _("Low"))]


class TriageForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the office meeting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the office needs to know to decide; no more than that."),
    )
    priority = forms.TypedChoiceField(label=_("Priority"), coerce=int, choices=PRIORITIES)
    recommended_functions = forms.MultipleChoiceField(
        label=_("Recommended functions"),
        choices=Function.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you flagging this student?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What you observed: attendance, grades, behaviour, anything the office should know."
        ),
    )
    functions = forms.MultipleChoiceField(
        label=_("Support the student may need"),
        choices=Function.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    cancel_open_tasks = forms.BooleanField(label=_("Cancel the tasks still open"), required=False)


class ObjectiveForm(forms.Form):
    description = forms.CharField(
        label=_("Specific description"), widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator = forms.CharField(label=_("Measurable indicator"), max_length=300)
    baseline = forms.CharField(label=_("Baseline"), max_length=200)
    target = forms.CharField(label=_("Target"), max_length=200)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    function = forms.ChoiceField(label=_("Function"), required=False, choices=[])
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("— nobody yet —"),
        help_text=_("Who answers for this objective and records its progress."),
    )

    def __init__(
        self,
        *args: Any,
        functions: list[str] | None = None,
        owners: QuerySet[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners if owners is not None else User.objects.none()
        labels = dict(Function.choices)
        field = self.fields["function"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— any —"))] + [(f, labels[f]) for f in functions or []]
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=30))


class ClosingReviewForm(forms.Form):
    feedback = forms.CharField(label=_("Final feedback"), widget=forms.Textarea(attrs={"rows": 3}))
    feedback_student = forms.CharField(
        label=_("Feedback from the student"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    feedback_family = forms.CharField(
        label=_("Feedback from the family"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    feedback_staff = forms.CharField(
        label=_("Feedback from the staff"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    objectives_met = forms.ChoiceField(
        label=_("Objectives met"), choices=ClosingReview.ObjectivesMet.choices
    )
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 3}))
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 3})
    )
    what_worked = forms.CharField(
        label=_("What worked (good practice)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
