"""The scrubber, one kind of identifier at a time."""

from __future__ import annotations

import datetime

import pytest

from casework.anonymise import KnownIdentifiers, scrub
from casework.anonymise.patterns import cnp_checksum_ok
from casework.anonymise.text import fold

KNOWN = KnownIdentifiers(
    student_names=["Ștefan", "Țurcanu"],
    people=["Maria Țurcanu", "Ioana Marinescu"],
    codes=["D-1009"],
    birth_dates=[datetime.date(2007, 6, 21)],
    schools=["Liceul Tehnologic Demo"],
    towns=["Demoville"],
    organisations=["DGASPC Demoville"],
)


def _clean(text: str, known: KnownIdentifiers = KNOWN, language: str = "ro") -> str:
    return scrub(text, known, language=language).text


def test_it_folds_diacritics_keeping_the_length() -> None:
    for text in ("Ștefan Țurcanu", "Ştefan Ţurcanu", "ȘTEFAN", "Ăâî"):
        assert len(fold(text)) == len(text)
    assert fold("Ştefan Ţurcanu") == fold("Ștefan Țurcanu") == "stefan turcanu"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Stefan Turcanu a lipsit.", "[elev] a lipsit."),
        ("ȘTEFAN ȚURCANU a lipsit.", "[elev] a lipsit."),
        ("stefan turcanu a lipsit.", "[elev] a lipsit."),
        ("Mama Ștefanului a sunat.", "Mama [elev] a sunat."),
        ("A vorbit cu Mariei Țurcanu.", "A vorbit cu [nume]."),
        ("Doamna Marinescu și Ioanei i-au scris.", "Doamna [nume] și [nume] i-au scris."),
        ("Elevul Ș. Țurcanu a venit.", "Elevul [nume] a venit."),
    ],
)
def test_it_removes_known_names_in_any_case_diacritics_and_inflection(
    text: str, expected: str
) -> None:
    assert _clean(text) == expected


@pytest.mark.parametrize("text", ["Elevul A. Vasilescu a venit.", "Elevul Vasilescu A. a venit."])
def test_it_removes_initials_with_the_surname(text: str) -> None:
    known = KnownIdentifiers(student_names=["Andrei", "Vasilescu"])
    assert _clean(text, known) == "Elevul [elev] a venit."


def test_it_removes_hyphenated_names_as_one_person() -> None:
    known = KnownIdentifiers(student_names=["Ana-Maria", "Popescu"])
    assert _clean("Ana-Maria Popescu și ana-maria au venit.", known) == "[elev] și [elev] au venit."


@pytest.mark.parametrize(
    "text",
    [
        "Bunica Veronica Bălăceanu a venit.",
        "A venit și fratele lui Cosmin.",
        "Colega Svetlana Grosu a ajutat.",
        "Am discutat cu doamna Ciubotaru ieri.",
        "Mr Young called twice.",
        "Her aunt Debbie agreed.",
    ],
)
def test_it_removes_names_the_case_does_not_know(text: str) -> None:
    result = _clean(text, KnownIdentifiers())
    for name in ("Veronica", "Bălăceanu", "Cosmin", "Svetlana", "Grosu", "Ciubotaru", "Young"):
        assert name not in result
    assert "Debbie" not in result


@pytest.mark.parametrize(
    "text",
    [
        "Am discutat în martie cu Poliția și Primăria.",
        "May was a hard month. Will he come back?",
        "Elevul a promovat la Matematică și Română.",
        "The Social Services team met on Monday.",
    ],
)
def test_it_keeps_ordinary_capitalised_words(text: str) -> None:
    assert _clean(text, KnownIdentifiers()) == text


@pytest.mark.parametrize(
    "phone",
    [
        "+40 721 234 567",
        "0721-234-567",
        "0721234567",
        "0040 721 234 567",
        "0721.234.567",
        "+373 69 123 456",
        "022 123 456",
        "0264-123456",
        "021 312 45 67",
        "(0264) 123 456",
        "07700 900123",
        "+44 20 7946 0958",
    ],
)
def test_it_removes_phone_numbers_in_local_and_international_forms(phone: str) -> None:
    assert _clean(f"Tel. {phone}, seara.") == "Tel. [telefon], seara."


def test_it_does_not_take_the_number_after_a_phone() -> None:
    assert _clean("Sună la 0721 234 567 14 ore pe zi.") == "Sună la [telefon] 14 ore pe zi."


@pytest.mark.parametrize("number", ["5070621123456", "2002001234567", "1234567890123"])
def test_it_removes_every_13_digit_run_as_a_national_id(number: str) -> None:
    assert _clean(f"CNP {number}.") == "CNP [CNP/IDNP]."


def test_it_checks_the_cnp_control_digit() -> None:
    assert cnp_checksum_ok("1800101221144")
    assert not cnp_checksum_ok("1800101221145")


def test_it_removes_emails_and_bank_accounts() -> None:
    text = "Scrieți la maria.t+1@gmail.com; cont RO49 AAAA 1B31 0075 9384 0000."
    assert _clean(text) == "Scrieți la [email]; cont [cont bancar]."


