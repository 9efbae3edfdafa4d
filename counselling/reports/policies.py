"""Who drafts, receives and reads each kind of report (DESIGN.md, "Reports and their circuit").

| kind | drafted by | received (registered, analysed or approved, returned) by |
| counselling_semester | study counsellors, form tutors | the school's career counsellors |
| counselling_summary | career counsellors | the director |
| plan_monitoring | the quality commission (CEIAC) | the director |

The deputy director takes part in the analysis of the semester reports: the career counsellor
records it in the analysis note. Readers of a submitted report: its receivers and those who read
the school's activities (career counsellors, deputy director, director, CEIAC).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.errors import Forbidden
from casework.models import User
from casework.positions import holds_position
from counselling.models import Report, ReportKind

AUTHORS: dict[str, tuple[str, ...]] = {
    ReportKind.COUNSELLING_SEMESTER: ("study_counsellor", "form_tutor"),
    ReportKind.COUNSELLING_SUMMARY: ("career_counsellor",),
    ReportKind.PLAN_MONITORING: ("quality_commission",),
}
RECEIVERS: dict[str, tuple[str, ...]] = {
    ReportKind.COUNSELLING_SEMESTER: ("career_counsellor",),
    ReportKind.COUNSELLING_SUMMARY: ("director",),
    ReportKind.PLAN_MONITORING: ("director",),
}
READERS = ("career_counsellor", "deputy_director", "director", "quality_commission")


def _staff(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.school_id is not None
    )


def kinds_drafted_by(user: User) -> list[str]:
    if not _staff(user):
        return []
    return [kind for kind, held in AUTHORS.items() if holds_position(user, *held)]


def can_draft(user: User, kind: str) -> bool:
    return kind in kinds_drafted_by(user)


def reads_school_reports(user: User) -> bool:
    return _staff(user) and holds_position(user, *READERS)


def can_see_reports(user: User) -> bool:
    return bool(kinds_drafted_by(user)) or reads_school_reports(user)


def is_receiver(user: User, report: Report) -> bool:
    return (
        _staff(user)
        and user.school_id == report.school_id
        and holds_position(user, *RECEIVERS[report.kind])
    )


def require_draft(user: User, kind: str) -> None:
    if not can_draft(user, kind):
        raise Forbidden(
            _(
                "Semester reports are drafted by study counsellors and form tutors, summaries by "
                "career counsellors, plan monitoring reports by the quality commission."
            )
        )


def require_see_reports(user: User) -> None:
    if not can_see_reports(user):
        raise Forbidden(
            _(
                "Reports are kept by counsellors and form tutors and read by the school's "
                "management."
            )
        )


def require_author(user: User, report: Report) -> None:
    if user.pk != report.author_id:
        raise Forbidden(_("Only the report's author writes and submits it."))


def require_receiver(user: User, report: Report) -> None:
    if not is_receiver(user, report):
        raise Forbidden(
            _(
                "Semester reports are registered and analysed by the school's career "
                "counsellors; summaries and plan monitoring reports by the director."
            )
        )


def steps_for(user: User, report: Report) -> list[str]:
    """The steps ``user`` may take on ``report`` now (the page's buttons)."""
    if user.pk == report.author_id and report.editable:
        return ["submit"]
    if not is_receiver(user, report):
        return []
    if report.status == "submitted":
        return ["register", "return"]
    if report.status == "registered":
        conclude = "analyse" if report.kind == ReportKind.COUNSELLING_SEMESTER else "approve"
        return [conclude, "return"]
    return []
