"""Step 5 of the seed, on the people side: drafting a case's library entry tells the people who
review it (the office's coordinators and group 2) that it waits; publishing it finishes the
coordinator's publication task, so it leaves their inbox when the entry is out."""

from __future__ import annotations

from django.db import transaction

from casework.models import Case, LibraryEntry, User
from casework.selectors import library_reviewers
from casework.services.library import library_draft_record, library_entry_mark_published
from workflows import lifecycle
from workflows.locking import case_lock
from workflows.models import Notification, TaskName
from workflows.notify import notify
from workflows.selectors import open_tasks_of_case


def library_entry_draft(*, case: Case, actor: User) -> LibraryEntry:
    """Draft the anonymised entry of an archived case and tell its reviewers. The row carries
    no case: a reviewer of the office may not be one who sees the case."""
    with transaction.atomic():
        entry = library_draft_record(case=case, actor=actor)
        notify(
            recipients=library_reviewers(case.office_id),
            kind=Notification.Kind.LIBRARY_DRAFT_WAITING,
            data={"entry": entry.pk},
            exclude=actor,
        )
    return entry


def library_entry_publish(*, entry: LibraryEntry, actor: User) -> LibraryEntry:
    """Publish a reviewed draft, and close the publication task of its case."""
    case = entry.case
    if case is None:  # an entry imported from a partner has no case here
        return library_entry_mark_published(entry=entry, actor=actor)
    with case_lock(case):
        entry = library_entry_mark_published(entry=entry, actor=actor)
        for case_task in open_tasks_of_case(case.pk).filter(name=TaskName.LIBRARY_PUBLICATION):
            # Whoever holds it, the work is done: the reviewer published what was drafted.
            task = case_task.task
            task.refresh_from_db()
            activation = task.flow_task.activation_class(task)
            activation.start(None)
            activation.execute()
            lifecycle.task_event(case_task, actor, "task_completed", result={"entry": entry.pk})
    return entry
