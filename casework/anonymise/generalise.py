"""Quasi-identifiers made coarse: age → band, programme → family → sector, date → school term,
duration → band. Each ladder goes from the most precise level (0) to suppressed (``None``)."""

from __future__ import annotations

import datetime

from casework.anonymise.text import fold

SUPPRESSED = None

# Age bands, level by level; every band of one level lies inside one band of the next.
AGE_LEVELS: list[list[tuple[int, int, str]]] = [
    [(0, 13, "<14"), (14, 15, "14-15"), (16, 17, "16-17"), (18, 19, "18-19"), (20, 200, "20+")],
    [(0, 15, "<16"), (16, 17, "16-17"), (18, 200, "18+")],
    [(0, 17, "<18"), (18, 200, "18+")],
]

# Programme families follow the Romanian VET "domenii de pregătire"; matched on folded words of
# the programme's name (Romanian or English). The sector is the level above.
PROGRAMME_FAMILIES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "agriculture",
        "natural_resources",
        (
            "agricol",
            "agricult",
            "zootehn",
            "horticult",
            "silvic",
            "veterinar",
            "farm",
            "gardener",
            "gradinar",
            "apicult",
            "piscicult",
            "agro",
        ),
    ),
    (
        "food_industry",
        "natural_resources",
        (
            "industrie alimentara",
            "brutar",
            "morar",
            "baker",
            "preparator produse",
            "lapte",
            "carne",
            "butcher",
            "macelar",
        ),
    ),
    (
        "mechanics",
        "industry",
        (
            "mecanic",
            "sudor",
            "lacatus",
            "strungar",
            "tinichig",
            "mechanic",
            "welder",
            "frezor",
            "auto",
            "vopsitor auto",
            "motor",
            "machin",
            "prelucrari",
        ),
    ),
    (
        "electrical",
        "industry",
        ("electric", "electron", "electromec", "automatiz", "electrician", "telecom", "energet"),
    ),
    (
        "construction",
        "industry",
        (
            "constructi",
            "zidar",
            "instalator",
            "zugrav",
            "dulgher",
            "faiantar",
            "betonist",
            "plumber",
            "bricklay",
            "builder",
            "construction",
            "tamplar pvc",
            "mozaicar",
            "lucrari publice",
        ),
    ),
    ("wood", "industry", ("tamplar", "lemn", "carpenter", "joiner", "tapiter", "mobil")),
    (
        "textiles",
        "industry",
        ("textil", "croitor", "confectioner", "pielarie", "tailor", "tricot", "cizmar", "sewing"),
    ),
    ("chemistry", "industry", ("chimi", "chemical", "laborant")),
    ("printing_media", "industry", ("poligraf", "tipograf", "media", "foto", "printing")),
    (
        "tourism_food",
        "services",
        (
            "bucatar",
            "ospatar",
            "cofetar",
            "patiser",
            "turism",
            "hotel",
            "receptioner",
            "alimentati",
            "cook",
            "chef",
            "waiter",
            "catering",
            "hospitality",
            "barman",
            "lucrator in alimentatie",
        ),
    ),
    (
        "beauty",
        "services",
        (
            "coafor",
            "frizer",
            "cosmetic",
            "manichiur",
            "pedichiur",
            "estetic",
            "hairdress",
            "barber",
            "beauty",
            "stilist",
        ),
    ),
    (
        "trade_economics",
        "services",
        (
            "comert",
            "vanzator",
            "economic",
            "contabil",
            "sales",
            "retail",
            "business",
            "administrat",
            "secretar",
            "logistic",
            "posta",
        ),
    ),
    (
        "it",
        "services",
        (
            "informatic",
            "programator",
            "calculat",
            "computer",
            "software",
            "retele",
            "network",
            " it ",
            "ict",
            "digital",
            "web",
        ),
    ),
    (
        "health_care",
        "services",
        (
            "sanitar",
            "asistent medical",
            "infirmier",
            "ingrijitor",
            "care",
            "nurse",
            "farmac",
            "social",
            "babysit",
        ),
    ),
    (
        "transport",
        "services",
        ("transport", "conducator auto", "driver", "feroviar", "naval", "aviati"),
    ),
]
UNKNOWN_FAMILY = "other"


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(age: int | None, level: int) -> str | None:
    """The band of ``age`` at ``level``; suppressed when there is none (no age, an age below 0
    for someone not yet born on the day, or past the last band). Never a bare ``next()``: a
    StopIteration escaping a view hangs an ASGI request instead of failing it."""
    if age is None or level >= len(AGE_LEVELS):
        return SUPPRESSED
    return next((label for low, high, label in AGE_LEVELS[level] if low <= age <= high), SUPPRESSED)


def programme_family(programme: str) -> str:
    words = f" {fold(programme)} "
    for family, _, keys in PROGRAMME_FAMILIES:
        if any(key in words for key in keys):
            return family
    return UNKNOWN_FAMILY


SECTOR_OF = {family: sector for family, sector, _ in PROGRAMME_FAMILIES}


def programme_level(programme: str, level: int) -> str | None:
    """Level 0 the family, 1 the sector, 2 suppressed."""
    family = programme_family(programme)
    if level == 0:
        return family
    if level == 1:
        return SECTOR_OF.get(family, UNKNOWN_FAMILY)
    return SUPPRESSED


def school_year(day: datetime.date) -> str:
    """ "2024-2025": the school year starts in September."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def term(day: datetime.date) -> int:
    """1 from September to January, 2 from February to August."""
    return 1 if day.month >= 9 or day.month == 1 else 2


def period(day: datetime.date) -> dict[str, str | int]:
    return {"school_year": school_year(day), "term": term(day)}


DURATION_BANDS: list[tuple[int, str]] = [
    (30, "<1m"),
    (91, "1-3m"),
    (182, "3-6m"),
    (365, "6-12m"),
]


def duration_band(days: int) -> str:
    return next((label for limit, label in DURATION_BANDS if days < limit), "12m+")


def weeks(days: float) -> int:
    """Whole weeks, at least one for anything that took time: exact day counts can identify."""
    return max(1, round(days / 7)) if days > 0 else 0


# The families and sectors in words, in each language an entry is written in.
FAMILY_LABELS = {
    "ro": {
        "agriculture": "agricultură", "food_industry": "industrie alimentară",
        "mechanics": "mecanică", "electrical": "electric și electronică",
        "construction": "construcții și instalații", "wood": "prelucrarea lemnului",
        "textiles": "textile și pielărie", "chemistry": "chimie industrială",
        "printing_media": "tehnică poligrafică și media", "tourism_food": "turism și alimentație",
        "beauty": "estetica și igiena corpului", "trade_economics": "comerț și economic",
        "it": "informatică", "health_care": "sănătate și asistență", "transport": "transporturi",
        "industry": "industrie", "services": "servicii", "natural_resources": "resurse naturale",
        "other": "alt domeniu",
    },
    "en": {
        "agriculture": "agriculture", "food_industry": "food industry", "mechanics": "mechanics",
        "electrical": "electrical and electronics", "construction": "construction",
        "wood": "woodwork", "textiles": "textiles and leather", "chemistry": "chemistry",
        "printing_media": "printing and media", "tourism_food": "tourism and catering",
        "beauty": "hair and beauty", "trade_economics": "trade and economics", "it": "IT",
        "health_care": "health and care", "transport": "transport", "industry": "industry",
        "services": "services", "natural_resources": "natural resources", "other": "other",
    },
}  # fmt: skip
