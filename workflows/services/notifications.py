"""Marking notifications read: only their recipient may."""

from __future__ import annotations

from django.utils import timezone

from casework import policies as casework_policies
from casework.models import User
from workflows.models import Notification


def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    casework_policies.require_notification_recipient(actor, notification.recipient_id)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db()
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
