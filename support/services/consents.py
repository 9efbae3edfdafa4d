"""A student's consent for a mobility, recorded by a manager."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import Invalid
from casework.models import AuditEvent, Case, Consent, Student, User
from casework.services.audit import audit_record
from support import policies
from support.models import (
    StudentConsent,
)
from support.services.common import (
    _choose,
)


def student_consent_record(
    *,
    actor: User,
    student: Student,
    scope: str,
    given_by: str,
    given_by_name: str,
    case: Case | None = None,
) -> StudentConsent:
    """A consent for the student (a parent's, for a mobility), recorded by a manager, or from
    the student's case by whoever may propose from it."""
    policies.require_propose(actor, student.school_id, case)
    errors: dict[str, list[str] | str] = {}
    _choose(errors, "scope", scope, StudentConsent.Scope.values)
    _choose(errors, "given_by", given_by, Consent.GivenBy.values)
    if not (given_by_name or "").strip():
        errors["given_by_name"] = [_("Give the name of the person consenting.")]
    if case is not None and case.student_id != student.pk:
        errors["case"] = [_("Choose a case of this student.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        consent = StudentConsent.objects.create(
            student=student,
            case=case,
            scope=scope,
            given_by=given_by,
            given_by_name=given_by_name.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=consent,
            data={"scope": scope, "given_by": given_by},
        )
    return consent
