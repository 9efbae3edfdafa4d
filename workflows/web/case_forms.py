"""Forms of the case page's sections: structured assessments, progress on objectives, consent
and referrals. They only shape input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Consent, Objective
from casework.models.plan import ASSESSMENT_ITEMS, SCORE_MAX, SCORE_MIN

SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class AssessmentForm(forms.Form):
    """One area's items, each scored 1 (serious difficulty) to 5 (doing well)."""

    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, area: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{area}_%s")
        super().__init__(*args, **kwargs)
        self.area = area
        scores = {
            f"score_{code}": forms.TypedChoiceField(
                label=label, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
            )
            for code, label in ASSESSMENT_ITEMS[area]
        }
        self.fields = {**scores, "notes": self.fields["notes"]}

    def scores(self) -> dict[str, Any]:
        """Only what was scored: the service names the items left out."""
        return {
            code: self.cleaned_data[f"score_{code}"]
            for code, _label in ASSESSMENT_ITEMS[self.area]
            if self.cleaned_data.get(f"score_{code}") is not None
        }


class ObjectiveReviewForm(forms.Form):
    value = forms.CharField(label=_("Indicator now"), max_length=200)
    status = forms.ChoiceField(label=_("Status from now on"), choices=Objective.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)

    def __init__(self, *args: Any, objective_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_objective{objective_id}_%s")
        super().__init__(*args, **kwargs)


def _choices(empty: Any, rows: list[tuple[int, str]]) -> list[tuple[Any, Any]]:
    return [("", empty), *rows]


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=Consent.Scope.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices)
    given_by_name = forms.CharField(label=_("Name of the person consenting"), max_length=200)
    recipient_user = forms.TypedChoiceField(
        label=_("Recipient with an account"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    recipient_contact = forms.TypedChoiceField(
        label=_("Recipient from the directory"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=2000,
        help_text=_("For a referral: the same words as the referral's purpose."),
    )
    given_on = forms.DateField(
        label=_("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: Any,
        members: list[tuple[int, str]],
        contacts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)
        _set(self, "recipient_user", _choices(_("— nobody —"), members))
        _set(self, "recipient_contact", _choices(_("— none —"), contacts))
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())


class LibraryConsentForm(forms.Form):
    """The consent that step 5 needs, asked where it is needed: on an archived case's library
    section (the general consent form is for open cases)."""

    scope = forms.CharField(widget=forms.HiddenInput, initial=Consent.Scope.LIBRARY)
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices)
    given_by_name = forms.CharField(label=_("Name of the person consenting"), max_length=200)
    given_on = forms.DateField(
        label=_("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_library_consent_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())


class ReferralForm(forms.Form):
    to = forms.TypedChoiceField(
        label=_("Refer to a network member"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    contact = forms.TypedChoiceField(
        label=_("or to a directory contact"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        members: list[tuple[int, str]],
        contacts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "id_referral_%s")
        super().__init__(*args, **kwargs)
        _set(self, "to", _choices(_("— nobody —"), members))
        _set(self, "contact", _choices(_("— none —"), contacts))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000)


def _set(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
