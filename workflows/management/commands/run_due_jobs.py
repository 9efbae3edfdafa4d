"""Send due-date reminders and overdue escalations once (for cron, or the embedded default).

With Redis, Celery beat runs the same job every five minutes; running both is harmless — each
reminder and escalation is claimed once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflows import services


class Command(BaseCommand):
    help = "Remind task holders before due dates and escalate overdue tasks to coordinators."

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.run_due_jobs()
        self.stdout.write(f"reminded {report.reminded}, escalated {report.escalated}")
