"""The partner pages: the directory of partners with their agreements, and a partner's own page
with its agreements, its people, its opportunities and the students placed with it; managers add
partners, agreements and contacts there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.models import User
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.web.errors import domain_errors, form_write
from support import policies, selectors, services
from support.forms import AgreementForm, PartnerContactForm, PartnerForm
from support.models import PLACE_TAKING, Partner, Role


@domain_errors
@require_http_methods(["GET", "POST"])
def partner_list(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    policies.require_read_catalogue(user)
    may_manage = policies.managed_school(user) is not None
    form = PartnerForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        policies.require_some_school_to_manage(user)
        assert form is not None
        added = form_write(form, lambda data: services.partner_add(actor=user, **data))
        if added is not None:
            messages.success(request, _("The partner is in the directory."))
            return HttpResponseRedirect(reverse("opportunities:partner", args=[added.value.pk]))
    partners = list(
        selectors.partners_visible_to(user).prefetch_related("agreements", "people__entry")
    )
    audit_list(actor=user, object_type="partner", ids=[p.pk for p in partners])
    return render(
        request,
        "support/partner_list.html",
        {"partners": partners, "form": form, "may_manage": may_manage},
        status=400 if request.method == "POST" else 200,
    )


def _placed(user: User, partner: Partner) -> list[dict[str, Any]]:
    """The learners placed with the partner that the user may see (all of them for managers;
    for others those linked to a case they see), with the case only for those who see it."""
    placed = list(
        selectors.participations_visible_to(user)
        .filter(opportunity__partner=partner, role=Role.LEARNER, status__in=PLACE_TAKING)
        .order_by("-opportunity__starts_on", "id")
    )
    seen = selectors.visible_case_ids(user, placed)
    return [{"p": p, "case": p.case_id if p.case_id in seen else None} for p in placed]


def _partner_page(
    request: HttpRequest, partner: Partner, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    user = actor_of(request)
    may_manage = policies.is_manager(user, partner.school_id)
    placed = _placed(user, partner)
    audit_list(actor=user, object_type="participation", ids=[row["p"].pk for row in placed])
    return render(
        request,
        "support/partner_detail.html",
        {
            "partner": partner,
            "agreements": list(partner.agreements.all()),
            "people": list(partner.people.select_related("entry")),
            "opportunities": list(partner.opportunities.order_by("-starts_on", "id")),
            "placed": placed,
            "may_manage": may_manage,
            "agreement_form": (bound.get("agreement_form") or AgreementForm())
            if may_manage
            else None,
            "contact_form": (bound.get("contact_form") or PartnerContactForm())
            if may_manage
            else None,
        },
        status=status,
    )


@domain_errors
@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get_for_user(actor_of(request), pk)
    return _partner_page(request, partner)


@domain_errors
@require_POST
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    partner = selectors.partner_get_for_user(user, pk)
    policies.require_manage(user, partner.school_id)
    form = AgreementForm(request.POST)
    added = form_write(
        form, lambda data: services.agreement_add(actor=user, partner=partner, **data)
    )
    if added is None:
        return _partner_page(request, partner, 400, agreement_form=form)
    messages.success(request, _("The agreement is recorded."))
    return HttpResponseRedirect(reverse("opportunities:partner", args=[partner.pk]) + "#agreements")


@domain_errors
@require_POST
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    partner = selectors.partner_get_for_user(user, pk)
    policies.require_manage(user, partner.school_id)
    form = PartnerContactForm(request.POST)
    added = form_write(
        form, lambda data: services.partner_contact_add(actor=user, partner=partner, **data)
    )
    if added is None:
        return _partner_page(request, partner, 400, contact_form=form)
    messages.success(request, _("The contact is in the directory."))
    return HttpResponseRedirect(reverse("opportunities:partner", args=[partner.pk]) + "#people")
