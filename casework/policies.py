"""Role rules: may this user do this to this (already visible) object?

``can_…`` answer a question (buttons ask them); ``require_…`` raise ``Forbidden`` with the message
the user reads, translated where raised, and are the one place a check and its words are written:
services call them, and a front that must answer 403 before validating its input calls the same
function instead of writing the check again.

These answer 403 questions only. Whether the object is visible at all (404) is the selectors'
business, and whether the action is possible now (409) is the state machine's. Keeping the three
apart is what lets every front answer with the same status in the same order.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework import roles
from casework.errors import Forbidden
from casework.models import Case, Group, Instrument, Referral, School, Student, User
from casework.positions import holds_position


def can_register_student(user: User, school: School) -> bool:
    """Teachers (group 1), administration (group 4) and coordinators of the school's office."""
    if not roles.is_school_staff(user, school):
        return False
    office = getattr(school, "office", None)
    if office is None:
        return False
    membership = roles.internal_membership(user, office)
    return membership is not None and (
        membership.is_coordinator or membership.group in (Group.EDUCATORS, Group.ADMINISTRATION)
    )


def can_flag(user: User, student: Student) -> bool:
    """Any member of the school's staff may flag one of its students (seed, step 1)."""
    return roles.is_school_staff(user, student.school_id)


def can_record_signal(user: User, student: Student) -> bool:
    """Staff of the school and internal office members observe and record signals."""
    return _observes(user, student.school)


def _observes(user: User, school: School) -> bool:
    office_id = getattr(getattr(school, "office", None), "pk", None)
    return roles.is_school_staff(user, school.pk) or (
        office_id is not None and roles.internal_membership(user, office_id) is not None
    )


def can_import_students(user: User, school: School) -> bool:
    """Whoever may register students one by one; and the school's IT (superusers)."""
    return _is_it(user) or can_register_student(user, school)


def can_import_signals(user: User, school: School) -> bool:
    """Whoever may record signals of the school's students; and the school's IT (superusers)."""
    return _is_it(user) or _observes(user, school)


def _is_it(user: User) -> bool:
    # Superusers run the imports from the admin as they would from the command line.
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def can_give_instrument(user: User, student: Student, instrument: Instrument) -> bool:
    """The self-assessment tool belongs to the teachers who observe (seed, step 1: group 1);
    psychometric tests to the psychologists and pedagogues (group 2) and the coordinators."""
    if instrument.school_id is not None and instrument.school_id != student.school_id:
        return False
    if instrument.kind == Instrument.Kind.SELF_ASSESSMENT:
        return can_record_signal(user, student)
    office = getattr(student.school, "office", None)
    if office is None:
        return False
    return roles.is_coordinator(user, office) or roles.in_group(user, office, Group.PEDAGOGY)


# Who may run each transition. ``share`` is the step-1 hand-over to the office: the teacher who
# flagged, the educators and pedagogues who monitor with them (groups 1-2, seed step 1), and the
# coordinators. Every later step is a decision of the office, taken by its coordinators.
def can_transition(user: User, case: Case, name: str) -> bool:
    if roles.is_coordinator(user, case.office_id):
        return True
    if name == "share":
        return case.flagged_by_id == user.pk or roles.in_group(
            user, case.office_id, Group.EDUCATORS, Group.PEDAGOGY
        )
    return False


def can_write_closing_review(user: User, case: Case) -> bool:
    return roles.is_coordinator(user, case.office_id)


def can_record_consent(user: User, case: Case) -> bool:
    """Internal members of the case's office record (and withdraw) consent they collected."""
    return roles.internal_membership(user, case.office_id) is not None


# -- the case library ------------------------------------------------------------------------
# Step 5 of the seed is the coordinator's: they draft the entry. Publishing needs a second
# person (the two-person rule): another coordinator or a group 2 member, who reviews it.


def can_draft_library_entry(user: User, case: Case) -> bool:
    return roles.is_coordinator(user, case.office_id)


def can_review_library_entry(user: User, office_id: int | None) -> bool:
    """Coordinators and internal group 2 members of the entry's office review (and edit) it."""
    if office_id is None:
        return False
    return roles.is_coordinator(user, office_id) or roles.in_group(user, office_id, Group.PEDAGOGY)


def can_manage_library_entry(user: User, office_id: int | None) -> bool:
    """Corrections and withdrawals are the coordinators' decision, like the draft."""
    return office_id is not None and roles.is_coordinator(user, office_id)


def can_import_library(user: User) -> bool:
    """Coordinators of any office import a partner's export into the library."""
    return any(m.is_coordinator and not m.is_external for m in roles.memberships(user))


