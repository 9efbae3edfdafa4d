"""Who manages partners and opportunities and who reads them (DESIGN.md, "Partners and
opportunities").

Managers are the office's coordinators, its members of groups 3 (social: scholarships and
placements) and 4 (administration: the agreements' paperwork), and the school's director, deputy
director and heads of section. Every member of the school's staff reads the catalogue. A student
may also be proposed from a case by whoever holds the case's socio-economic task.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import roles
from casework.errors import Forbidden
from casework.models import Case, Group, User
from casework.positions import holds_position
from workflows.models import TaskName
from workflows.selectors import open_tasks_of_case

MANAGING_POSITIONS = ("director", "deputy_director", "head_of_section")


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_manager(user: User, school_id: int | None) -> bool:
    """Does the user manage the partners and opportunities of ``school_id``?"""
    if not _active(user) or school_id is None:
        return False
    for membership in roles.memberships(user):
        if membership.is_external or membership.office.school_id != school_id:
            continue
        if membership.is_coordinator or membership.group in (Group.SOCIAL, Group.ADMINISTRATION):
            return True
    return user.school_id == school_id and holds_position(user, *MANAGING_POSITIONS)


def managed_school(user: User) -> int | None:
    """The school whose partners and opportunities the user manages (their own), if any."""
    school_id = user.school_id if _active(user) else None
    if school_id is not None and is_manager(user, school_id):
        return school_id
    for membership in roles.memberships(user):
        if is_manager(user, membership.office.school_id):
            return membership.office.school_id
    return None


def reads_catalogue(user: User, school_id: int | None) -> bool:
    """School staff read their school's catalogue and partners; managers do too."""
    if not _active(user) or school_id is None:
        return False
    return user.school_id == school_id or is_manager(user, school_id)


def require_manage(user: User, school_id: int | None) -> None:
    if not is_manager(user, school_id):
        raise Forbidden(
            _(
                "Partners and opportunities are managed by the office's coordinators, its social "
                "and administrative members, and the school's management."
            )
        )


def require_some_school_to_manage(user: User) -> int:
    school_id = managed_school(user)
    if school_id is None:
        require_manage(user, None)
    assert school_id is not None
    return school_id


def holds_socio_economic_task(user: User, case: Case) -> bool:
    return (
        open_tasks_of_case(case.pk)
        .filter(name=TaskName.SOCIO_ECONOMIC, task__owner_id=user.pk)
        .exists()
    )


def can_propose_from_case(user: User, case: Case) -> bool:
    """The case's socio-economic worker or a coordinator proposes a student from the case."""
    if not _active(user):
        return False
    return roles.is_coordinator(user, case.office_id) or holds_socio_economic_task(user, case)


def require_propose(user: User, school_id: int, case: Case | None) -> None:
    """Managers propose anyone; from a case, its socio-economic worker or a coordinator too."""
    if is_manager(user, school_id) or (case is not None and can_propose_from_case(user, case)):
        return
    raise Forbidden(
        _(
            "Students are proposed by the opportunity's managers, or from a case by the holder "
            "of its socio-economic task or a coordinator."
        )
    )


def can_read_catalogue(user: User) -> bool:
    """School staff (and managers of a school) read a catalogue; others have none to read."""
    return _active(user) and (user.school_id is not None or managed_school(user) is not None)


def require_read_catalogue(user: User) -> None:
    if not can_read_catalogue(user):
        raise Forbidden(_("The catalogue of opportunities is for the school's staff."))
