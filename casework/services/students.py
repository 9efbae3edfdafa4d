"""Writes about students."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework import policies
from casework.dates import require_within
from casework.errors import Invalid
from casework.models import AuditEvent, School, Student, User
from casework.services.audit import audit_record


def student_create(
    *,
    actor: User,
    school: School,
    code: str,
    first_name: str,
    last_name: str,
    class_name: str,
    programme: str,
    birth_date: datetime.date | None = None,
) -> Student:
    policies.require_register_student(actor, school)
    require_within(birth_date=birth_date)
    code = code.strip()
    if Student.objects.filter(school=school, code=code).exists():
        raise Invalid({"code": _("A student with this code already exists in your school.")})
    try:
        with transaction.atomic():
            student = Student.objects.create(
                school=school,
                code=code,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                class_name=class_name.strip(),
                programme=programme.strip(),
                birth_date=birth_date,
            )
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=student)
    except IntegrityError:
        # Two registrations of one code raced past the check above; the constraint decides.
        raise Invalid(
            {"code": _("A student with this code already exists in your school.")}
        ) from None
    return student
