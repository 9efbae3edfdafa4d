"""k-anonymity against a small register: generalise, then suppress, and say so."""

from __future__ import annotations

import datetime

from casework.anonymise import generalise
from casework.anonymise.kanon import RegisterRow, check
from casework.anonymise.placeholders import LOCALITY_COUNTRY

ON = datetime.date(2025, 3, 1)


def _rows(*specs: tuple[int, str]) -> list[RegisterRow]:
    return [RegisterRow(datetime.date(year, 6, 1), programme) for year, programme in specs]


def test_it_keeps_the_precise_attributes_when_k_students_share_them() -> None:
    register = _rows(*[(2009, "Mecanic auto")] * 5)
    result = check(
        birth_date=datetime.date(2009, 6, 1),
        programme="Mecanic auto",
        on=ON,
        register=register,
        k=5,
    )
    assert (result.age_band, result.programme, result.matches) == ("14-15", "mechanics", 5)
    assert result.satisfied and result.actions == []
    assert result.locality_level == 0


def test_it_widens_the_age_band_before_the_programme() -> None:
    register = _rows(*[(2009, "Sudor")] * 3, *[(2008, "Lăcătuș mecanic")] * 2, (2005, "Coafor"))
    result = check(
        birth_date=datetime.date(2009, 6, 1),
        programme="Mecanic auto",
        on=ON,
        register=register,
        k=5,
    )
    assert (result.age_band, result.programme) == ("<18", "mechanics")
    assert result.satisfied
    assert result.actions == [
        "age generalised to the band <18 (level 2)",
        "localities in the text generalised to their country",
    ]
    assert result.locality_level == 1


def test_it_generalises_the_programme_to_its_sector() -> None:
    register = _rows(*[(2009, "Electrician")] * 4, (2009, "Sudor"))
    result = check(
        birth_date=datetime.date(2009, 6, 1), programme="Sudor", on=ON, register=register, k=5
    )
    assert (result.age_band, result.programme) == ("14-15", "industry")
    assert result.actions == [
        "programme generalised to the sector industry",
        "localities in the text generalised to their country",
    ]


def test_it_suppresses_what_cannot_be_generalised_enough() -> None:
    register = _rows(
        (2009, "Sudor"), (2001, "Coafor"), (2002, "Bucătar"), (2000, "IT"), (2009, "x")
    )
    result = check(
        birth_date=datetime.date(2009, 6, 1), programme="Sudor", on=ON, register=register, k=5
    )
    assert result.satisfied and result.matches == 5
    assert (result.age_band, result.programme) == (None, None)
    assert "age suppressed" in result.actions and "programme suppressed" in result.actions


def test_it_reports_a_register_smaller_than_k() -> None:
    result = check(
        birth_date=datetime.date(2009, 6, 1), programme="Sudor", on=ON, register=_rows(), k=5
    )
    assert not result.satisfied
    assert "region is suppressed" in result.actions[-2]
    assert result.actions[-1] == "localities in the text suppressed"
    assert result.locality_level == 2


def test_it_maps_programmes_to_families_in_both_languages() -> None:
    assert generalise.programme_family("Bucătar") == "tourism_food"
    assert generalise.programme_family("Hairdressing") == "beauty"
    assert generalise.programme_family("Motor vehicle mechanic") == "mechanics"
    assert generalise.programme_family("Astronaut") == "other"


def test_it_turns_dates_into_school_terms() -> None:
    assert generalise.period(datetime.date(2025, 1, 20)) == {"school_year": "2024-2025", "term": 1}
    assert generalise.period(datetime.date(2025, 3, 3)) == {"school_year": "2024-2025", "term": 2}
    assert generalise.period(datetime.date(2025, 9, 15)) == {"school_year": "2025-2026", "term": 1}


def test_it_leaves_out_students_not_yet_born_on_the_day() -> None:
    register = _rows(*[(2009, "Mecanic auto")] * 5, *[(2026, "Mecanic auto")] * 3)
    result = check(
        birth_date=datetime.date(2009, 6, 1),
        programme="Mecanic auto",
        on=ON,
        register=register,
        k=5,
    )
    assert (result.age_band, result.matches) == ("14-15", 5)
    assert generalise.age_band(-3, 0) is None
    assert generalise.age_band(250, 1) is None


def test_it_names_only_the_country_when_the_age_is_unknown() -> None:
    """A partner cannot tell an unknown age from a suppressed one: both mean the country."""
    register = [RegisterRow(datetime.date(2009, 5, 1), "Mecanic auto")] * 6
    result = check(
        birth_date=None,
        programme="Mecanic auto",
        on=datetime.date(2025, 3, 1),
        register=register,
        k=5,
    )
    assert result.satisfied and result.age_band is None
    assert result.locality_level == LOCALITY_COUNTRY
