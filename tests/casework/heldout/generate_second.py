# ruff: noqa: E501, SIM905, RUF059, RUF001 - a data generator: long sentences, word lists and en dashes are the text it writes
"""Generate the second held-out corpus (second_dev.json.gz, second_test.json.gz).

    python tests/casework/heldout/generate_second.py

Written after the first corpus, by hand, from sources the detector does not read and the first
corpus did not use:

- first names and surnames: composed by hand from general knowledge of Moldovan and Romanian
  naming (no list of any registry, no scraped or leaked data); every name the first corpus's
  generator already holds is dropped, and the measurement reports how many of the rest happen
  to be in the detector's own lists (``in_lists``);
- localities: Moldovan villages and Romanian villages picked by hand (real places); Romania's
  are necessarily in the SIRUTA register the detector ships, Moldova's mostly not in its short
  GeoNames list — the report counts both;
- organisations, schools, public bodies, addresses, phones, e-mails, national ids, dates:
  made up here;
- writing styles: a social worker's field notes, a psychologist's report with ALL-CAPS
  headings, letters from the police and the child-protection directorate (surnames in capitals
  as such letters write them), SMS-like messages without diacritics, and a class teacher's
  notes.

Split for good by a fixed rule: the templates of each style alternate between the sets (even
position → development, odd → test); names and places go to one set by the parity of a stable
hash (sha1) of the item. The seed is fixed, the files are committed, CI reads them.

Marks: [[kind|text]] is a planted identifier, {{text}} an ordinary word that must stay.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

FIRST_F = """Aurelia Cristina Nadejda Parascovia Valentina Lilia Mariana Tatiana Ecaterina Zinaida
Liuba Galina Rodica Silvia Veronica Angela Raisa Dorina Svetlana Natalia Ala Olesea Victoria
Corina Diana Nicoleta Cătălina Loredana Gabriela Mirela Daniela Lăcrămioara Georgiana Adina
Roxana Anișoara Ileana Smaranda Zamfira Safta Paraschiva Axinia Vasilisa Eudochia Tamara Lidia
Stela Iuliana Emilia Larisa Snejana Xenia Marcela Ruxandra Letiția Tudora Domnica Nastasia
Evghenia Violeta Lucreția Cezara Sânziana Ilinca Irina Teodora Elisabeta Zoița""".split()
FIRST_M = """Vasile Gheorghe Ion Nicolae Petru Mihail Dumitru Serghei Vladimir Igor Victor Valeriu
Anatol Eugen Sergiu Andrei Vitalie Iurie Ghenadie Veaceslav Oleg Radu Tudor Cristian Marian
Costel Florin Ionuț Bogdan Cosmin Sorin Viorel Gigel Dănuț Marcel Octavian Aurel Toma Iacob
Grigore Pavel Simion Zaharia Ilie Trofim Parfenie Nichita Spiridon Emilian Răzvan Silviu
Horia Lucian Ovidiu Adrian Dorin Costache Ștefan Tiberiu Laurențiu Mircea Valentin Corneliu
Fănel Ticu Gicu Nelu""".split()
SURNAMES = """Ciobanu Munteanu Rotaru Cojocaru Moraru Bivolaru Lupașcu Guțuleac Țurcanu Crudu Harea
Goncear Zaporojan Eșanu Tulbure Guzun Cușnir Chirtoacă Sandu Ursu Gîrbu Pîrvan Bodiu Căldare
Cernat Ciubotaru Dumitraș Furtună Grosu Hâncu Jardan Lungu Mazur Nani Oprea Pădure Rusnac
Sârbu Talmaci Ungureanu Vlas Zgureanu Ababei Bejenaru Caraman Donțu Frunze Ganea Iavorschi
Lozan Manea Negară Onofrei Plămădeală Roșca Stog Tofan Vicol Bucătaru Ceapă Dodon Gâdei
Hristea Istrati Leu Mocanu Nistor Pâslaru Racu Strătilă Toderaș Vrânceanu Zugravu Bâzgan
Cârciumaru Dulgheru Fierăscu Gheorghiu Iftime Mitrea Niculescu Pârvulescu Șerban Teodorescu
Vătămanu Anghel Badea Coman Dobre Enache Fătu Ghiță Ilie Lăzărescu Mihăilă Neacșu Paraschiv
Rădulescu Stoian Tudorache Vasilescu""".split()
# Moldovan villages (general knowledge), their district.
MD_PLACES = [
    ("Ghidighici", "Chișinău"), ("Trușeni", "Chișinău"), ("Bubuieci", "Chișinău"),
    ("Colonița", "Chișinău"), ("Tohatin", "Chișinău"), ("Stăuceni", "Chișinău"),
    ("Costești", "Ialoveni"), ("Răzeni", "Ialoveni"), ("Ruseștii Noi", "Ialoveni"),
    ("Pănășești", "Strășeni"), ("Micăuți", "Strășeni"), ("Greblești", "Strășeni"),
    ("Vălcineț", "Călărași"), ("Nișcani", "Călărași"), ("Temeleuți", "Călărași"),
    ("Mereșeni", "Hîncești"), ("Bobeica", "Hîncești"), ("Sărata-Galbenă", "Hîncești"),
    ("Jora de Mijloc", "Orhei"), ("Butuceni", "Orhei"), ("Morovaia", "Orhei"),
    ("Răspopeni", "Șoldănești"), ("Cușelăuca", "Șoldănești"), ("Cotiujenii Mari", "Șoldănești"),
    ("Ciorescu", "Chișinău"), ("Hârbovăț", "Anenii Noi"), ("Gura Bîcului", "Anenii Noi"),
    ("Taraclia de Salcie", "Cahul"), ("Manta", "Cahul"), ("Slobozia Mare", "Cahul"),
    ("Vadul lui Isac", "Cahul"), ("Cania", "Cantemir"), ("Ciobalaccia", "Cantemir"),
    ("Lărguța", "Cantemir"), ("Sofia", "Drochia"), ("Chetrosu", "Drochia"),
    ("Zăicani", "Rîșcani"), ("Văratic", "Rîșcani"), ("Ochiul Alb", "Drochia"),
    ("Brânzeni", "Edineț"), ("Trinca", "Edineț"), ("Larga", "Briceni"),
    ("Pererîta", "Briceni"), ("Mîndrești", "Telenești"), ("Sărătenii Vechi", "Telenești"),
]  # fmt: skip
# Romanian villages (general knowledge), their county: in SIRUTA, as every one is.
RO_PLACES = [
    ("Rășinari", "Sibiu"), ("Sibiel", "Sibiu"), ("Gura Râului", "Sibiu"), ("Cârța", "Sibiu"),
    ("Viscri", "Brașov"), ("Hoghiz", "Brașov"), ("Șona", "Brașov"), ("Racoș", "Brașov"),
    ("Ciumani", "Harghita"), ("Sânzieni", "Covasna"), ("Mălini", "Suceava"),
    ("Ciocănești", "Suceava"), ("Breaza de Sus", "Suceava"), ("Vama", "Suceava"),
    ("Ruginoasa", "Iași"), ("Cozmești", "Iași"), ("Ciurea", "Iași"), ("Popricani", "Iași"),
    ("Dagâța", "Iași"), ("Tanacu", "Vaslui"), ("Muntenii de Jos", "Vaslui"),
    ("Pochidia", "Vaslui"), ("Tutova", "Vaslui"), ("Cosmești", "Galați"), ("Smulți", "Galați"),
    ("Jorăști", "Galați"), ("Mânzălești", "Buzău"), ("Bozioru", "Buzău"), ("Pătârlagele", "Buzău"),
    ("Drăgănești-Vlașca", "Teleorman"), ("Ciuperceni", "Teleorman"), ("Băleni", "Dâmbovița"),
    ("Corbii Mari", "Dâmbovița"), ("Maglavit", "Dolj"), ("Cârcea", "Dolj"), ("Bârca", "Dolj"),
    ("Vaideeni", "Vâlcea"), ("Horezu", "Vâlcea"), ("Săpânța", "Maramureș"),
    ("Breb", "Maramureș"), ("Ieud", "Maramureș"), ("Botiza", "Maramureș"),
    ("Moisei", "Maramureș"), ("Răchițele", "Cluj"), ("Mărișel", "Cluj"), ("Sâncraiu", "Cluj"),
]  # fmt: skip
SCHOOL_PATRONS = [
    "Mihai Eminescu", "Ion Creangă", "Vasile Alecsandri", "George Coșbuc", "Lucian Blaga",
    "Alexei Mateevici", "Grigore Vieru", "Nicolae Iorga", "Spiru Haret", "Ștefan cel Mare",
    "Dimitrie Cantemir", "Constantin Stere", "Liviu Rebreanu", "Octavian Goga",
]  # fmt: skip
ORG_WORDS = [
    "Vitacom", "Agrolux", "Moldcarton", "Dacoprest", "Fulgerul", "Bucovina Lemn", "Pomicola",
    "Nordic Trans", "Codrii Noi", "Izvoraș", "Lactis", "Panificația", "Spicul Auriu",
    "Grădina Bunicii", "Casa Verde", "Doina Prod", "Tehnoserv", "Rapid Auto", "Eco Fruct",
    "Primăvara", "Stejarul Verde",
]  # fmt: skip

HOLIDAYS = [
    "Crăciun",
    "Florii",
    "Paște",
    "Paști",
    "Rusalii",
    "Bobotează",
    "Revelion",
    "Anul Nou",
    "Sânziene",
    "Hramul satului",
]
MONTHS = [
    "ianuarie",
    "Februarie",
    "martie",
    "Aprilie",
    "mai",
    "Iunie",
    "iulie",
    "August",
    "septembrie",
    "Octombrie",
    "noiembrie",
    "Decembrie",
]
COUNTRIES = [
    "Italia",
    "Germania",
    "Rusia",
    "Marea Britanie",
    "Israel",
    "Franța",
    "Spania",
    "Portugalia",
    "Irlanda",
    "Cehia",
    "Polonia",
    "Turcia",
    "Ucraina",
    "România",
    "Republica Moldova",
]
SUBJECTS = [
    "Matematică",
    "Limba Română",
    "Istorie",
    "Geografie",
    "Fizică",
    "Chimie",
    "Biologie",
    "Educație Fizică",
    "Limba Engleză",
    "Informatică",
]
APPS = ["Viber", "WhatsApp", "Facebook", "TikTok", "Instagram", "Messenger", "Telegram"]
DAYS = ["Luni", "Marți", "Miercuri", "Joi", "Vineri", "Sâmbătă", "Duminică"]
# Common nouns of places people write with a capital letter.
PLACE_NOUNS = [
    "Gară",
    "Piață",
    "Spital",
    "Primărie",
    "Biserică",
    "Poștă",
    "Policlinică",
    "Centru",
    "Bibliotecă",
    "Stadion",
    "Parc",
    "Dispensar",
    "Autogară",
]
HEADINGS = [
    "RAPORT DE EVALUARE PSIHOLOGICĂ", "ANCHETĂ SOCIALĂ", "CONCLUZII", "RECOMANDĂRI",
    "DATE DE IDENTIFICARE", "OBSERVAȚII", "MOTIVUL SOLICITĂRII", "ISTORIC FAMILIAL",
    "SITUAȚIA ȘCOLARĂ", "PLAN DE INTERVENȚIE",
]  # fmt: skip
BODIES_RO = [
    "Direcția Generală de Asistență Socială și Protecția Copilului",
    "Inspectoratul de Poliție Județean",
    "Serviciul Public de Asistență Socială",
    "Primăria comunei",
    "Postul de Poliție",
]
BODIES_MD = [
    "Direcția Asistență Socială și Protecția Familiei",
    "Inspectoratul de Poliție",
    "Primăria satului",
    "Secția Asistență Socială",
]


def fold(text: str) -> str:
    return (
        "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        .replace("ș", "s")
        .replace("ț", "t")
        .replace("Ș", "S")
        .replace("Ț", "T")
    )


def side(item: str) -> str:
    """The set an item belongs to, for good: the parity of a stable hash of it."""
    return "dev" if int(hashlib.sha1(item.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _first_corpus_items() -> set[str]:
    """Every capitalised word of the first corpus's generator: none of it is used again."""
    source = (HERE / "generate.py").read_text(encoding="utf-8")
    return set(re.findall(r"[A-ZĂÂÎȘȚ][a-zăâîșț]+", source))


