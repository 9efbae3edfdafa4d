"""How tools/build_anonymiser_data.py reads Moldova's localities from GeoNames' postal codes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from casework.anonymise import lexicon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_anonymiser_data", ROOT / "tools" / "build_anonymiser_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_anonymiser_data", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "raw,names",
    [
        ("Soroca 4", ["Soroca"]),
        ("Cornesti Oras", ["Cornesti"]),
        ("Marculesti(Sat)", ["Marculesti"]),
        ("Buciumeni Loc.C.F.", ["Buciumeni"]),
        ("Gribova (Nadusita)", ["Gribova", "Nadusita"]),
        ("Codru (Sanat.)", ["Codru"]),
        ("Vadul Lui Voda", ["Vadul lui Voda"]),
        ("Jora De Mijloc", ["Jora de Mijloc"]),
    ],
)
def test_it_keeps_a_localitys_name_without_what_the_post_adds(
    build: ModuleType, raw: str, names: list[str]
) -> None:
    assert build._md_names(raw) == names


@pytest.mark.parametrize(
    "raw,district",
    [("Mun.Chisinau", "Chisinau"), ("Ribnita Tr.", "Ribnita"), ("Canul", "Cahul")],
)
def test_it_reads_the_district_the_postal_file_names(
    build: ModuleType, raw: str, district: str
) -> None:
    assert build._md_district(raw) == district
    assert lexicon._md_region(district) is not None


def test_it_lists_the_spelling_with_a_where_the_postal_file_writes_i(build: ModuleType) -> None:
    assert build._md_spellings("Hirbovat") == ["Hirbovat", "Harbovat"]
    assert sorted(build._md_spellings("Mindresti")) == ["Mandresti", "Mindresti"]
    # An "i" before a vowel, or at a word's start, is no "â".
    assert build._md_spellings("Nimoreni") == ["Nimoreni"]
    assert build._md_spellings("Ialoveni") == ["Ialoveni"]


def test_it_ships_every_moldovan_village_of_the_register() -> None:
    places = lexicon.gazetteer().places
    moldovan = [k for k, v in places.items() if any(r.country == "MD" for r in v)]
    assert len(moldovan) > 1500
    for village in ("puhoi", "harbovat", "jora de mijloc", "sarata galbena", "ochiul alb"):
        assert any(r.country == "MD" for r in places[village]), village
