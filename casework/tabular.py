"""Reading CSV and XLSX files row by row, for the imports.

Rows are streamed — one at a time, never the whole file — and numbered as a spreadsheet shows
them: the header is line 1. Problems are collected as ``line N, column C: message``: the first
hundred are kept, with the count of all, so a refused file says what to fix first and how much
there is, whatever its size (a file of a million bad rows once answered with 164 MB).

Nothing read here grows with the file: a CSV line is read with a bound (a file without line
breaks is not read whole), and an XLSX workbook, a zip, is refused before reading when what it
unpacks to is out of proportion (a small zip can hold gigabytes of XML).

CSV files may be UTF-8 with or without the byte-order mark Excel writes, separated by commas or
by the semicolons that Excel uses in Romanian locales. XLSX files are read with openpyxl in
read-only mode (its streaming parser); the first worksheet is the table.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.etree import ElementTree

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from openpyxl.worksheet import _reader as _openpyxl_reader
from openpyxl.xml.constants import SHEET_MAIN_NS

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls

PROBLEMS_LISTED = 100
# A line of a CSV file is read with this bound: the csv module refuses fields over 131,072
# characters anyway, and a header or row of our few columns never comes near it.
MAX_LINE_BYTES = 1 << 20
# openpyxl's read-only mode streams the worksheet but holds the shared strings in memory.
MAX_SHARED_STRINGS_BYTES = 16 << 20


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return gettext("line %(line)s: %(message)s") % {
                "line": self.line,
                "message": self.message,
            }
        return gettext("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class Problems:
    """The problems of a file: the first ``limit`` by position (line, column), and how many."""

    def __init__(self, limit: int = PROBLEMS_LISTED) -> None:
        self.limit = limit
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.listed) < self.limit or problem < self.listed[-1]:
            bisect.insort(self.listed, problem)
            del self.listed[self.limit :]

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def count_unlisted(self, count: int) -> None:
        """Problems known to sort after ``limit`` others already added: counted, not kept."""
        self.total += count

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.listed)

    @property
    def unlisted(self) -> int:
        return self.total - len(self.listed)


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why, in the user's words."""


