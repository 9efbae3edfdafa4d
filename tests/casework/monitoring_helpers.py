"""Helpers for the monitoring tests: files to import, and signals recorded through the service."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from casework.models import Signal, Student
from casework.services.signals import clean_signal, signal_store


def csv_bytes(rows: Sequence[Sequence[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def record(
    student: Student,
    kind: str,
    value: Any,
    observed_on: datetime.date,
    *,
    actor: Any = None,
    note: str = "",
) -> Signal:
    """A signal through the service, without the role check the API makes."""
    clean = clean_signal(kind=kind, value=value, observed_on=observed_on, note=note)
    signal, _ = signal_store(
        student=student, clean=clean, source="manual", recorded_by=actor, actor=actor
    )
    return signal