class Writer:
    def __init__(self, rng: random.Random, pools: dict[str, list], plain: bool) -> None:
        self.rng = rng
        self.pools = pools
        self.no_diacritics = plain

    def t(self, text: str) -> str:
        return fold(text) if self.no_diacritics else text

    def mark(self, kind: str, text: str) -> str:
        return f"[[{kind}|{self.t(text)}]]"

    def keep(self, text: str) -> str:
        return "{{" + self.t(text) + "}}"

    def pick(self, pool: str):
        return self.rng.choice(self.pools[pool])

    # people
    def first(self, gender: str | None = None) -> tuple[str, str]:
        gender = gender or self.rng.choice("fm")
        return self.pick("first_" + gender), gender

    def person(self, gender: str | None = None, caps: bool = False) -> str:
        name, _ = self.first(gender)
        surname = self.pick("surnames")
        if caps:
            return self.mark("person", f"{surname.upper()} {name}")
        shape = self.rng.random()
        text = (
            f"{name} {surname}"
            if shape < 0.5
            else f"{surname} {name}"
            if shape < 0.65
            else name
            if shape < 0.85
            else surname
        )
        return self.mark("person", text)

    def genitive(self) -> str:
        name, g = self.first()
        if g == "f" and name.endswith("a"):
            return self.mark(
                "person_inflected", name[:-1] + ("ăi" if name.endswith(("ca", "ga")) else "ei")
            )
        return "lui " + self.mark("person_inflected", name)

    def vocative(self) -> str:
        name, g = self.first()
        if g == "f" and name.endswith("a"):
            return self.mark("person_inflected", name[:-1] + "o")
        if name.endswith("u"):
            return self.mark("person_inflected", name + "le")
        if name.endswith(("e", "i", "a")):
            return self.mark("person_inflected", name)
        return self.mark("person_inflected", name + "e")

    def diminutive(self) -> str:
        name, g = self.first()
        stem = name[:-1] if name.endswith(("a", "e", "ie")) else name
        suffix = self.rng.choice(["uța", "ica", "ișoara"] if g == "f" else ["ică", "uț", "el"])
        return self.mark("person_inflected", stem + suffix)

    # places and bodies
    def place(self, country: str | None = None) -> str:
        country = country or self.rng.choice(["MD", "RO"])
        name, _ = self.pick("md" if country == "MD" else "ro")
        return self.mark("locality", name)

    def place_with_area(self) -> str:
        if self.rng.random() < 0.5:
            name, district = self.pick("md")
            return f"{self.mark('locality', name)}, {self.t('raionul')} {self.mark('locality', district)}"
        name, county = self.pick("ro")
        return f"{self.mark('locality', name)}, {self.t('județul')} {self.mark('locality', county)}"

    def body(self) -> str:
        if self.rng.random() < 0.5:
            name, district = self.pick("md")
            head = self.rng.choice(BODIES_MD)
            where = name if head == "Primăria satului" else district
        else:
            name, county = self.pick("ro")
            head = self.rng.choice(BODIES_RO)
            where = name if head in ("Primăria comunei", "Postul de Poliție") else county
        return f"{self.t(head)} {self.mark('public_body', where)}"

    def school(self) -> str:
        patron = self.pick("patrons")
        town = self.pick("md" if self.rng.random() < 0.5 else "ro")[0]
        shape = self.rng.randrange(5)
        text = [
            f"Liceul Teoretic „{patron}” din {town}",
            f"Gimnaziul nr. {self.rng.randint(1, 9)} {town}",
            f"Școala Gimnazială „{patron}” {town}",
            f"Grădinița nr. {self.rng.randint(1, 30)} din {town}",
            f"Colegiul Tehnic „{patron}”",
        ][shape]
        return self.mark("school", text)

    def school_extra(self) -> str:
        patron = self.pick("patrons")
        town = self.pick("md" if self.rng.random() < 0.5 else "ro")[0]
        text = self.rng.choice([
            f"IP Liceul Teoretic „{patron}” din {town}",
            f"Școala Profesională nr. {self.rng.randint(1, 9)} din {town}",
            f"Gimnaziul „{patron}” din satul {town}",
            f"Colegiul Național „{patron}” {town}",
            f"Școala Primară {town}",
            f"Liceul Tehnologic {town}",
            f"Grădinița „Licurici” din {town}",
        ])  # fmt: skip
        return self.mark("school", text)

    def org(self) -> str:
        word = self.pick("orgs")
        shape = self.rng.randrange(5)
        text = [
            f"S.C. {word} S.R.L.",
            f"SRL «{word}»",
            f"{word} SA",
            f"ÎI «{word}»",
            f"Asociația Obștească „{word}”",
        ][shape]
        return self.mark("organisation", text)

    def shop(self) -> str:
        kind = self.rng.choice(["magazinul", "brutăria", "cafeneaua", "atelierul", "ferma"])
        return f"{self.t(kind)} {self.mark('organisation', '«' + self.pick('orgs') + '»')}"

    # numbers and dates
    def date(self) -> str:
        day, month, year = (
            self.rng.randint(1, 28),
            self.rng.randint(1, 12),
            self.rng.randint(2005, 2025),
        )
        roman = "I II III IV V VI VII VIII IX X XI XII".split()[month - 1]
        names = "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie".split()
        text = self.rng.choice([
            f"{day:02d}.{month:02d}.{year}", f"{day} {names[month - 1]} {year}", f"{day}/{month}/{year % 100:02d}",
            f"{day:02d}-{roman}-{year}", f"{year}-{month:02d}-{day:02d}", f"{day}.{month}.{year}",
        ])  # fmt: skip
        return self.mark("date", text)

    def phone(self) -> str:
        digits = "".join(str(self.rng.randint(0, 9)) for _ in range(6))
        text = self.rng.choice([
            f"+373 69 {digits[:3]} {digits[3:]}", f"0{self.rng.choice('67')}{digits}{self.rng.randint(0, 9)}",
            f"0744-{digits[:3]}-{digits[3:]}", f"0040 722 {digits[:3]} {digits[3:]}", f"079{digits}",
        ])  # fmt: skip
        return self.mark("phone", text)

    def email(self) -> str:
        name, _ = self.first()
        surname = self.pick("surnames")
        user = (
            fold(f"{name}.{surname}").lower()
            if self.rng.random() < 0.5
            else fold(surname).lower() + str(self.rng.randint(70, 99))
        )
        return self.mark(
            "email", f"{user}@{self.rng.choice(['mail.md', 'yahoo.com', 'gmail.com', 'ymail.com'])}"
        )

    def national_id(self) -> str:
        head = self.rng.choice(["1", "2", "5", "6", "09", "20"])
        return self.mark(
            "national_id",
            head + "".join(str(self.rng.randint(0, 9)) for _ in range(13 - len(head))),
        )

    def address(self) -> str:
        street = self.rng.choice(
            [
                "Ștefan cel Mare",
                "Livezilor",
                "Teilor",
                "Mihai Viteazul",
                "Independenței",
                "Trandafirilor",
                "Păcii",
                "Dacia",
                "Grădinilor",
            ]
        )
        n = self.rng.randint(1, 140)
        text = self.rng.choice([
            f"str. {street} {n}, ap. {self.rng.randint(1, 90)}",
            f"bd. {street} nr. {n}/{self.rng.randint(1, 4)}, ap. {self.rng.randint(1, 90)}",
            f"str. {street}, nr. {n}, bl. A{self.rng.randint(1, 9)}, sc. {self.rng.randint(1, 4)}, et. {self.rng.randint(1, 9)}, ap. {self.rng.randint(1, 90)}",
            f"strada {street} {n}",
        ])  # fmt: skip
        return self.mark("address", text)

    # kept words
    def k(self, pool: list[str]) -> str:
        return self.keep(self.rng.choice(pool))


