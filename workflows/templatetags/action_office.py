"""Template helpers of the web pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from casework import stored_text as stored
from casework.dates import iso_day_text
from casework.models import Function
from workflows.models import CaseTask
from workflows.services import case_task_status
from workflows.web.context import _live

register = template.Library()


@register.simple_tag(takes_context=True)
def live_config(context: dict[str, Any]) -> SafeString:
    """What the live module needs to start: unread ids, the newest id, labels in the page's
    language."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return SafeString("")
    return json_script(_live(user), "live-config")


@register.filter
def task_status(case_task: CaseTask) -> str:
    return case_task_status(case_task.task)


@register.filter
def is_overdue(case_task: CaseTask) -> bool:
    return task_status(case_task) in ("open", "claimed") and case_task.due_at < timezone.now()


STATUS_LABELS = {
    "open": _("open"),
    "claimed": _("claimed"),
    "done": _("done"),
    "cancelled": _("cancelled"),
}


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def function_label(function: str) -> str:
    return str(dict(Function.choices).get(function, function))


REFERRAL_MOVE_LABELS = {
    "accept": _("Accept"),
    "reject": _("Reject"),
    "complete": _("Mark as done"),
    "revoke": _("Revoke"),
}


@register.filter
def referral_move_label(name: str) -> str:
    return str(REFERRAL_MOVE_LABELS.get(name, name))


@register.filter
def stored_text(text: str) -> str:
    """Words the code stored in English (a referral's end, say), in the reader's language."""
    return stored.shown(text)


@register.filter
def iso_day(iso: str | None) -> str:
    """A day kept as ISO text in stored JSON, written as the page's language writes a day."""
    return iso_day_text(iso)
