"""The kinds of opportunity and their duration rules (DESIGN.md, "Partners and opportunities").

The Erasmus+ VET catalogue (seed 003) gives each mobility activity a duration in days, counted
from the activity's first day to its last, travel days apart; the county practice programme
(seed 001) adds practice placements, study visits and experience exchanges.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Learners (students), with accompanying staff.
    SKILLS_COMPETITION = "skills_competition", _("Skills competition abroad")
    GROUP_MOBILITY = "group_mobility", _("Group mobility of VET learners")
    SHORT_TERM_MOBILITY = "short_term_mobility", _("Short-term learner mobility")
    LONG_TERM_MOBILITY = "long_term_mobility", _("Long-term learner mobility (ErasmusPro)")
    STUDY_VISIT = "study_visit", _("Study visit")
    EXPERIENCE_EXCHANGE = "experience_exchange", _("Experience exchange")
    PRACTICE_PLACEMENT = "practice_placement", _("Practice placement at an employer")
    # Staff.
    JOB_SHADOWING = "job_shadowing", _("Job shadowing")
    TEACHING_ASSIGNMENT = "teaching_assignment", _("Teaching or training assignment")
    STAFF_COURSE = "staff_course", _("Course or training")
    INVITED_EXPERT = "invited_expert", _("Invited expert")
    HOSTING_TEACHER = "hosting_teacher", _("Hosting a teacher in training")
    PREPARATORY_VISIT = "preparatory_visit", _("Preparatory visit")


LEARNER_KINDS = frozenset(
    {
        Kind.SKILLS_COMPETITION,
        Kind.GROUP_MOBILITY,
        Kind.SHORT_TERM_MOBILITY,
        Kind.LONG_TERM_MOBILITY,
        Kind.STUDY_VISIT,
        Kind.EXPERIENCE_EXCHANGE,
        Kind.PRACTICE_PLACEMENT,
    }
)
STAFF_KINDS = frozenset(
    {
        Kind.JOB_SHADOWING,
        Kind.TEACHING_ASSIGNMENT,
        Kind.STAFF_COURSE,
        Kind.INVITED_EXPERT,
        Kind.HOSTING_TEACHER,
        Kind.PREPARATORY_VISIT,
    }
)
# The learners' mobilities proper (a placement or a visit is not called one to the reader).
MOBILITY_KINDS = frozenset({Kind.GROUP_MOBILITY, Kind.SHORT_TERM_MOBILITY, Kind.LONG_TERM_MOBILITY})
# The activities of seed 003 that a preparatory visit may support and the mobility export lists.
ERASMUS_KINDS = frozenset(
    {
        Kind.SKILLS_COMPETITION,
        Kind.GROUP_MOBILITY,
        Kind.SHORT_TERM_MOBILITY,
        Kind.LONG_TERM_MOBILITY,
        Kind.JOB_SHADOWING,
        Kind.TEACHING_ASSIGNMENT,
        Kind.STAFF_COURSE,
        Kind.INVITED_EXPERT,
        Kind.HOSTING_TEACHER,
    }
)

# Days, first to last inclusive: (at least, at most); None means no upper limit.
DURATIONS: dict[str, tuple[int, int | None]] = {
    Kind.SKILLS_COMPETITION: (1, 10),
    Kind.GROUP_MOBILITY: (2, 30),
    Kind.SHORT_TERM_MOBILITY: (10, 89),
    Kind.LONG_TERM_MOBILITY: (90, 365),
    Kind.STUDY_VISIT: (1, 30),
    Kind.EXPERIENCE_EXCHANGE: (1, 30),
    Kind.PRACTICE_PLACEMENT: (1, None),
    Kind.JOB_SHADOWING: (2, 60),
    Kind.TEACHING_ASSIGNMENT: (2, 365),
    Kind.STAFF_COURSE: (2, 30),
    Kind.INVITED_EXPERT: (2, 60),
    Kind.HOSTING_TEACHER: (10, 365),
    Kind.PREPARATORY_VISIT: (1, None),
}


def range_text(kind: str) -> str:
    """The allowed duration as the contract writes it (an en dash: 2 to 30), or "≥ 1"."""
    least, most = DURATIONS[kind]
    return f"{least}\u2013{most}" if most is not None else f"≥ {least}"


def duration_fits(kind: str, days: int) -> bool:
    least, most = DURATIONS[kind]
    return days >= least and (most is None or days <= most)