Template = Callable[[Writer, str, str], str]
# Each template: (writer, the student's first name marked, the student's full name marked).
STYLES: dict[str, list[Template]] = {
    "social worker": [
        lambda w, s, S: (
            f"Am efectuat vizita la domiciliu în {w.place()}, {w.address()}, pe {w.date()}. Erau acasă bunica {w.person('f')} și fratele mai mic."
        ),
        lambda w, s, S: (
            f"Mama, {w.person('f')}, lucrează în {w.k(COUNTRIES)} din {w.k(MONTHS)} și trimite bani prin {w.person()}."
        ),
        lambda w, s, S: (
            f"De {w.k(HOLIDAYS)}, copilul a stat la mătușa {w.person('f')} din {w.place()}."
        ),
        lambda w, s, S: (
            f"Tatăl, {w.person('m')}, a fost găsit la {w.k(PLACE_NOUNS)}, sub influența alcoolului; vecinul {w.person('m')} a anunțat {w.body()}."
        ),
        lambda w, s, S: (
            f"Locuința are două camere; {S} doarme cu sora ei, {w.person('f')}, într-un pat. Familia primește ajutor social de la {w.body()}."
        ),
        lambda w, s, S: (
            f"Am discutat la {w.k(PLACE_NOUNS)} cu asistentul medical comunitar {w.person()}, tel. {w.phone()}."
        ),
        lambda w, s, S: (
            f"Bunicul, {w.person('m')}, originar din {w.place_with_area()}, are grijă de vite și nu mai vede bine."
        ),
        lambda w, s, S: (
            f"Fratele mai mare lucrează la {w.org()} în {w.k(COUNTRIES)}, iar {w.genitive()} îi trimite haine de {w.k(HOLIDAYS)}."
        ),
        lambda w, s, S: (
            f"Am lăsat numărul de telefon al DGASPC; mama a sunat de pe {w.phone()} în aceeași seară."
        ),
        lambda w, s, S: (
            f"{w.person('f')} ne-a spus că {s} lipsește des de {w.k(HOLIDAYS)} până după {w.k(HOLIDAYS)}."
        ),
        lambda w, s, S: (
            f"Vecina, doamna {w.person('f')}, spune că {s} stă mult la {w.shop()} din centrul satului."
        ),
        lambda w, s, S: (
            f"Familia s-a mutat din {w.place()} în {w.place()} în {w.k(MONTHS)}, după ce casa a fost vândută lui {w.person('m')}."
        ),
    ],
    "psychologist": [
        lambda w, s, S: (
            f"{w.keep('RAPORT')} {w.keep('DE')} {w.keep('EVALUARE')} {w.keep('PSIHOLOGICĂ')}\nNume și prenume: {S}, născut(ă) la {w.date()}, IDNP/CNP {w.national_id()}."
        ),
        lambda w, s, S: (
            f"{w.k(HEADINGS)}\nEvaluarea a fost solicitată de {w.body()}, prin adresa din {w.date()}."
        ),
        lambda w, s, S: (
            f"{w.k(HEADINGS)}\n{s} relatează că se înțelege bine cu colega {w.person('f')}, dar evită orele de {w.k(SUBJECTS)}."
        ),
        lambda w, s, S: (
            f"În timpul testării, {s} a vorbit despre tatăl vitreg, {w.person('m')}, și despre plecarea mamei în {w.k(COUNTRIES)}."
        ),
        lambda w, s, S: (
            f"{w.k(HEADINGS)}\nSe recomandă consiliere săptămânală la {w.school()} și o întâlnire cu {w.person()}, psihologul școlar."
        ),
        lambda w, s, S: (
            f"Copilul o numește pe bunică „{w.diminutive()}” și povestește cu drag despre vacanța de {w.k(HOLIDAYS)}."
        ),
        lambda w, s, S: (
            f"La proba desenului familiei, a desenat-o pe {w.person('f')} (mama) departe de ceilalți; scrie pe {w.k(APPS)} cu verișorul {w.person('m')}."
        ),
        lambda w, s, S: (
            f"{w.k(HEADINGS)}\nRezultatele la {w.k(SUBJECTS)} s-au îmbunătățit din {w.k(MONTHS)}; profesoara {w.person('f')} confirmă."
        ),
        lambda w, s, S: (
            f"Ședințele au avut loc {w.k(DAYS)}, la cabinetul din {w.school()}; părintele a fost contactat la {w.email()}."
        ),
        lambda w, s, S: (
            f"Mama a declarat: „{w.vocative()}, tu ești singurul meu sprijin.” Relația cu {w.genitive()} este tensionată."
        ),
    ],
    "letter": [
        lambda w, s, S: (
            f"Către {w.school()}\nVă comunicăm că minorul {w.person(caps=True)}, domiciliat în {w.place()}, {w.address()}, a fost identificat pe {w.date()}."
        ),
        lambda w, s, S: (
            f"{w.body()} vă aduce la cunoștință că numitul {w.person('m', caps=True)} a fost sancționat contravențional pe {w.date()}."
        ),
        lambda w, s, S: (
            f"Subsemnatul, agent principal {w.person('m')}, din cadrul {w.body()}, am fost sesizat telefonic de {w.person('f')}."
        ),
        lambda w, s, S: (
            f"Prin prezenta, vă rugăm să ne comunicați situația școlară a elevului {S}, CNP {w.national_id()}, până la data de {w.date()}."
        ),
        lambda w, s, S: (
            f"În urma sesizării nr. 1234 din {w.date()}, s-a constatat că minora locuiește cu concubinul mamei, {w.person('m', caps=True)}, în {w.place_with_area()}."
        ),
        lambda w, s, S: (
            f"Persoana de contact: {w.person()}, specialist principal, tel. {w.phone()}, e-mail {w.email()}."
        ),
        lambda w, s, S: (
            f"Copia actului de identitate al mamei, {w.person('f', caps=True)}, se anexează. Informăm că familia a solicitat sprijin la {w.body()}."
        ),
        lambda w, s, S: (
            f"Vă informăm că tatăl minorului a plecat în {w.k(COUNTRIES)} în {w.k(MONTHS)} și nu a mai revenit în {w.place()}."
        ),
        lambda w, s, S: (
            f"Conducătorul auto, {w.person('m', caps=True)}, angajat la {w.org()}, a declarat că nu îl cunoaște pe minor."
        ),
        lambda w, s, S: (
            f"Ancheta a fost efectuată de inspector {w.person()} împreună cu asistentul social {w.person()}, la {w.address()}."
        ),
    ],
    "sms": [
        lambda w, s, S: w.t(
            f"buna ziua, sunt mama lui {s}, azi nu vine la scoala ca e bolnav. multumesc, {w.person('f')}"
        ),
        lambda w, s, S: w.t(
            f"dna diriginta va rog sunati-ma pe {w.phone()} dupa ora 17, sunt la lucru in {w.k(COUNTRIES)}"
        ),
        lambda w, s, S: w.t(
            f"{s} sta la bunica in {w.place()} pana dupa {w.k(HOLIDAYS)}, ne intoarcem pe {w.date()}"
        ),
        lambda w, s, S: w.t(
            f"am vorbit cu {w.person()} de la primarie, zice ca actele sunt gata {w.k(DAYS)}"
        ),
        lambda w, s, S: w.t(
            f"ok, vin eu cu tatal lui, {w.person('m')}. scrieti-mi si pe {w.k(APPS)}"
        ),
        lambda w, s, S: w.t(
            f"nu mai stiu ce sa fac cu el, sta toata ziua la {w.person('m')} in sat si la {w.shop()}"
        ),
        lambda w, s, S: w.t(
            f"Buna seara! Va scrie {w.person('f')}, vecina lor din {w.place()}. copiii sunt singuri acasa de {w.k(DAYS)}"
        ),
        lambda w, s, S: w.t(f"{w.vocative()}, suna-ma urgent!! e vorba de {s}"),
        lambda w, s, S: w.t(f"adresa noua e {w.address()}, {w.place()}. mailul meu {w.email()}"),
        lambda w, s, S: w.t(
            f"multumim pt tot, de {w.k(HOLIDAYS)} venim cu {w.genitive()} sa va salutam"
        ),
    ],
    "class teacher": [
        lambda w, s, S: (
            f"La ora de {w.k(SUBJECTS)}, {s} a refuzat să lucreze; colegul {w.person('m')} l-a provocat."
        ),
        lambda w, s, S: (
            f"Am convocat părinții pe {w.date()}; a venit doar {w.person('f')}, bunica."
        ),
        lambda w, s, S: (
            f"{S} a lipsit 34 de ore în {w.k(MONTHS)}. Am anunțat {w.body()} și pe mediatoarea {w.person('f')}."
        ),
        lambda w, s, S: (
            f"La serbarea de {w.k(HOLIDAYS)} a recitat o poezie; a venit și {w.person()} de la {w.org()}, sponsorul școlii."
        ),
        lambda w, s, S: (
            f"Din {w.k(MONTHS)} face naveta din {w.place()} cu microbuzul, prin {w.k(PLACE_NOUNS)}."
        ),
        lambda w, s, S: (
            f"Transferat de la {w.school()} pe {w.date()}, la cererea mamei, {w.person('f')}."
        ),
        lambda w, s, S: (
            f"{w.genitive().replace('lui ', 'Lui ', 1) if w.rng.random() < 0.5 else w.genitive()} i s-a spus că nu mai poate intra în clasă fără părinte."
        ),
        lambda w, s, S: (
            f"Am aflat de la {w.person()} că familia pleacă în {w.k(COUNTRIES)} după {w.k(HOLIDAYS)}."
        ),
        lambda w, s, S: (
            f"Nota la teza de {w.k(SUBJECTS)}: 5. Tema a fost trimisă pe {w.k(APPS)}, la {w.email()}."
        ),
        lambda w, s, S: (
            f"Elevul stă în bancă cu {w.diminutive()} și se ceartă des cu {w.person()} în pauze."
        ),
    ],
}


