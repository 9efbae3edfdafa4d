"""Action plans on the web: the school's plans (a new one, blank or from the mobility template),
and a plan's page — objectives, actions and indicators with target, achieved and status — with
the forms that add to it and enter a manual value with its evidence."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from casework.models import PositionKind, User
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.web.errors import domain_errors, form_write
from counselling.models import ReportKind
from counselling.reports.policies import can_draft
from plans import policies, selectors, services
from plans.models import ActionPlan, Measure
from plans.school_years import parse_school_year, school_year_of

STATUS_LABELS = {
    "not_started": gettext_lazy("not started"),
    "on_track": gettext_lazy("on track"),
    "at_risk": gettext_lazy("at risk"),
    "achieved": gettext_lazy("achieved"),
    "missed": gettext_lazy("missed"),
}


def _years() -> list[tuple[str, str]]:
    this = school_year_of(timezone.localdate()).first_year
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in (this, this + 1, this - 1)]


class PlanForm(forms.Form):
    school_year = forms.ChoiceField(label=gettext_lazy("School year"), choices=_years)
    template = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        required=False,
        choices=[
            ("student_mobility", gettext_lazy("the students' mobility plan (model)")),
            ("", gettext_lazy("a blank plan")),
        ],
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Needed for a blank plan; the model has its own."),
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Objective"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.MultipleChoiceField(
        label=gettext_lazy("Responsible"),
        choices=PositionKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    term = forms.ChoiceField(
        label=gettext_lazy("Term"),
        choices=[
            ("annual", gettext_lazy("annual")),
            ("during_year", gettext_lazy("during the year")),
            ("months", gettext_lazy("the months below")),
        ],
    )
    first_month = forms.CharField(
        label=gettext_lazy("From the month"), required=False, help_text="2025-09"
    )
    last_month = forms.CharField(
        label=gettext_lazy("To the month"), required=False, help_text="2025-10"
    )

    def term_value(self) -> Any:
        data = self.cleaned_data
        if data["term"] != "months":
            return data["term"]
        return {"from": data.get("first_month") or "", "to": data.get("last_month") or ""}


class IndicatorForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Indicator"), max_length=2000)
    target = forms.IntegerField(label=gettext_lazy("Target"), min_value=1, max_value=100_000)
    measure = forms.ChoiceField(label=gettext_lazy("Counted from"), choices=Measure.choices)
    filter = forms.CharField(
        label=gettext_lazy("Which records count"),
        required=False,
        help_text='{"topic": "mobility", "with_attendance": true}',
    )

    def clean_filter(self) -> Any:
        raw = (self.cleaned_data.get("filter") or "").strip()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise forms.ValidationError(
                _('Give the filter as an object, e.g. {"topic": "mobility"}.')
            ) from None


class ValueForm(forms.Form):
    value = forms.IntegerField(label=gettext_lazy("Value"), min_value=1, max_value=100_000)
    evidence = forms.CharField(
        label=gettext_lazy("Evidence (a text or a link)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        # ISO whatever the language: a date input shows nothing for "28.11.2026".
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@domain_errors
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    policies.require_read_plans(user)
    may_edit = policies.can_edit_plans(user)
    form = PlanForm(request.POST or None, initial={"template": "student_mobility"})
    if request.method == "POST":
        policies.require_edit_plans(user)
        written = form_write(form, lambda data: services.plan_create(actor=user, **data))
        if written is not None:
            messages.success(request, _("The plan was created."))
            return HttpResponseRedirect(reverse("plans:detail", args=[written.value.pk]))
    plans = list(selectors.plans_visible_to(user).order_by("-school_year", "title", "id"))
    audit_list(actor=user, object_type="actionplan", ids=[p.pk for p in plans])
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "form": form if may_edit else None},
        status=400 if form.errors else 200,
    )


def _ids(form: str, pk: int) -> str:
    """The ids of one form's fields. The page holds a form per objective, action and
    indicator: with Django's plain ``id_text`` each label named the first form's field."""
    return f"id_{form}_{pk}_%s"


def _detail(
    request: HttpRequest, plan: ActionPlan, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user: User = actor_of(request)
    objectives = selectors.plan_tree(plan)
    bound = bound or {}
    held = policies.positions_of(user)
    for objective in objectives:
        objective.form = bound.get(f"action-{objective.pk}") or ActionForm(  # type: ignore[attr-defined]
            auto_id=_ids("action", objective.pk)
        )
        for action in objective.actions.all():
            action.form = bound.get(f"indicator-{action.pk}") or IndicatorForm(  # type: ignore[attr-defined]
                auto_id=_ids("indicator", action.pk)
            )
            action.responsible_labels = [  # type: ignore[attr-defined]
                str(PositionKind(code).label) for code in action.responsible
            ]
            action.may_enter = policies.can_enter_value(  # type: ignore[attr-defined]
                user, list(action.responsible), plan.school_id, held
            )
            for indicator in action.indicators.all():
                indicator.status_label = STATUS_LABELS.get(getattr(indicator, "status", ""), "")  # type: ignore[attr-defined]
                indicator.form = bound.get(f"value-{indicator.pk}") or ValueForm(  # type: ignore[attr-defined]
                    initial={"as_of": min(timezone.localdate(), action.ends_on)},
                    auto_id=_ids("value", indicator.pk),
                )
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "objectives": objectives,
            "may_edit": policies.can_edit_plans(user, plan.school_id),
            "objective_form": bound.get("objective") or ObjectiveForm(auto_id="id_objective_%s"),
            "year": parse_school_year(plan.school_year),
            "may_monitor": can_draft(user, ReportKind.PLAN_MONITORING),
        },
        status=400 if bound else 200,
    )


@domain_errors
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.plan_get_for_user(actor_of(request), pk))


def _back(plan: ActionPlan, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))


@domain_errors
@require_POST
def objective_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    plan = selectors.plan_get_for_user(user, pk, audit=False)
    policies.require_edit_plans(user, plan.school_id)
    form = ObjectiveForm(request.POST, auto_id="id_objective_%s")
    if form_write(form, lambda d: services.plan_objective_add(actor=user, plan=plan, **d)):
        return _back(plan, _("The objective was added."), request)
    return _detail(request, plan, {"objective": form})


@domain_errors
@require_POST
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    objective = selectors.objective_get_for_user(user, pk)
    plan = objective.plan
    policies.require_edit_plans(user, plan.school_id)
    form = ActionForm(request.POST, auto_id=_ids("action", objective.pk))
    written = form_write(
        form,
        lambda d: services.plan_action_add(
            actor=user,
            objective=objective,
            text=d["text"],
            responsible=d["responsible"],
            term=form.term_value(),
        ),
        renamed={"term": "first_month"},
    )
    if written:
        return _back(plan, _("The action was added."), request)
    return _detail(request, plan, {f"action-{objective.pk}": form})


@domain_errors
@require_POST
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    action = selectors.action_get_for_user(user, pk)
    plan = action.objective.plan
    policies.require_edit_plans(user, plan.school_id)
    form = IndicatorForm(request.POST, auto_id=_ids("indicator", action.pk))
    if form_write(form, lambda d: services.plan_indicator_add(actor=user, action=action, **d)):
        return _back(plan, _("The indicator was added."), request)
    return _detail(request, plan, {f"indicator-{action.pk}": form})


@domain_errors
@require_POST
def value_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    indicator = selectors.indicator_get_for_user(user, pk)
    action = indicator.action
    plan = action.objective.plan
    policies.require_enter_value(user, list(action.responsible), plan.school_id)
    form = ValueForm(request.POST, auto_id=_ids("value", indicator.pk))
    written = form_write(
        form,
        lambda d: services.indicator_value_record(actor=user, indicator=indicator, **d),
    )
    if written:
        return _back(plan, _("The value was recorded."), request)
    return _detail(request, plan, {f"value-{indicator.pk}": form})
