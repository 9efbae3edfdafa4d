"""What a notification says and where it leads, in the reader's language.

The row keeps codes and numbers (kind, case, task, ``data``); the sentence is made when shown,
so it reads in the language of whoever opens the list, whatever language the writer used.
A kind without words here fails tests/workflows/test_notification_text.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from casework.models import Stage
from workflows.models import Meeting, Notification, TaskName

Kind = Notification.Kind


def _when(value: Any, style: str = "DATETIME_FORMAT") -> str:
    moment = parse_datetime(value or "") if isinstance(value, str) else None
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), style)


def _task(n: Notification) -> dict[str, Any]:
    name = (n.data or {}).get("name", "")
    return {"task": dict(TaskName.choices).get(name, name), "case": n.case_id}


def _stage(n: Notification) -> str:
    to = (n.data or {}).get("to", "")
    return _("Case #%(case)s moved to the stage %(stage)s") % {
        "case": n.case_id,
        "stage": dict(Stage.choices).get(to, to),
    }


def _invited_to_case(n: Notification) -> str:
    data = n.data or {}
    return _("%(office)s asks for your help: %(purpose)s") % {
        "office": data.get("office", ""),
        "purpose": data.get("purpose", ""),
    }


def _referral_answered(n: Notification) -> str:
    status = (n.data or {}).get("status")
    if status == "accepted":
        return _("The referral of case #%(case)s was accepted") % {"case": n.case_id}
    if status == "rejected":
        return _("The referral of case #%(case)s was declined") % {"case": n.case_id}
    return _("The referral of case #%(case)s was carried out") % {"case": n.case_id}


def _referral_ended(n: Notification) -> str:
    if (n.data or {}).get("status") == "done":
        return _("A referral you held was completed")
    return _("A referral you held was revoked")


def _meeting(n: Notification) -> dict[str, str]:
    data = n.data or {}
    kind = data.get("kind", "")
    return {
        "meeting": str(dict(Meeting.Kind.choices).get(kind, kind)),
        "when": _when(data.get("scheduled_for")),
    }


def _meeting_changed(n: Notification) -> str:
    if (n.data or {}).get("status") == Meeting.Status.CANCELLED:
        return _("Cancelled: %(meeting)s of %(when)s") % _meeting(n)
    return _("Moved: %(meeting)s, now on %(when)s") % _meeting(n)


SENTENCES: dict[str, Callable[[Notification], str]] = {
    Kind.TASK_AVAILABLE: lambda n: (
        _("%(task)s for case #%(case)s is waiting for your group") % _task(n)
    ),
    Kind.TASK_CLAIMED: lambda n: (
        _("%(task)s for case #%(case)s was taken by a colleague") % _task(n)
    ),
    Kind.TASK_ASSIGNED: lambda n: _("%(task)s for case #%(case)s was given to you") % _task(n),
    Kind.TASK_RELEASED: lambda n: _("%(task)s for case #%(case)s was given back") % _task(n),
    Kind.TASK_DUE: lambda n: (
        _("%(task)s for case #%(case)s is due on %(due)s")
        % {**_task(n), "due": _when((n.data or {}).get("due"), "DATE_FORMAT")}
    ),
    Kind.TASK_OVERDUE: lambda n: (
        _("%(task)s for case #%(case)s is overdue since %(due)s")
        % {**_task(n), "due": _when((n.data or {}).get("due"), "DATE_FORMAT")}
    ),
    Kind.TASK_CANCELLED: lambda n: _("%(task)s for case #%(case)s was cancelled") % _task(n),
    Kind.CASE_STAGE_CHANGED: _stage,
    Kind.CASE_INVITED: _invited_to_case,
    Kind.REFERRAL_ANSWERED: _referral_answered,
    Kind.REFERRAL_ENDED: _referral_ended,
    Kind.MEETING_INVITED: lambda n: _("You are invited: %(meeting)s, %(when)s") % _meeting(n),
    Kind.MEETING_CHANGED: _meeting_changed,
    Kind.LIBRARY_DRAFT_WAITING: lambda n: _("A library entry draft waits for your review"),
}


# The areas built on top (counselling's report circuit) word their own notifications: each
# function answers (sentence, link) for a notification it owns, else None. Registered in the
# area's AppConfig.ready(), so the core needs no import of the area.
AREA_WORDS: list[Callable[[Notification], tuple[str, str] | None]] = []


def _area_words(n: Notification) -> tuple[str, str] | None:
    for words in AREA_WORDS:
        found = words(n)
        if found is not None:
            return found
    return None


def notification_sentence(n: Notification) -> str:
    area = _area_words(n)
    if area is not None:
        return area[0]
    sentence = SENTENCES.get(n.kind)
    return sentence(n) if sentence else str(n.get_kind_display())


def notification_link(n: Notification) -> str:
    """The page of what happened: the meeting, the task, the case, the referrals."""
    area = _area_words(n)
    if area is not None:
        return area[1]
    data = n.data or {}
    if n.kind in (Kind.MEETING_INVITED, Kind.MEETING_CHANGED) and data.get("meeting"):
        return reverse("meetings:detail", args=[data["meeting"]])
    if n.kind == Kind.LIBRARY_DRAFT_WAITING and data.get("entry"):
        return reverse("library:entry", args=[data["entry"]])
    if n.kind in (Kind.CASE_INVITED, Kind.REFERRAL_ENDED):
        return reverse("referrals:list")
    if n.task_id is not None and n.kind != Kind.TASK_CANCELLED:
        return reverse("tasks:detail", args=[n.task_id])
    if n.case_id is not None:
        return reverse("cases:detail", args=[n.case_id])
    return reverse("notifications:list")


def notification_message(n: Notification) -> dict[str, object]:
    """The websocket/API form with what happened in words and where to look (``text``,
    ``url``); words in the language active where the message is made."""
    return {**n.as_message(), "text": notification_sentence(n), "url": notification_link(n)}
