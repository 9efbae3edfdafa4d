"""The Romanian catalogue speaks one register: formal address (dumneavoastră), buttons included
("Adăugați", never "Adaugă"), and the comma below (ș ț, never the cedilla ş ţ)."""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "locale/ro/LC_MESSAGES/django.po"
# Second-person singular forms: possessives, pronouns and the verbs our messages use.
INFORMAL = re.compile(
    r"\b(tău|tale|tăi|îți|ție|poți|ești|dai|ai (?:fost|redactat|copiat)|l-ai|ți l-a|"
    r"verifică să|încearcă|alege (?:un|grupul)|completezi|cere un|a ta|scrii|"
    # An informal imperative with its pronoun ("înregistrează-l"; formally "înregistrați-l").
    r"\w+ează-(?:l|o|le))\b",
    re.IGNORECASE,
)


def _translations() -> list[str]:
    text = CATALOGUE.read_text()
    out = []
    for entry in text.split("\n\n")[1:]:
        if "msgstr" not in entry:
            continue
        out.append("".join(re.findall(r'"(.*)"', entry[entry.index("msgstr") :])))
    return out


def test_it_addresses_people_formally() -> None:
    informal = [t for t in _translations() if INFORMAL.search(t)]
    assert informal == []


# A button's label starting with the informal imperative ("Scoate", not "Scoateți").
INFORMAL_BUTTON = re.compile(
    r"^(Scoate|Salvează|Adaugă|Caută|Anulează|Descarcă|Șterge|Confirmă|Închide|Deschide|Mută|"
    r"Retrage|Selectează|Începe|Propune|Leagă|Înregistrează|Preia|Renunță|Marchează|Revocă|"
    r"Schimbă|Filtrează|Completează|Verifică|Introdu|Apasă|Publică|Invită|Programează)\b"
)


def test_it_words_buttons_formally() -> None:
    assert [t for t in _translations() if INFORMAL_BUTTON.search(t)] == []


def test_it_writes_s_and_t_with_the_comma_below() -> None:
    assert [t for t in _translations() if re.search("[şţŞŢ]", t)] == []


def test_it_writes_month_and_weekday_names_in_lower_case() -> None:
    import datetime

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("ro"):
        day = datetime.date(2026, 12, 4)
        assert date_format(day, "DATE_FORMAT") == "4 decembrie 2026"
        assert date_format(day, "l, j E") == "vineri, 4 decembrie"


def test_it_says_a_student_was_flagged_without_guessing_the_students_gender() -> None:
    from django.utils import translation

    with translation.override("ro"):
        said = translation.gettext("%(student)s is flagged; the office has been told.")
    # "Bianca a fost semnalat" was wrong for every girl; the noun phrase agrees with itself.
    assert "a fost semnalat" not in said
    assert said % {"student": "Bianca Stoica"} == (
        "Semnalare înregistrată pentru Bianca Stoica; biroul a fost anunțat."
    )


def test_it_writes_every_date_one_way() -> None:
    import datetime

    from django.utils import translation
    from django.utils.formats import date_format

    day = datetime.date(2026, 12, 4)
    moment = datetime.datetime(2026, 12, 4, 14, 30)
    with translation.override("ro"):
        for style in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert date_format(day, style) == "4 decembrie 2026"
        for style in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            assert date_format(moment, style) == "4 decembrie 2026, 14:30"


def test_it_leaves_the_way_of_writing_dates_to_the_formats() -> None:
    """A template names a format (DATE_FORMAT, …), never spells one, except the machine-read
    ``datetime`` attribute of <time>."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    spelled = []
    for path in templates.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for found in re.finditer(r"""\|date:["']([^"']+)["']""", line):
                attribute = re.search(r"datetime=[\"']\{\{ ?[\w.]+$", line[: found.start()])
                if not found[1].endswith("_FORMAT") and not attribute:
                    spelled.append(f"{path.relative_to(templates)}:{number}: {found[1]}")
    assert spelled == []


def test_it_writes_the_day_a_case_was_shared_in_words() -> None:
    from django.utils import translation

    from workflows.agenda import reason_text

    with translation.override("ro"):
        said = reason_text({"code": "newly_shared", "shared_on": "2026-11-28"})
    assert said == "Comunicat biroului la 28 noiembrie 2026; nu s-a luat încă o decizie."


# The informal imperatives a button label or an instruction would start with.
INFORMAL_BUTTONS = re.compile(
    r'^msgstr "(Spune|Dă|Scrie|Introdu|Apasă|Folosește|Citește|Indică|Completează|Verifică|'
    r"Salvează|Adaugă|Deschide|Trimite|Caută|Încheie|Retrage|Comunică|Înregistrează|"
    r"Evaluează|Alege|Șterge|Modifică|Preia|Renunță|Închide|Anulează|Programează|Marchează|"
    r"Descarcă|Tipărește|Arată|Schimbă|Importă|Exportă|Creează|Trece|Începe|Reia|Publică|"
    r"Redactează|Acceptă|Respinge|Confirmă|Selectează|Bifează|Filtrează|Mută|Editează|Corectează)\b",
    re.MULTILINE,
)


def test_it_words_every_button_formally() -> None:
    found = INFORMAL_BUTTONS.findall(CATALOGUE.read_text(encoding="utf-8"))
    assert found == []


def _catalogue() -> dict[str, str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    out = {}
    for entry in text.split("\n\n")[1:]:
        if "msgstr" not in entry or "msgctxt" in entry or "msgid_plural" in entry:
            continue
        msgid = "".join(re.findall(r'"(.*)"', entry[entry.index("msgid") : entry.index("msgstr")]))
        out[msgid] = "".join(re.findall(r'"(.*)"', entry[entry.index("msgstr") :]))
    return out


# Statuses of feminine things: a task (sarcina), a referral (trimiterea), a meeting (ședința),
# a library entry (intrarea, fișa). Their words agree: "sarcină încheiată", never "încheiat".
FEMININE_STATUSES = [
    "open",
    "claimed",
    "done",
    "cancelled",
    "Requested",
    "Accepted",
    "Rejected",
    "Done",
    "Revoked",
    "Scheduled",
    "Cancelled",
    "Published",
    "Superseded by a newer version",
    "Withdrawn (tombstone)",
    "Published: partners and every member of staff can find it.",
]


def test_it_agrees_the_status_words_of_feminine_things() -> None:
    catalogue = _catalogue()
    disagree = {
        msgid: catalogue[msgid]
        for msgid in FEMININE_STATUSES
        if not re.match(r"\w+ă\b", catalogue[msgid])
    }
    assert disagree == {}
