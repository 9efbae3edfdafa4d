"""The notification list, and marking everything read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from casework.roles import actor_of
from workflows import selectors, services

SHOWN = 50


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        selectors.notifications_for(actor_of(request))
        .select_related("case__student")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    return render(request, "workflows/notifications.html", {"notifications": rows})


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=actor_of(request))
    messages.info(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return HttpResponseRedirect(reverse("notifications:list"))