# A second development set (dev2), written after the first tuning, on places and schools in
# contexts of their own: development only, with the development set's names and villages.
PLACES_AND_SCHOOLS: list[Template] = [
    lambda w, s, S: f"Satul natal: {w.place()}. Domiciliul actual: {w.place_with_area()}.",
    lambda w, s, S: (
        f"Născut în {w.place()} (raionul {w.mark('locality', w.pick('md')[1])}), crescut de bunici."
    ),
    lambda w, s, S: (
        f"Pe drumul spre {w.place()} nu circulă microbuzul iarna; {s} merge pe jos până la {w.place()}, prin {w.k(PLACE_NOUNS)}."
    ),
    lambda w, s, S: (
        f"Stă în chirie la {w.place()}, la o rudă, din {w.k(MONTHS)}, de pe {w.date()}."
    ),
    lambda w, s, S: (
        f"A învățat până în clasa a IV-a la {w.school_extra()}, apoi a fost transferat la {w.school_extra()}."
    ),
    lambda w, s, S: f"Elevul a fost înscris la {w.school_extra()} pe {w.date()}.",
    lambda w, s, S: f"Ruta zilnică: {w.place()} – {w.place()}, cu rata de la 7:10.",
    lambda w, s, S: f"Mama s-a recăsătorit și locuiește acum la {w.place()}, lângă {w.place()}.",
    lambda w, s, S: f"Localitatea: {w.place()}. Școala: {w.school_extra()}.",
    lambda w, s, S: (
        f"{w.t('Familia')} are pământ în {w.place()} și în {w.place()}, unde lucrează vara."
    ),
    lambda w, s, S: (
        f"Am primit dosarul de la {w.school_extra()}, cu caracterizarea dirigintei {w.person('f')}."
    ),
    lambda w, s, S: (
        f"Bunicii sunt din {w.place()}, dar de {w.k(HOLIDAYS)} merg la fiica lor în {w.place()} sau în {w.k(COUNTRIES)}."
    ),
]


