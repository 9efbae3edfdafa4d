"""Referrals I may see: those addressed to me (a network member answers them here, before they
may see the case) and those of the cases I see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework.roles import actor_of
from workflows import selectors
from workflows.web.case_page import MOVE_FROM, MOVE_POLICIES

PAGE_SIZE = 50
SCOPES = ("incoming", "visible")


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "incoming")
    if scope not in SCOPES:
        scope = "incoming"
    queryset = selectors.referrals_visible_to(actor_of(request)).select_related(
        "case", "to_user", "to_contact", "requested_by"
    )
    if scope == "incoming":
        queryset = queryset.filter(to_user_id=request.user.pk)
    page = Paginator(queryset.order_by("-requested_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "referral": r,
            "moves": [
                name
                for name, allowed in MOVE_POLICIES.items()
                if r.status in MOVE_FROM[name] and allowed(actor_of(request), r)
            ],
        }
        for r in page.object_list
    ]
    return render(
        request,
        "workflows/referral_list.html",
        {"rows": rows, "page": page, "scope": scope},
    )
