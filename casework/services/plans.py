"""The rules of a case's personalised plan: SMART objectives, and when they are planned and
reviewed. The writes are ``workflows.services.plans`` (who may write depends on tasks)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from casework import roles, selectors
from casework.dates import window_error
from casework.errors import Invalid
from casework.models import Case, Stage

PLAN_STAGES = (Stage.SHARED, Stage.INTERVENTION)


def validate_objective(
    *,
    case: Case,
    description: str,
    indicator: str,
    baseline: str,
    target: str,
    deadline: datetime.date | None,
    function: str = "",
    owner: Any = None,
) -> None:
    """The SMART rules: Specific, Measurable (indicator, baseline, target), Achievable by an
    owner of the office, Relevant to a function the case needs, Time-bound (a future deadline).

    ``deadline`` None: kept as it was (an edit that leaves a deadline now past is still valid).
    """
    errors: dict[str, list[str] | str] = {}
    for name, value in (
        ("description", description),
        ("indicator", indicator),
        ("baseline", baseline),
        ("target", target),
    ):
        if not str(value or "").strip():
            errors[name] = _("This field may not be blank.")
    if not errors.get("target") and str(target).strip() == str(baseline).strip():
        errors["target"] = _(
            "The target must differ from the baseline, or there is nothing to measure."
        )
    if (late := window_error("deadline", deadline)) is not None:
        errors["deadline"] = late
    if function and function not in case.functions:
        errors["function"] = _("The objective must serve one of the functions this case needs.")
    if owner is not None and not may_own(owner, case):
        errors["owner"] = _("The owner must be a member of the office who may see this case.")
    if errors:
        raise Invalid(errors)


def may_own(user: Any, case: Case) -> bool:
    """An objective's owner answers for it and reviews its progress, so they must be a member
    of the office (internal, or a network member invited through an accepted referral) who may
    see the case: an owner who could not open the case could not do either."""
    return roles.membership_in(user, case.office_id) is not None and selectors.user_may_see_case(
        user, case
    )


REVIEW_STAGES = (Stage.INTERVENTION, Stage.CLOSING)