def pools(name: str) -> dict[str, list]:
    used = _first_corpus_items()

    def mine(items: list, key: Callable = lambda x: x) -> list:
        return [i for i in items if side(key(i)) == name and key(i).split()[0] not in used]

    return {
        "first_f": mine(FIRST_F),
        "first_m": mine(FIRST_M),
        "surnames": mine(SURNAMES),
        "md": mine(MD_PLACES, lambda p: p[0]),
        "ro": mine(RO_PLACES, lambda p: p[0]),
        "patrons": SCHOOL_PATRONS,
        "orgs": ORG_WORDS,
    }


def generate(name: str, cases: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    pool = pools("dev" if name == "dev2" else name)
    parity = 0 if name == "dev" else 1
    if name == "dev2":
        return _generate_places(rng, pool, cases)
    out = []
    for number in range(cases):
        plain = rng.random() < 0.25
        writer = Writer(rng, pool, plain)
        first, gender = writer.first()
        surname = writer.pick("surnames")
        parent = f"{writer.first('f')[0]} {surname}"
        s = writer.mark("student", first)
        full = writer.mark("student", f"{first} {surname}")
        texts: dict[str, str] = {}
        for style, templates in STYLES.items():
            mine = [t for i, t in enumerate(templates) if i % 2 == parity]
            chosen = rng.sample(mine, k=min(3, len(mine)))
            # SMS messages are pasted one a line; the other styles run on as one text.
            glue = "\n" if style == "sms" else " "
            texts[style] = glue.join(t(writer, s, full) for t in chosen)
        out.append({
            "id": f"second-{name}-{number:03d}", "student": [first, surname], "parent": parent,
            "no_diacritics": plain, "texts": texts,
        })  # fmt: skip
    return out


def _generate_places(rng: random.Random, pool: dict[str, list], cases: int) -> list[dict]:
    out = []
    for number in range(cases):
        writer = Writer(rng, pool, rng.random() < 0.25)
        first, _ = writer.first()
        surname = writer.pick("surnames")
        chosen = rng.sample(PLACES_AND_SCHOOLS, k=4)
        text = " ".join(
            t(writer, writer.mark("student", first), writer.mark("student", f"{first} {surname}"))
            for t in chosen
        )
        out.append({
            "id": f"second-dev2-{number:03d}", "student": [first, surname],
            "parent": f"{writer.first('f')[0]} {surname}", "no_diacritics": writer.no_diacritics,
            "texts": {"places": text},
        })  # fmt: skip
    return out


if __name__ == "__main__":
    for name, seed in (("dev", 20261127), ("test", 20261128), ("dev2", 20261129)):
        corpus = generate(name, 60, seed)
        data = json.dumps(corpus, ensure_ascii=False, indent=0).encode("utf-8")
        # mtime=0: the same corpus makes the same bytes, so regenerating changes no file.
        with gzip.GzipFile(HERE / f"second_{name}.json.gz", "wb", mtime=0) as handle:
            handle.write(data)
        print(name, len(corpus))
