"""The events calendar: a private iCalendar feed per person (RFC 5545, ``icalendar`` library).

Outlook and Google Calendar subscribe to a URL and cannot log in, so the URL carries a random
token (rotateable). Subscribed calendars are stored on other companies' servers: the feed
carries no text anyone typed — no student, no task title, no note — only meetings, and the due
dates of the person's own tasks and objectives by case number, with a link to the page.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

import icalendar
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import roles
from casework.models import Objective, User
from casework.selectors import cases_visible_to
from workflows import selectors
from workflows.models import CalendarFeed, Meeting
from workflows.selectors import meetings_visible_to

PAST_WINDOW = datetime.timedelta(days=180)
PRODID = "-//Action Office//Meetings and deadlines//EN"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_for(user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


def feed_rotate(user: User) -> CalendarFeed:
    """A new address; the old one stops working at once."""
    with transaction.atomic():
        feed = feed_for(user)
        feed.token = _new_token()
        feed.created_at = timezone.now()
        feed.save()
    return feed


def user_for_token(token: str) -> User | None:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def _language(user: User) -> str:
    for membership in roles.memberships(user):
        return str(membership.office.school.language or "ro")
    return "ro"


def calendar_for(user: User, *, base_url: str = "") -> bytes:
    with translation.override(_language(user)):
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", _("Action office"))
        now = timezone.now()
        for meeting in (
            meetings_visible_to(user)
            .filter(scheduled_for__gte=now - PAST_WINDOW)
            .select_related("office")
            .order_by("scheduled_for")
        ):
            cal.add_component(_meeting_event(meeting, now, base_url))
        for case_task in selectors.my_tasks(user):
            # A task's title is typed by people ("call the mother, tel. …"): never in the feed.
            cal.add_component(
                _deadline(
                    f"task-{case_task.pk}",
                    _("Task due (case #%(case)s)") % {"case": case_task.case_id},
                    timezone.localdate(case_task.due_at),
                    now,
                    url=f"{base_url}/tasks/{case_task.pk}/" if base_url else "",
                )
            )
        for objective in Objective.objects.filter(
            owner=user,
            case__in=cases_visible_to(user).values("pk"),
            status__in=[Objective.Status.ON_TRACK, Objective.Status.AT_RISK],
        ):
            cal.add_component(
                _deadline(
                    f"objective-{objective.pk}",
                    _("Objective deadline (case #%(case)s)") % {"case": objective.case_id},
                    objective.deadline,
                    now,
                    url=f"{base_url}/cases/{objective.case_id}/" if base_url else "",
                )
            )
        data: bytes = cal.to_ical()
        return data


def _meeting_event(meeting: Meeting, now: datetime.datetime, base_url: str) -> Any:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@action-office")
    event.add("dtstamp", now)
    event.add("dtstart", meeting.scheduled_for)
    event.add("dtend", meeting.ends_at)
    event.add("sequence", meeting.sequence)
    title = (
        _("Individual meeting of the action office")
        if meeting.kind == Meeting.Kind.INDIVIDUAL
        else _("Action office meeting")
    )
    event.add("summary", f"{title} — {meeting.office.name}")
    # No LOCATION: it is typed by people and may name a family's home; the page has it.
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if base_url:
        event.add("url", f"{base_url}/meetings/{meeting.pk}/")
    return event


def _deadline(
    uid: str, summary: str, day: datetime.date, now: datetime.datetime, *, url: str = ""
) -> Any:
    event = icalendar.Event()
    event.add("uid", f"{uid}@action-office")
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event
