"""The rules of a case's personalised plan: SMART objectives, and when they are planned and
reviewed. The writes are ``workflows.services.plans`` (who may write depends on tasks)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from casework import roles
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
    deadline: datetime.date,
    function: str = "",
    owner: Any = None,
) -> None:
    """The SMART rules: Specific, Measurable (indicator, baseline, target), Achievable by an
    owner of the office, Relevant to a function the case needs, Time-bound (a future deadline)."""
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
    if owner is not None and roles.membership_in(owner, case.office_id) is None:
        errors["owner"] = _("The owner must be a member of the office.")
    if errors:
        raise Invalid(errors)


REVIEW_STAGES = (Stage.INTERVENTION, Stage.CLOSING)
