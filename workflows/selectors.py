"""Reads about tasks, notifications, referrals and meetings, cut to need to know.

A task is visible to whoever may see its case, and *offered* to those of them who belong to the
task's group (or are coordinators, for coordinators' tasks). Both directions — the tasks offered
to a user, the users a task is offered to — are here, built on the case selectors.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from casework import policies, roles
from casework.compiled import Bound, Shape
from casework.errors import Invalid, NotFound
from casework.models import Case, Office, Referral, User
from casework.selectors import case_viewers, cases_visible_to, pk_or_not_found
from workflows.models import (
    AgendaItem,
    Attendance,
    CaseTask,
    Meeting,
    Notification,
    TaskName,
)

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
_NOTHING = Q(pk__in=[])
# Set by task_get_for_user: (user id, whether the task is offered to that user).
_OFFERED = "_offered_to"
# On a task read under the case's lock: the atomic block it was read in. The lock is held for
# as long as that block is open (a savepoint rolled back would have released it).
LOCKED_IN = "_locked_in"


def tasks_visible_to(user: User) -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(case__in=cases_visible_to(user).values("pk")).select_related(
        "task"
    )


def _offer_q(user: User) -> Q:
    q = _NOTHING
    for membership in roles.memberships(user):
        in_office = Q(case__office_id=membership.office_id)
        for_group = Q(coordinators_only=False) & (
            Q(group=membership.group) | Q(second_group=membership.group)
        )
        if membership.is_coordinator:
            for_group |= Q(coordinators_only=True)
        q |= in_office & for_group
    return q


def tasks_offered_to(user: User) -> QuerySet[CaseTask]:
    """Tasks of visible cases meant for one of the user's groups (any status)."""
    return tasks_visible_to(user).filter(_offer_q(user))


def is_offered(user: User, case_task: CaseTask) -> bool:
    known = getattr(case_task, _OFFERED, None)
    if known is not None and known[0] == user.pk:
        # Answered by the fetch that brought ``case_task`` for this user (task_get_for_user).
        return bool(known[1])
    return tasks_offered_to(user).filter(pk=case_task.pk).exists()


def users_offered(case_task: CaseTask) -> QuerySet[User]:
    """The inverse of ``tasks_offered_to`` for one task: who may claim it."""
    return _offered(case_task.case, case_task.coordinators_only, case_task.groups)


def _offered(case: Case, coordinators_only: bool, groups: list[int]) -> QuerySet[User]:
    viewers = case_viewers(case)
    seat = Q(memberships__office_id=case.office_id, memberships__active=True)
    if coordinators_only:
        return viewers.filter(seat & Q(memberships__is_coordinator=True))
    return viewers.filter(seat & Q(memberships__group__in=groups))


def users_offered_ids(case_task: CaseTask, *, exclude: User | None = None) -> Bound:
    """The distinct ids of ``users_offered(case_task)`` but ``exclude``: the SELECT a
    notification's ``INSERT … SELECT`` reads (notify), compiled once per shape."""
    shape = users_offered_shape(case_task, exclude)
    if shape is None:  # a case without its flagger: not on the hot path
        users: QuerySet[Any] = users_offered(case_task).order_by().values("pk").distinct()
        if exclude is not None:
            users = users.exclude(pk=exclude.pk)
        return Bound(*users.query.sql_with_params())
    return shape.statement().bind(shape.values)


def users_offered_shape(case_task: CaseTask, exclude: User | None) -> Shape | None:
    case = case_task.case
    if case.flagged_by_id is None:
        return None
    groups = [] if case_task.coordinators_only else case_task.groups
    shared = case.shared_at

    def build(flagger: int, school: int, office: int, pk: int, *more: int) -> QuerySet[Any]:
        stand_in = Case(pk=pk, flagged_by_id=flagger, office_id=office, shared_at=shared)
        stand_in.office = Office(pk=office, school_id=school)
        chosen = more[: len(groups)]
        users: QuerySet[Any] = _offered(stand_in, case_task.coordinators_only, list(chosen))
        users = users.order_by().values("pk").distinct()
        return users if exclude is None else users.exclude(pk=more[-1])

    values = [case.flagged_by_id, case.office.school_id, case.office_id, case.pk, *groups]
    if exclude is not None:
        values.append(exclude.pk)
    only_coordinators = case_task.coordinators_only
    key = ("users_offered", shared is None, only_coordinators, len(groups), exclude is None)
    return Shape(key, values, build)


def available_tasks(user: User) -> QuerySet[CaseTask]:
    return tasks_offered_to(user).filter(task__status=STATUS.NEW)


