"""Forms of the meeting pages. They only shape input: the meeting services check the rules, and
their ``Invalid`` errors are put back next to the fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Function, Group
from casework.models.case import TRANSITION_LABELS, TRANSITIONS
from workflows.models import Attendance, Decision, Meeting

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class ScheduleForm(forms.Form):
    scheduled_for = _when(_("When"))
    location = forms.CharField(label=_("Where"), required=False, max_length=200)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=600, initial=90
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            start = timezone.localtime() + datetime.timedelta(days=7)
            self.initial.setdefault(
                "scheduled_for", start.replace(hour=14, minute=0, second=0, microsecond=0)
            )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("General notes of the minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


ATTENDANCE_CHOICES = [
    ("", _("not recorded yet")),
    (Attendance.Status.PRESENT, _("Present")),
    (Attendance.Status.ABSENT, _("Absent")),
    (Attendance.Status.EXCUSED, _("Excused")),
]


class AttendanceForm(forms.Form):
    """One choice per person invited; only the rows that changed are recorded."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            current = "" if row.status == Attendance.Status.INVITED else row.status
            self.fields[f"user_{row.user_id}"] = forms.ChoiceField(
                label=str(row.user), choices=ATTENDANCE_CHOICES, required=False, initial=current
            )

    def changed_rows(self) -> list[tuple[Attendance, str]]:
        changed = []
        for row in self.rows:
            value = self.cleaned_data.get(f"user_{row.user_id}") or ""
            current = "" if row.status == Attendance.Status.INVITED else row.status
            if value and value != current:
                changed.append((row, value))
        return changed


class AgendaAddForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Case"), coerce=int, choices=[])
    note = forms.CharField(label=_("Why (optional)"), required=False, max_length=2000)

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— choose a case —")), *cases]


class MoveForm(forms.Form):
    priority = forms.IntegerField(label=_("Position"), min_value=1)


class DecisionForm(forms.Form):
    """What the meeting decided about one agenda item. The fields a kind does not use are
    ignored; the service says which ones a kind needs."""

    kind = forms.ChoiceField(label=_("Decision"), choices=Decision.Kind.choices)
    text = forms.CharField(
        label=_("For the minutes"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    transition = forms.ChoiceField(
        label=_("Move the case to"),
        required=False,
        choices=[("", "—"), *[(name, TRANSITION_LABELS[name]) for name in TRANSITIONS]],
    )
    cancel_open_tasks = forms.BooleanField(label=_("Cancel the tasks still open"), required=False)
    group = forms.TypedChoiceField(
        label=_("Group"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *Group.choices],
    )
    title = forms.CharField(label=_("Task"), required=False, max_length=200)
    due = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    functions = forms.MultipleChoiceField(
        label=_("Needed functions"),
        required=False,
        choices=Function.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scheduled_for = _when(_("Individual meeting on"), required=False)

    FIELDS_BY_KIND = {
        Decision.Kind.NOTE: (),
        Decision.Kind.TRANSITION: ("transition", "cancel_open_tasks"),
        Decision.Kind.TASK: ("group", "title", "due"),
        Decision.Kind.FUNCTIONS: ("functions",),
        Decision.Kind.INDIVIDUAL_MEETING: ("scheduled_for",),
    }

    def __init__(self, *args: Any, prefix_id: int | None = None, **kwargs: Any) -> None:
        if prefix_id is not None:
            kwargs.setdefault("auto_id", f"id_item{prefix_id}_%s")
        super().__init__(*args, **kwargs)

    def service_params(self) -> dict[str, Any]:
        """The kind's own fields, as ``decision_record`` takes them."""
        kind = self.cleaned_data["kind"]
        params = {name: self.cleaned_data.get(name) for name in self.FIELDS_BY_KIND[kind]}
        if kind == Decision.Kind.FUNCTIONS:
            params["functions"] = list(params.get("functions") or [])
        return params


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"), required=False, max_length=4000
    )


MEETING_KINDS = Meeting.Kind.choices
