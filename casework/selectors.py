"""Reads that enforce need to know (DESIGN.md, "Who sees a case").

Every front — API, web pages, websocket, admin — fetches cases and students through these, so
the rule lives in one place. ``cases_visible_to`` answers "which cases may this user see" and
``case_viewers`` answers the inverse, "who may see this case", for notifications; a test holds
the two to agreeing on every role.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import roles
from casework.compiled import Shape
from casework.errors import Invalid, NotFound
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ClassAssignment,
    Group,
    Instrument,
    InstrumentLink,
    Membership,
    Office,
    Referral,
    RiskLevel,
    Signal,
    Student,
    User,
)
from casework.models.case import OPEN_STAGES
from casework.services.audit import audit_record

_NOTHING = Q(pk__in=[])


def pk_or_not_found(pk: Any) -> int:
    """The id in a URL or a body as an int; anything else names no record, so NotFound (404).

    Every permission-checked fetch reads its id through this, so "abc" or None is answered as
    an unknown id is, never as a 500 or a 400 that would tell the two apart.
    """
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None


def live_invitations() -> QuerySet[Referral]:
    """Referrals that open a case to their recipient: accepted, on a consent still in force.

    A withdrawn consent revokes its referrals (``consent_withdraw``); checking the consent here
    too means access ends with the withdrawal even if that revocation were ever missed.
    """
    return Referral.objects.filter(
        status=Referral.Status.ACCEPTED,
        to_user__isnull=False,
        consent__withdrawn_at__isnull=True,
    )


def _visible_cases_q(user: User) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOTHING
    q = _NOTHING
    invited_in: set[int] = set()
    sees_all: set[int] = set()
    own_office: int | None = None
    for membership in roles.memberships(user):
        if membership.office.school_id == user.school_id:
            own_office = membership.office_id  # a school has one office
        # Any active member of the office (external network members above all) sees the cases
        # they were invited to through an accepted referral, for as long as it is live.
        invited_in.add(membership.office_id)
        if membership.is_external:
            continue
        if membership.is_coordinator or membership.group == Group.PEDAGOGY:
            # Coordinators and group 2 (who triage) see cases from the moment they are flagged.
            q |= Q(office_id=membership.office_id)
            sees_all.add(membership.office_id)
        else:
            q |= Q(office_id=membership.office_id, shared_at__isnull=False)
    if user.school_id is not None and (own_office is None or own_office not in sees_all):
        # School staff see the cases they flagged, while they are staff of that school. Named
        # by the office when a seat names it, so that every branch of the rule is a condition
        # on the case's own indexed columns: a join to the office in one branch kept the
        # planner from the office index, and the case list read every case of the county.
        if own_office is None:
            q |= Q(flagged_by=user, office__school_id=user.school_id)
        else:
            q |= Q(flagged_by=user, office_id=own_office)
    # An invitation adds nothing in an office whose every case the user sees already. Elsewhere
    # the invited cases' ids are read first: an ``OR pk IN (subquery)`` beside ``office_id = …``
    # kept the planner off the office index, and every case list read the cases of a whole
    # county (docs/PERFORMANCE.md, county rehearsal).
    invited_in -= sees_all
    if invited_in:
        invited = list(
            live_invitations()
            .filter(to_user=user, case__office_id__in=invited_in)
            .values_list("case_id", flat=True)
        )
        if invited:
            q |= Q(pk__in=invited)
    return q


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(_visible_cases_q(user))


def case_viewers(case: Case) -> QuerySet[User]:
    """Every active user who may see ``case``: the inverse of ``cases_visible_to``."""
    flagger = Q(pk=case.flagged_by_id, school_id=case.office.school_id)
    members = Q(
        memberships__office_id=case.office_id,
        memberships__active=True,
        memberships__is_external=False,
    )
    if case.shared_at is None:
        members &= Q(memberships__is_coordinator=True) | Q(memberships__group=Group.PEDAGOGY)
    invited = Q(
        pk__in=live_invitations().filter(case_id=case.pk).values("to_user_id"),
        memberships__office_id=case.office_id,
        memberships__active=True,
    )
    return User.objects.filter(Q(is_active=True) & (flagger | members | invited)).distinct()


def objective_owners(case: Case) -> QuerySet[User]:
    """Who may own one of the case's objectives (``casework.services.plans.may_own``): members
    of its office who may see it."""
    return case_viewers(case).filter(
        memberships__office_id=case.office_id, memberships__active=True
    )


def user_may_see_case(user: User, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_get_for_user(user: User, pk: Any, *, audit: bool = True) -> Case:
    """The case ``pk`` if ``user`` may see it; otherwise NotFound, never revealing it exists."""
    pk = pk_or_not_found(pk)
    case = cases_visible_to(user).select_related("student", "office__school").filter(pk=pk).first()
    if case is None:
        raise NotFound()
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=case)
    return case


# -- what hangs off a case ---------------------------------------------------------------------
# One rule, derived: a record that refers to a case is visible exactly when its case is. The
# path from a model to its case is read from the model's own foreign keys, so a new kind of
# record is covered the day it is added (tests/test_need_to_know_matrix.py holds every model to
# it).


def case_path(model: type[Model]) -> str | None:
    """The lookup from ``model`` to its case (``"case"``, ``"objective__case"``…), or None.

    Breadth first over concrete foreign keys, so a direct ``case`` wins over a longer way round.
    """
    queue: list[tuple[type[Model], str]] = [(model, "")]
    seen = {model}
    while queue:
        current, prefix = queue.pop(0)
        for field in current._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if not field.is_relation or target is None or field.many_to_many:
                continue
            if target is Case:
                return prefix + field.name
            if target not in seen and target._meta.app_label in ("casework", "workflows"):
                seen.add(target)
                queue.append((target, f"{prefix}{field.name}__"))
    return None


def visible_to(user: User, model: type[Model]) -> QuerySet[Any]:
    """The records of ``model`` whose case ``user`` may see (NotFound territory otherwise)."""
    path = case_path(model)
    if path is None:
        raise TypeError(f"{model._meta.label} does not refer to a case")
    return model._default_manager.filter(**{f"{path}__in": cases_visible_to(user).values("pk")})


def get_for_user(user: User, model: type[Model], pk: Any) -> Any:
    """One record hanging off a case, if its case is visible to ``user``; else NotFound."""
    pk = pk_or_not_found(pk)
    found = visible_to(user, model).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _visible_students_q(user: User) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOTHING
    q = _NOTHING
    if user.school_id is not None:
        q |= Q(school_id=user.school_id)
    invited_in: list[int] = []
    for membership in roles.memberships(user):
        if membership.is_external:
            invited_in.append(membership.office_id)
        else:
            # An internal member sees the office's school, which holds every student its
            # invitations could name: only external seats need the invitations read.
            q |= Q(school_id=membership.office.school_id)
    if invited_in:
        # An invited network member sees the student of the case they work on, nothing more.
        # The ids are read first: an ``OR id IN (subquery)`` beside ``school_id = …`` kept the
        # planner off the school index, and every list read the whole register of a county
        # (docs/PERFORMANCE.md, county rehearsal).
        invited = list(
            live_invitations()
            .filter(to_user=user, case__office_id__in=invited_in)
            .values_list("case__student_id", flat=True)
        )
        if invited:
            q |= Q(pk__in=invited)
    return q


def students_visible_to(user: User) -> QuerySet[Student]:
    return Student.objects.filter(_visible_students_q(user))


def student_get_for_user(user: User, pk: Any, *, audit: bool = True) -> Student:
    pk = pk_or_not_found(pk)
    shape = _student_fetch_shape(user, pk)
    found = shape.statement().objects(shape.values) if shape else _student_fetch(user, pk)
    student: Any = next(iter(found), None)
    if student is None:
        raise NotFound()
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=student)
    return student


def _student_fetch(user: User, pk: int) -> QuerySet[Student]:
    # The school's office rides along: flagging and the student's pages ask for it.
    return students_visible_to(user).select_related("school__office").filter(pk=pk)[:1]


def _student_fetch_shape(user: User, pk: int) -> Shape | None:
    """``_student_fetch`` compiled once per kind of user (casework.compiled), for staff and
    internal office members; an external seat's invitations are read first, as before."""
    seats = roles.memberships(user)
    staff = user.school_id is not None
    if not user.is_authenticated or not user.is_active or any(m.is_external for m in seats):
        return None
    if not (seats or staff):
        return None

    def build(pk: int, *schools: int) -> QuerySet[Student]:
        seat_schools = schools[1:] if staff else schools
        stand_in = User(school_id=schools[0] if staff else None, is_active=True)
        seated = [Membership(office=Office(school_id=school)) for school in seat_schools]
        roles.remember_memberships(stand_in, seated)
        return _student_fetch(stand_in, pk)

    values = [pk, *([user.school_id] if staff else []), *(m.office.school_id for m in seats)]
    return Shape(("student_fetch", staff, len(seats)), values, build)


