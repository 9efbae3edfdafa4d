"""Recording monitoring signals, one at a time (the API) — the imports share the rules here.

Each rule is a small cleaner that raises ``CellError`` with a message for a person; the API turns
it into a 400 naming the field, the imports into ``line N, column C: message``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import policies
from casework.dates import clean_within
from casework.errors import Invalid
from casework.models import AuditEvent, CaseEvent, Instrument, Signal, SignalKind, Student, User
from casework.models.signals import SignalSource, text_key
from casework.selectors import open_case_of_student
from casework.services.audit import audit_record
from casework.services.risk import risk_refresh
from casework.tabular import CellError, parse_date, parse_decimal, parse_text

PERCENT_KINDS = (SignalKind.ATTENDANCE, SignalKind.SELF_ASSESSMENT)
COUNT_KINDS = (SignalKind.GRADE_FAILURES, SignalKind.BEHAVIOUR)
MAX_COUNT = 1000
MAX_OBSERVATION = 4000
MAX_NOTE = 2000
_CENT = Decimal("0.01")


# Choices' ``values`` is rebuilt on every access; an import asks once per row.
KINDS = frozenset(SignalKind.values)


def clean_kind(raw: Any) -> str:
    kind = "" if raw is None else str(raw).strip().lower()
    if kind not in KINDS:
        shown = f"{kind!r} is not a kind of signal" if kind else "may not be empty"
        raise CellError(f"{shown}; use one of {', '.join(SignalKind.values)}")
    return kind


def clean_value(kind: str, raw: Any) -> tuple[Decimal | None, str]:
    """The value for ``kind``: (number, "") for measured kinds, (None, text) for observations."""
    if kind == SignalKind.OBSERVATION:
        if raw is not None and not isinstance(raw, str):
            raise CellError("an observation is written as text")
        return None, parse_text(raw, max_length=MAX_OBSERVATION)
    number = parse_decimal(raw)
    if kind in PERCENT_KINDS:
        if not 0 <= number <= 100:
            what = "attendance is a percentage" if kind == SignalKind.ATTENDANCE else "a score"
            raise CellError(f"{what} between 0 and 100; got {number.normalize():f}")
        # Spreadsheets compute attendance with a formula (87.333...); two decimals are plenty.
        return number.quantize(_CENT, rounding=ROUND_HALF_UP), ""
    if number != number.to_integral_value() or number < 0:
        raise CellError(f"a count is a whole number, 0 or more; got {number.normalize():f}")
    if number > MAX_COUNT:
        raise CellError(f"a count of at most {MAX_COUNT}; got {number.normalize():f}")
    return number.quantize(Decimal(1)), ""


def clean_observed_on(raw: Any) -> datetime.date:
    return clean_within("observed_on", parse_date(raw))


def clean_note(raw: Any) -> str:
    return parse_text(raw, max_length=MAX_NOTE, required=False)


@dataclass(frozen=True)
class CleanSignal:
    kind: str
    value: Decimal | None
    text: str
    note: str
    observed_on: datetime.date

    @property
    def key_text(self) -> str:
        return text_key(self.text)


def clean_signal(*, kind: Any, value: Any, observed_on: Any, note: Any = "") -> CleanSignal:
    """Every rule at once; Invalid names each bad field."""
    errors: dict[str, list[str] | str] = {}
    clean: dict[str, Any] = {}
    try:
        clean["kind"] = clean_kind(kind)
    except CellError as exc:
        errors["kind"] = str(exc)
    if "kind" in clean:
        try:
            clean["value"], clean["text"] = clean_value(clean["kind"], value)
        except CellError as exc:
            errors["value"] = str(exc)
    try:
        clean["observed_on"] = clean_observed_on(observed_on)
    except CellError as exc:
        errors["observed_on"] = str(exc)
    try:
        clean["note"] = clean_note(note)
    except CellError as exc:
        errors["note"] = str(exc)
    if errors:
        raise Invalid(errors)
    return CleanSignal(**clean)


def signal_record(
    *,
    student: Student,
    actor: User,
    kind: Any,
    value: Any,
    observed_on: Any,
    note: Any = "",
) -> tuple[Signal, bool]:
    """Record what a member of staff observed; returns (signal, created).

    The natural key is (student, kind, date observed): recording the same fact again updates it
    instead of adding a second one, as a re-import does.
    """
    policies.require_record_signal(actor, student)
    clean = clean_signal(kind=kind, value=value, observed_on=observed_on, note=note)
    return signal_store(
        student=student, clean=clean, source=SignalSource.MANUAL, recorded_by=actor, actor=actor
    )


def signal_store(
    *,
    student: Student,
    clean: CleanSignal,
    source: str,
    recorded_by: Any,
    actor: User | None,
    instrument: Instrument | None = None,
) -> tuple[Signal, bool]:
    """Write a clean signal (create or update by its natural key) and its consequences.

    Callers have checked who may; this keeps the timeline, the audit trail and the student's
    risk in step with the signal, in one transaction.
    """
    key = {
        "student": student,
        "kind": clean.kind,
        "observed_on": clean.observed_on,
        "text_key": clean.key_text,
    }
    fields = {
        "value": clean.value,
        "text": clean.text,
        "note": clean.note,
        "source": source,
        "recorded_by": recorded_by if getattr(recorded_by, "is_authenticated", False) else None,
        "instrument": instrument,
    }
    with transaction.atomic():
        signal = Signal.objects.select_for_update().filter(**key).first()
        created = signal is None
        if signal is None:
            try:
                with transaction.atomic():
                    signal = Signal.objects.create(**key, **fields)
            except IntegrityError:
                # Someone recorded the same fact a moment ago; theirs is now the one to update.
                signal = Signal.objects.select_for_update().get(**key)
                created = False
        if not created:
            before = (signal.value, signal.note, signal.instrument_id)
            if before == (clean.value, clean.note, getattr(instrument, "pk", None)):
                return signal, False
            for name, value in fields.items():
                setattr(signal, name, value)
            signal.updated_at = timezone.now()
        signal.case = open_case_of_student(student)
        signal.save()
        _on_timeline(signal, actor=actor, created=created)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=signal,
            data={"kind": signal.kind, "observed_on": signal.observed_on.isoformat()},
        )
        if signal.kind != SignalKind.OBSERVATION:
            risk_refresh(Student.objects.filter(pk=student.pk))
    return signal, created


def _on_timeline(signal: Signal, *, actor: User | None, created: bool) -> None:
    """A signal of a student with an open case goes on that case's timeline."""
    if signal.case_id is None:
        return
    CaseEvent.objects.create(
        case_id=signal.case_id,
        kind=CaseEvent.Kind.SIGNAL,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        name=signal.kind if created else f"{signal.kind}_updated",
        note=signal.display_value if signal.kind != SignalKind.OBSERVATION else signal.text,
        data=signal_event_data(signal),
    )


def signal_event_data(signal: Signal) -> dict[str, Any]:
    return {
        "signal": signal.pk,
        "kind": signal.kind,
        "value": None if signal.value is None else float(signal.value),
        "observed_on": signal.observed_on.isoformat(),
        "source": signal.source,
    }
