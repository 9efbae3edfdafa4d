"""Forms of the opportunity pages. They shape input; the services validate the rules and their
``Invalid`` errors are put back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Consent
from support.kinds import Kind
from support.models import AgreementPurpose, Partner, PartnerKind, Role


class CatalogueFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *Kind.choices])
    partner = forms.TypedChoiceField(label=_("Partner"), required=False, coerce=int, choices=[])
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    open = forms.BooleanField(label=_("Only with places left"), required=False)

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((p.pk, p.name) for p in partners)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("date_from"), cleaned.get("date_to")
        if since and until and since > until:
            self.add_error("date_from", _("The period's first day comes after its last day."))
        return cleaned

    def as_params(self) -> dict[str, str]:
        """The API's filter names, so the page and the API filter the same way; a filter that
        is wrong is left out (the page says what is wrong next to it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        params = {
            "kind": data.get("kind") or "",
            "partner": str(data.get("partner") or ""),
            "from": data["date_from"].isoformat() if data.get("date_from") else "",
            "to": data["date_to"].isoformat() if data.get("date_to") else "",
            "open": "1" if data.get("open") else "",
        }
        return {k: v for k, v in params.items() if v}


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    partner = forms.TypedChoiceField(label=_("Partner"), required=False, coerce=int, choices=[])
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    travel_days = forms.IntegerField(label=_("Travel days"), min_value=0, initial=0)
    places = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Empty: no limit.")
    )
    hours_planned = forms.IntegerField(label=_("Hours planned"), required=False, min_value=1)
    financial_support = forms.CharField(
        label=_("Stipend or other support"), required=False, max_length=200
    )
    tutor = forms.CharField(label=_("Tutor at the partner"), required=False, max_length=200)

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((p.pk, p.name) for p in partners)]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, initial="RO")
    city = forms.CharField(label=_("City"), required=False, max_length=100)


class ProposeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    student_code = forms.CharField(label=_("Student's code"), required=False, max_length=40)
    staff = forms.TypedChoiceField(label=_("Staff member"), required=False, coerce=int, choices=[])

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *staff]


class ConsentForm(forms.Form):
    """A parent's consent of scope ``mobility`` for a learner, recorded where it is missing."""

    given_by = forms.ChoiceField(label=_("Given by"), choices=[("", "—"), *Consent.GivenBy.choices])
    given_by_name = forms.CharField(label=_("Name of the person consenting"), max_length=200)


class EvidenceForm(forms.Form):
    participation = forms.TypedChoiceField(
        label=_("Completed placement or mobility"), coerce=int, choices=[]
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *choices]


class AgreementForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AgreementPurpose.choices)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: no end date."),
    )


class PartnerContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role at the partner"), required=False, max_length=100)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