def instrument_link_get_for_user(user: User, pk: Any) -> InstrumentLink:
    """A one-time link of a student the user may see; any other is invisible (404)."""
    link = (
        InstrumentLink.objects.select_related("instrument", "student__school")
        .filter(pk=pk_or_not_found(pk), student__in=students_visible_to(user))
        .first()
    )
    if link is None:
        raise NotFound()
    return link


def instrument_links_open(student: Student) -> QuerySet[InstrumentLink]:
    """A student's links that still open the questionnaire (not used, revoked or expired)."""
    return student.instrument_links.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("instrument", "created_by")


def open_case_of_student(student: Student) -> Case | None:
    """The student's open case, whoever may see it: for the rules that need it (one open case
    per student, a new signal goes on the open case's timeline) and for the flag form's warning —
    the API's 409 names the open case to anyone who may flag the student. Opening the case itself
    still goes through ``case_get_for_user``."""
    return Case.objects.filter(student=student, stage__in=OPEN_STAGES).first()


def coordinated_offices(user: User) -> list[int]:
    """Ids of the offices ``user`` coordinates."""
    return [m.office_id for m in roles.memberships(user) if m.is_coordinator]


def cases_per_stage(cases: QuerySet[Case]) -> dict[str, int]:
    """How many of ``cases`` are in each stage (one query)."""
    rows = cases.order_by().values("stage").annotate(n=Count("pk"))
    return {row["stage"]: row["n"] for row in rows}


