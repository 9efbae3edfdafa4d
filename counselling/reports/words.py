"""What a report's notification says and where it leads (registered in ``CounsellingConfig``
with ``workflows.notification_text.AREA_WORDS``): a report's steps notify with the task kinds
and ``{"report", "name"}`` in their data, and no case."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.models import Notification

Kind = Notification.Kind

STEPS = {
    "draft": gettext_lazy("Drafting"),
    "register": gettext_lazy("Registering"),
    "conclude": gettext_lazy("Analysis or approval"),
    "revise": gettext_lazy("Revising"),
}


def report_words(n: Notification) -> tuple[str, str] | None:
    data = n.data or {}
    report = data.get("report")
    if not report or n.case_id is not None:
        return None
    values = {"step": STEPS.get(data.get("name", ""), data.get("name", "")), "report": report}
    if n.kind == Kind.TASK_AVAILABLE:
        sentence = _("%(step)s of report #%(report)s is waiting for you") % values
    elif n.kind == Kind.TASK_ASSIGNED:
        sentence = _("%(step)s of report #%(report)s is yours") % values
    elif n.kind == Kind.TASK_DUE:
        due = parse_datetime(data.get("due") or "")
        when = formats.date_format(timezone.localtime(due), "DATE_FORMAT") if due else ""
        sentence = _("%(step)s of report #%(report)s is due on %(due)s") % {**values, "due": when}
    else:
        sentence = _("Report #%(report)s: %(step)s") % values
    return sentence, reverse("reports:detail", args=[report])