@pytest.mark.parametrize(
    "address",
    [
        "Str. Mihai Eminescu nr. 12, bl. A3, sc. 2, ap. 14",
        "strada Florilor 5",
        "Bd. Unirii nr. 3, bl. C2, ap. 40",
        "Calea Victoriei 120",
        "Aleea Teilor 4, bl. 7, ap. 2",
        "str. Ștefan cel Mare nr. 10",
        "Șoseaua Nordului 44",
    ],
)
def test_it_removes_romanian_street_addresses(address: str) -> None:
    assert _clean(f"Locuiește pe {address}.", KnownIdentifiers()) == "Locuiește pe [adresă]."


@pytest.mark.parametrize("address", ["12 Baker Street", "45 Oak Road", "Flat 3, 27 Elm Grove"])
def test_it_removes_english_street_addresses(address: str) -> None:
    result = _clean(f"She lives at {address}.", KnownIdentifiers(), "en")
    assert result == "She lives at [address]."


def test_it_keeps_ordinary_phrases_that_look_like_streets() -> None:
    text = "Pe calea cea bună; 3 days in the park."
    assert _clean(text, KnownIdentifiers()) == text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ședința din 3 martie 2025.", "Ședința din [dată: martie 2025]."),
        ("Ședința din 03.03.2025.", "Ședința din [dată: martie 2025]."),
        ("Ședința din 2025-03-03.", "Ședința din [dată: martie 2025]."),
        ("Ședința din 12 mai.", "Ședința din [dată: mai]."),
        ("Născut la 21.06.2007.", "Născut la [data nașterii]."),
        ("Născut pe 21 iunie 2007.", "Născut pe [data nașterii]."),
        ("Ziua lui e pe 21.06, vineri.", "Ziua lui e pe [data nașterii], vineri."),
        ("În martie 2025 a revenit.", "În martie 2025 a revenit."),
    ],
)
def test_it_generalises_exact_dates_to_month_and_year(text: str, expected: str) -> None:
    assert _clean(text) == expected


def test_it_writes_english_placeholders_for_english_entries() -> None:
    text = "Met on 14 March 2025, March 14, 2025 and 19/07/2008."
    assert _clean(text, KnownIdentifiers(), "en") == (
        "Met on [date: March 2025], [date: March 2025] and [date: July 2008]."
    )


def test_it_removes_the_student_code_school_town_and_organisations() -> None:
    text = "Elevul D 1009 de la Liceul Tehnologic Demo din Demovillei, trimis la DGASPC Demoville."
    assert _clean(text) == ("Elevul [cod elev] de la [școala], trimis la [organizație].")


def test_it_is_idempotent_and_keeps_placeholders() -> None:
    text = "Maria Țurcanu, 0721 234 567, Str. Florilor 5, 3 martie 2025, D-1009."
    once = scrub(text, KNOWN)
    twice = scrub(once.text, KNOWN)
    assert twice.text == once.text
    assert twice.new == 0
    assert [r.kind for r in twice.replacements] == [r.kind for r in once.replacements]


def test_it_records_where_each_placeholder_sits() -> None:
    result = scrub("Stefan a sunat la 0721 234 567.", KNOWN)
    assert [(result.text[r.start : r.end], r.kind) for r in result.replacements] == [
        ("[elev]", "student"),
        ("[telefon]", "phone"),
    ]


@pytest.mark.parametrize(
    "text,clean",
    [
        ("Elevul cod D-1001 lipsește.", "Elevul cod [cod elev] lipsește."),
        ("A vorbit cu D-1002 și E-20031.", "A vorbit cu [cod elev] și [cod elev]."),
        ("codul elevului: 4471", "codul elevului: [cod elev]"),
        ("nr. matricol 123", "nr. matricol [cod elev]"),
        ("Elevul din 12A a lipsit.", "Elevul din [clasa] a lipsit."),
        ("A trecut din 9B în clasa a X-a C.", "A trecut din [clasa] în clasa [clasa]."),
        ("clasa 10 C și clasa a XII-a A", "clasa [clasa] și clasa [clasa]"),
    ],
)
def test_it_removes_student_codes_and_classes_the_case_does_not_know(text: str, clean: str) -> None:
    """Any student's code and any class are identifiers, not only the case's own."""
    assert _clean(text, KnownIdentifiers()) == clean


@pytest.mark.parametrize(
    "text",
    [
        "A terminat clasa a X-a anul trecut.",
        "Clasa a XII-a a avut teză.",
        "Ora 12 a doua zi, COVID-19 și art. 5.",
        "Ziua 10 a fost grea.",
    ],
)
def test_it_keeps_a_grade_without_its_letter(text: str) -> None:
    assert _clean(text, KnownIdentifiers()) == text


def test_it_uses_the_english_class_placeholder() -> None:
    assert _clean("Moved to form 11B, student code AB-1234.", KnownIdentifiers(), "en") == (
        "Moved to form [class], student code [student code]."
    )