def my_tasks(user: User) -> QuerySet[CaseTask]:
    return tasks_visible_to(user).filter(task__owner=user, task__status__in=OPEN_STATUSES)


def open_tasks_of_case(case_id: int) -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(case_id=case_id, task__status__in=OPEN_STATUSES)


def task_get_for_user(
    user: User, pk: Any, *, locked_if_of: Any = None, lock_case: bool = False
) -> CaseTask:
    """The task ``pk`` if its case is visible to ``user``; otherwise NotFound.

    ``locked_if_of`` (a flow class; inside a transaction, for a change of the task): a task of
    that flow is read in the statement that takes the case's lock as ``locking.task_locked``
    does — ``FOR UPDATE OF`` the process row, then the task row — so the service need not read
    it again to take the lock. A task of another flow (whose lock is another row, taken in
    another order) is read as usual, without a lock. ``lock_case``: the case's row is locked
    too (after them), so it is read as it is under the lock (completing triage moves the case).
    """
    if locked_if_of is not None:
        try:
            return _task_for_user(user, pk, locked_if_of, lock_case)
        except NotFound:
            pass
    return _task_for_user(user, pk, None)


def _task_for_user(user: User, pk: Any, flow_class: Any, lock_case: bool = False) -> CaseTask:
    pk = pk_or_not_found(pk)
    # Not compiled once: the visibility rule reads the user's invitations while it is built.
    found = _task_fetch(user, pk, flow_class, lock_case)
    case_task: Any = next(iter(found), None)
    if case_task is None:
        raise NotFound()
    if flow_class is not None:
        setattr(case_task.task, LOCKED_IN, transaction.get_connection().atomic_blocks[-1])
        if lock_case:
            setattr(case_task.case, LOCKED_IN, getattr(case_task.task, LOCKED_IN))
    # The offer rule rides along with the visibility check, so the service that follows
    # (claim, complete) need not run the same visibility query again.
    setattr(case_task, _OFFERED, (user.pk, case_task.offered_to_fetcher))
    return case_task


def _task_fetch(
    user: User, pk: int, flow_class: Any, lock_case: bool = False
) -> QuerySet[CaseTask]:
    found = (
        tasks_visible_to(user)
        .select_related("case__office")
        .annotate(offered_to_fetcher=ExpressionWrapper(_offer_q(user), BooleanField()))
        .filter(pk=pk)
        .order_by()  # one row by its key: no ordering to compile or sort
    )
    if flow_class is not None:
        found = (
            found.filter(task__process__flow_class=flow_class)
            .select_related("task__process")
            .select_for_update(of=("task__process", "task", *(("case",) if lock_case else ())))
        )
    return found[:1]


def triage_pending(case_id: int) -> bool:
    return open_tasks_of_case(case_id).filter(name=TaskName.TRIAGE).exists()


def holds_open_task(user: User, case_id: int) -> bool:
    return open_tasks_of_case(case_id).filter(task__owner=user).exists()


def overdue(queryset: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
    return queryset.filter(due_at__lt=timezone.now(), task__status__in=OPEN_STATUSES)


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notifications about things they may still see (need to know can end): about
    a case they still see, or a meeting they still see (leaving the office ends both). The
    meetings are read here, once: narrow the result rather than call this again."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    meetings = list(meetings_visible_to(user).values_list("pk", flat=True))
    about_meeting = Q(kind__in=MEETING_KINDS)
    return Notification.objects.filter(recipient=user).filter(
        _about_a_visible_case(user) & (~about_meeting | Q(data__meeting__in=meetings))
    )


def notification_visible_to(user: User, pk: int, kind: str) -> bool:
    """Whether notification ``pk`` is among ``notifications_for(user)``, in one query when
    ``kind`` is not about a meeting (the user's meetings are then not read: a notification of
    another kind answers to its case alone, and one that turns out to be about a meeting after
    all is not found)."""
    if kind in MEETING_KINDS:
        return notifications_for(user).filter(pk=pk).exists()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        Notification.objects.filter(recipient=user, pk=pk)
        .exclude(kind__in=MEETING_KINDS)
        .filter(_about_a_visible_case(user))
        .exists()
    )


def _about_a_visible_case(user: User) -> Q:
    return Q(case__isnull=True) | Q(case__in=cases_visible_to(user).values("pk"))


MEETING_KINDS = (Notification.Kind.MEETING_INVITED, Notification.Kind.MEETING_CHANGED)


def unread_notifications(user: User) -> QuerySet[Notification]:
    return unread_among(notifications_for(user))


