"""Who records counselling activities and who reads them (DESIGN.md, "Information and
counselling activities").

Recorded by the school's form tutors, study and career counsellors and the office's educators
and pedagogues (groups 1 and 2); read by the author and by those who receive or check the semester
reports: the school's career counsellors, the deputy director, the director and the quality
commission (CEIAC).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import roles
from casework.errors import Forbidden
from casework.models import Group, User
from casework.positions import holds_position

RECORDERS = ("form_tutor", "study_counsellor", "career_counsellor")
READERS = ("career_counsellor", "deputy_director", "director", "quality_commission")


def _office_educator(user: User) -> bool:
    return any(
        not m.is_external
        and m.group in (Group.EDUCATORS, Group.PEDAGOGY)
        and m.office.school_id == user.school_id
        for m in roles.memberships(user)
    )


def can_record_activities(user: User) -> bool:
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return False
    if not user.is_active:
        return False
    return holds_position(user, *RECORDERS) or _office_educator(user)


def reads_school_activities(user: User) -> bool:
    """Does the user read every activity of their school (not only their own)?"""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.school_id is not None
        and holds_position(user, *READERS)
    )


def require_record_activities(user: User) -> None:
    if not can_record_activities(user):
        raise Forbidden(
            _(
                "Only form tutors, study and career counsellors and the office's educators and "
                "pedagogues record counselling activities."
            )
        )


def require_see_activities(user: User) -> None:
    """The activities pages are for those who record activities or read the school's."""
    if not (can_record_activities(user) or reads_school_activities(user)):
        raise Forbidden(
            _(
                "Counselling activities are kept by form tutors, counsellors and the office's "
                "educators, and read by the school's management."
            )
        )


def require_activity_author(user: User, author_id: int) -> None:
    if user.pk != author_id:
        raise Forbidden(_("Only the person who held the activity keeps its attendance list."))


def can_edit_info_pack(user: User, school_id: int) -> bool:
    """The school office's coordinators keep the students' information pack."""
    return any(
        m.is_coordinator and not m.is_external and m.office.school_id == school_id
        for m in roles.memberships(user)
    )


def require_edit_info_pack(user: User, school_id: int) -> None:
    if not can_edit_info_pack(user, school_id):
        raise Forbidden(_("Only the office's coordinators edit the students' information pack."))


def require_see_info_pack(user: User) -> None:
    """The pack's page is for those who edit it or hand it out (the public page is for all)."""
    school_id = user.school_id
    if school_id is None or not (
        can_edit_info_pack(user, school_id) or can_record_activities(user)
    ):
        raise Forbidden(
            _(
                "The information pack is kept by the office's coordinators and handed out by "
                "form tutors, counsellors and the office's educators."
            )
        )
