"""Forms of the activity pages. They shape input; the service validates the rules and its
``Invalid`` errors are put back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models import ActivityKind, Channel, Topic

# A lesson: what a form tutor's class hour lasts.
LESSON_MINUTES = 50


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ActivityKind.choices, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, initial=LESSON_MINUTES
    )
    class_name = forms.ChoiceField(label=_("Class"), required=False, choices=[])
    student_code = forms.CharField(
        label=_("Student's code"),
        required=False,
        max_length=40,
        help_text=_("For an individual activity: the code of the student in the register."),
    )

    def __init__(self, *args: Any, classes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["class_name"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((name, name) for name in classes)]
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("kind", ActivityKind.GROUP)
            self.initial.setdefault("channel", Channel.DIRECT)


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance file (CSV or XLSX)"),
        help_text=_("One student per row, in a column named code; the first row is the header."),
    )


class InfoPackForm(forms.Form):
    room = forms.CharField(
        label=_("Room"),
        required=False,
        max_length=120,
        help_text=_("Where students find the office, e.g. “Room 12, first floor”."),
    )
    hours = forms.CharField(
        label=_("Office hours"),
        required=False,
        max_length=200,
        help_text=_("When the office is open to students, e.g. “Monday to Friday, 12:00-14:00”."),
    )
    email = forms.EmailField(
        label=_("The office's e-mail"),
        required=False,
        help_text=_("A shared address of the office, never a person's own."),
    )
    note = forms.CharField(
        label=_("A word from the office, in the school's language"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_en = forms.CharField(
        label=_("The same in English"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandOutForm(forms.Form):
    class_name = forms.ChoiceField(label=_("Class"), choices=[])
    held_on = forms.DateField(
        label=_("Handed out on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, classes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["class_name"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((name, name) for name in classes)]
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
