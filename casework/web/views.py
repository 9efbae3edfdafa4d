"""The student register on the web: search, the watchlist, and one student's page with their
risk, signals and instruments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import policies, risk, roles, selectors
from casework.errors import Invalid
from casework.models import Group, RiskLevel, Student, StudentRisk, User
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.services.cases import flag_refusal
from casework.services.instruments import instrument_link_create, instrument_link_revoke
from casework.services.risk import risk_assess, risk_refresh_stale
from casework.services.signals import signal_record
from casework.web.errors import domain_errors, form_write
from casework.web.monitoring_forms import InstrumentLinkForm, SignalForm

SHOWN = 100
SIGNALS_SHOWN = 50
WATCHLIST_PAGE = 50


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    visible = selectors.students_visible_to(actor_of(request))
    q = request.GET.get("q", "").strip()
    class_name = request.GET.get("class_name", "").strip()
    queryset = visible.select_related("school")
    if q:
        queryset = queryset.filter(
            Q(code__iexact=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if class_name:
        queryset = queryset.filter(class_name=class_name)
    students = list(queryset[: SHOWN + 1])
    audit_list(
        actor=actor_of(request),
        object_type="student",
        ids=[s.pk for s in students[:SHOWN]],
    )
    classes = list(visible.order_by("class_name").values_list("class_name", flat=True).distinct())
    return render(
        request,
        "casework/student_search.html",
        {
            "students": students[:SHOWN],
            "truncated": len(students) > SHOWN,
            "q": q,
            "class_name": class_name,
            "classes": classes,
        },
    )


# -- the watchlist -----------------------------------------------------------------------------


def monitors_school(user: User) -> bool:
    """Group 2 and the coordinators monitor the whole school (docs/MONITORING.md)."""
    return any(
        not m.is_external and (m.is_coordinator or m.group == Group.PEDAGOGY)
        for m in roles.memberships(user)
    )


def _watch_row(student: Any) -> dict[str, Any]:
    try:
        stored = student.risk
    except StudentRisk.DoesNotExist:
        stored = StudentRisk(student=student, as_of=timezone.localdate())
    indicators = list(stored.indicators)
    return {
        "student": student,
        "level": stored.level,
        "previous_level": stored.previous_level,
        "worsened": stored.worsened,
        "reasons": risk.reasons(indicators),
        "changes": risk.changes(stored.level, stored.previous_level, indicators),
        "new_signals": student.new_signals,
        "open_case": student.open_case_id,
    }


@require_GET
@domain_errors
def watchlist(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    classes = selectors.assigned_classes(user)
    default_scope = "classes" if classes or not monitors_school(user) else "school"
    scope = request.GET.get("scope") or default_scope
    class_name = request.GET.get("class_name", "").strip()
    level = request.GET.get("level", "")
    try:
        students = selectors.watchlist_students(user, scope=scope, class_name=class_name)
    except Invalid:
        scope = default_scope
        students = selectors.watchlist_students(user, scope=scope, class_name=class_name)
    # The list sorts on stored assessments: bring stale ones up to date first, as the API does.
    risk_refresh_stale(students)
    levels = [level] if level in RiskLevel.values else []
    page = Paginator(selectors.watchlist_rows(students, levels=levels), WATCHLIST_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [_watch_row(student) for student in page.object_list]
    audit_list(
        actor=user,
        object_type="student",
        ids=[row["student"].pk for row in rows],
        view="watchlist",
    )
    return render(
        request,
        "casework/watchlist.html",
        {
            "rows": rows,
            "page": page,
            "page_query": urlencode(
                {
                    k: v
                    for k, v in (("scope", scope), ("class_name", class_name), ("level", level))
                    if v
                }
            ),
            "scope": scope,
            "class_name": class_name,
            "level": level if levels else "",
            "classes": classes,
            "may_see_school": monitors_school(user),
            "flag_refusal": flag_refusal(user.school) if user.school is not None else None,
            "levels": RiskLevel.choices,
        },
    )


# -- one student -------------------------------------------------------------------------------


def _instrument_choices(user: User, student: Student) -> list[tuple[str, str]]:
    return [
        (instrument.code, instrument.name)
        for instrument in selectors.instruments_for(user).order_by("kind", "name")
        if policies.can_give_instrument(user, student, instrument)
    ]


def _student_context(request: HttpRequest, student: Student, **extra: Any) -> dict[str, Any]:
    user = actor_of(request)
    cases = list(selectors.cases_visible_to(user).filter(student=student))
    assessment = risk_assess(student, as_of=timezone.localdate())
    indicators = assessment.indicators
    open_case = next((c for c in cases if c.is_open), None)
    signals = list(
        selectors.signals_visible_to(user)
        .filter(student=student)
        .select_related("recorded_by", "instrument")
        .order_by("-observed_on", "-id")[:SIGNALS_SHOWN]
    )
    instruments = _instrument_choices(user, student)
    may_record = policies.can_record_signal(user, student)
    return {
        "student": student,
        "cases": cases,
        "can_flag": policies.can_flag(user, student) and flag_refusal(student.school) is None,
        "flag_refusal": flag_refusal(student.school) if policies.can_flag(user, student) else None,
        "open_case": open_case,
        "risk": {
            "level": str(assessment.level),
            "previous_level": str(assessment.previous_level),
            "indicators": [{**i, "label": risk.indicator_label(i["name"])} for i in indicators],
            "reasons": risk.reasons(indicators),
            "changes": risk.changes(assessment.level, assessment.previous_level, indicators),
        },
        "signals": signals,
        "signal_form": (extra.get("signal_form") or SignalForm()) if may_record else None,
        "link_form": (extra.get("link_form") or InstrumentLinkForm(instruments=instruments))
        if instruments
        else None,
        "new_link": extra.get("new_link"),
        # Links still open, so one given by mistake can be revoked before it is used.
        "open_links": list(selectors.instrument_links_open(student)) if instruments else [],
    }


@require_GET
@domain_errors
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get_for_user(actor_of(request), pk)
    return render(request, "casework/student_detail.html", _student_context(request, student))


@require_POST
@domain_errors
def record_signal(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get_for_user(actor_of(request), pk)
    policies.require_record_signal(actor_of(request), student)
    form = SignalForm(request.POST)
    if form_write(
        form, lambda data: signal_record(student=student, actor=actor_of(request), **data)
    ):
        messages.success(request, _("Signal recorded; the risk was worked out again."))
        return HttpResponseRedirect(reverse("students:detail", args=[student.pk]) + "#signals")
    context = _student_context(request, student, signal_form=form)
    return render(request, "casework/student_detail.html", context, status=400)


@require_POST
@domain_errors
def instrument_link(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get_for_user(actor_of(request), pk)
    instruments = _instrument_choices(actor_of(request), student)
    policies.require_gives_some_instrument(instruments)
    form = InstrumentLinkForm(request.POST, instruments=instruments)
    written = form_write(
        form,
        lambda data: instrument_link_create(
            student=student,
            instrument=selectors.instruments_for(actor_of(request)).get(code=data["instrument"]),
            actor=actor_of(request),
            expires_in_days=data["expires_in_days"],
        ),
    )
    if written:
        link, token = written.value
        # Shown this once: only a hash of the token is stored.
        url = request.build_absolute_uri(reverse("instrument-fill", args=[token]))
        context = _student_context(
            request, student, new_link={"url": url, "expires_at": link.expires_at}
        )
        return render(request, "casework/student_detail.html", context, status=201)
    context = _student_context(request, student, link_form=form)
    return render(request, "casework/student_detail.html", context, status=400)


@require_POST
@domain_errors
def instrument_link_revoke_view(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = selectors.instrument_link_get_for_user(actor_of(request), link_pk)
    if link.student_id != pk:
        raise Http404
    instrument_link_revoke(link=link, actor=actor_of(request))
    messages.success(request, _("The link is revoked; it no longer opens the questionnaire."))
    return HttpResponseRedirect(reverse("students:detail", args=[pk]) + "#instrument")