# Who may score which area (seed: group 1 follows academic performance, group 2 emotional
# wellbeing, group 3 the social side); group 2 and the coordinators may score any area.
ASSESSORS: dict[str, tuple[Group, ...]] = {
    "academic": (Group.EDUCATORS, Group.PEDAGOGY),
    "emotional": (Group.PEDAGOGY,),
    "social": (Group.PEDAGOGY, Group.SOCIAL),
}


def can_assess(user: User, case: Case, area: str) -> bool:
    if roles.is_coordinator(user, case.office_id):
        return True
    return roles.in_group(user, case.office_id, *ASSESSORS.get(area, ()))


def may_assess_something(user: User, case: Case) -> bool:
    return any(can_assess(user, case, area) for area in ASSESSORS)


def can_answer_referral(user: User, referral: Referral) -> bool:
    """A member with an account answers for themselves; for a directory contact without one,
    the coordinators or whoever made the referral record the answer they received."""
    if referral.to_user_id is not None:
        return bool(referral.to_user_id == user.pk)
    return referral.requested_by_id == user.pk or roles.is_coordinator(
        user, referral.case.office_id
    )


def can_complete_referral(user: User, referral: Referral) -> bool:
    return (
        referral.to_user_id == user.pk
        or referral.requested_by_id == user.pk
        or roles.is_coordinator(user, referral.case.office_id)
    )


def can_revoke_referral(user: User, referral: Referral) -> bool:
    """The office side ends a referral: the coordinators or whoever made it."""
    return referral.requested_by_id == user.pk or roles.is_coordinator(
        user, referral.case.office_id
    )


def can_schedule_meeting(user: User, office_id: int) -> bool:
    return roles.is_coordinator(user, office_id)


def can_manage_positions(user: User, school: School) -> bool:
    """The director, or administration (group 4) of the school's office: they keep the staff
    register. Superusers manage them in the admin."""
    if not roles.is_school_staff(user, school):
        return False
    if holds_position(user, "director"):
        return True
    office = getattr(school, "office", None)
    return office is not None and roles.in_group(user, office, Group.ADMINISTRATION)


# -- the checks, each with its one message ----------------------------------------------------


def require_register_student(user: User, school: School | None) -> None:
    if school is None or not can_register_student(user, school):
        raise Forbidden(_("Only teachers, administration and coordinators register students."))


def require_flag(user: User, student: Student) -> None:
    if not can_flag(user, student):
        raise Forbidden(_("Only staff of the student's school can flag a student."))


def require_transition(user: User, case: Case, name: str) -> None:
    if not can_transition(user, case, name):
        raise Forbidden(_("Your role may not do this to the case."))


def require_write_closing_review(user: User, case: Case) -> None:
    if not can_write_closing_review(user, case):
        raise Forbidden(_("Only coordinators write the closing review."))


def require_record_consent(user: User, case: Case) -> None:
    if not can_record_consent(user, case):
        raise Forbidden(_("Only members of the office record consent."))


def require_run_meeting(user: User, office_id: int) -> None:
    if not can_schedule_meeting(user, office_id):
        raise Forbidden(_("Only coordinators run the office meeting."))


def require_record_signal(user: User, student: Student) -> None:
    if not can_record_signal(user, student):
        raise Forbidden(_("Only staff of the student's school and office members record signals."))


def require_give_instrument(user: User, student: Student, instrument: Instrument) -> None:
    if not can_give_instrument(user, student, instrument):
        raise Forbidden(_("Your role may not give this instrument to this student."))


def require_assess(user: User, case: Case, area: str) -> None:
    if not can_assess(user, case, area):
        raise Forbidden(_("Your group does not assess this area."))


def require_draft_library_entry(user: User, case: Case) -> None:
    if not can_draft_library_entry(user, case):
        raise Forbidden(_("Only coordinators draft library entries."))


def require_manage_library_entry(user: User, office_id: int | None) -> None:
    if not can_manage_library_entry(user, office_id):
        raise Forbidden(_("Only coordinators withdraw library entries."))


def require_reassign_task(user: User, case: Case) -> None:
    if not roles.is_coordinator(user, case.office_id):
        raise Forbidden(_("Only coordinators reassign tasks."))


def require_correct_library_entry(user: User, office_id: int | None) -> None:
    if not can_manage_library_entry(user, office_id):
        raise Forbidden(_("Only coordinators correct library entries."))


def require_closing_review_author(user: User, author_id: int | None) -> None:
    if author_id != user.pk:
        raise Forbidden(_("Only the author of the closing review may edit it."))


def require_assessment_author(user: User, author_id: int | None) -> None:
    if author_id != user.pk:
        raise Forbidden(_("Only the author of an assessment may correct it."))


