"""Importing students and signals from CSV or XLSX files: all or nothing, idempotent, streamed.

A file with any bad row is refused whole; the first hundred problems are listed (``line N,
column C: message``, the header being line 1) with the count of all. A file over the size limit
(``IMPORT_MAX_BYTES``) is refused before it is read. Importing the same file again changes
nothing: students are matched by their code in the school, signals by their natural key
(student, kind, date observed).

Memory stays flat with the size of the file: rows are read one at a time and never all held.

* Students are validated in a first pass over the file, then written in batches of a thousand in
  a second pass, inside one transaction. What is kept between rows is the set of codes seen (to
  refuse a code given twice), which is bounded by the size of the school, not of the file.
* Signals are validated row by row and streamed into a temporary table (COPY on PostgreSQL), in
  the transaction that then lets the database find duplicates within the file and merge the rows
  into the signals table with one ``INSERT ... ON CONFLICT``. Only rows that are new or changed are
  written, which is what makes a re-import a no-op and tells us which signals an open case's
  timeline should receive.
"""

from __future__ import annotations

from casework.services.imports.common import (
    SIGNAL_COLUMNS,
    SIGNAL_OPTIONAL,
    STUDENT_COLUMNS,
    STUDENT_OPTIONAL,
    ImportRefused,
)
from casework.services.imports.signals import signals_import
from casework.services.imports.students import students_import

__all__ = [
    "SIGNAL_COLUMNS",
    "SIGNAL_OPTIONAL",
    "STUDENT_COLUMNS",
    "STUDENT_OPTIONAL",
    "ImportRefused",
    "signals_import",
    "students_import",
]
