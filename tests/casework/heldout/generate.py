# ruff: noqa: RUF001, RUF059, E501 - a data generator: en dashes are the text it writes
"""Generate the held-out corpus (dev.json.gz, test.json.gz) from sources the detector does not use.

    python tests/casework/heldout/generate.py SRC

SRC holds the unpacked gender-guesser 0.4.0 wheel (SRC/gender_guesser/); the Romanian hunspell
dictionary is read from /usr/share/hunspell (Debian's hunspell-ro). Sources, per kind:

- first names: gender-guesser's nam_dict.txt (Jörg Michael, GNU FDL), names given in Romania
  or Moldova — the detector uses Faker and names-dataset instead;
- surnames: the proper nouns of the hunspell-ro dictionary with a Romanian surname shape, and
  a hand-written list of Moldovan and Romanian surnames of other shapes (below);
- localities: a sample of the SIRUTA register (which the detector ships) written as people write
  them — inflected, without diacritics — so the corpus tests the rules, not the list; and a
  hand-written list of Moldovan villages the detector's Moldovan list does not hold;
- organisations and shops: invented from ordinary dictionary words and legal forms;
- everything else (dates, addresses, phones, e-mails, national ids) is made up here.

Every source item and every sentence template goes to exactly one of the two sets (by a stable
hash of the item, by the template's position), so the test set shares no template and no name
with the development set that the rules were tuned on. The seed is fixed: the files are
reproducible and committed; CI reads them and never regenerates them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
SIRUTA = ROOT / "casework" / "anonymise" / "data" / "ro_localities.tsv.gz"
HUNSPELL = Path("/usr/share/hunspell/ro_RO.dic")

# Moldovan and Romanian surnames of shapes a suffix rule does not catch (general knowledge).
EXTRA_SURNAMES = [
    "Ceban",
    "Rusnac",
    "Guțu",
    "Bivol",
    "Plămădeală",
    "Țurcan",
    "Bejan",
    "Cebotari",
    "Rotari",
    "Sîrbu",
    "Cojocari",
    "Botnari",
    "Lupu",
    "Cazacu",
    "Croitoru",
    "Bălan",
    "Caraman",
    "Răileanu",
    "Gârlea",
    "Chiriac",
    "Mereuță",
    "Negură",
    "Știrbu",
    "Vieru",
    "Frunză",
    "Busuioc",
    "Catană",
    "Stratan",
    "Doga",
    "Donică",
    "Gaina",
    "Hîncu",
    "Jitaru",
    "Lozan",
    "Macovei",
    "Nistor",
    "Onu",
    "Pascari",
    "Roman",
    "Sandu",
    "Tabac",
    "Ursachi",
    "Vrabie",
    "Zgardan",
    "Grecu",
    "Darie",
    "Ababii",
    "Bostan",
    "Cucu",
    "Dragan",
    "Filip",
    "Iordache",
    "Jalbă",
    "Leahu",
    "Manole",
    "Neagu",
    "Prodan",
    "Rusu",
    "Stan",
    "Toma",
    "Vasilache",
    "Zaharia",
    "Bîrcă",
    "Dumbravă",
    "Popa",
    "Stoica",
    "Tudose",
    "Voicu",
    "Andronic",
    "Buzdugan",
    "Coroi",
    "Iftodi",
    "Mămăligă",
    "Spătaru",
    "Talpă",
    "Țopa",
    "Vicol",
    "Gorincioi",
    "Scutaru",
    "Ciocârlan",
    "Mocreac",
    "Bulgac",
    "Cernei",
    "Dabija",
    "Golovei",
    "Hodorogea",
    "Lungu",
    "Melnic",
    "Panfil",
    "Pleșca",
    "Roșca",
    "Sochircă",
    "Tcaci",
    "Ungurean",
    "Zubcu",
    "Axenti",
    "Bordeianu",
    "Cîrlig",
    "Dediu",
    "Eremia",
    "Gheorghiță",
    "Ilașcu",
    "Josan",
    "Lisnic",
    "Moldovan",
    "Nastas",
    "Ojog",
    "Petcu",
    "Rață",
    "Sârbu",
    "Tănase",
    "Vârlan",
    "Ardeleanu",
    "Bodnar",
    "Cozma",
    "Drăguț",
    "Gavrilă",
    "Huțanu",
    "Istrate",
    "Lazăr",
    "Matei",
    "Nedelcu",
    "Oprea",
    "Pavel",
    "Răduță",
    "Savin",
    "Trifan",
    "Udrea",
    "Zamfir",
]

# Moldovan villages (general knowledge), with their district.
MD_VILLAGES = [
    ("Pelinia", "Drochia"), ("Cărpineni", "Hîncești"), ("Văsieni", "Ialoveni"),
    ("Bardar", "Ialoveni"), ("Țipala", "Ialoveni"), ("Mileștii Mici", "Ialoveni"),
    ("Horești", "Ialoveni"), ("Ciuciuleni", "Hîncești"), ("Lăpușna", "Hîncești"),
    ("Mingir", "Hîncești"), ("Bravicea", "Călărași"), ("Hîrjauca", "Călărași"),
    ("Pîrjolteni", "Călărași"), ("Sadova", "Călărași"), ("Lozova", "Strășeni"),
    ("Sireți", "Strășeni"), ("Zubrești", "Strășeni"), ("Cojușna", "Strășeni"),
    ("Peresecina", "Orhei"), ("Ivancea", "Orhei"), ("Trebujeni", "Orhei"), ("Susleni", "Orhei"),
    ("Selemet", "Cimișlia"), ("Gura Galbenei", "Cimișlia"), ("Copanca", "Căușeni"),
    ("Chițcani", "Căușeni"), ("Tomai", "Găgăuzia"), ("Congaz", "Găgăuzia"),
    ("Baurci", "Găgăuzia"), ("Cazaclia", "Găgăuzia"), ("Avdarma", "Găgăuzia"),
    ("Etulia", "Găgăuzia"), ("Crihana Veche", "Cahul"), ("Colibași", "Cahul"),
    ("Giurgiulești", "Cahul"), ("Chiperceni", "Orhei"), ("Chișcăreni", "Sîngerei"),
    ("Pociumbeni", "Rîșcani"), ("Corjeuți", "Briceni"), ("Tabani", "Briceni"),
    ("Hincăuți", "Edineț"), ("Gordinești", "Edineț"), ("Bălănești", "Nisporeni"),
    ("Grozești", "Nisporeni"), ("Bursuc", "Nisporeni"), ("Cioropcani", "Ungheni"),
    ("Sculeni", "Ungheni"), ("Pîrlița", "Ungheni"), ("Mereni", "Anenii Noi"),
    ("Puhoi", "Ialoveni"),
]  # fmt: skip
MD_DISTRICTS = sorted({d for _, d in MD_VILLAGES} - {"Găgăuzia"})
COUNTY_NAMES = {
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
RO_COUNTIES = [
    "Alba",
    "Arad",
    "Argeș",
    "Bacău",
    "Bihor",
    "Bistrița-Năsăud",
    "Botoșani",
    "Brașov",
    "Brăila",
    "Buzău",
    "Caraș-Severin",
    "Călărași",
    "Cluj",
    "Constanța",
    "Covasna",
    "Dâmbovița",
    "Dolj",
    "Galați",
    "Giurgiu",
    "Gorj",
    "Harghita",
    "Hunedoara",
    "Ialomița",
    "Iași",
    "Ilfov",
    "Maramureș",
    "Mehedinți",
    "Mureș",
    "Neamț",
    "Olt",
    "Prahova",
    "Sălaj",
    "Sibiu",
    "Suceava",
    "Teleorman",
    "Timiș",
    "Tulcea",
    "Vaslui",
    "Vâlcea",
    "Vrancea",
]

# Kept words: they must survive the scrubber.
HOLIDAYS = """Crăciun|Crăciunul|Paște|Paștele|Florii|Rusalii|Bobotează|Anul Nou|Sânziene|Ziua Copilului
|Dragobete|Mărțișor|Sfântul Nicolae|Lăsatul Secului|Revelion|Ziua Mamei|Sfântul Andrei
|Înălțare|Sfânta Maria""".replace("\n", "").split("|")
COUNTRIES = """Italia|Spania|Germania|Anglia|Franța|Irlanda|Marea Britanie|Rusia|Israel|Portugalia
|Belgia|Austria|Republica Moldova|România|Ucraina|Cehia|Polonia|Grecia|Turcia""".replace(
    "\n", ""
).split("|")
COUNTRY_LOC = {  # "în Italia" / "din Italia"
    c: c for c in COUNTRIES
}
SUBJECTS = """Matematică|Limba Română|Istorie|Geografie|Biologie|Fizică|Chimie|Informatică
|Educație Fizică|Religie|Limba Engleză|Franceză|Dirigenție|Consiliere""".replace("\n", "").split(
    "|"
)
INSTITUTIONS = """Poliție|Primărie|Biserică|Spital|Inspectorat|Judecătorie|Parohie|Consiliul Profesoral
|Evaluarea Națională|Bacalaureat|Comisia de Evaluare|Protecția Copilului|Asistență Socială
|Centrul de Zi|Serviciul de Urgență|Consiliul Elevilor""".replace("\n", "").split("|")
MONTHS = [
    "Ianuarie",
    "Februarie",
    "Martie",
    "Aprilie",
    "Mai",
    "Iunie",
    "Iulie",
    "August",
    "Septembrie",
    "Octombrie",
    "Noiembrie",
    "Decembrie",
]
APPS = ["WhatsApp", "Facebook", "Viber", "TikTok", "Instagram", "Zoom", "Google Classroom"]

BRAND_SUFFIX = ["Prod", "Com", "Construct", "Trans", "Impex", "Grup", "Serv", "Agro", "Market"]
SHOPS = [
    "brutăria", "magazinul", "cafeneaua", "restaurantul", "ferma", "atelierul", "pizzeria",
    "farmacia", "spălătoria", "pensiunea", "fabrica", "depozitul", "salonul", "frizeria",
    "cofetăria", "benzinăria", "croitoria", "tâmplăria", "hotelul",
]  # fmt: skip
PEOPLE_CUES_F = [
    "doamna", "d-na", "vecina", "bunica", "mătușa", "nașa", "asistenta socială", "diriginta",
    "profesoara", "educatoarea", "colega", "sora", "mama vitregă", "patroana", "prietena",
    "medicul de familie, dr.", "psihologa", "inspectoarea", "verișoara", "cumnata",
]  # fmt: skip
PEOPLE_CUES_M = [
    "domnul", "dl.", "vecinul", "bunicul", "unchiul", "nașul", "agentul de poliție",
    "preotul", "patronul", "colegul", "fratele", "tatăl vitreg", "prietenul", "antrenorul",
    "primarul", "inspectorul", "mediatorul", "șoferul", "cumnatul", "concubinul mamei,",
]  # fmt: skip


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def side(item: str) -> str:
    """Which set an item belongs to, for good: by a stable hash of it."""
    return "dev" if hashlib.sha1(item.encode()).digest()[0] % 2 == 0 else "test"


def load_sources(src: Path) -> dict[str, object]:
    first: dict[str, str] = {}
    nam = src / "gender_guesser" / "gender_guesser" / "data" / "nam_dict.txt"
    for line in nam.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line.split()
        values = line[30:]
        romania = values[27:28].strip()
        moldova = values[38:39].strip()
        name = parts[1]
        if not (romania or moldova) or not re.fullmatch(r"[A-ZĂÂÎȘȚ][a-zăâîșț]+", name):
            continue
        gender = "m" if "M" in parts[0] else "f" if "F" in parts[0] else None
        if gender:
            first[name] = gender
    siruta: list[tuple[str, str]] = []
    with gzip.open(SIRUTA, "rt", encoding="utf-8") as handle:
        for line in handle:
            name, county = line.rstrip("\n").split("\t")
            siruta.append((name, county))
    folded_places = {fold(n).lower() for n, _ in siruta}
    folded_first = {fold(n).lower() for n in first}
    surnames: set[str] = set(EXTRA_SURNAMES)
    words: list[str] = []
    for line in HUNSPELL.read_text(encoding="utf-8").splitlines():
        word = line.split("/")[0]
        if re.fullmatch(r"[A-ZĂÂÎȘȚ][a-zăâîșț]{4,}", word):
            shaped = re.search(r"(escu|eanu|anu|aru|ariu|oiu|ache|iuc|ciuc|ean|ică|iță)$", word)
            key = fold(word).lower()
            if shaped and key not in folded_places and key not in folded_first:
                surnames.add(word)
        elif re.fullmatch(r"[a-zăâîșț]{4,9}", word):
            words.append(word)
    return {"first": first, "surnames": sorted(surnames), "siruta": siruta, "words": words}


class Writer:
    """Fills templates for one set: marks each planted identifier [[kind|text]] and each word
    that must be kept {{text}}."""

    def __init__(self, rng: random.Random, pools: dict[str, list], no_diacritics: bool) -> None:
        self.rng = rng
        self.pools = pools
        self.no_diacritics = no_diacritics

    def pick(self, pool: str):
        return self.rng.choice(self.pools[pool])

    def plain(self, text: str) -> str:
        return fold(text) if self.no_diacritics else text

    def mark(self, kind: str, text: str) -> str:
        return f"[[{kind}|{self.plain(text)}]]"

    def keep(self, text: str) -> str:
        return f"{{{{{self.plain(text)}}}}}"

    # -- people ----------------------------------------------------------------------------
    def first(self, gender: str | None = None) -> tuple[str, str]:
        while True:
            name, g = self.pick("first")
            if gender is None or g == gender:
                return name, g

    def person(self, gender: str | None = None) -> str:
        name, g = self.first(gender)
        surname = self.pick("surnames")
        shape = self.rng.random()
        if shape < 0.45:
            text = f"{name} {surname}"
        elif shape < 0.6:
            text = f"{surname} {name}"
        elif shape < 0.8:
            text = name
        elif shape < 0.9:
            text = surname
        else:
            text = f"{name[0]}. {surname}"
        return self.mark("person", text)

    def genitive(self) -> str:
        name, g = self.first()
        if g == "f" and name.endswith("a"):
            form = name[:-1] + ("ăi" if name.endswith(("ca", "ga")) else "ei")
            return self.mark("person_inflected", form)
        if self.rng.random() < 0.5:
            return "lui " + self.mark("person_inflected", name)
        return self.mark("person_inflected", name + ("lui" if name.endswith("u") else "ului"))

    def vocative(self) -> str:
        name, g = self.first()
        if g == "f" and name.endswith("a"):
            form = name[:-1] + "o"
        elif name.endswith("u"):
            form = name + "le"
        elif name.endswith(("e", "i", "a", "o")):
            form = name
        else:
            form = name + "e"
        return self.mark("person_inflected", form)

    def diminutive(self) -> str:
        name, g = self.first()
        stem = name[:-1] if name.endswith(("a", "e")) else name
        if g == "f":
            form = stem + self.rng.choice(["uța", "ica", "ișoara", "ucă"])
        else:
            form = stem + self.rng.choice(["ică", "el", "uț", "ucu", "ișor"])
        return self.mark("person_inflected", form)

    def titled(self) -> str:
        if self.rng.random() < 0.5:
            cue = self.rng.choice(PEOPLE_CUES_F)
            name = self.person("f")
        else:
            cue = self.rng.choice(PEOPLE_CUES_M)
            name = self.person("m")
        return f"{self.plain(cue)} {name}"

    # -- places ----------------------------------------------------------------------------
    def locality_name(self) -> tuple[str, str]:
        if self.rng.random() < 0.3:
            name, district = self.pick("md")
            return name, f"raionul {district}" if district != "Găgăuzia" else "UTA Găgăuzia"
        name, county = self.pick("siruta")
        return name, f"județul {COUNTY_NAMES[county]}"

    def locality(self, inflect: bool = False) -> str:
        name, _ = self.locality_name()
        if inflect and " " not in name:
            if name.endswith("a"):
                name = name[:-1] + ("ii" if name.endswith(("ca", "ga")) else "ei")
            elif name.endswith(("i", "u", "ș", "ț")) or name[-1] not in "aeiouăâî":
                name = name + ("lui" if name.endswith("u") else "ului")
        return self.mark("locality", name)

    def locality_with_area(self) -> str:
        name, area = self.locality_name()
        head, _, place = area.partition(" ")
        return f"{self.mark('locality', name)}, {self.plain(head)} {self.mark('locality', place)}"

    def locality_genitive(self) -> str:
        return self.locality(inflect=True)

    def locality_start(self) -> str:
        return self.locality()

    def surname(self) -> str:
        return self.mark("person", self.pick("surnames"))

    def genitive_start(self) -> str:
        name, g = self.first("f")
        if name.endswith("a"):
            return self.mark(
                "person_inflected", name[:-1] + ("ăi" if name.endswith(("ca", "ga")) else "ei")
            )
        return "Lui " + self.mark("person_inflected", name)

    def day(self) -> str:
        return self.keep(self.rng.choice(["Luni", "Marți", "Miercuri", "Joi", "Vineri", "Sâmbătă"]))

    def county(self) -> str:
        if self.rng.random() < 0.3:
            return self.mark("locality", self.pick("md_districts"))
        return self.mark("locality", self.pick("counties"))

    # -- organisations ---------------------------------------------------------------------
    def brand(self) -> str:
        word = self.pick("words").capitalize()
        shape = self.rng.random()
        if shape < 0.35:
            return f"{word} {self.rng.choice(BRAND_SUFFIX)}"
        if shape < 0.55:
            return f"{self.rng.choice(BRAND_SUFFIX)} {word}"
        if shape < 0.75:
            return f"{word} {self.pick('words').capitalize()}"
        return word

    def organisation(self) -> str:
        brand = self.brand()
        shape = self.rng.randrange(9)
        if shape == 0:
            return self.mark("organisation", f"SC {brand} SRL")
        if shape == 1:
            return self.mark("organisation", f"{brand} SRL")
        if shape == 2:
            return self.mark("organisation", f"SRL «{brand}»")
        if shape == 3:
            return self.mark("organisation", f"{brand} SA")
        if shape == 4:
            name, _ = self.first()
            return self.mark("organisation", f"ÎI {self.pick('surnames')} {name}")
        if shape == 5:
            name, _ = self.first()
            return self.mark("organisation", f"PFA {self.pick('surnames')} {name}")
        if shape == 6:
            return self.mark("organisation", f"Asociația «{brand}»")
        if shape == 7:
            return self.mark("organisation", f"Fundația {brand}")
        return self.mark("organisation", f"ONG „{brand}”")

    def shop(self) -> str:
        shop = self.plain(self.rng.choice(SHOPS))
        brand = self.brand()
        quoted = self.rng.random() < 0.6
        name = f"«{brand}»" if quoted else brand
        return f"{shop} {self.mark('organisation', name)}"

    def school(self) -> str:
        place = self.locality_name()[0]
        famous = f"{self.first()[0]} {self.pick('surnames')}"
        n = self.rng.randint(1, 30)
        shape = self.rng.randrange(9)
        text = [
            f"Școala Gimnazială nr. {n} {place}",
            f"Școala Gimnazială „{famous}” din {place}",
            f"Liceul Teoretic „{famous}” din {place}",
            f"Liceul Tehnologic {place}",
            f"Colegiul Național „{famous}”",
            f"Grădinița cu Program Prelungit nr. {n} {place}",
            f"Gimnaziul {place}",
            f"Liceul Teoretic {famous}",
            f"Școala Profesională nr. {n} din {place}",
        ][shape]
        return self.mark("school", text)

    def body(self) -> str:
        shape = self.rng.randrange(7)
        place = self.locality_name()[0]
        if shape == 0:
            return f"{self.plain('Primăria')} {self.mark('public_body', place)}"
        if shape == 1:
            return f"{self.plain('Primăria comunei')} {self.mark('public_body', place)}"
        if shape == 2:
            return f"DGASPC {self.mark('public_body', self.pick('counties'))}"
        if shape == 3:
            return f"{self.plain('Postul de Poliție')} {self.mark('public_body', place)}"
        if shape == 4:
            district = self.pick("md_districts")
            return (
                f"{self.plain('Direcția Asistență Socială')} {self.mark('public_body', district)}"
            )
        if shape == 5:
            return f"{self.plain('Spitalul Județean')} {self.mark('public_body', self.pick('counties'))}"
        return f"{self.plain('Poliția')} {self.mark('public_body', place)}"

    # -- shapes ----------------------------------------------------------------------------
    def date(self) -> str:
        rng = self.rng
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1945, 2024)
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][
            month - 1
        ]
        months = [
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
        ]
        shapes = [
            f"{day:02d}.{month:02d}.{year}",
            f"{day}.{roman}.{year}",
            f"{day} {months[month - 1]} {year}",
            f"{day:02d}/{month:02d}/{year % 100:02d}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day}-{roman}-{year}",
            f"{day} {months[month - 1][:3]}. {year}",
        ]
        return self.mark("date", rng.choice(shapes))

    def address(self) -> str:
        rng = self.rng
        block = f"{rng.choice('ABCDEFGHMP')}{rng.randint(1, 20)}"
        parts = [
            f"bl. {block}, sc. {rng.randint(1, 4)}, ap. {rng.randint(1, 80)}",
            f"ap. {rng.randint(1, 90)}",
            f"sc. {rng.choice('ABCD')}, ap. {rng.randint(1, 60)}",
            f"blocul {rng.randint(1, 40)}, ap. {rng.randint(1, 90)}",
            f"bl. {block}, ap. {rng.randint(1, 60)}",
        ]
        return self.mark("address", rng.choice(parts))

    def street(self) -> str:
        rng = self.rng
        return self.mark(
            "address",
            f"str. {self.pick('surnames')} nr. {rng.randint(1, 120)}, bl. "
            f"{rng.choice('ABC')}{rng.randint(1, 9)}, ap. {rng.randint(1, 60)}",
        )

    def phone(self) -> str:
        rng = self.rng
        shapes = [
            f"07{rng.randint(20, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            f"+373 {rng.randint(60, 79)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            f"06{rng.randint(0, 9)}{rng.randint(100000, 999999)}",
        ]
        return self.mark("phone", rng.choice(shapes))

    def email(self) -> str:
        name = fold(self.first()[0]).lower()
        return self.mark("email", f"{name}.{self.rng.randint(70, 99)}@gmail.com")

    def national_id(self) -> str:
        rng = self.rng
        digits = str(rng.choice([1, 2, 5, 6])) + "".join(str(rng.randint(0, 9)) for _ in range(12))
        return self.mark("national_id", digits)

    def holiday(self) -> str:
        return self.keep(self.rng.choice(HOLIDAYS))

    def country(self) -> str:
        return self.keep(self.rng.choice(COUNTRIES))

    def subject(self) -> str:
        return self.keep(self.rng.choice(SUBJECTS))

    def institution(self) -> str:
        return self.keep(self.rng.choice(INSTITUTIONS))

    def month(self) -> str:
        return self.keep(self.rng.choice(MONTHS))

    def app(self) -> str:
        return self.keep(self.rng.choice(APPS))


# Sentence templates: {slot} calls the Writer method of that name; {T} is the student's first
# name, {TT} the student's full name, {G} the parent who gave consent (all known to the case).
TEMPLATES = [
    "{TT} locuiește cu bunica în satul {locality}, iar mama lucrează în {country} de doi ani.",
    "Familia s-a mutat din {locality} la {locality} după {holiday}.",
    "Mama lucrează la {organisation}, iar tatăl la {shop}.",
    "Elevul a învățat până în clasa a VIII-a la {school}.",
    "Am discutat cu {titled} despre absențe; a promis că îl aduce la școală.",
    "Bunica {genitive} a venit la ședință pe {date} și a semnat acordul.",
    "Locuiesc la {address}, într-o garsonieră cu două camere.",
    "{T} spune că {titled} îl ajută la teme după ore.",
    "Am primit adresa de la {body}, cu ancheta socială din {date}.",
    "Tatăl este plecat la muncă în {country}; copilul stă cu {titled}.",
    "În discuția de consiliere, eleva a povestit că {titled} o ceartă des.",
    "I-am spus: „{vocative}, te așteptăm luni la școală.”",
    "Am vorbit la telefon cu {G} ({phone}); ne-a trimis certificatul pe {app}.",
    "Eleva a fost transferată de la {school} în {month}.",
    "De {holiday} familia a plecat în {locality} la rude.",
    "Fratele {genitive} lucrează ca ucenic la {shop}.",
    "Asistenta socială de la {body} a confirmat ajutorul pentru lemne.",
    "{diminutive} are emoții mari înainte de testele de {subject}.",
    "Consilierea a continuat cu {titled}, la cabinetul școlii.",
    "Bunicul s-a născut pe {date} în {locality_with_area}.",
    "Adresa de domiciliu: {street}.",
    "Vecina din {locality}, {person}, ne-a anunțat că băiatul nu doarme acasă.",
    "Mama a găsit de lucru la {organisation}, în tura de noapte.",
    "Am recomandat evaluare la {body}; programarea este pe {date}.",
    "{T} vrea să lucreze după școală la {shop}, lângă gară.",
    "Profesorul de {subject} a observat că elevul lipsește lunea.",
    "Ultima întâlnire cu {titled} a fost pe {date}.",
    "Copiii au rămas singuri în casa din {locality}, la marginea satului.",
    "Am luat legătura cu {school} pentru situația școlară.",
    "Eleva locuiește acum la {address}, la mătușa ei.",
    "Din {month} elevul face practică la {organisation}.",
    "{person} este prietenul cel mai bun al elevului și vine zilnic la poartă.",
    "În vacanța de {holiday} elevul a lucrat la {shop} din {locality}.",
    "Bunica primește pensie de urmaș din {country}; telefonul ei este {phone}.",
    "Familia {person} are grijă de copil cât timp mama este la {institution}.",
    "Eleva a vorbit cu {titled} despre mutarea la {locality}.",
    "Am primit răspuns de la {body} abia după {holiday}.",
    "Tatăl lui {T}, {person}, lucrează la {organisation} din {locality}.",
    "Dirigintele a scris un e-mail la {email}, fără răspuns.",
    "Mama are CNP {national_id} și nu are carte de identitate valabilă.",
    "A fost internat la {body} în {month}, după o criză de anxietate.",
    "Au stat o vreme la rude în {locality_with_area}.",
    "Eleva îi scrie des lui {person} pe {app}.",
    "{titled} a adus o declarație scrisă la {institution}.",
    "Elevul a primit bursă socială din {month}; o ajută pe bunica {genitive}.",
    "Sora mai mare a absolvit {school} și lucrează acum la {organisation}.",
    "Copilul a fost găsit la {locality}, la o stație de autobuz, de {titled}.",
    "Din discuția cu {titled} reiese că tatăl consumă alcool.",
    "Certificatul de naștere arată data {date}, locul {locality}.",
    "Mama s-a recăsătorit cu {person} și s-au mutat la {address}.",
    "La ora de {subject}, {T} a lucrat bine în echipă cu {person}.",
    "Bunica a cerut ajutor la {institution} și la {body}.",
    "Am programat o vizită la domiciliu, în {locality}, pentru {date}.",
    "{T} și {diminutive} se ceartă des în pauze.",
    "Părinții lucrează sezonier în {country} și se întorc de {holiday}.",
    "Consilierea de grup a avut loc la {school}, cu elevii din clasa a X-a.",
    "Am sunat-o pe {titled}, care a confirmat că elevul a dormit la ea.",
    "Fratele mai mic merge la {school}, aproape de casă.",
    "Tatăl a fost angajat la {shop} până în {month}.",
    "Mătușa din {locality_with_area} s-a oferit să-l găzduiască.",
    "Primul contact cu familia a fost la {body}, în prezența lui {person}.",
    "Copilul este înscris la medicul de familie din {locality}, {titled}.",
    "Elevul a lipsit între {date} și {date}, fără scutire.",
    "Mama a pierdut locul de muncă de la {organisation} după {holiday}.",
    "I-am scris mamei pe {app}; a răspuns abia după o săptămână.",
    "Adresa nouă a familiei este în {locality}, la {address}.",
    "{vocative}, ai promis că vii la ora de {subject}!",
    "Băiatul are un prieten, {person}, care a abandonat școala anul trecut.",
    "Conform anchetei de la {body}, locuința are o singură cameră.",
    "Eleva vrea să urmeze cursurile de la {school}.",
    "Am discutat cazul în {institution}, cu acordul mamei.",
    "Fratele {genitive} a fost reținut de {titled}.",
    "Bunica, originară din {locality}, nu știe să citească.",
    "Elevul face naveta zilnic din {locality} cu microbuzul.",
    "Mama lucrează ca vânzătoare la {shop}, iar tatăl la {organisation}.",
    "{diminutive} s-a mutat la tatăl ei, în {country}.",
    "Am aflat de la {titled} că familia are datorii la întreținere.",
    "Consilierul școlar a trimis dosarul la {body} pe {date}.",
    "Ședința cu părinții din {month} a fost ținută pe {app}.",
    "Mama a semnat la {institution} o declarație pe propria răspundere.",
]


# A second development batch, written after the first measurement on the test set (without
# reading its misses): new contexts, so that tuning on it cannot be tuning on the first batch.
TEMPLATES_DEV2 = [
    "{person} a sunat la școală și a cerut o întâlnire cu dirigintele.",
    "{locality} este la 30 de km de școală, iar autobuzul trece de două ori pe zi.",
    "De la {locality} până la liceu elevul face o oră și jumătate.",
    "Familia locuiește între {locality} și {locality}, la o fermă.",
    "În zona {locality_genitive} nu există transport școlar.",
    "Primarul {locality_genitive} a promis lemne pentru iarnă.",
    "{diminutive} a plâns când a vorbit despre tatăl ei.",
    "Cu {person} am stabilit un plan de recuperare a materiei.",
    "Au fost prezenți: {person}, {person} și {titled}.",
    "Contacte: {person} (mama), {person} (bunica), {phone}.",
    "{person}, profesor de {subject}, a semnalat absențele.",
    "Eleva merge la biserica din {locality} cu bunica, în fiecare duminică.",
    "Tatăl e din {locality}, mama din {locality}.",
    "Înainte, copilul a stat la un centru de plasament în {locality}.",
    "S-au mutat în {country}, apoi s-au întors la {locality} după {holiday}.",
    "Acasă, {person} are grijă de frații mai mici.",
    "„{vocative}, nu mai lipsi!”, i-a spus mama în fața noastră.",
    "Ne-a spus: „Mă cheamă {diminutive} și vreau să termin școala.”",
    "Elevul {T} și colegul său {person} au fost implicați într-un conflict.",
    "L-am întâlnit pe {person} la {shop}, unde lucrează sâmbăta.",
    "{day} a venit la consiliere împreună cu {titled}.",
    "Pe {date} a avut loc ședința de caz, la {body}.",
    "La {body} ni s-a spus că dosarul este incomplet.",
    "Locuiesc în {locality}, {address}.",
    "{person} și {person} sunt verișorii care o ajută la teme.",
    "Am fost în vizită acasă la familia {surname}, în {locality}.",
    "{genitive_start} îi este greu să se trezească dimineața.",
    "Bunicii din partea tatălui, {person} și {person}, nu mai vorbesc cu mama.",
    "Mama vrea să-l mute la {school}, mai aproape de {locality}.",
    "{locality_start} are o singură școală, până în clasa a IV-a.",
    "Copilul a fost dus la {body} de {titled} pe {date}.",
    "De {holiday}, {person} i-a cumpărat haine noi.",
    "{surname} a fost văzut de vecini în {locality} în timpul orelor.",
    "Mama a lucrat la {organisation} până în {month}, apoi la {shop}.",
    "Elevul face naveta cu trenul {locality} – {locality}.",
    "Certificatul medical a fost eliberat de dr. {person} pe {date}.",
    "Am primit o scrisoare de la {organisation} despre un post de ucenic.",
    "Tatăl vitreg, {person}, lucrează la negru în {country}.",
    "{day}, după ore, a stat de vorbă cu {person}, colega de bancă.",
    "În {locality} familia are o casă veche, fără curent electric.",
]


# A third development batch, written after the second measurement on the test set showed the
# localities behind (its misses unread): places written in more ways.
TEMPLATES_DEV3 = [
    "Bunica stă în satul {locality}, comuna {locality}, județul {county}.",
    "Tatăl lucrează la o fermă lângă {locality}.",
    "Au venit din {locality_with_area} în toamnă.",
    "Mama are o cameră închiriată în {locality}, la o cunoștință.",
    "La {locality} elevul are prieteni cu care lipsește de la ore.",
    "Drumul {locality} – {locality} este greu iarna.",
    "Merge la bunici, la {locality}, în fiecare weekend.",
    "Eleva s-a născut la {locality} și a crescut la {locality}.",
    "Originari din {locality}, părinții s-au mutat la oraș.",
    "{locality_with_area} este satul natal al mamei.",
    "Sunt vecini cu familia {surname} din {locality}.",
    "Elevul a fost văzut la barul din centrul {locality_genitive}.",
    "A stat o lună la mătușa din {locality}, apoi la un unchi din {locality}.",
    "Casa din {locality} a fost vândută în {month}.",
    "Pe drum spre {locality} a pierdut autobuzul de două ori.",
    "Familia a primit o locuință socială în {locality_with_area}.",
    "{person} ne-a spus că băiatul a dormit la {locality}.",
    "Tatăl a plecat în {country}, iar mama s-a mutat la {locality}.",
    "Fratele mai mare lucrează la {organisation} din {locality}.",
    "Ancheta socială a fost făcută de {body}, la domiciliul din {locality}.",
]


def build(name: str, sources: dict, seed: int, cases: int) -> list[dict]:
    rng = random.Random(seed)
    wanted = "dev" if name.startswith("dev") else name
    first = [(n, g) for n, g in sources["first"].items() if side(n) == wanted]
    pools = {
        "first": first,
        "surnames": [s for s in sources["surnames"] if side(s) == wanted],
        "siruta": [p for p in sources["siruta"] if side(p[0]) == wanted],
        "md": [p for p in MD_VILLAGES if side(p[0]) == wanted],
        "md_districts": MD_DISTRICTS,
        "counties": RO_COUNTIES,
        "words": [w for w in sources["words"] if side(w) == wanted],
    }
    templates = [t for i, t in enumerate(TEMPLATES) if (i % 2 == 0) == (name == "dev")]
    if name == "dev2":
        templates = TEMPLATES_DEV2
    if name == "dev3":
        templates = TEMPLATES_DEV3
    out = []
    for number in range(cases):
        writer = Writer(rng, pools, no_diacritics=rng.random() < 0.25)
        student, gender = writer.first()
        surname = writer.pick("surnames")
        parent = f"{writer.first('f')[0]} {surname}"
        fields = {}
        for field in ("reason", "objective", "feedback", "impact", "lessons"):
            sentences = []
            for template in rng.sample(templates, rng.randint(3, 5)):
                sentences.append(_fill(template, writer, student, surname, parent))
            fields[field] = " ".join(sentences)
        out.append(
            {
                "id": f"{name}-{number:03d}",
                "student": [student, surname],
                "parent": parent,
                "no_diacritics": writer.no_diacritics,
                "texts": fields,
            }
        )
    return out


def _fill(template: str, writer: Writer, student: str, surname: str, parent: str) -> str:
    def slot(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "T":
            return writer.mark("student", student)
        if key == "TT":
            return writer.mark("student", f"{student} {surname}")
        if key == "G":
            return writer.mark("person", parent)
        return getattr(writer, key)()

    text = writer.plain(template)
    return re.sub(r"\{(\w+)\}", slot, text)


def main(src: Path) -> None:
    sources = load_sources(src)
    for name, seed, cases in (("dev", 1, 80), ("test", 2, 100), ("dev2", 3, 60), ("dev3", 4, 50)):
        corpus = build(name, sources, seed, cases)
        data = json.dumps(corpus, ensure_ascii=False, indent=0).encode("utf-8")
        with gzip.GzipFile(HERE / f"{name}.json.gz", "wb", mtime=0) as handle:
            handle.write(data)
        planted = sum(
            len(re.findall(r"\[\[", t)) for case in corpus for t in case["texts"].values()
        )
        kept = sum(len(re.findall(r"\{\{", t)) for case in corpus for t in case["texts"].values())
        print(f"{name}: {len(corpus)} cases, {planted} identifiers, {kept} kept words")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