def require_manage_positions(user: User, school: School | None) -> None:
    """Superusers too (the admin), for a given school."""
    may = school is not None and (
        getattr(user, "is_superuser", False) or can_manage_positions(user, school)
    )
    if not may:
        raise Forbidden(_("Only the director or the office's administration manage positions."))


def can_use_two_factor(user: User) -> bool:
    """Two-factor sign-in is offered to those who can change the most: the office coordinators,
    the school administration (group 4) and the IT administrators; superusers must use it."""
    if user.is_superuser or user.is_staff:
        return True
    return any(
        m.is_coordinator or (not m.is_external and m.group == Group.ADMINISTRATION)
        for m in roles.memberships(user)
    )


def require_two_factor_allowed(user: User) -> None:
    if not can_use_two_factor(user):
        raise Forbidden(
            _(
                "Two-factor sign-in is for coordinators and administrators; ask the office "
                "coordinator if you need it."
            )
        )


def require_import_students(user: User, school: School) -> None:
    if not can_import_students(user, school):
        raise Forbidden(_("Only teachers, administration and coordinators register students."))


def require_import_signals(user: User, school: School) -> None:
    if not can_import_signals(user, school):
        raise Forbidden(_("Only staff who may record signals of this school import them."))


def require_school_staff_for_import(user: User) -> None:
    """An import names no school: it goes to the user's own, so they need one."""
    if getattr(user, "school", None) is None:
        raise Forbidden(_("Only staff of a school import into it."))


def require_review_library_entry(user: User, office_id: int | None) -> None:
    if not can_review_library_entry(user, office_id):
        raise Forbidden(
            _("Only coordinators and group 2 members of the office edit library drafts.")
        )


def require_publish_library_entry(
    user: User, office_id: int | None, drafted_by: int | None
) -> None:
    """A second person publishes: a reviewer of the office who did not draft the entry."""
    if not can_review_library_entry(user, office_id):
        raise Forbidden(_("Only coordinators and group 2 members of the office publish entries."))
    if drafted_by == user.pk:
        raise Forbidden(
            _(
                "You drafted this entry: a second person (another coordinator or a group 2 "
                "member) must review and publish it."
            )
        )


def require_import_library(user: User) -> None:
    # Only an account passes (a partner's token never reaches a write).
    if not isinstance(user, User) or not can_import_library(user):
        raise Forbidden(_("Only coordinators import partners' library exports."))


def require_assess_something(user: User, case: Case) -> None:
    if not may_assess_something(user, case):
        raise Forbidden(_("Your role does not assess students."))


def require_see_consents(user: User, case: Case) -> None:
    if not can_record_consent(user, case):
        raise Forbidden(_("Only members of the office see and record consent."))


def can_read_minutes(user: User, office_id: int) -> bool:
    """The minutes are the office's record: its internal members read them."""
    return roles.internal_membership(user, office_id) is not None


def require_read_minutes(user: User, office_id: int) -> None:
    if not can_read_minutes(user, office_id):
        raise Forbidden(_("The minutes are for the office's members."))


def require_coordinates_an_office(offices: list[int]) -> None:
    """The dashboard shows one of the offices the user coordinates; with none there is none."""
    if not offices:
        raise Forbidden(_("The dashboard is for the office's coordinators."))


def require_gives_some_instrument(choices: list[Any]) -> None:
    """The instrument link form offers what the user may give this student; nothing, no form."""
    if not choices:
        raise Forbidden(_("Your role may not give an instrument to this student."))


def require_coordinator_seat(seats: list[Any]) -> None:
    if not seats:
        raise Forbidden(_("Only coordinators schedule office meetings."))


def require_notification_recipient(user: User, recipient_id: int | None) -> None:
    if recipient_id != user.pk:
        raise Forbidden(_("This notification is for someone else."))


_REFERRAL_REFUSALS = {
    "accept": gettext_noop("You may not accept this referral."),
    "reject": gettext_noop("You may not reject this referral."),
    "complete": gettext_noop("You may not complete this referral."),
    "revoke": gettext_noop("You may not revoke this referral."),
}


def require_move_referral(user: User, referral: Referral, name: str) -> None:
    allowed = {
        "accept": can_answer_referral,
        "reject": can_answer_referral,
        "complete": can_complete_referral,
        "revoke": can_revoke_referral,
    }[name]
    if not allowed(user, referral):
        raise Forbidden(_(_REFERRAL_REFUSALS[name]))


def require_two_factor_set_up_for_superuser(user: User, has_device: bool) -> None:
    """A superuser signs in only with a second factor: one without it must turn it on first."""
    if getattr(user, "is_superuser", False) and not has_device:
        raise Forbidden(_("Superusers must turn on two-factor sign-in (My account) first."))