def unread_among(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """The unread ones, oldest first."""
    return notifications.filter(read_at__isnull=True).order_by("created_at", "id")


def tasks_done_by(user: User) -> QuerySet[CaseTask]:
    """The archive: tasks the user finished, on cases they may still see."""
    return tasks_visible_to(user).filter(task__owner=user, task__status=STATUS.DONE)


def workload_per_group(user: User, office_id: int) -> dict[int, dict[str, int]]:
    """Open tasks of the office per group: unclaimed, claimed, overdue (one query).

    A task offered to two groups (the closing meeting) counts for its first group.
    """
    rows = (
        tasks_visible_to(user)
        .filter(case__office_id=office_id, task__status__in=OPEN_STATUSES)
        .order_by()
        .values("group")
        .annotate(
            unclaimed=Count("pk", filter=Q(task__owner__isnull=True)),
            claimed=Count("pk", filter=Q(task__owner__isnull=False)),
            overdue=Count("pk", filter=Q(due_at__lt=timezone.now())),
        )
    )
    return {
        row["group"]: {
            "unclaimed": row["unclaimed"],
            "claimed": row["claimed"],
            "overdue": row["overdue"],
        }
        for row in rows
    }


def tasks_of_case(case: Any) -> QuerySet[CaseTask]:
    """The tasks of a case already fetched with ``case_get_for_user`` (its viewers see them)."""
    return (
        CaseTask.objects.filter(case_id=case.pk)
        .select_related("task__owner")
        .order_by("task__created", "task_id")
    )


def offered_open_task_ids(user: User, case: Any) -> set[int]:
    """The case's unclaimed tasks this user could claim."""
    return set(
        tasks_offered_to(user)
        .filter(case_id=case.pk, task__status=STATUS.NEW)
        .values_list("pk", flat=True)
    )


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Referrals of cases the user sees, and those addressed to them (before they see the case,
    a recipient sees only the referral: purpose, office, status)."""
    return Referral.objects.filter(
        Q(case__in=cases_visible_to(user).values("pk")) | Q(to_user=user)
    ).select_related("case__office")


def referral_get_for_user(user: User, pk: Any) -> Referral:
    pk = pk_or_not_found(pk)
    referral = referrals_visible_to(user).filter(pk=pk).first()
    if referral is None:
        raise NotFound()
    return referral


# -- meetings ----------------------------------------------------------------------------------


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """A meeting about a case follows its case: an invitation never outlives the right to see
    it. A meeting about no case (the regular office meeting) belongs to the office's active
    internal members, and to the active members it invited."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Meeting.objects.none()
    seats = roles.memberships(user)
    internal = [m.office_id for m in seats if not m.is_external]
    attended = Attendance.objects.filter(
        user=user, meeting__office_id__in=[m.office_id for m in seats]
    ).values("meeting_id")
    return Meeting.objects.filter(
        Q(case__isnull=True, office_id__in=internal)
        | Q(case__isnull=True, pk__in=attended)
        | Q(case__in=cases_visible_to(user).values("pk"))
    )


def meeting_get_for_user(user: User, pk: Any) -> Meeting:
    pk = pk_or_not_found(pk)
    meeting = meetings_visible_to(user).select_related("office__school").filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    return meeting


def agenda_items_for(user: User, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The listed items whose case the user may see (need to know holds on the agenda too)."""
    return (
        AgendaItem.objects.filter(meeting=meeting, removed=False)
        .filter(case__in=cases_visible_to(user).values("pk"))
        .select_related("case__student")
        .order_by("position", "id")
    )


def next_meeting(user: User, office_id: int) -> Meeting | None:
    """The office's next regular meeting whose minutes are still open (an earlier one left
    open comes first: its minutes are what the coordinator has to finish)."""
    return (
        meetings_visible_to(user)
        .filter(office_id=office_id, kind=Meeting.Kind.REGULAR, status=Meeting.Status.SCHEDULED)
        .order_by("scheduled_for", "id")
        .first()
    )


def agenda_items_of_case(user: User, case: Case) -> QuerySet[AgendaItem]:
    """The meetings that listed ``case`` (and the user may see), with what they decided."""
    return (
        AgendaItem.objects.filter(case=case, removed=False)
        .filter(meeting__in=meetings_visible_to(user).values("pk"))
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .prefetch_related("decisions")
        .order_by("-meeting__scheduled_for", "-id")
    )


def coordinator_office(user: User, office_id: int | None = None) -> Office:
    """The office a coordinator schedules for: the one named, or their only one."""
    seats = [m for m in roles.memberships(user) if m.is_coordinator]
    if office_id is not None:
        seats = [m for m in seats if m.office_id == office_id]
    policies.require_coordinator_seat(seats)
    if len(seats) > 1:
        raise Invalid({"office": _("You coordinate several offices; say which.")})
    return seats[0].office
