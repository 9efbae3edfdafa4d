"""Places and organisations the case does not know: localities, schools, firms, public bodies.

- **Localities** come from the shipped gazetteers (the SIRUTA register; Moldova's towns and
  districts) and from the words that announce one ("comuna", "satul", "raionul", "din", "la"…).
  A locality becomes its region ("[localitate: Nord-Est]"): a village of 300 people names a
  student as surely as a name does, a development region does not. Many localities are also
  ordinary words or first names ("Mare", "Victoria", "Unirea", "Ion"): those count only after
  a word that announces a place. Countries stay ("părinții lucrează în Italia").
- **Organisations** by their legal form and its word order (``SC … SRL``, ``… SRL``,
  ``SRL «…»``, ``SA``, ``II``/``ÎI``, ``PFA``, ``ONG``, ``Asociația …``, ``Fundația …``) and by
  the shop words before a name (``brutăria «…»``, ``magazinul …``): the kind of place stays,
  its name goes.
- **Schools** of every kind with what makes them one school (``Școala Gimnazială nr. 5 din …``,
  ``Liceul Teoretic „…” din …``, ``Colegiul …``, ``Grădinița …``, ``Gimnaziul …``).
- **Public bodies** keep their kind and lose their place (``Primăria [localitate: …]``,
  ``DGASPC [localitate: …]``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from casework.anonymise import lexicon
from casework.anonymise.names import base_forms
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import Kind
from casework.anonymise.text import fold, starts_sentence, unaccent


def _compile(pattern: str) -> re.Pattern[str]:
    """Patterns are matched on the text without diacritics (same length, same case), so
    "Primaria", "Scoala" and "Politia" written without them match too."""
    return re.compile(unaccent(pattern))


_W = r"[^\W\d_]"
# A capitalised word (with its hyphenated parts), a number, or glue inside a name.
_CAP = rf"[A-ZĂÂÎȘȚŞŢÉÖÜ]{_W}*(?:-{_W}+)*"
_NAME_PART = rf"(?:[A-ZĂÂÎȘȚŞŢ]\.|{_CAP}|\d+[A-Za-z]?)"
_GLUE = r"(?:de|din|lui|și|si|sub|peste|nr\.?|&|-)"
_NAME = rf"{_NAME_PART}(?:[ \t]+(?:{_GLUE}[ \t]+)?{_NAME_PART}){{0,5}}"
_QUOTED = r"(?:«[^»\n]{2,60}»|„[^”\"\n]{2,60}[”\"]|“[^”\n]{2,60}”|\"[^\"\n]{2,60}\"|'[^'\n]{2,60}')"

COUNTRIES = frozenset(
    fold(w)
    for w in [
        "România",
        "Romania",
        "Moldova",
        "Republica",
        "Italia",
        "Italiei",
        "Spania",
        "Spaniei",
        "Germania",
        "Germaniei",
        "Franța",
        "Franța",
        "Franței",
        "Anglia",
        "Angliei",
        "Marea",
        "Britanie",
        "Britanie",
        "Irlanda",
        "Irlandei",
        "Austria",
        "Austriei",
        "Belgia",
        "Belgiei",
        "Olanda",
        "Olandei",
        "Portugalia",
        "Grecia",
        "Greciei",
        "Cipru",
        "Polonia",
        "Rusia",
        "Rusiei",
        "Ucraina",
        "Ucrainei",
        "Belarus",
        "Bulgaria",
        "Bulgariei",
        "Ungaria",
        "Ungariei",
        "Serbia",
        "Turcia",
        "Turciei",
        "Israel",
        "Israelului",
        "Cehia",
        "Danemarca",
        "Suedia",
        "Norvegia",
        "Norvegiei",
        "Finlanda",
        "Elveția",
        "Elveției",
        "Canada",
        "Americii",
        "America",
        "SUA",
        "Statele",
        "Unite",
        "Uniunea",
        "Europeană",
        "Europa",
        "Europei",
        "Letonia",
        "Lituania",
        "Estonia",
        "Kazahstan",
        "Georgia",
        "Azerbaidjan",
        "Armenia",
        "Moscova",
        "Moscovei",
        "Londra",
        "Londrei",
        "Roma",
        "Romei",
        "Paris",
        "Parisului",
        "Madrid",
        "Milano",
        "Torino",
        "Bologna",
        "Napoli",
        "Veneția",
        "Berlin",
        "Viena",
        "Vienei",
        "Bruxelles",
        "Dublin",
        "Lisabona",
        "Atena",
        "Praga",
        "Varșovia",
        "Kiev",
        "Kievului",
        "Odesa",
        "Odesei",
        "Minsk",
        "Istanbul",
        "Ankara",
        "Ierusalim",
        "Transilvania",
        "Ardeal",
        "Ardealului",
        "Moldovei",
        "Basarabia",
        "Basarabiei",
        "Banat",
        "Bucovina",
        "Dobrogea",
        "Oltenia",
        "Muntenia",
        "Maramureșului",
        # More countries people leave for, and the words of their multi-word names.
        "Emiratele",
        "Arabe",
        "Arabia",
        "Saudită",
        "Qatar",
        "Dubai",
        "Nord",
        "Scoția",
        "Scoției",
        "Țara",
        "Galilor",
        "Țările",
        "Olandei",
        "Portugaliei",
        "Poloniei",
        "Cehiei",
        "Slovacia",
        "Slovaciei",
        "Slovenia",
        "Croația",
        "Croației",
        "Muntenegru",
        "Albania",
        "Macedonia",
        "Bosnia",
        "Kosovo",
        "Malta",
        "Luxemburg",
        "Islanda",
        "Suediei",
        "Danemarcei",
        "Finlandei",
        "Japonia",
        "China",
        "Chinei",
        "India",
        "Coreea",
        "Vietnam",
        "Thailanda",
        "Australia",
        "Australiei",
        "Noua",
        "Zeelandă",
        "Mexic",
        "Brazilia",
        "Argentina",
        "Egipt",
        "Maroc",
        "Tunisia",
        "Turkmenistan",
        "Uzbekistan",
        "Kârgâzstan",
        "Tadjikistan",
        "Serbiei",
        "Greciei",
        "Rusiei",
        "Belarusului",
        "Canadei",
        "Europa",
        "Asia",
        "Africa",
    ]
)

# Words that announce a locality right after them ("satul Ciorești", "din Soroca").
# Words that announce a locality right after them: administrative words announce one strongly
# ("comuna Victoria"), prepositions weakly ("din Soroca": no ordinary word follows them as a
# place, "în Poliție" is no village).
STRONG_PLACE_CUES = frozenset(
    fold(w)
    for w in [
        "comuna",
        "comunei",
        "comunele",
        "com",
        "satul",
        "satului",
        "satele",
        "sat",
        "orașul",
        "orașului",
        "oraș",
        "orasul",
        "municipiul",
        "municipiului",
        "mun",
        "localitatea",
        "localității",
        "localitatii",
        "loc",
        "raionul",
        "raionului",
        "raion",
        "r-nul",
        "rn",
        "județul",
        "județului",
        "jud",
        "judetul",
        "judetului",
        "cartierul",
        "cartierului",
        "locul",
        "primăria",
        "primăriei",
        "primaria",
        "primariei",
        "dgaspc",
        "das",
        "spas",
        "poliția",
        "poliției",
        "politia",
        "politiei",
        "postul",
        "judecătoria",
        "judecatoria",
        "isj",
        "ipj",
        "cjrae",
        "ajofm",
        "ajpis",
        # "Satul natal: Cârcea", "Locul nașterii: Breb", "Domiciliul: …"
        "natal",
        "natala",
        "nasterii",
        "domiciliul",
        "domiciliu",
        "resedinta",
        "localitatea",
    ]
)
PLACE_CUES = STRONG_PLACE_CUES | frozenset(
    fold(w)
    for w in [
        "din",
        "la",
        "în",
        "in",
        "spre",
        "către",
        "catre",
        "lângă",
        "langa",
        "prin",
        "până",
        "pana",
        "dinspre",
        "zona",
        "zonei",
        "originar",
        "originară",
        "originara",
        "între",
        "intre",
    ]
)
# Ordinary words that are also villages and that notes capitalise for other reasons.
AMBIGUOUS_PLACES = frozenset(
    fold(w)
    for w in [
        "Mare",
        "Victoria",
        "Unirea",
        "Unirii",
        "Speranța",
        "Libertatea",
        "Independența",
        "Pace",
        "Progresul",
        "Viitorul",
        "Înfrățirea",
        "Prietenia",
        "Dacia",
        "Traian",
        "Decebal",
        "Centru",
        "Centrul",
        "Nord",
        "Sud",
        "Est",
        "Vest",
        "Gara",
        "Piața",
        "Biserica",
        "Școala",
        "Spitalul",
        "Poșta",
        "Pădurea",
        "Valea",
        "Dealul",
        "Lunca",
        "Poiana",
        "Izvorul",
        "Mănăstirea",
        "Crucea",
        "Hotarul",
        "Vatra",
        "Ciuperca",
        "Floarea",
        "Albina",
        "Rodina",
        "Cetatea",
        "Fântâna",
        "Sălcuța",
        "Salcia",
        "Mărul",
        "Stejarul",
        "Teiul",
        "Cireșul",
        "Nucul",
        "Plopul",
        "Bradul",
        "Podul",
        "Moara",
        "Lacul",
        "Vadul",
        "Ograda",
        "Grădina",
    ]
)
# Cues written short, with a full stop that ends no sentence ("com. Ciorești", "jud. Vaslui").
_ABBREVIATED_CUES = frozenset(
    ["com", "sat", "or", "mun", "loc", "rn", "jud", "str", "nr", "sect", "r-nul", "orș", "ors"]
)
# Cues that are also ordinary words: they announce a place only abbreviated.
_ONLY_ABBREVIATED = frozenset(["loc", "or"])
_AREA_CUES = frozenset(
    fold(w) for w in ["județul", "județului", "jud", "raionul", "raionului", "r-nul", "rn"]
)

SCHOOL_HEADS = (
    r"(?:Școala|Scoala|Școlii|Scolii|Şcoala|Şcolii|Gimnaziul|Gimnaziului|Liceul|Liceului"
    r"|Colegiul|Colegiului|Grădinița|Gradinita|Grădiniței|Gradinitei|Grădiniţa|Seminarul"
    r"|Universitatea|Universității|Universitatii)"
)
SCHOOL_TYPES = (
    r"(?:Gimnazială|Gimnaziala|Gimnaziale|Primară|Primara|Profesională|Profesionala|Teoretic"
    r"|Tehnologic|Tehnic|Economic|Național|National|Pedagogic|Agricol|Sanitar|Sportiv|Special"
    r"|Specială|Speciala|Postliceală|Postliceala|Militar|de Arte|de Artă|de Muzică|Ortodox"
    r"|Silvic|Forestier|Industrial|Energetic|Auto|Agroindustrial|cu [Pp]rogram [Pp]relungit"
    r"|cu [Pp]rogram [Nn]ormal|de [Aa]rte|de [Mm]eserii|de [Aa]rte și [Mm]eserii|Teologic"
    r"|Vocațional|Vocational|Tehnologică|Tehnologica|Regală|Mixt|Internat)"
)
_SCHOOL = _compile(
    rf"\b{SCHOOL_HEADS}(?:[ \t]+{SCHOOL_TYPES}){{0,3}}"
    rf"(?P<rest>(?:[ \t]*,?[ \t]*(?:nr\.?|numărul|numarul|Nr\.?)[ \t]*\d+)?"
    rf"(?:[ \t]+{_QUOTED}|[ \t]+{_NAME})?"
    rf"(?:[ \t]*,?[ \t]*(?:din|de la|,)[ \t]+(?:(?:comuna|satul|orașul|orasul|municipiul"
    rf"|com\.|sat\.|or\.|mun\.)[ \t]+)?{_NAME})?)"
)
_LEGAL = (
    r"(?:S\.R\.L\.|S\.R\.L|SRL|S\.A\.|SA|PFA|P\.F\.A\.|ÎI|Î\.I\.|I\.I\.|II|ONG|A\.O\.|AO|IF|ÎM|SNC)"
)
# Before a name, a legal form ends without a full stop ("SRL. De Paști" is two sentences).
_LEGAL_BEFORE = r"(?:SRL|SA|PFA|ÎI|Î\.I\.|I\.I\.|II|ONG|A\.O\.|AO|IF|ÎM|SNC)"
_ORGANISATIONS = [
    # SC Agro Dumbrava SRL, S.C. Dacia S.A.
    _compile(rf"\b(?:S\.C\.|SC)[ \t]+(?:{_QUOTED}|{_NAME})(?:[ \t]+{_LEGAL})?(?![\w])"),
    # «Spicul de Aur» SRL, Agro Dumbrava SRL
    _compile(rf"(?:{_QUOTED}|{_NAME})[ \t]*,?[ \t]+{_LEGAL}(?![\w])"),
    # SRL «Vinăria Dealului», ÎI Ceban Ion, ONG Salvați Copiii
    _compile(rf"(?<![\w.]){_LEGAL_BEFORE}[ \t]+(?:{_QUOTED}|{_NAME})"),
    # Asociația Pași spre Viitor, Fundația „Inimă de Copil”
    _compile(
        rf"\b(?:Asociația|Asociatia|Asociaţia|Asociației|Asociatiei|Fundația|Fundatia"
        rf"|Fundaţia|Fundației|Fundatiei|Organizația|Organizatia|Federația|Federatia"
        rf"|Clubul|Clubului|Uniunea|Societatea|Cooperativa|Parohia|Mănăstirea)"
        rf"(?:[ \t]+(?:Obștească|Obsteasca|Sportiv|Sportivă|Sportiva|Umanitară|Umanitara"
        rf"|Culturală|Culturala|Creștină|Crestina|Ortodoxă|de [Pp]ărinți|de [Pp]arinti))?"
        rf"[ \t]+(?:{_QUOTED}|{_NAME})"
    ),
]
# The kind of place stays, its name goes: "brutăria «Spicul de Aur»", "magazinul Dumbrava".
_SHOP_WORDS = (
    r"(?:brutăria|brutaria|brutăriei|magazinul|magazinului|magazin|firma|firmei|firmă"
    r"|compania|companiei|cafeneaua|cafenelei|restaurantul|restaurantului|pizzeria|barul"
    r"|barului|ferma|fermei|atelierul|atelierului|service-ul|salonul|salonului|frizeria"
    r"|patiseria|cofetăria|cofetaria|farmacia|farmaciei|hotelul|hotelului|pensiunea"
    r"|pensiunii|fabrica|fabricii|depozitul|spălătoria|spalatoria|spălătoriei|market-ul"
    r"|supermarketul|marketul|chioșcul|chioscul|tarabă|taraba|sala|clubul|centrul|centrului"
    r"|cabinetul|cabinetului|clinica|clinicii|asociația|fundația|școala de șoferi"
    r"|benzinăria|benzinaria|vulcanizarea|croitoria|tâmplăria|tamplaria|abatorul|mina)"
)
_SHOP = _compile(
    rf"\b(?i:{_SHOP_WORDS})(?:[ \t]+(?:de|din|cu)[ \t]+[a-zăâîșț]+)?"
    rf"[ \t]+(?P<name>{_QUOTED}|{_NAME})",
)
_BODY_HEADS = (
    r"(?:Primăria|Primăriei|Primaria|Primariei|Consiliul Local|Consiliul Județean"
    r"|Consiliul Raional|Consiliului Local|DGASPC|D\.G\.A\.S\.P\.C\.|DAS|DASPC|DASPF|SAS|SPAS"
    r"|Direcția Generală de Asistență Socială(?: și Protecția Copilului)?"
    r"|Direcția (?:de )?Asistență Socială(?: și Protecția (?:Copilului|Familiei))?"
    r"|Direcția Învățământ|Direcției|Poliția|Poliției|Politia|Postul de Poliție"
    r"|Inspectoratul Școlar(?: Județean)?|Inspectoratul de Poliție(?: Județean)?|ISJ|IPJ|IJP"
    r"|Judecătoria|Judecatoria|Tribunalul|Spitalul(?: Județean| Municipal| Orășenesc"
    r"| Raional| Clinic| de Urgență| de Psihiatrie| de Copii){0,3}|CJRAE|CMBRAE|AJOFM|AJPIS"
    r"|ANOFM|CMI|Casa de Cultură|Biblioteca(?: Publică| Comunală| Orășenească)?|Căminul Cultural"
    r"|Centrul de Sănătate|Centrul de Zi|Centrul de zi|Centrul de Plasament|Centrul Comunitar"
    r"|Centrul Școlar(?: pentru Educație Incluzivă)?|Centrul Județean de Resurse și Asistență"
    r" Educațională|Centrul de Resurse|Centrul de Reabilitare|Centrul Maternal|Centrul)"
)
_BODY = _compile(
    rf"\b{_BODY_HEADS}(?:[ \t]+(?:comunei|satului|Satului|orașului|orasului|municipiului"
    rf"|sectorului|raionului|județului|judetului|Sectorului|Comunei|Orașului|Municipiului|Raionului|Județului"
    rf"|Sector|sector|Sectorul|sectorul|[Jj]udețean|[Rr]aional))?"
    rf"(?:[ \t]+(?:nr\.?|Nr\.?)[ \t]*\d+)?[ \t]+(?P<name>{_QUOTED}|{_NAME})"
)


@dataclass
class _Word:
    start: int
    end: int
    text: str
    folded: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_WORD = re.compile(r"[^\W\d_]+")


def _words(original: str, folded: str) -> list[_Word]:
    return [
        _Word(m.start(), m.end(), m.group(), folded[m.start() : m.end()])
        for m in _WORD.finditer(original)
    ]


def region_of(regions: frozenset[lexicon.Region], home: str | None) -> lexicon.Region | None:
    """One region for a locality: the only one, or the school's own among several; else a
    country-wide answer (``name=""``) when every candidate is in one country."""
    if len(regions) == 1:
        return next(iter(regions))
    if home:
        mine = [r for r in regions if fold(r.name) == fold(home)]
        if len(mine) == 1:
            return mine[0]
    countries = {r.country for r in regions}
    if len(countries) == 1:
        return lexicon.Region(countries.pop(), "")
    return None


def label(region: lexicon.Region | None) -> str:
    """How a span carries its region: "RO:Nord-Est", "MD:" (the country only), or ""."""
    return f"{region.country}:{region.name}" if region is not None else ""


def is_ordinary(folded: str) -> bool:
    """An ordinary word or a first name: a locality of that name needs a word announcing it."""
    from casework.anonymise.names import COMMON_WORDS, NEVER_NAMES, dictionary

    names = lexicon.name_lists()
    return (
        lexicon.is_romanian_word(folded)
        or folded in COMMON_WORDS
        or folded in NEVER_NAMES
        or folded in names.first_names
        or dictionary().is_first_name(folded)
    )


def _person_cues() -> frozenset[str]:
    from casework.anonymise.names import CUE_WORDS

    return frozenset(c.rstrip(".") for c in CUE_WORDS) - {"pe"}


_PERSON_CUES = _person_cues()
_BEFORE = re.compile(r"([^\W\d_][\w-]*)\.?[ \t]*$")


def _name_or_kept(folded: str) -> bool:
    from casework.anonymise.names import COMMON_WORDS, NEVER_NAMES, dictionary

    return (
        folded in COMMON_WORDS
        or folded in NEVER_NAMES
        or folded in lexicon.name_lists().first_names
        or dictionary().is_first_name(folded)
    )


def _near(words: list[_Word], index: int, original: str) -> bool:
    """ "aproape de Puhoi", "departe de Soroca": "de" after these announces a place."""
    return (
        index >= 1
        and words[index].folded == "de"
        and words[index - 1].folded in ("aproape", "departe")
        and bool(re.fullmatch(r"[ \t]+", original[words[index - 1].end : words[index].start]))
    )


def _first_name_form(folded: str) -> bool:
    """A first name in any inflection, or a diminutive ("Ilenuța", "Mariei")."""
    from casework.anonymise.names import dictionary, name_forms

    names = dictionary()
    return folded.endswith(_DIMINUTIVE_ENDINGS) or any(
        names.is_first_name(f) for f in name_forms(folded)
    )


# Endings of a diminutive first name ("Ilenuța", "Anișoara", "Costică", "Nicușor"); "-ița" is
# left out: Moldova's villages end so as often as names do ("Colonița", "Ocnița").
_DIMINUTIVE_ENDINGS = ("uta", "isoara", "ioara", "ica", "usor", "isor")


def _previous_word(words: list[_Word], index: int, original: str) -> _Word | None:
    if index == 0:
        return None
    previous = words[index - 1]
    gap = original[previous.end : words[index].start]
    if gap.strip(" \t.:") not in ("",) or gap.count(":") > 1:
        return None
    if "." in gap and previous.folded not in _ABBREVIATED_CUES:
        return None  # "s-au mutat la oraș. Sunt vecini": a full stop ends the sentence
    if original[max(0, previous.start - 1) : previous.start] in (".", "@", "/"):
        return None  # "…@gmail.com. La ora de": the end of an address, no "com." cue
    if previous.folded in _ONLY_ABBREVIATED and "." not in gap:
        return None  # "a avut loc Sâmbătă": "loc" is a place only as "loc."
    return previous


def _lookup(candidates: list[str]) -> frozenset[lexicon.Region] | None:
    places = lexicon.gazetteer().places
    for candidate in candidates:
        if candidate in places:
            return places[candidate]
    return None


def _place_forms(words: list[_Word]) -> list[str]:
    """The gazetteer keys a run of words may stand for: as written, or its last word inflected
    ("Bârladului", "Sorocii", "Iașiului")."""
    head = " ".join(w.folded for w in words[:-1])
    last = words[-1].folded
    forms = [last, *base_forms(last)]
    if last.endswith("ii"):
        forms.append(last[:-2] + "a")
    if last.endswith("iului"):
        forms.append(last[:-4])
    return [f"{head} {f}".strip() for f in dict.fromkeys(forms)]


def locality_spans(original: str, folded: str, home_region: str | None = None) -> Iterator[Span]:
    gazetteer = lexicon.gazetteer()
    words = _words(original, folded)
    index = 0
    while index < len(words):
        word = words[index]
        if not word.capitalised or word.folded in COUNTRIES:
            index += 1
            continue
        previous = _previous_word(words, index, original)
        before = _BEFORE.search(folded, max(0, word.start - 30), word.start)
        after_person_cue = before is not None and before.group(1) in _PERSON_CUES
        cue = previous is not None and (
            previous.folded in PLACE_CUES or _near(words, index - 1, original)
        )
        strong = cue and previous is not None and previous.folded in STRONG_PLACE_CUES
        found = None
        longest = gazetteer.longest.get(word.folded, 1)
        for size in range(min(longest + 1, 5), 0, -1):
            run = words[index : index + size]
            if len(run) < size or not _joined(original, run):
                continue
            regions = _lookup(_place_forms(run))
            if regions is None or (
                size == 1 and (_is_kept(word.folded) or word.folded in _PERSON_CUES)
            ):
                continue  # a month, a holiday, "Gară" alone is no village ("Valea Seacă" is)
            if (
                size == 1
                and not cue
                and starts_sentence(original, word.start)
                and _first_name_form(word.folded)
            ):
                continue  # "Ilenuța a plâns": someone, whatever village has the name
            # One word that is also an ordinary word or a first name ("Mare", "Victoria", "Ion",
            # "Poiana"): capitalised inside a sentence it is a place unless it is a name or a
            # word that is often capitalised for other reasons; opening a sentence, only after
            # a word announcing a place.
            if size == 1 and not strong and is_ordinary(word.folded):
                opening = starts_sentence(original, word.start)
                doubtful = _name_or_kept(word.folded) or word.folded in AMBIGUOUS_PLACES
                # Moldova's register holds every village, so more ordinary words than a short
                # list did ("Bucuria", "Lingura", "Fetița"): those need a word announcing them.
                moldovan = all(r.country == "MD" for r in regions)
                if (
                    (
                        opening
                        and not cue
                        and not _place_subject(original, word)
                        and not _DASH_AFTER.match(original, word.end)
                    )
                    or ((doubtful or moldovan) and not cue)
                    or (_name_or_kept(word.folded) and not strong)
                ):
                    continue
            if (
                size > 1
                and starts_sentence(original, word.start)
                and not cue
                and all(is_ordinary(w.folded) for w in run)
            ):
                continue
            found = (run, regions)
            break
        if found is None and cue and previous is not None and not after_person_cue:
            # "satul Ciorești", "din Hârtopul Mic": a place the gazetteers do not hold.
            settled = _settled(words, index - 1, original)
            unknown = _unknown_place(
                words, index, original, strong=strong, cue=previous.folded, settled=settled
            )
            if unknown:
                area = _area_after(words, index + len(unknown), original, gazetteer)
                yield Span(unknown[0].start, unknown[-1].end, Kind.TOWN, 4, label=label(area))
                index += len(unknown)
                continue
        if found is None:
            index += 1
            continue
        run, regions = found
        extended = False
        tail = _unknown_place(words, index + len(run) - 1, original, strong=True)
        if len(tail) > 2 and tail[0] is run[-1] and tail[1].folded in _PLACE_GLUE:
            run = run + tail[1:]  # "din Vadul lui Isac": a longer name than the gazetteer's
            extended = True
        if strong and not extended and not _SECTOR.match(original, run[-1].end):
            more = _unknown_place(words, index + len(run), original, strong=True)[:2]
            if more and not _joined(original, [run[-1], more[0]]):
                more = []  # "județul Bacău. Sunt vecini": the next sentence is no place
            extended = bool(more)
            run = run + more
        if _INITIAL_BEFORE.search(original, max(0, word.start - 4), word.start):
            index += len(run)  # "I. Spătaru": a surname after an initial, whatever the village
            continue
        if after_person_cue and len(run) == 1:
            index += 1  # "d-na Ciorescu": a person, whatever village shares the name
            continue
        if not strong and _beside_first_name(words, index, index + len(run), original):
            index += len(run)  # "Veronica Bălăceanu": a surname that is also a village
            continue
        # "satul Hârtopul Mic" is not Hârtop: a longer name than the gazetteer's has no region.
        region = None if extended else region_of(regions, home_region)
        area = _area_after(words, index + len(run), original, gazetteer)
        if area is not None:
            region = area
        end = run[-1].end
        sector = _SECTOR.match(original, end)
        if sector:
            end = sector.end()  # "București Sectorul 1": the sector is part of the place
        yield Span(run[0].start, end, Kind.TOWN, 4, label=label(region))
        index += len(run)


# "Breb - Ieud" (any dash): a dash to another capitalised word makes a route of two places.
_DASH_AFTER = re.compile(r"[ \t]+[–—-][ \t]+[A-ZĂÂÎȘȚŞŢ]")
# A verb in the singular right after the word opening a sentence.
_SINGULAR_VERB = re.compile(
    r"[ \t]+(?:este|e|are|avea|era|a fost|se află|se afla|nu are|nu este|nu e)\b"
)
# The endings of a noun with its definite article in the singular ("Școala are", "Satul este").
_ARTICLED_SINGULAR = re.compile(r"(?:ul|a|ua|ea|ia|le|lui|ei)$")


def _place_subject(original: str, word: _Word) -> bool:
    """ "Perișor are o școală", "Viile este la 30 km": an ordinary word opens a sentence as its
    subject only with an article and in agreement; a village's name needs neither. A word of
    the gazetteer, with no singular article (or an article of the plural, "Hotarele", "Viile"),
    before a verb in the singular, is the village."""
    if not _SINGULAR_VERB.match(original, word.end) or word.folded in _PERSON_CUES:
        return False
    plural_article = word.folded.endswith(("ile", "ele"))
    return plural_article or not _ARTICLED_SINGULAR.search(word.folded)


_VILLAGE_SUFFIX = _compile(
    rf"{_CAP}(?:[ \t]+{_CAP})?[ \t]+(?:de|din)[ \t]+(?:Sus|Jos|Mijloc|Câmpie|Munte|Deal|Vale)\b"
)


def village_suffix_spans(original: str) -> Iterator[Span]:
    """ "Jora de Mijloc", "Breaza de Sus", "Muntenii de Jos": the words villages add to their
    name say it is one."""
    from casework.anonymise.names import NEVER_NAMES

    for m in _VILLAGE_SUFFIX.finditer(unaccent(original)):
        start = m.start()
        first = _WORD.match(original, start)
        # "În Breaza de Sus": a preposition or a kept word opening the match is not the name.
        if first and (fold(first.group()) in PLACE_CUES or fold(first.group()) in NEVER_NAMES):
            rest = original[first.end() : m.end()]
            start = first.end() + len(rest) - len(rest.lstrip())
            if not original[start : start + 1].isupper():
                continue
        yield Span(start, m.end(), Kind.TOWN, 4)


_CAP_RUN = rf"{_CAP}(?:[ \t]+(?:(?:de|din|lui|sub)[ \t]+)?{_CAP}){{0,2}}"
_BETWEEN = _compile(
    rf"\b(?:între|intre)[ \t]+(?P<a>{_CAP_RUN})[ \t]+(?:și|si)[ \t]+(?P<b>{_CAP_RUN})"
)
_AND_NEXT = _compile(rf"[ \t]+(?:și|si|sau)[ \t]+(?P<next>{_CAP_RUN})")
_FROM_NEXT = _compile(rf"[ \t]+din[ \t]+(?P<next>{_CAP_RUN})")
_ORIGIN = _compile(
    rf"\b(?:originar|originară|originari|originare|născut|născută|născuți|provine|provin)"
    rf"[ \t]+din[ \t]+(?P<next>{_CAP_RUN})"
)
_BEFORE_ADDRESS = _compile(rf"\b(?:în|in|la|din)[ \t]+(?P<place>{_CAP_RUN})[ \t]*,[ \t]*$")


def beside_place_spans(original: str, spans: list[Span]) -> Iterator[Span]:
    """Places by their neighbours, with no list: "între Puhoi și Soroca" and "din Soroca și
    Puhoi" (a word joined to a place), "Locuiesc în Puhoi, str. Teilor 8" (the locality before
    an address), "vecinul Ion Rusu din Puhoi", "brutăria «Spic» din Puhoi" (where someone named
    is), "originară din Puhoi" (where someone was born)."""
    plain = unaccent(original)
    towns = [x for x in spans if x.kind == Kind.TOWN]
    # Someone named, a firm, a shop: "… din Puhoi" is where they are.
    people = [x for x in spans if x.kind in (Kind.PERSON, Kind.STUDENT, Kind.ORGANISATION)]
    addresses = [x for x in spans if x.kind == Kind.ADDRESS]

    def is_town(start: int, end: int) -> bool:
        return any(t.start < end and start < t.end for t in towns)

    def candidate(start: int, end: int) -> Span | None:
        first = _WORD.match(original, start)
        if first is None or _is_kept(fold(first.group())) or fold(first.group()) in COUNTRIES:
            return None
        if fold(first.group()) in _PERSON_CUES or fold(first.group()) in PLACE_CUES:
            return None
        return Span(start, end, Kind.TOWN, 4)

    for m in _BETWEEN.finditer(plain):
        a, b = (m.start("a"), m.end("a")), (m.start("b"), m.end("b"))
        if is_town(*a) or is_town(*b):
            for start, end in (a, b):
                if (found := candidate(start, end)) is not None:
                    yield found
    for town in towns:
        joined = _AND_NEXT.match(plain, town.end)
        if joined and (found := candidate(joined.start("next"), joined.end("next"))):
            yield found
    for person in people:
        origin = _FROM_NEXT.match(plain, person.end)
        if origin and (found := candidate(origin.start("next"), origin.end("next"))):
            yield found
    for m in _ORIGIN.finditer(plain):
        if (found := candidate(m.start("next"), m.end("next"))) is not None:
            yield found
    for address in addresses:
        before = _BEFORE_ADDRESS.search(plain, max(0, address.start - 60), address.start)
        if before and (found := candidate(before.start("place"), before.end("place"))):
            yield found


_AFTER_ADDRESS = re.compile(
    rf"[ \t]*,[ \t]*(?P<place>{_CAP}(?:[ \t]+(?:(?:de|din|lui|la|sub)[ \t]+)?{_CAP}){{0,3}})"
)


def after_address_spans(original: str, addresses: list[Span]) -> Iterator[Span]:
    """ "str. Teilor 8, Vadul lui Isac": an address ends with its locality."""
    from casework.anonymise.names import NEVER_NAMES

    for address in addresses:
        m = _AFTER_ADDRESS.match(original, address.end)
        if m is None:
            continue
        words = [fold(w) for w in _WORD.findall(m.group("place"))]
        if words[0] in NEVER_NAMES or words[0] in COUNTRIES or words[0] in PLACE_CUES:
            continue
        yield Span(m.start("place"), m.end("place"), Kind.TOWN, 4)


def area_named_spans(original: str, folded: str) -> Iterator[Span]:
    """ "Albești, județul Iași", "Cișmele (raionul Orhei)": the words before a county or a
    district are a locality, whatever else they may mean."""
    gazetteer = lexicon.gazetteer()
    words = _words(original, folded)
    for index in range(1, len(words) - 1):
        cue = words[index]
        if cue.folded not in _AREA_CUES:
            continue
        # "județul Caraș-Severin", "raionul Ștefan Vodă": an area of one to three words.
        region = next(
            (
                gazetteer.areas[key]
                for size in (3, 2, 1)
                if _joined(original, words[index + 1 : index + 1 + size])
                and (key := " ".join(w.folded for w in words[index + 1 : index + 1 + size]))
                in gazetteer.areas
            ),
            None,
        )
        if region is None:
            continue
        gap = original[words[index - 1].end : cue.start]
        if not re.fullmatch(r"[ \t]*[,(][ \t]*", gap):
            continue
        run: list[_Word] = []
        for back in range(index - 1, max(-1, index - 4), -1):
            word = words[back]
            if run and not _joined(original, [word, run[0]]):
                break
            # Glue inside a name ("Baia de Arieș", "Valea lui Mihai"); "la", "din" announce one.
            if not (word.capitalised or word.folded in {"de", "lui", "sub"}):
                break
            run.insert(0, word)
        while run and (
            not run[0].capitalised
            or run[0].folded in PLACE_CUES
            or run[0].folded in COUNTRIES
            or run[0].folded in _PERSON_CUES
            or (_is_kept(run[0].folded) and not _is_place_noun(run[0].folded))
        ):
            run.pop(0)
        if run:
            yield Span(run[0].start, run[-1].end, Kind.TOWN, 4, label=label(region))


def _is_place_noun(folded: str) -> bool:
    """ "Vale, județul Cluj", "Valea Grajdului": a place noun before a county is a village."""
    from casework.anonymise.names import PLACE_NOUNS

    return folded in PLACE_NOUNS


def _is_kept(folded: str) -> bool:
    from casework.anonymise.names import NEVER_NAMES, PLACE_NOUNS

    return folded in NEVER_NAMES or folded in PLACE_NOUNS


_INITIAL_BEFORE = re.compile(r"(?:^|[\s(,;:])[A-ZĂÂÎȘȚŞŢ]\.[ \t]?$")
_SECTOR = re.compile(r",?[ \t]+(?:[Ss]ectorul|[Ss]ector|[Ss]ect\.|[Ss]\.)[ \t]*\d\b")


def _beside_first_name(words: list[_Word], start: int, end: int, original: str) -> bool:
    from casework.anonymise.names import dictionary

    names = dictionary()
    for other in (start - 1, end):
        if 0 <= other < len(words) and words[other].capitalised:
            left, right = (
                (words[other], words[start]) if other < start else (words[end - 1], words[other])
            )
            if re.fullmatch(r"[ \t]+", original[left.end : right.start]) and (
                names.is_first_name(words[other].folded)
                or words[other].folded in lexicon.name_lists().first_names
            ):
                return True
    return False


def _joined(original: str, run: list[_Word]) -> bool:
    """The words of a place name follow each other with only spaces or hyphens between, and
    are capitalised except for glue ("Baia de Arieș", "Vadul lui Vodă")."""
    for left, right in itertools.pairwise(run):
        if not re.fullmatch(r"[ \t]*-?[ \t]*", original[left.end : right.start]):
            return False
    glue = {"de", "din", "lui", "la", "cu", "pe", "sub", "peste"}
    return all(w.capitalised or w.folded in glue for w in run)


# "în zona Bursucului": after "zona" even an ordinary word is a place.
_AREA_WORDS = frozenset(["zona", "zonei", "zonele"])
_PLACE_GLUE = frozenset(["de", "lui", "din", "sub", "cu"])
# "din Bursuc", "originară din …": after these a capitalised word is where someone is from,
# never whom they are with (unlike "la Popescu", at the Popescus').
_FROM_CUES = frozenset(["din", "dinspre", "originar", "originara", "zona", "zonei"])


# Words before "la", "în", "din", "spre" that say where someone lives, comes from or goes:
# after them an ordinary word is the village ("locuiește acum la Breb", "stă în chirie la
# Breb", "face naveta din Cârcea", "are pământ în Larga"). Not "sunt din" ("sunt din Grupa
# mare") nor "născut la" ("la Maternitate").
_SETTLED = frozenset(
    fold(w)
    for w in [
        "locuiește", "locuieste", "locuiesc", "locuia", "locuiau", "chirie", "mutat", "mutată",
        "mutata", "mutați", "mutati", "naveta", "navetă", "navetează", "pământ", "pamant",
        "drumul", "jos", "bunica", "bunicii", "bunicul", "mătușa", "matusa",
    ]
)  # fmt: skip
_SETTLED_SKIP = frozenset(["acum", "tot", "inca", "deja"])


def _settled(words: list[_Word], cue: int, original: str) -> bool:
    """The word before the cue (at ``cue``), past "acum", "tot", is one of ``_SETTLED``, in the
    same sentence."""
    position = cue - 1
    while position >= 0 and words[position].folded in _SETTLED_SKIP:
        position -= 1
    if position < 0 or cue < 1:
        return False
    gap = original[words[position].end : words[cue].start]
    return words[position].folded in _SETTLED and not any(c in gap for c in ".!?\n;:")


def _unknown_place(
    words: list[_Word],
    index: int,
    original: str,
    *,
    strong: bool,
    cue: str = "",
    settled: bool = False,
) -> list[_Word]:
    from casework.anonymise.names import COMMON_WORDS, NEVER_NAMES, PLACE_NOUNS

    run: list[_Word] = []
    for position, word in enumerate(words[index : index + 4], start=index):
        if run and not _joined(original, [run[-1], word]):
            break
        following = words[position + 1] if position + 1 < len(words) else None
        if (
            run
            and word.folded in _PLACE_GLUE
            and following is not None
            and following.capitalised
            and following.folded not in NEVER_NAMES
            and following.folded not in COUNTRIES
            and _joined(original, [word, following])
        ):
            run.append(word)  # "Jora de Mijloc", "Vadul lui Isac"
            continue
        # "Valea Lungă", "Dealul Mare": a place noun opens a village's name before a name.
        noun_before_name = (
            word.folded in PLACE_NOUNS
            and following is not None
            and following.capitalised
            and following.folded not in NEVER_NAMES
            and _joined(original, [word, following])
        )
        if (
            not word.capitalised
            or word.folded in COUNTRIES
            or ((word.folded in NEVER_NAMES or word.folded in PLACE_NOUNS) and not noun_before_name)
        ):
            break
        if word.text.isupper() and len(word.text) > 1:
            break
        run.append(word)
    while run and run[-1].folded in _PLACE_GLUE:
        run.pop()
    if not run:
        return []
    if strong:
        return run
    # After "din", "la", "în", inside a sentence, a capitalised word that is no ordinary word is
    # a place; after "din" or "zona" even an ordinary word ("din Puhoi", "în zona Bursucului"),
    # unless it is a name (the name rules take it: "a dormit la Ion"), a word that is kept
    # (months, holidays, institutions, place nouns) or a person's cue.
    names = lexicon.name_lists()
    from_place = cue in _FROM_CUES
    if any(
        (_name_or_kept(w.folded) and w.folded not in COMMON_WORDS)
        or w.folded in AMBIGUOUS_PLACES
        # After "la", "în" an ordinary word is as often a common noun written with a capital
        # ("la Cantină", "în Pauză") as a village: only where someone comes from is it a place.
        or (cue not in _AREA_WORDS and not settled and is_ordinary(w.folded))
        or w.folded in _PERSON_CUES
        or (not from_place and (w.folded in names.surnames or w.folded in names.ambiguous))
        for w in run
    ):
        return []
    return run


_COUNTY_CODE = re.compile(
    r"\b(?:județul|judetul|jud\.?)[ \t]+(?P<code>" + "|".join(lexicon.RO_COUNTIES) + r")\b"
)


def county_code_spans(original: str) -> Iterator[Span]:
    """ "jud. SJ": a county by its code is a county all the same."""
    for m in _COUNTY_CODE.finditer(original):
        code = m.group("code")
        region = next(r for r, codes in lexicon.RO_REGIONS.items() if code in codes.split())
        yield Span(m.start("code"), m.end("code"), Kind.TOWN, 4, label=f"RO:{region}")


def _area_after(
    words: list[_Word], index: int, original: str, gazetteer: lexicon.Gazetteer
) -> lexicon.Region | None:
    """ "…, județul Vaslui" or "(raionul Orhei)" right after a locality names its region."""
    if index >= len(words) - 1:
        return None
    cue, name = words[index], words[index + 1]
    if cue.folded in _AREA_CUES and len(original[words[index - 1].end : cue.start]) <= 3:
        return gazetteer.areas.get(name.folded)
    return None


# "IP Liceul Teoretic …": Moldova's public institutions carry "IP" before their name.
_PUBLIC_INSTITUTION = re.compile(r"(?:\bIP|\bI\.P\.)[ \t]+$")
_TOWN_AFTER = _compile(
    rf"[ \t]+(?P<town>{_CAP}(?:[ \t]+(?:(?:de|din|lui|la|sub)[ \t]+)?{_CAP}){{0,2}})"
)


def school_spans(original: str) -> Iterator[Span]:
    plain = unaccent(original)
    for m in _SCHOOL.finditer(plain):
        if not m.group("rest").strip():
            continue  # "Liceul Tehnologic" alone names no school
        start, end = m.start(), m.end()
        prefix = _PUBLIC_INSTITUTION.search(original, max(0, start - 6), start)
        if prefix:
            start = prefix.start()
        if original[end - 1 : end] in "”\"»'":
            # "Colegiul Național „Mihai Eminescu” Iași": the town follows the quoted name.
            town = _TOWN_AFTER.match(plain, end)
            if town and _is_town(_WORD.findall(original[town.start("town") : town.end()])):
                end = town.end()
        yield Span(start, end, Kind.SCHOOL, 2)


def _is_town(words: list[str]) -> bool:
    """A capitalised run after a school's quoted name is its town ("… Eminescu” Iași", "… Vieru”
    Șona", even when the gazetteer does not know it), unless it is a word for someone or a word
    that is kept ("… Creangă” Mama", "… Creangă” Luni")."""
    from casework.anonymise.names import NEVER_NAMES

    first = fold(words[0]) if words else ""
    if not words or first in NEVER_NAMES or first in COUNTRIES or first in PLACE_CUES:
        return False
    return first not in _PERSON_CUES and not _is_kept(first)


def organisation_spans(original: str) -> Iterator[Span]:
    plain = unaccent(original)
    folded = fold(original)
    for pattern in _ORGANISATIONS:
        for m in pattern.finditer(plain):
            text = m.group()
            if not re.search(r"[A-Za-zĂÂÎȘȚăâîșț]{2}", text):
                continue
            start = _skip_sentence_opener(original, folded, m.start(), m.end())
            yield Span(start, m.end(), Kind.ORGANISATION, 3)
    for m in _SHOP.finditer(plain):
        name = m.group("name")
        if _ordinary_name(name):
            continue
        yield Span(m.start("name"), m.end("name"), Kind.ORGANISATION, 3)


def _skip_sentence_opener(original: str, folded: str, start: int, end: int) -> int:
    """ "Mama Lunca Prod SRL": an ordinary word opening the sentence is not the firm's name."""
    m = _WORD.match(original, start)
    if m is None or not starts_sentence(original, start):
        return start
    rest = original[m.end() : end].strip()
    if rest[:1].isupper() and lexicon.is_romanian_word(folded[m.start() : m.end()]):
        return m.end() + (len(original[m.end() : end]) - len(original[m.end() : end].lstrip()))
    return start


def body_spans(original: str, folded: str, home_region: str | None = None) -> Iterator[Span]:
    """Public bodies keep their kind ("Primăria", "DGASPC"); the place after it goes."""
    for m in _BODY.finditer(unaccent(original)):
        name = m.group("name")
        if _ordinary_name(name):
            continue
        start, end = m.start("name"), m.end("name")
        words = _words(original[start:end], folded[start:end])
        regions = _lookup(_place_forms(words)) if words else None
        kind = Kind.TOWN if regions is not None or not name.startswith(("«", "„", '"')) else None
        region = region_of(regions, home_region) if regions else None
        yield Span(start, end, kind or Kind.ORGANISATION, 4, label=label(region))


def _ordinary_name(name: str) -> bool:
    """A name made only of capitalised ordinary words that are no place ("Centrul de Zi")."""
    if name[:1] in "«„\"“'":
        return False
    tokens = [fold(t) for t in _WORD.findall(name)]
    if not tokens:
        return True
    from casework.anonymise.names import NEVER_NAMES

    return all(t in NEVER_NAMES or t in COUNTRIES for t in tokens)
