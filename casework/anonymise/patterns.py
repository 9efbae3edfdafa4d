"""Identifiers found by their shape: emails, phones, national ID numbers, bank accounts,
street addresses and exact dates. Every detector works on the folded text (see ``text``)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from casework.anonymise.placeholders import Kind


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: Kind
    # Lower wins when two spans overlap; then the longer one.
    priority: int
    meta: dict[str, int | None] = field(default_factory=dict, compare=False, hash=False)
    # A locality's region, "RO:Nord-Est" ("MD:" for the country alone, "" unknown).
    label: str = field(default="", compare=False)


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IBAN = re.compile(r"\b[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){3,7}(?:\s?[a-z0-9]{1,4})?\b")
# A run of 13 digits is a Romanian CNP or a Moldovan IDNP, whatever its checksum says.
NATIONAL_ID = re.compile(r"(?<![\d+])(?:\d{13}|[1-9](?:[ .]?\d){12})(?![\d])")
# Romanian identity card: series (two letters) and number (six digits).
ID_DOCUMENT = re.compile(
    r"\b(?:seria|series|serie)\s*[a-z]{2}\s*,?\s*(?:nr\.?|numarul|no\.?|number)?\s*\d{6}\b"
    r"|\b(?:ci|b\.i\.|bi|buletin|pasaport|passport)\s*(?:nr\.?|no\.?)?\s*[a-z]{0,2}\s?\d{6,9}\b"
)
# Anything phone-shaped: an international prefix or a leading zero, then digits with spaces,
# dots, dashes, slashes or brackets. The digit count decides (see ``_is_phone``).
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s./()\-]{5,}\d(?![\d])")
PHONE_CUE = re.compile(
    r"\b(?:tel|telefon|telefonul|mobil|mobile|phone|fax|nr\. de telefon)\b\.?\s*:?\s*$"
)
LONG_NUMBER = re.compile(r"(?<![\d])\d{7,}(?![\d])")

RO_MONTHS = {
    "ianuarie": 1, "ian": 1, "februarie": 2, "feb": 2, "febr": 2, "martie": 3, "mar": 3,
    "aprilie": 4, "apr": 4, "mai": 5, "iunie": 6, "iun": 6, "iulie": 7, "iul": 7, "august": 8,
    "aug": 8, "septembrie": 9, "sept": 9, "sep": 9, "octombrie": 10, "oct": 10, "noiembrie": 11,
    "nov": 11, "noi": 11, "decembrie": 12, "dec": 12,
}  # fmt: skip
EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
MONTHS = {**EN_MONTHS, **RO_MONTHS}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

DATE_NUMERIC = re.compile(
    r"(?<![\d.])(?P<day>[0-3]?\d)\s?[./-]\s?(?P<month>[01]?\d)\s?[./-]\s?"
    r"(?P<year>(?:19|20)\d{2}|\d{2})(?![\d])"
)
DATE_ISO = re.compile(
    r"(?<![\d])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d])"
)
DATE_DAY_MONTH = re.compile(rf"\b{_DAY}\s*(?:of\s+)?(?P<month>{_MONTH})\.?(?:,?\s*{_YEAR})?\b")
DATE_MONTH_DAY = re.compile(rf"\b(?P<month>{_MONTH})\.?\s+{_DAY}\b(?:,?\s*{_YEAR})?")
# Roman-numeral months, as older records and ID papers write them: 21.IX.1941, 3-XII-08.
ROMAN_MONTHS = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12,
}  # fmt: skip
DATE_ROMAN = re.compile(
    r"(?<![\w.])(?P<day>[0-3]?\d)\s?[./\- ]\s?(?P<month>xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)"
    r"\s?[./\- ]\s?(?P<year>(?:19|20)\d{2}|\d{2})(?![\d])"
)
# A day and month without a year, where a word says it is a date: "pe 14.03", "din 3/11".
DATE_DAY_MONTH_CUED = re.compile(
    r"\b(?:pe|din|la data de|data de|până pe|pana pe|până la|pana la|începând cu|incepand cu"
    r"|on|from|until|since)\s+(?P<date>(?P<day>[0-3]?\d)\s?[./]\s?(?P<month>[01]?\d))"
    r"(?![\d]|[./,]\d)"
)

STREET_CUE = re.compile(
    r"\b(?:str|strada|strazii|bd|b-dul|bdul|blvd|bulevardul|bulevardului|calea|caii|aleea|"
    r"sos|soseaua|piata|splaiul|intrarea|drumul|fundatura|ulita)\b\.?\s*",
)
STREET_PARTS = re.compile(
    r"\s*,?\s*(?:nr|numarul|bl|bloc|blocul|sc|scara|et|etaj|etajul|ap|apt|apartament"
    r"|apartamentul|cam|camera|sector|sectorul|cod postal)\b\.?\s*"
    r"(?:[a-z]{0,2}\d[\w/-]{0,5}|[a-z]\b)"
)
# What is left of an address once the street is gone: "bl. A3, sc. 2, ap. 14", "ap. 7".
ADDRESS_REMNANT = re.compile(
    r"\b(?:bl|bloc|blocul|sc|scara|ap|apt|apartament|apartamentul)\b\.?\s*"
    r"(?:[a-z]{0,2}\d[\w/-]{0,5}|[a-z]\b)"
)
BARE_ADDRESS = re.compile(
    r"\b(?:nr|numarul)\.?\s*\d+[a-z]?(?:\s*,?\s*(?:bl|bloc|sc|scara|et|etaj|ap|apartament)"
    r"\b\.?\s*(?:[a-z]{0,2}\d[\w/-]{0,5}|[a-z]\b))+"
    r"|\b(?:bl|bloc|blocul)\b\.?\s*(?:[a-z]{0,2}\d[\w/-]{0,5}|[a-z]\b)"
)
_EN_STREET_TYPES = (
    r"(?:(?:street|road|avenue|lane|drive|close|way|boulevard|court|place|square|crescent"
    r"|terrace|gardens|grove|hill|park|row|walk|mews)\b|(?:st|rd|ave|ln|blvd|ct|sq)\b\.?)"
)
EN_STREET = re.compile(
    r"\b(?:(?:flat|apartment|apt|unit)\s+\w{1,5},?\s+)?\d{1,5}[a-z]?,?\s+(?:[a-z][\w'-]*\s+){1,3}"
    + _EN_STREET_TYPES
)
EN_STREET_NO_NUMBER = re.compile(
    r"\b(?:[a-z][\w'-]*\s+){1,2}(?:street|road|avenue|lane|drive|crescent|terrace|boulevard)\b"
)
POSTCODE = re.compile(
    r"\b(?:cod postal|postal code|postcode|zip)\s*:?\s*\d{4,6}\b"
    r"|\b[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}\b"
)


def cnp_checksum_ok(digits: str) -> bool:
    """Romanian CNP control digit (weights 279146358279); used to name the kind, not to decide."""
    weights = "279146358279"
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * int(w) for d, w in zip(digits[:12], weights, strict=True))
    control = total % 11
    return (1 if control == 10 else control) == int(digits[12])


def emails(folded: str) -> Iterator[Span]:
    for m in EMAIL.finditer(folded):
        yield Span(m.start(), m.end(), Kind.EMAIL, 0)


def bank_accounts(folded: str) -> Iterator[Span]:
    for m in IBAN.finditer(folded):
        if sum(c.isdigit() for c in m.group()) >= 8:
            yield Span(m.start(), m.end(), Kind.IBAN, 1)


def national_ids(folded: str) -> Iterator[Span]:
    for m in NATIONAL_ID.finditer(folded):
        yield Span(m.start(), m.end(), Kind.NATIONAL_ID, 1)
    for m in ID_DOCUMENT.finditer(folded):
        yield Span(m.start(), m.end(), Kind.ID_DOCUMENT, 1)


def _digit_range(candidate: str, cued: bool) -> tuple[int, int] | None:
    stripped = candidate.lstrip("(")
    if stripped.startswith("+") or stripped.startswith("00"):
        return 10, 15
    if stripped.startswith("0"):
        return 9, 11
    return (6, 12) if cued else None


def _phone_end(candidate: str, cued: bool) -> int | None:
    """The end of the longest run of digit groups that makes a phone number, if any.

    The shape regex is greedy ("0721 234 567 14 ore" runs on into the 14), so the groups are
    added one by one and the longest prefix with a phone's digit count wins.
    """
    bounds = _digit_range(candidate, cued)
    if bounds is None:
        return None
    low, high = bounds
    count, best = 0, None
    for group in re.finditer(r"\d+", candidate):
        count += len(group.group())
        if count > high:
            break
        if count >= low:
            best = group.end()
    return best


def phones(folded: str) -> Iterator[Span]:
    for m in PHONE.finditer(folded):
        text = m.group()
        if _looks_like_date_or_year(text.strip(" .-/()")):
            continue
        cued = bool(PHONE_CUE.search(folded[max(0, m.start() - 30) : m.start()]))
        end = _phone_end(text, cued)
        if end is not None:
            yield Span(m.start(), m.start() + end, Kind.PHONE, 2)


def _looks_like_date_or_year(text: str) -> bool:
    return bool(
        DATE_NUMERIC.fullmatch(text.strip())
        or DATE_ISO.fullmatch(text.strip())
        or re.fullmatch(r"(?:19|20)\d{2}\s*[-/]\s*(?:19|20)?\d{2}", text.strip())
    )


def _date_meta(day: str | None, month: str, year: str | None) -> dict[str, int | None] | None:
    month_number = int(month) if month.isdigit() else MONTHS.get(month.rstrip("."))
    if not month_number or not 1 <= month_number <= 12:
        return None
    if day is not None and not 1 <= int(day) <= 31:
        return None
    year_number: int | None = None
    if year:
        # Two-digit years: the last hundred years ("14/03/08" is 2008, "02/05/55" 1955).
        century = 2000 if int(year) <= datetime.date.today().year % 100 else 1900
        year_number = int(year) if len(year) == 4 else century + int(year)
    try:
        if day is not None and year_number is not None:
            datetime.date(year_number, month_number, int(day))
    except ValueError:
        return None
    return {"day": int(day) if day else None, "month": month_number, "year": year_number}


def dates(folded: str) -> Iterator[Span]:
    for pattern in (DATE_ISO, DATE_NUMERIC, DATE_DAY_MONTH, DATE_MONTH_DAY, DATE_ROMAN):
        for m in pattern.finditer(folded):
            groups = m.groupdict()
            month = groups["month"]
            if pattern is DATE_ROMAN:
                month = str(ROMAN_MONTHS[month])
            meta = _date_meta(groups.get("day"), month, groups.get("year"))
            if meta is None:
                continue
            # "mai" is also the Romanian for "more" and "may" the English verb: a day number
            # must sit right next to it for it to be a date.
            yield Span(m.start(), m.end(), Kind.DATE, 3, meta)
    for m in DATE_DAY_MONTH_CUED.finditer(folded):
        meta = _date_meta(m.group("day"), m.group("month"), None)
        if meta is not None:
            yield Span(m.start("date"), m.end("date"), Kind.DATE, 3, meta)


_STREET_ABBREVIATIONS = frozenset(["str", "bd", "b-dul", "bdul", "blvd", "sos"])
# The rest of a house number: "nr. 44/2", "12-3" (a building of several blocks).
_NUMBER_TAIL = re.compile(r"[/-]\d{1,4}[a-z]?\b")


def addresses(folded: str, original: str) -> Iterator[Span]:
    for m in STREET_CUE.finditer(folded):
        cue = m.group().strip()
        if (cue.endswith(".") and cue[:-1] not in _STREET_ABBREVIATIONS) or "\n" in m.group():
            continue  # "prin Piață. Lui Ion …": a whole word and a full stop end a sentence
        end = _street_name_end(folded, original, m.end())
        if end is None:
            continue
        while part := (_NUMBER_TAIL.match(folded, end) or STREET_PARTS.match(folded, end)):
            end = part.end()
        yield Span(m.start(), end, Kind.ADDRESS, 2)
    for pattern in (BARE_ADDRESS, ADDRESS_REMNANT, EN_STREET, EN_STREET_NO_NUMBER, POSTCODE):
        for m in pattern.finditer(folded):
            if pattern in (EN_STREET, EN_STREET_NO_NUMBER) and not _street_words_capitalised(
                original, m.start(), m.end()
            ):
                continue
            end = m.end()
            while part := STREET_PARTS.match(folded, end):
                end = part.end()
            yield Span(m.start(), end, Kind.ADDRESS, 2)


def _street_words_capitalised(original: str, start: int, end: int) -> bool:
    """English street names are capitalised ("12 Baker Street"); "3 days in the park" is not."""
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", original[start:end])]
    words = [w for w in words if w.lower() not in {"flat", "apartment", "apt", "unit"}]
    return bool(words) and all(w[0].isupper() for w in words)


_STREET_WORD = re.compile(r"[^\W_][\w'-]*\.?")
_STREET_GLUE = {"cel", "cea", "de", "din", "lui", "la", "si", "a", "al", "nr"}


def _street_name_end(folded: str, original: str, start: int) -> int | None:
    """Where the street's name ends: up to five words, capitalised or numbers or glue words."""
    end = None
    position = start
    for _ in range(6):
        m = _STREET_WORD.match(folded, position)
        if m is None:
            break
        word = m.group().rstrip(".")
        first = original[m.start()]
        if word in _STREET_GLUE and end is not None:
            pass
        elif not (first.isupper() or first.isdigit()):
            break
        # A full stop after a number or a whole word ends the sentence, not an abbreviation.
        end = m.start() + len(word) if (word.isdigit() or len(word) > 3) else m.end()
        position = m.end()
        while position < len(folded) and folded[position] == " ":
            position += 1
    return end