def time_in_stage(cases: QuerySet[Case], now: datetime.datetime) -> dict[str, dict[str, float]]:
    """Average and longest days the cases spent in each open stage (one query).

    Built from the timeline: a stage lasts from the event that entered it to the next stage
    event; a case still in a stage counts until ``now``. Archived and withdrawn are ends.
    """
    events = (
        CaseEvent.objects.filter(
            case__in=cases.order_by().values("pk"),
            kind__in=[CaseEvent.Kind.FLAGGED, CaseEvent.Kind.TRANSITION],
        )
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "to_stage", "created_at")
    )
    spans: dict[str, list[float]] = {stage: [] for stage in OPEN_STAGES}
    previous: tuple[int, str, datetime.datetime] | None = None
    for case_id, stage, at in itertools.chain(events, [(None, "", now)]):
        if previous is not None and previous[1] in spans:
            end = at if case_id == previous[0] else now
            spans[previous[1]].append((end - previous[2]).total_seconds() / 86400)
        previous = (case_id, stage, at) if case_id is not None else None
    return {
        stage: {
            "cases": len(days),
            "average": sum(days) / len(days) if days else 0.0,
            "longest": max(days, default=0.0),
        }
        for stage, days in spans.items()
    }


def signals_visible_to(user: User) -> QuerySet[Signal]:
    """Signals of the students the user may see: whoever sees a student sees what was observed."""
    return Signal.objects.filter(student__in=students_visible_to(user).values("pk"))


