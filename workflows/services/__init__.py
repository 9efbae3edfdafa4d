"""Every write with people-side effects (tasks, notifications, access): one service per concept.

Each module is one concept; this package names them all, so a front imports
``workflows.services`` and calls ``services.<entity>_<verb>(*, …, actor)``. The modules import
each other by their own names, never this package.
"""

from workflows.services.cases import (
    case_flag,
    case_transition,
)
from workflows.services.consents import (
    consent_withdraw,
)
from workflows.services.decisions import (
    decision_record,
)
from workflows.services.due import (
    DueJobReport,
    run_due_jobs,
)
from workflows.services.library import (
    library_entry_draft,
    library_entry_publish,
)
from workflows.services.meetings import (
    add_month,
    agenda_item_add,
    agenda_item_change,
    agenda_item_remove,
    attendance_record,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
    minutes_close,
)
from workflows.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
)
from workflows.services.plans import (
    objective_add,
    objective_remove,
    objective_review,
    objective_update,
)
from workflows.services.referrals import (
    referral_change,
    referral_request,
    release_tasks_of_departed,
)
from workflows.services.tasks import (
    case_task_status,
    task_check_held,
    task_claim,
    task_complete,
    task_reassign,
    task_release,
    validate_task_result,
)

__all__ = [
    "DueJobReport",
    "add_month",
    "agenda_item_add",
    "agenda_item_change",
    "agenda_item_remove",
    "attendance_record",
    "case_flag",
    "case_task_status",
    "case_transition",
    "consent_withdraw",
    "decision_record",
    "library_entry_draft",
    "library_entry_publish",
    "meeting_cancel",
    "meeting_schedule",
    "meeting_update",
    "minutes_close",
    "notification_mark_read",
    "notifications_mark_all_read",
    "objective_add",
    "objective_remove",
    "objective_review",
    "objective_update",
    "referral_change",
    "referral_request",
    "release_tasks_of_departed",
    "run_due_jobs",
    "task_check_held",
    "task_claim",
    "task_complete",
    "task_reassign",
    "task_release",
    "validate_task_result",
]
