"""The neutral text that stands in for what was removed, in the entry's language.

Placeholders are in square brackets so a reader sees at once that something was removed, and
so the scrubber can find them again (they are the highlights a reviewer sees) and never treats
them as text to scrub.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    STUDENT = "student"
    PERSON = "person"
    CODE = "student_code"
    EMAIL = "email"
    PHONE = "phone"
    NATIONAL_ID = "national_id"
    ID_DOCUMENT = "id_document"
    IBAN = "iban"
    NUMBER = "number"
    ADDRESS = "address"
    DATE = "date"
    BIRTH_DATE = "birth_date"
    SCHOOL = "school"
    TOWN = "town"
    ORGANISATION = "organisation"
    CLASS = "class"


PLACEHOLDERS: dict[str, dict[Kind, str]] = {
    "ro": {
        Kind.STUDENT: "[elev]",
        Kind.PERSON: "[nume]",
        Kind.CODE: "[cod elev]",
        Kind.EMAIL: "[email]",
        Kind.PHONE: "[telefon]",
        Kind.NATIONAL_ID: "[CNP/IDNP]",
        Kind.ID_DOCUMENT: "[act de identitate]",
        Kind.IBAN: "[cont bancar]",
        Kind.NUMBER: "[număr]",
        Kind.ADDRESS: "[adresă]",
        Kind.DATE: "[dată]",
        Kind.BIRTH_DATE: "[data nașterii]",
        Kind.SCHOOL: "[școala]",
        Kind.TOWN: "[localitate]",
        Kind.ORGANISATION: "[organizație]",
        Kind.CLASS: "[clasa]",
    },
    "en": {
        Kind.STUDENT: "[student]",
        Kind.PERSON: "[name]",
        Kind.CODE: "[student code]",
        Kind.EMAIL: "[email]",
        Kind.PHONE: "[phone]",
        Kind.NATIONAL_ID: "[national ID]",
        Kind.ID_DOCUMENT: "[ID document]",
        Kind.IBAN: "[bank account]",
        Kind.NUMBER: "[number]",
        Kind.ADDRESS: "[address]",
        Kind.DATE: "[date]",
        Kind.BIRTH_DATE: "[date of birth]",
        Kind.SCHOOL: "[school]",
        Kind.TOWN: "[town]",
        Kind.ORGANISATION: "[organisation]",
        Kind.CLASS: "[class]",
    },
}

MONTHS = {
    "ro": [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

_DATE_LABEL = {"ro": "dată", "en": "date"}
_TOWN_LABEL = {"ro": "localitate", "en": "town"}
COUNTRY_NAMES = {
    "ro": {"RO": "România", "MD": "R. Moldova"},
    "en": {"RO": "Romania", "MD": "Moldova"},
}
REGION_NAMES_EN = {
    "Nord-Est": "North-East", "Sud-Est": "South-East", "Sud-Muntenia": "South-Muntenia",
    "Sud-Vest Oltenia": "South-West Oltenia", "Vest": "West", "Nord-Vest": "North-West",
    "Centru": "Centre", "București-Ilfov": "Bucharest-Ilfov", "Nord": "North", "Sud": "South",
    "Găgăuzia": "Gagauzia", "stânga Nistrului": "Transnistria",
}  # fmt: skip

# How far a locality is generalised (see kanon): its region, its country only, or nothing.
LOCALITY_REGION, LOCALITY_COUNTRY, LOCALITY_SUPPRESSED = 0, 1, 2


def language_of(language: str) -> str:
    return language if language in PLACEHOLDERS else "en"


def placeholder(kind: Kind, language: str) -> str:
    return PLACEHOLDERS[language_of(language)][kind]


def date_placeholder(language: str, month: int | None, year: int | None) -> str:
    """``[dată: martie 2025]``: an exact date generalised to its month (and year, if known)."""
    language = language_of(language)
    if month is None:
        return placeholder(Kind.DATE, language)
    label = MONTHS[language][month - 1]
    when = f"{label} {year}" if year else label
    return f"[{_DATE_LABEL[language]}: {when}]"


def town_placeholder(language: str, label: str, level: int = LOCALITY_REGION) -> str:
    """``[localitate: România, Nord-Est]``: a locality generalised to its region ("RO:Nord-Est"),
    or to its country at level 1, or to nothing at level 2 or when the region is unknown."""
    language = language_of(language)
    country, _, region = label.partition(":")
    if not country or level >= LOCALITY_SUPPRESSED:
        return placeholder(Kind.TOWN, language)
    where = COUNTRY_NAMES[language].get(country, country)
    if region and level == LOCALITY_REGION:
        where += f", {REGION_NAMES_EN.get(region, region) if language == 'en' else region}"
    return f"[{_TOWN_LABEL[language]}: {where}]"


def _placeholder_pattern() -> re.Pattern[str]:
    texts = {text for table in PLACEHOLDERS.values() for text in table.values()}
    alternatives = sorted((re.escape(t) for t in texts), key=len, reverse=True)
    dates = r"\[(?:dată|date): [^\[\]]{3,30}\]"
    towns = r"\[(?:localitate|town): [^\[\]]{3,40}\]"
    return re.compile("|".join([dates, towns, *alternatives]))


PLACEHOLDER_RE = _placeholder_pattern()
_KIND_BY_TEXT = {text: kind for table in PLACEHOLDERS.values() for kind, text in table.items()}


def kind_of_placeholder(text: str) -> Kind:
    if text in _KIND_BY_TEXT:
        return _KIND_BY_TEXT[text]
    return Kind.TOWN if text.startswith(("[localitate:", "[town:")) else Kind.DATE
