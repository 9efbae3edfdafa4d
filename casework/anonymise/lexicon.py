"""The anonymiser's shipped data, loaded once per process on first use (never at import).

- ``ro_localities.tsv.gz``: the Romanian localities of the SIRUTA register and their county;
- ``md_localities.tsv.gz``: Moldovan towns and villages (GeoNames) and their district;
- ``first_names.txt.gz`` / ``surnames.txt.gz``: Moldovan and Romanian first names and surnames
  (names-dataset), a leading ``~`` marking a name that is also an ordinary word;
- ``ro_words.bloom``: every inflected form of the Romanian dictionary (hunspell-ro), folded,
  as a Bloom filter.

Sources and licences: docs/LIBRARY.md. The files are rebuilt by tools/build_anonymiser_data.py.
Nothing here imports Django, so the scrubber runs anywhere.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from casework.anonymise.bloom import BloomFilter
from casework.anonymise.text import fold

DATA = Path(__file__).resolve().parent / "data"

# Romania's development regions, by county code (SIRUTA), and Moldova's, by district.
RO_REGIONS = {
    "Nord-Est": "BC BT IS NT SV VS",
    "Sud-Est": "BR BZ CT GL TL VN",
    "Sud-Muntenia": "AG CL DB GR IL PH TR",
    "Sud-Vest Oltenia": "DJ GJ MH OT VL",
    "Vest": "AR CS HD TM",
    "Nord-Vest": "BH BN CJ MM SM SJ",
    "Centru": "AB BV CV HR MS SB",
    "București-Ilfov": "B IF",
}
RO_COUNTIES = {
    "AB": "Alba", "AR": "Arad", "AG": "Argeș", "BC": "Bacău", "BH": "Bihor",
    "BN": "Bistrița-Năsăud", "BT": "Botoșani", "BV": "Brașov", "BR": "Brăila", "BZ": "Buzău",
    "CS": "Caraș-Severin", "CL": "Călărași", "CJ": "Cluj", "CT": "Constanța", "CV": "Covasna",
    "DB": "Dâmbovița", "DJ": "Dolj", "GL": "Galați", "GR": "Giurgiu", "GJ": "Gorj",
    "HR": "Harghita", "HD": "Hunedoara", "IL": "Ialomița", "IS": "Iași", "IF": "Ilfov",
    "MM": "Maramureș", "MH": "Mehedinți", "MS": "Mureș", "NT": "Neamț", "OT": "Olt",
    "PH": "Prahova", "SM": "Satu Mare", "SJ": "Sălaj", "SB": "Sibiu", "SV": "Suceava",
    "TR": "Teleorman", "TM": "Timiș", "TL": "Tulcea", "VS": "Vaslui", "VL": "Vâlcea",
    "VN": "Vrancea", "B": "București",
}  # fmt: skip
MD_REGIONS = {
    "Nord": "Bălți, Briceni, Dondușeni, Drochia, Edineț, Fălești, Florești, Glodeni, Ocnița, "
    "Rîșcani, Sîngerei, Soroca",
    "Centru": "Anenii Noi, Călărași, Criuleni, Dubăsari, Hîncești, Ialoveni, Nisporeni, Orhei, "
    "Rezina, Strășeni, Șoldănești, Telenești, Ungheni",
    "Sud": "Basarabeasca, Cahul, Cantemir, Căușeni, Cimișlia, Leova, Ștefan Vodă, Taraclia",
    "Găgăuzia": "Gagauzia, Găgăuzia, Comrat, Ceadîr-Lunga, Vulcănești",
    "Chișinău": "Chișinău",
    "stânga Nistrului": "Transnistria, Tiraspol, Bender, Rîbnița, Camenca, Grigoriopol, "
    "Slobozia, Dnestrovsc",
}

# The United Kingdom's ITL 1 regions, for English-speaking deployments. Romania's, Moldova's and
# these are every region a library entry may name (the exchange schema enumerates them).
UK_REGIONS = [
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Wales", "Scotland",
    "Northern Ireland",
]  # fmt: skip
REGIONS = list(dict.fromkeys([*RO_REGIONS, *MD_REGIONS, *UK_REGIONS]))


@dataclass(frozen=True)
class Region:
    """Where a locality lies, as the library may say it: a region of a country."""

    country: str  # "RO" or "MD"
    name: str


def _lines(name: str) -> list[str]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip()]


def _md_region(district: str) -> str | None:
    folded = fold(district).replace("-", " ")
    for region, districts in MD_REGIONS.items():
        if folded in {fold(d.strip()).replace("-", " ") for d in districts.split(",")}:
            return region
    return None


@dataclass(frozen=True)
class Gazetteer:
    # folded, space-separated name → the regions of every locality of that name
    places: dict[str, frozenset[Region]]
    # folded first word → the longest name (in words) starting with it
    longest: dict[str, int]
    # county and district names (folded) → region, for "județul Vaslui", "raionul Orhei"
    areas: dict[str, Region]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    places: dict[str, set[Region]] = {}
    areas: dict[str, Region] = {}
    region_of_county = {c: r for r, codes in RO_REGIONS.items() for c in codes.split()}
    for line in _lines("ro_localities.tsv.gz"):
        name, county = line.split("\t")
        places.setdefault(_key(name), set()).add(Region("RO", region_of_county[county]))
    for code, county in RO_COUNTIES.items():
        areas[_key(county)] = Region("RO", region_of_county[code])
        places.setdefault(_key(county), set()).add(Region("RO", region_of_county[code]))
    for line in _lines("md_localities.tsv.gz"):
        name, district = line.split("\t")
        region = _md_region(district) or _md_region(name)
        if region is not None:
            places.setdefault(_key(name), set()).add(Region("MD", region))
    for region, districts in MD_REGIONS.items():
        for district in districts.split(","):
            areas[_key(district.strip())] = Region("MD", region)
            places.setdefault(_key(district.strip()), set()).add(Region("MD", region))
    longest: dict[str, int] = {}
    for key in places:
        words = key.split(" ")
        longest[words[0]] = max(longest.get(words[0], 1), len(words))
    return Gazetteer(
        places={k: frozenset(v) for k, v in places.items()}, longest=longest, areas=areas
    )


def _key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split())


@dataclass(frozen=True)
class NameLists:
    first_names: frozenset[str]
    surnames: frozenset[str]
    # Names that are also ordinary Romanian words ("Lungu", "Ursu", "Bujor").
    ambiguous: frozenset[str]


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    lists: dict[str, set[str]] = {"first_names.txt.gz": set(), "surnames.txt.gz": set()}
    ambiguous: set[str] = set()
    for name, names in lists.items():
        for line in _lines(name):
            if line.startswith("~"):
                ambiguous.add(line[1:])
            else:
                names.add(line)
    return NameLists(
        frozenset(lists["first_names.txt.gz"]),
        frozenset(lists["surnames.txt.gz"]),
        frozenset(ambiguous),
    )


@lru_cache(maxsize=1)
def romanian_words() -> BloomFilter:
    return BloomFilter.from_bytes((DATA / "ro_words.bloom").read_bytes())


def is_romanian_word(folded: str) -> bool:
    """Is ``folded`` (lower case, no diacritics) an inflected form of a Romanian word?"""
    return folded in romanian_words()
