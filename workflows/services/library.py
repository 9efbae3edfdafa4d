"""Drafting a case's library entry: the draft is recorded in casework, and the people who
review it (the office's coordinators and group 2) are told it waits."""

from __future__ import annotations

from django.db import transaction

from casework.models import Case, LibraryEntry, User
from casework.selectors import library_reviewers
from casework.services.library import library_draft_record
from workflows.models import Notification
from workflows.notify import notify


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