def long_numbers(folded: str) -> Iterator[Span]:
    for m in LONG_NUMBER.finditer(folded):
        yield Span(m.start(), m.end(), Kind.NUMBER, 6)


# A student code as registers write them: one to three capital letters, a hyphen, digits
# ("D-1001"); or any code with digits after a word announcing it ("cod D-1001", "codul
# elevului: 4471", "student code AB1234", "nr. matricol 123").
STUDENT_CODE = re.compile(r"(?<![\w-])[A-Z]{1,3}-\d{3,6}(?![\w-])")
CUED_CODE = re.compile(
    r"\b(?:cod(?:ul)?(?:\s+(?:de\s+)?elev(?:ului)?)?|student\s+code|code|nr\.?\s+matricol"
    r"|matricol|numar\s+matricol)\s*:?\s*(?:nr\.?\s*)?([a-z]{0,3}[-/]?\d[\w/-]{1,11})(?![\w-])"
)
# A class: a grade and a letter ("12A", "9B", "a XII-a A", "clasa 10 C", "form 11B"). The grade
# alone ("clasa a X-a") names no group of students and stays.
CLASS_BARE = re.compile(r"(?<![\w./-])(?:[5-9]|1[0-3])[A-H](?![\w])")
CLASS_CUED = re.compile(
    r"\b(?:clasa|clasei|clasele|class|form|cls\.?)\s+"
    r"((?:a\s+)?(?:[ivx]{1,4}|\d{1,2})(?:-a)?\s*-?\s*[a-h])(?![\w])"
)


def student_codes(folded: str, original: str) -> Iterator[Span]:
    for m in STUDENT_CODE.finditer(original):
        yield Span(m.start(), m.end(), Kind.CODE, 1)
    for m in CUED_CODE.finditer(folded):
        yield Span(m.start(1), m.end(1), Kind.CODE, 1)


def class_names(folded: str, original: str) -> Iterator[Span]:
    for m in CLASS_BARE.finditer(original):
        yield Span(m.start(), m.end(), Kind.CLASS, 2)
    for m in CLASS_CUED.finditer(folded):
        # The letter of the class is a capital in the text ("a XII-a A"), not a word ("a").
        if original[m.end(1) - 1].isupper():
            yield Span(m.start(1), m.end(1), Kind.CLASS, 2)
