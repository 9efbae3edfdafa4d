"""What a plan's notification says and where it leads (registered in ``PlansConfig`` with
``workflows.notification_text.AREA_WORDS``): the plan's kinds carry ``{"plan", "plan_title",
"action", "number", "text"}`` in their data (plans/reminders.py) and lead to the plan's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.models import Notification

Kind = Notification.Kind


def plan_words(n: Notification) -> tuple[str, str] | None:
    data = n.data or {}
    if n.kind not in (Kind.PLAN_TERM_STARTED, Kind.PLAN_AT_RISK) or not data.get("plan"):
        return None
    values = {"action": data.get("text", ""), "plan": data.get("plan_title", "")}
    if n.kind == Kind.PLAN_TERM_STARTED:
        sentence = _("The term of the action «%(action)s» of the plan %(plan)s has begun") % values
    else:
        sentence = _(
            "The indicator «%(indicator)s» of the plan %(plan)s is at risk: %(achieved)s of "
            "%(target)s"
        ) % {
            **values,
            "indicator": data.get("indicator_text", ""),
            "achieved": data.get("achieved", 0),
            "target": data.get("target", ""),
        }
    return sentence, reverse("plans:detail", args=[data["plan"]])