def watchlist_for(user: User, *, scope: str = "classes") -> QuerySet[Student]:
    """The students on a member of staff's watchlist.

    ``classes`` (the default): students of the user's school in the classes they are assigned
    (``ClassAssignment``). ``school``: every student the user may see, for the office members who
    monitor the whole school. Either way, only students the user may see.
    """
    students = students_visible_to(user)
    if scope == "school":
        return students
    if user.school_id is None:
        return students.none()
    classes = ClassAssignment.objects.filter(user_id=user.pk, school_id=user.school_id)
    return students.filter(school_id=user.school_id, class_name__in=classes.values("class_name"))


WATCHLIST_SCOPES = ("classes", "school")


def watchlist_students(
    user: User, *, scope: str = "classes", class_name: str = ""
) -> QuerySet[Student]:
    """The watchlist's students before the level filter (``scope`` checked, 400 otherwise)."""
    if scope not in WATCHLIST_SCOPES:
        raise Invalid({"scope": _("Use classes or school.")})
    students = watchlist_for(user, scope=scope)
    if class_name:
        students = students.filter(class_name=class_name)
    return students


def watchlist_rows(
    students: QuerySet[Student], *, levels: list[str] | None = None
) -> QuerySet[Student]:
    """The watchlist in its order, each student with its stored risk, open case and the number
    of signals recorded this week — one query however many rows.

    Sorts on the stored assessments: the caller brings stale ones up to date first
    (``casework.services.risk.risk_refresh_stale``), since that is a write.
    """
    if levels:
        unknown = [level for level in levels if level not in RiskLevel.values]
        if unknown:
            raise Invalid(
                {"level": _("Unknown level(s): %(levels)s.") % {"levels": ", ".join(unknown)}}
            )
        students = students.filter(risk__level__in=levels)
    week_ago = timezone.now() - datetime.timedelta(days=7)
    recent = (
        Signal.objects.filter(student=OuterRef("pk"), created_at__gte=week_ago)
        .order_by()
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        students.select_related("risk")
        .annotate(
            open_case_id=Subquery(
                Case.objects.filter(student=OuterRef("pk"), stage__in=OPEN_STAGES).values("pk")[:1]
            ),
            new_signals=Coalesce(Subquery(recent, output_field=IntegerField()), Value(0)),
        )
        .order_by(
            "-risk__level_rank",
            "-risk__worsened",
            "-risk__high_count",
            "-risk__caution_count",
            "last_name",
            "first_name",
            "pk",
        )
    )


def assigned_classes(user: User) -> list[str]:
    """The classes a member of staff is assigned in their own school."""
    if user.school_id is None:
        return []
    return list(
        ClassAssignment.objects.filter(user_id=user.pk, school_id=user.school_id)
        .order_by("class_name")
        .values_list("class_name", flat=True)
    )


def instruments_for(user: User) -> QuerySet[Instrument]:
    """The instruments in use that the user can give: the shared ones and their schools'."""
    schools = set(students_visible_to(user).values_list("school_id", flat=True).distinct())
    return Instrument.objects.filter(Q(school__isnull=True) | Q(school_id__in=schools)).filter(
        is_active=True
    )


def library_reviewers(office_id: int) -> QuerySet[User]:
    """Who reviews the office's library drafts (``policies.can_review_library_entry``): its
    active coordinators and group 2 members."""
    return User.objects.filter(
        Q(memberships__is_coordinator=True) | Q(memberships__group=Group.PEDAGOGY),
        memberships__office_id=office_id,
        memberships__active=True,
        is_active=True,
    ).distinct()
