"""``/``: each person lands on the page of their role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from casework import roles
from casework.models import Group, User


def landing_url(user: User) -> str:
    memberships = roles.memberships(user)
    if any(m.is_coordinator for m in memberships):
        return reverse("office:dashboard")
    # Groups 2-4 (and the external network) work from the task queue; teachers and staff who
    # are not office members start from the students they flagged.
    if any(m.is_external or m.group != Group.EDUCATORS for m in memberships):
        return reverse("tasks:queue")
    return reverse("cases:flagged")


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(landing_url(roles.actor_of(request)))
