"""Opportunities on the web: the catalogue with its filters, an opportunity with its
participants and their next steps, the partner directory with its agreements, and the way in
from a case (``?case=<id>``) for its socio-economic worker or a coordinator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.errors import Invalid, NotFound
from casework.models import Case, Objective, Student, User
from casework.roles import actor_of
from casework.selectors import case_get_for_user, get_for_user
from casework.services.audit import audit_list
from casework.web.errors import domain_errors, form_write
from support import policies, selectors, services
from support.forms import (
    CatalogueFilter,
    ConsentForm,
    EvidenceForm,
    OpportunityForm,
    ProposeForm,
)
from support.models import MOVES, Opportunity, Participation, Role, StudentConsent
from support.participants_export import FORMATS, participants_response
from workflows import policies as workflow_policies
from workflows.web.case_page import case_context

PAGE = 30


def _case_from(request: HttpRequest) -> Case | None:
    """The case a page was opened from (``?case=``), if the user sees it and may propose."""
    user = actor_of(request)
    raw = request.GET.get("case") or request.POST.get("case") or ""
    if not raw.isdigit():
        return None
    case = case_get_for_user(user, raw, audit=False)
    return case if policies.can_propose_from_case(user, case) else None


@domain_errors
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    policies.require_read_catalogue(user)
    partners = list(selectors.partners_visible_to(user))
    form = CatalogueFilter(request.GET or None, partners=partners)
    queryset = selectors.filter_catalogue(
        selectors.opportunities_visible_to(user), form.as_params()
    )
    page = Paginator(queryset, PAGE).get_page(request.GET.get("page"))
    audit_list(actor=user, object_type="opportunity", ids=[o.pk for o in page])
    case = _case_from(request)
    return render(
        request,
        "support/catalogue.html",
        {
            "form": form,
            "page": page,
            "case": case,
            "may_manage": policies.managed_school(user) is not None,
        },
        status=400 if form.errors else 200,
    )


@domain_errors
@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    policies.require_some_school_to_manage(user)
    partners = list(selectors.partners_visible_to(user))
    form = OpportunityForm(request.POST or None, partners=partners)

    def add(cleaned: dict[str, Any]) -> Opportunity:
        data = dict(cleaned)
        partner_id = data.pop("partner")
        data["partner"] = next((p for p in partners if p.pk == partner_id), None)
        data["financial_support"] = data["financial_support"] or ""
        data["tutor"] = data["tutor"] or ""
        return services.opportunity_add(actor=user, **data)

    if request.method == "POST":
        added = form_write(form, add)
        if added is not None:
            messages.success(request, _("The opportunity is in the catalogue."))
            return HttpResponseRedirect(reverse("opportunities:detail", args=[added.value.pk]))
    status = 400 if form.is_bound else 200
    return render(request, "support/opportunity_form.html", {"form": form}, status=status)


def _rows(
    user: User,
    opportunity: Opportunity,
    may_manage: bool,
    consent_form: tuple[int, ConsentForm] | None,
) -> list[dict[str, Any]]:
    participations = list(selectors.participations_visible_to(user).filter(opportunity=opportunity))
    seen = selectors.visible_case_ids(user, participations)
    rows = []
    for p in participations:
        dossier = list(p.dossier.all())
        moves = [m for m in MOVES if may_manage and _possible(p, m)]
        rows.append(
            {
                "p": p,
                "case": p.case_id if p.case_id in seen else None,
                "moves": moves,
                "dossier_done": sum(1 for item in dossier if item.done_on),
                "dossier": dossier,
                "consent_form": (
                    _consent_form(opportunity, p, consent_form) if "confirm" in moves else None
                ),
            }
        )
    return rows


def _consent_form(
    opportunity: Opportunity, participation: Participation, posted: tuple[int, ConsentForm] | None
) -> ConsentForm | None:
    """The form for a parent's consent, on a learner's row that confirming would refuse for
    the lack of it (the one just posted, with its errors, if it was this row's)."""
    if posted is not None and posted[0] == participation.pk:
        return posted[1]
    student = participation.student
    if student is None or not services.is_minor_on(student, opportunity.starts_on):
        return None
    if selectors.has_mobility_consent(student, participation.case):
        return None
    return ConsentForm(auto_id=f"id_consent_{participation.pk}_%s")


def _possible(participation: Participation, move: str) -> bool:
    names = {t.name for t in participation.get_available_status_transitions()}  # type: ignore[attr-defined]
    return move in names


def _staff_choices(opportunity: Opportunity) -> list[tuple[int, str]]:
    staff = User.objects.filter(school_id=opportunity.school_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
    return [(u.pk, u.get_full_name() or u.get_username()) for u in staff]


def _detail_page(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    propose_form: ProposeForm | None = None,
    consent_form: tuple[int, ConsentForm] | None = None,
) -> HttpResponse:
    """The opportunity's page; with a posted form that failed, that form with its errors
    (status 400)."""
    user = actor_of(request)
    may_manage = policies.is_manager(user, opportunity.school_id)
    rows = _rows(user, opportunity, may_manage, consent_form)
    audit_list(actor=user, object_type="participation", ids=[r["p"].pk for r in rows])
    case = _case_from(request)
    if propose_form is None and may_manage:
        propose_form = ProposeForm(staff=_staff_choices(opportunity))
    return render(
        request,
        "support/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "rows": rows,
            "may_manage": may_manage,
            "case": case,
            "case_listed": case is not None and selectors.is_listed(opportunity, case.student),
            "propose_form": propose_form,
        },
        status=400 if (propose_form is not None and propose_form.is_bound) or consent_form else 200,
    )


@domain_errors
@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    return _detail_page(request, selectors.opportunity_get_for_user(user, pk))


def _person(user: User, opportunity: Opportunity, form: ProposeForm) -> dict[str, Any]:
    data = form.cleaned_data
    if data["role"] == Role.LEARNER:
        code = (data.get("student_code") or "").strip()
        student = Student.objects.filter(school_id=opportunity.school_id, code__iexact=code).first()
        if student is None:
            raise Invalid(
                {
                    "student_code": [
                        _("No student of the school has the code %(code)s.") % {"code": code}
                    ]
                }
            )
        return {"student": student}
    staff = User.objects.filter(pk=data.get("staff") or 0, school_id=opportunity.school_id).first()
    if staff is None:
        raise Invalid({"staff": [_("Choose the staff member.")]})
    return {"staff": staff}


@domain_errors
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    opportunity = selectors.opportunity_get_for_user(user, pk)
    case = _case_from(request)
    back = reverse("opportunities:detail", args=[opportunity.pk])
    if case is not None:
        policies.require_propose(user, opportunity.school_id, case)
        services.participation_propose(
            actor=user, opportunity=opportunity, role=Role.LEARNER, student=case.student, case=case
        )
        messages.success(request, _("The student is proposed; the case's timeline shows it."))
        return HttpResponseRedirect(f"{back}?case={case.pk}")
    policies.require_manage(user, opportunity.school_id)
    form = ProposeForm(request.POST, staff=_staff_choices(opportunity))
    proposed = form_write(
        form,
        lambda data: services.participation_propose(
            actor=user,
            opportunity=opportunity,
            role=data["role"],
            **_person(user, opportunity, form),
        ),
        renamed={"student": "student_code"},
    )
    if proposed is None:
        return _detail_page(request, opportunity, propose_form=form)
    messages.success(request, _("Proposed."))
    return HttpResponseRedirect(back)


@domain_errors
@require_POST
def move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = actor_of(request)
    participation = selectors.participation_get_for_user(user, pk, audit=False)
    services.participation_transition(
        actor=user,
        participation=participation,
        name=name,
        note=request.POST.get("note", "").strip(),
    )
    return HttpResponseRedirect(
        reverse("opportunities:detail", args=[participation.opportunity_id])
    )


@domain_errors
@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a parent's consent of scope ``mobility`` for a learner of the opportunity."""
    user = actor_of(request)
    participation = selectors.participation_get_for_user(user, pk, audit=False)
    policies.require_manage(user, participation.opportunity.school_id)
    student = participation.student
    if student is None:
        raise NotFound()
    form = ConsentForm(request.POST, auto_id=f"id_consent_{participation.pk}_%s")
    written = form_write(
        form,
        lambda data: services.student_consent_record(
            actor=user,
            student=student,
            scope=StudentConsent.Scope.MOBILITY,
            given_by=data["given_by"],
            given_by_name=data["given_by_name"],
            case=participation.case,
        ),
    )
    if written is None:
        return _detail_page(
            request, participation.opportunity, consent_form=(participation.pk, form)
        )
    messages.success(request, _("The parents' consent is recorded."))
    return HttpResponseRedirect(
        reverse("opportunities:detail", args=[participation.opportunity_id])
        + f"#participation-{participation.pk}"
    )


@domain_errors
@require_GET
def participants_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The participant list the page shows, as XLSX or CSV."""
    user = actor_of(request)
    opportunity = selectors.opportunity_get_for_user(user, pk)
    if fmt not in FORMATS:
        raise NotFound()
    return participants_response(user=user, opportunity=opportunity, fmt=fmt)


@domain_errors
@require_POST
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a completed placement or mobility of the case as an objective's evidence."""
    user = actor_of(request)
    objective: Objective = get_for_user(user, Objective, pk)
    case = case_get_for_user(user, objective.case_id)
    workflow_policies.require_review_objective(user, objective)
    linked = Participation.objects.filter(case=case).select_related("opportunity")
    form = EvidenceForm(
        request.POST,
        choices=[(p.pk, p.opportunity.title) for p in linked],
        auto_id=f"id_evidence_{objective.pk}_%s",
    )
    by_pk = {p.pk: p for p in linked}
    added = form_write(
        form,
        lambda data: services.objective_evidence_add(
            objective=objective, participation=by_pk[data["participation"]], actor=user
        ),
    )
    if added is None:
        context = case_context(request, case, evidence_form=form, evidence_objective=objective.pk)
        return render(request, "workflows/case_detail.html", context, status=400)
    messages.success(request, _("The evidence is linked to the objective."))
    return HttpResponseRedirect(
        reverse("cases:detail", args=[case.pk]) + f"#objective-{objective.pk}"
    )
