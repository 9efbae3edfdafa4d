"""The name dictionary for names the case does not know.

First names and surnames come from Faker's offline locale lists (Romanian first, then the
partner countries'), loaded once and cached. Romanian and Moldovan surnames are far more varied
than any list, so surname endings (-escu, -eanu, -ache, -iuc, …) count too. Words that are also
ordinary words ("May", "Grace", "Floare") only count where the context says they are names.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from casework.anonymise.text import fold

# Locales whose names are written in the Latin alphabet, nearest first. The Cyrillic ones are
# transliterated the way Romanian and Moldovan records write them (Serghei, Svetlana).
LATIN_LOCALES = (
    "ro_RO",
    "en_US",
    "en_GB",
    "en_IE",
    "de_DE",
    "de_AT",
    "fr_FR",
    "it_IT",
    "es_ES",
    "hu_HU",
    "lv_LV",
)
CYRILLIC_LOCALES = ("ru_RU", "uk_UA", "bg_BG")
# Sentence-initial words count as names only from these lists: the others hold too many short
# names that are ordinary words in some language.
CORE_LOCALES = ("ro_RO", "en_US", "en_GB")

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "io", "є": "ie",
    "ж": "j", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "c", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
    "ц": "t", "ч": "ci", "ш": "s", "щ": "sc", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

# Surname endings that are (almost) only ever surnames: Romanian (-escu, -eanu, -aru, -ache,
# -oiu), Moldovan and Ukrainian (-iuc, -ciuc, -enco, -schi), Slavic (-ov, -ova, -ev, -eva,
# -ovici). Matched on folded, capitalised words of at least five letters.
SURNAME_ENDINGS = re.compile(
    r"(?:escu|eanu|anu|aru|ache|oiu|iuc|ciuc|enco|enko|schi|ski|sky|ovici|evici"
    r"|ov|ova|ev|eva|ovic|evic)$"
)

# Ordinary words that are also in the name lists. They are names only next to another name
# or after a cue ("mama Floarea", "Mr Young"), never on their own.
COMMON_WORDS = frozenset(
    fold(w)
    for w in """
    mai iunie iulie august mare mic bun lung lungu negru alb rosu lup lupu urs ursu vulpe
    floare floarea doina speranta lumina luminita stela steaua bebe rus rusu sarbu turcu
    neamtu ungur grecu domnica crina viorica zambila roza rosa dor mandra voica viata
    may june april august will mark bill grace hope joy faith chance chase dawn rich frank
    sterling page major art guy miles sunny summer autumn holly ivy pearl ruby amber rose
    lily daisy violet jasmine angel
    young white black brown green gray grey king long hill wood woods moore rice lane hall
    little price hunter cook baker porter mason carter parker walker fisher turner miller
    smith taylor butler booth bishop knight love rich short strong west north south east
    ward stone bell field fields banks marsh waters rivers house cross gross will wells
    golden best day days english french german england england
    case cases clare eco list mari pages patru pia read smart una visa unu doi trei opt zece
    bine nou noua nota note
    mayo paz sol luna nova gloria victoria aurora europa roma florence
    monday tuesday wednesday thursday friday saturday sunday christmas easter
    """.split()
)

# Capitalised words that are never names here: months, days, institutions, places of the
# domain, and the words that open most sentences in the case notes.
NEVER_NAMES = frozenset(
    fold(w)
    for w in """
    ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie
    decembrie luni marti miercuri joi vineri sambata duminica
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    romania moldova republica europa erasmus covid moodle teams zoom google whatsapp facebook
    instagram tiktok excel word bac bacalaureat evaluarea nationala
    romana engleza franceza germana italiana spaniola rusa maghiara matematica fizica chimie
    biologie istorie geografie informatica religie sport desen muzica tic economie
    romanian english french german italian spanish russian hungarian maths mathematics math
    physics chemistry biology history geography science art music
    elevul eleva elevii elevul elevului elevei student students studentul
    biroul consiliul directorul directoarea primaria politia spitalul centrul inspectoratul
    dgaspc cjrae cmbrae isj isj-ul anofm ajofm spclep dppd spas ong asociatia fundatia
    liceul colegiul scoala scoli scolii clasa clasei clasele profesorul profesoara
    mama tata tatal mamei tatalui bunica bunicul fratele sora
    the he she they we his her their our this that these those when while after before
    during since until because although however therefore then there here what which who
    how why mother father brother sister grandmother grandfather teacher tutor school
    """.split()
)

# Words that announce a name after them: kinship, titles, roles, "lui" (the Romanian genitive
# article before a male name), "pe nume", "named".
CUE_WORDS = frozenset(
    fold(w)
    for w in """
    lui dl dl. d-l dna dna. d-na doamna doamnei domnul domnului domnisoara prof prof. profesorul
    profesoara profesoarei profesorului diriginta dirigintele dirigintei dirigintelui
    invatatoarea psihologul psiholoaga psihologa asistentul asistenta mediatorul mediatoarea
    consilierul consiliera eleva elevul elevei elevului colegul colega colegului colegei
    mama mamei tatal tatalui tata bunica bunicii bunicul bunicului fratele fratelui sora surorii
    fratii surorile unchiul unchiului matusa matusii varul varului verisoara verisoarei
    vecina vecinul vecinei vecinului prietenul prietena prietenului prietenei iubitul iubita
    nume numele numit numita numitul numita
    mr mr. mrs mrs. ms ms. miss dr dr. mother mother's father father's mum mom dad brother
    sister grandmother grandfather grandma grandpa gran uncle aunt cousin neighbour neighbor
    friend boyfriend girlfriend named called tutor teacher counsellor counselor classmate
    stepfather stepmother carer guardian
    """.split()
)


def _translit(name: str) -> str:
    return "".join(_CYRILLIC.get(c, c) for c in name.lower())


def _names(provider: object, attribute: str) -> Iterable[str]:
    value = getattr(provider, attribute, None) or ()
    return list(value.keys()) if isinstance(value, dict) else list(value)


@dataclass(frozen=True)
class NameDictionary:
    first_names: frozenset[str]
    core_first_names: frozenset[str]
    surnames: frozenset[str]
    core_surnames: frozenset[str]

    def is_first_name(self, folded: str, *, core: bool = False) -> bool:
        return folded in (self.core_first_names if core else self.first_names)

    def is_surname(self, folded: str, *, core: bool = False) -> bool:
        if folded in (self.core_surnames if core else self.surnames):
            return True
        return len(folded) >= 5 and bool(SURNAME_ENDINGS.search(folded))

    def is_name(self, folded: str, *, core: bool = False) -> bool:
        return self.is_first_name(folded, core=core) or self.is_surname(folded, core=core)


def _load(locales: Iterable[str], *, cyrillic: bool) -> tuple[set[str], set[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_female", "first_names_male"):
            for name in _names(provider, attribute):
                first.update(
                    fold(_translit(p) if cyrillic else p) for p in re.split(r"[-\s]", name)
                )
        for name in _names(provider, "last_names"):
            last.update(fold(_translit(p) if cyrillic else p) for p in re.split(r"[-\s]", name))
    return first, last


@lru_cache(maxsize=1)
def dictionary() -> NameDictionary:
    """The shipped dictionary, built once per process from Faker's lists."""
    first, last = _load(LATIN_LOCALES, cyrillic=False)
    cyr_first, cyr_last = _load(CYRILLIC_LOCALES, cyrillic=True)
    core_first, core_last = _load(CORE_LOCALES, cyrillic=False)
    drop = NEVER_NAMES | COMMON_WORDS

    def clean(names: set[str]) -> frozenset[str]:
        return frozenset(n for n in names if len(n) >= 3 and n.isalpha() and n not in drop)

    return NameDictionary(
        first_names=clean(first | cyr_first),
        core_first_names=clean(core_first),
        surnames=clean(last | cyr_last),
        core_surnames=clean(core_last),
    )


# Romanian case endings on names: Maria → Mariei, Ștefan → Ștefanului, Popescu → Popescului,
# Ioana → Ioanei, vocatives Ioane/Mario. English possessives ("Maria's") split at the apostrophe.
_INFLECTIONS: tuple[tuple[str, str], ...] = (
    ("ului", ""),
    ("lui", ""),
    ("ule", ""),
    ("ul", ""),
    ("le", ""),
    ("ei", "a"),
    ("ei", "e"),
    ("ei", ""),
    ("ai", "a"),
    ("ii", "ia"),
    ("ii", ""),
    ("i", ""),
    ("o", "a"),
    ("e", ""),
    ("a", ""),
)


def base_forms(folded: str) -> list[str]:
    """``folded`` and the forms it may be an inflection of, longest ending first."""
    forms = [folded]
    for ending, replacement in _INFLECTIONS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 2:
            forms.append(folded[: len(folded) - len(ending)] + replacement)
    return forms