@dataclass
class Table:
    """A file's rows as dicts keyed by the header's column names."""

    file: IO[bytes]
    required: Sequence[str]
    optional: Sequence[str] = ()
    problems: Problems = field(default_factory=Problems)
    columns: list[str] = field(default_factory=list)
    format: str = ""
    # What an XLSX workbook may unpack to, in bytes; None: no bound (tests of small files).
    max_unpacked: int | None = None

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield ``(line, values)`` for every non-blank row; problems go to ``self.problems``."""
        head = self.file.read(4)
        self.file.seek(0)
        if head.startswith(OLE_MAGIC):
            self.problems.add(
                Problem(
                    1, "", gettext("this is an old .xls workbook; save it as .xlsx or CSV (UTF-8)")
                )
            )
            return
        if head.startswith(XLSX_MAGIC):
            self.format = "xlsx"
            raw = self._xlsx_rows()
        else:
            self.format = "csv"
            raw = self._csv_rows()
        yield from self._keyed(raw)

    # -- header and shape ----------------------------------------------------------------------

    def _keyed(
        self, raw: Iterator[tuple[int, Sequence[Any]]]
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        for line, cells in raw:
            if not self.columns:
                if not self._read_header(cells):
                    return
                continue
            if all(_blank(value) for value in cells):
                continue
            width = len(self.columns)
            for index in range(width, len(cells)):
                if not _blank(cells[index]):
                    self.problems.add(
                        Problem(
                            line,
                            column_letter(index),
                            gettext("a value outside the table (the header has %(width)s columns)")
                            % {"width": width},
                        )
                    )
                    break
            values = {
                name: cells[i] if i < len(cells) else None for i, name in enumerate(self.columns)
            }
            yield line, values
        if not self.columns and not self.problems:
            self.problems.add(
                Problem(1, "", gettext("the file is empty; the first line must be the header"))
            )

    def _read_header(self, cells: Sequence[Any]) -> bool:
        names = [str(cell).strip().lower() if cell is not None else "" for cell in cells]
        while names and not names[-1]:
            names.pop()
        known = [*self.required, *self.optional]
        for index, name in enumerate(names):
            if not name:
                self.problems.add(
                    Problem(1, column_letter(index), gettext("a column without a name"))
                )
            elif name not in known:
                self.problems.add(
                    Problem(
                        1,
                        name,
                        gettext("unknown column; the columns are %(known)s")
                        % {"known": ", ".join(known)},
                    )
                )
            elif names.index(name) != index:
                self.problems.add(Problem(1, name, gettext("the column appears twice")))
        for name in self.required:
            if name not in names:
                self.problems.add(Problem(1, name, gettext("missing column")))
        if self.problems.total:
            return False
        self.columns = names
        return True

    # -- formats -------------------------------------------------------------------------------

    def _csv_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        state = {"record": 0}

        def text_lines() -> Iterator[str]:
            # Decode line by line (UTF-8 never puts a newline byte inside a character), so a
            # bad byte is reported on the row it is in, not somewhere in an 8 KB buffer.
            number = 0
            while raw := self.file.readline(MAX_LINE_BYTES + 1):
                if len(raw) > MAX_LINE_BYTES:
                    self.problems.add(
                        Problem(
                            state["record"] + 1,
                            "",
                            gettext("a line longer than %(limit)s bytes; is this a CSV file?")
                            % {"limit": f"{MAX_LINE_BYTES:,}"},
                        )
                    )
                    return
                if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                number += 1
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    self.problems.add(
                        Problem(
                            state["record"] + 1,
                            "",
                            gettext(
                                "the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"
                            ),
                        )
                    )
                    return

        lines = text_lines()
        first = next(lines, None)
        if first is None:
            return
        delimiter = ";" if first.count(";") > first.count(",") else ","
        try:
            header = next(csv.reader([first], delimiter=delimiter), [])
            state["record"] = 1
            yield 1, header
            for record in csv.reader(lines, delimiter=delimiter, strict=True):
                state["record"] += 1
                yield state["record"], record
        except csv.Error as exc:
            self.problems.add(
                Problem(
                    state["record"] + 1, "", gettext("not valid CSV (%(error)s)") % {"error": exc}
                )
            )

    def _xlsx_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        from openpyxl import load_workbook

        try:
            if not self._unpacks_within_bounds():
                return
            workbook = load_workbook(self.file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            self.problems.add(
                Problem(1, "", gettext("not a readable XLSX workbook (%(error)s)") % {"error": exc})
            )
            return
        try:
            sheet = workbook.worksheets[0]
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        finally:
            workbook.close()

    def _unpacks_within_bounds(self) -> bool:
        """Refuse a workbook whose parts unpack to more than we read: a zip says how big each
        part is, and zipfile stops reading a part at that size, so the check cannot be lied to."""
        with zipfile.ZipFile(self.file) as archive:
            parts = archive.infolist()
        self.file.seek(0)
        unpacked = sum(part.file_size for part in parts)
        strings = sum(p.file_size for p in parts if p.filename.endswith("sharedStrings.xml"))
        if self.max_unpacked is not None and unpacked > self.max_unpacked:
            found, limit = unpacked, self.max_unpacked
        elif strings > MAX_SHARED_STRINGS_BYTES:
            found, limit = strings, MAX_SHARED_STRINGS_BYTES
        else:
            return True
        self.problems.add(
            Problem(
                1,
                "",
                gettext(
                    "the workbook unpacks to %(size)s, more than the %(limit)s accepted; split "
                    "it into smaller files or save it as CSV"
                )
                % {"size": megabytes(found), "limit": megabytes(limit)},
            )
        )
        return False


def megabytes(size: int) -> str:
    """1.5 MB, 976 bytes: as a person reads a file's size."""
    return str(filesizeformat(size)).replace("\xa0", " ")


def _iterparse_forgetting_rows(source: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
    """openpyxl's worksheet parser, minus its one leak: it clears each row element when done
    but leaves it attached to <sheetData>, about 66 bytes a row (1,000,000 rows: +66 MB, seen in
    bench/import_memory.py). This iterparse hands it the same "end" events, then detaches each
    row once the parser has taken it, so memory stays flat whatever the number of rows."""
    parent = None
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == _SHEET_DATA_TAG:
                parent = element
            continue
        yield event, element
        if parent is not None and element.tag == _openpyxl_reader.ROW_TAG:
            parent.remove(element)  # the only child left: each earlier row is gone already


_SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_openpyxl_reader.iterparse = _iterparse_forgetting_rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- cell parsers: each returns the clean value or raises CellError ------------------------------

_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


def parse_text(value: Any, *, max_length: int, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if required and not text:
        raise CellError(gettext("may not be empty"))
    if len(text) > max_length:
        raise CellError(
            gettext("at most %(limit)s characters (this has %(length)s)")
            % {"limit": max_length, "length": len(text)}
        )
    return text


def parse_date(value: Any) -> datetime.date:
    """A date cell, an ISO date (2025-03-01) or the Romanian way of writing it (01.03.2025)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise CellError(gettext("may not be empty"))
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(
            gettext("'%(text)s' is not a date; write it as YYYY-MM-DD (2025-03-01) or DD.MM.YYYY")
            % {"text": text}
        ) from None


def parse_decimal(value: Any) -> Decimal:
    """A number cell or text; a decimal comma (87,5) is read as a decimal point."""
    if isinstance(value, bool):
        raise CellError(gettext("expected a number"))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = "" if value is None else str(value).strip()
    if not text:
        raise CellError(gettext("may not be empty"))
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(gettext("'%(text)s' is not a number") % {"text": text}) from None
    if not number.is_finite():
        raise CellError(gettext("'%(text)s' is not a number") % {"text": text})
    return number
