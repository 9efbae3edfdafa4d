"""Step 5 of the seed, on the people side: publishing a case's library entry finishes the
coordinator's publication task, so it leaves their inbox when the entry is out."""

from __future__ import annotations

from casework.models import LibraryEntry, User
from casework.services.library import library_entry_mark_published
from workflows import lifecycle
from workflows.locking import case_lock
from workflows.models import TaskName
from workflows.selectors import open_tasks_of_case


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
