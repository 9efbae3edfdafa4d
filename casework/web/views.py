"""The student register on the web: search, and one student's page."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework import policies, selectors
from casework.models import AuditEvent
from casework.services.audit import audit_record
from casework.web.errors import domain_errors

SHOWN = 100


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    visible = selectors.students_visible_to(request.user)
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
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.LIST,
        object_type="student",
        data={"ids": [s.pk for s in students[:SHOWN]]},
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


@require_GET
@domain_errors
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = selectors.student_get_for_user(request.user, pk)
    cases = list(selectors.cases_visible_to(request.user).filter(student=student))
    return render(
        request,
        "casework/student_detail.html",
        {
            "student": student,
            "cases": cases,
            "can_flag": policies.can_flag(request.user, student),
            "open_case": next((c for c in cases if c.is_open), None),
        },
    )
