"""The scrubber on what the case does not know: places, organisations, schools, public bodies,
names beyond the lists, dates and what is left of an address."""

from __future__ import annotations

import subprocess
import sys

import pytest

from casework.anonymise import KnownIdentifiers, doubts, scrub
from casework.anonymise.bloom import BloomFilter
from casework.anonymise.lexicon import gazetteer, is_romanian_word
from casework.anonymise.placeholders import LOCALITY_COUNTRY, LOCALITY_SUPPRESSED


def _clean(text: str, **kwargs: object) -> str:
    return scrub(text, KnownIdentifiers(), **kwargs).text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Bunica stă în satul Ciorescu, la Vaslui.",
            "Bunica stă în satul [localitate: R. Moldova, Chișinău], la "
            "[localitate: România, Nord-Est].",
        ),
        ("S-au mutat la Bârladului.", "S-au mutat la [localitate: România, Nord-Est]."),
        ("Familia e din Barlad.", "Familia e din [localitate: România, Nord-Est]."),
        (
            "Copilul a crescut în Baia Mare.",
            "Copilul a crescut în [localitate: România, Nord-Vest].",
        ),
        (
            "Pleacă la Soroca, raionul Soroca.",
            "Pleacă la [localitate: R. Moldova, Nord], raionul [localitate: R. Moldova, Nord].",
        ),
        # Several counties of one country: the country; villages of both countries: neither.
        ("Stau în comuna Unirea.", "Stau în comuna [localitate: România]."),
        ("Stau în comuna Victoria.", "Stau în comuna [localitate]."),
        # Moldova's villages, all of them, however they write î and â.
        ("Copilul a dormit la Puhoi.", "Copilul a dormit la [localitate: R. Moldova, Centru]."),
        ("Bunica e din Hârbovăț.", "Bunica e din [localitate: R. Moldova, Centru]."),
        ("Bunica e din Hîrbovăț.", "Bunica e din [localitate: R. Moldova, Centru]."),
        ("Tatăl lucrează la Mindresti.", "Tatăl lucrează la [localitate: R. Moldova, Centru]."),
        ("Locuiesc în satul Hârtopul Seac.", "Locuiesc în satul [localitate]."),
        (
            "Vin din Botoșani, jud. BT.",
            "Vin din [localitate: România, Nord-Est], jud. [localitate: România, Nord-Est].",
        ),
    ],
)
def test_it_replaces_localities_by_their_region(text: str, expected: str) -> None:
    assert _clean(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Părinții lucrează în Italia și în Republica Moldova.",
        "Victoria echipei a contat mult. Unirea a fost sărbătorită.",
        "Ziua de Crăciun și Duminica Floriilor le-a petrecut cu familia.",
        "De Sfânta Maria și de Paște a mers la Biserică.",
        "A luat nota 9 la Matematică și la Limba Română.",
        "Am discutat la Poliție și la Primărie, apoi la Consiliul Profesoral.",
    ],
)
def test_it_keeps_countries_holidays_and_ordinary_capitalised_words(text: str) -> None:
    assert _clean(text) == text


def test_it_generalises_localities_as_far_as_k_anonymity_asks() -> None:
    text = "Bunica stă în Vaslui."
    assert _clean(text, locality_level=LOCALITY_COUNTRY) == "Bunica stă în [localitate: România]."
    assert _clean(text, locality_level=LOCALITY_SUPPRESSED) == "Bunica stă în [localitate]."
    # A placeholder already in the text is generalised further, never made finer.
    once = _clean(text)
    assert _clean(once, locality_level=LOCALITY_COUNTRY) == "Bunica stă în [localitate: România]."
    assert _clean(once, language="en", locality_level=0) == once


def test_it_writes_regions_in_english_entries() -> None:
    assert _clean("The family moved to Vaslui.", language="en") == (
        "The family moved to [town: Romania, North-East]."
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Lucrează la SC Agro Dumbrava SRL.", "Lucrează la [organizație]."),
        ("Lucrează la S.C. Dacia S.A. de un an.", "Lucrează la [organizație] de un an."),
        ("Mama e la Lunca Prod SRL.", "Mama e la [organizație]."),
        ("Tata e la SRL «Vinăria Dealului».", "Tata e la [organizație]."),
        ("Lucrează la ÎI Ceban Ion.", "Lucrează la [organizație]."),
        ("E angajat la PFA Lungu Mihai.", "E angajat la [organizație]."),
        ("Merge la Asociația «Pași spre Viitor».", "Merge la [organizație]."),
        ("Ajutor de la Fundația Inimă de Copil.", "Ajutor de la [organizație]."),
        ("Lucrează la brutăria «Spicul de Aur».", "Lucrează la brutăria [organizație]."),
        ("Vinde la magazinul Dumbrava din centru.", "Vinde la magazinul [organizație] din centru."),
        ("Lucreaza la brutaria «Spicul».", "Lucreaza la brutaria [organizație]."),
    ],
)
def test_it_removes_organisations_by_their_legal_form_and_shop_words(
    text: str, expected: str
) -> None:
    assert _clean(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A fost elev la Școala Gimnazială nr. 5 Ghimbav.",
        "A fost elev la Liceul Teoretic „Ion Creangă” din Soroca.",
        "A fost elev la Colegiul Național „Mihai Eminescu”.",
        "A fost elev la Grădinița cu Program Prelungit nr. 3 Iași.",
        "A fost elev la Gimnaziul Pelinia.",
        "A fost elev la Scoala Profesionala nr. 2 din Bals.",
        # After the quoted name, the town even when no gazetteer holds it.
        "A fost elev la Școala Gimnazială „Grigore Vieru” Cotlon.",
    ],
)
def test_it_removes_schools_of_every_kind_with_their_town(text: str) -> None:
    assert _clean(text) == "A fost elev la [școala]."


@pytest.mark.parametrize("after", ["Mama", "Luni"])
def test_it_keeps_a_word_for_someone_or_a_kept_word_after_a_schools_name(after: str) -> None:
    text = f"A fost elev la Colegiul Național „Mihai Eminescu” {after}, apoi a plecat."
    assert _clean(text) == f"A fost elev la [școala] {after}, apoi a plecat."


def test_it_keeps_a_school_kind_that_names_no_school() -> None:
    assert _clean("Vrea să meargă la un Liceul Tehnologic.") == (
        "Vrea să meargă la un Liceul Tehnologic."
    )


def test_it_keeps_a_public_bodys_kind_and_removes_its_place() -> None:
    assert _clean("Ancheta a făcut-o DGASPC Vaslui cu Primăria comunei Unirea.") == (
        "Ancheta a făcut-o DGASPC [localitate: România, Nord-Est] cu Primăria comunei "
        "[localitate: România]."
    )
    assert _clean("A sunat Postul de Politie Tomesti.") == (
        "A sunat Postul de Politie [localitate: România]."
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Am vorbit cu d-na Ciorescu.", "Am vorbit cu d-na [nume]."),
        ("A venit agentul de poliție Mocanu.", "A venit agentul de poliție [nume]."),
        (
            "Vecina Tudosia și bunica lui Dorinel au venit.",
            "Vecina [nume] și bunica lui [nume] au venit.",
        ),
        ("L-am sunat pe Vasilică.", "L-am sunat pe [nume]."),
        ("Dorinel a lipsit.", "[nume] a lipsit."),
        ("Ilenuța a plâns, apoi a venit Gheorghiță.", "[nume] a plâns, apoi a venit [nume]."),
        ("Mariei îi este greu.", "[nume] îi este greu."),
        ("Radule, vino la oră!", "[nume], vino la oră!"),
        ("A vorbit cu Ciobanu și cu Codrescu.", "A vorbit cu [nume] și cu [nume]."),
        ("Contacte: Rotari Gennadiy (tata).", "Contacte: [nume] (tata)."),
        ("Bunica Veronica Bălăceanu a ajutat.", "Bunica [nume] a ajutat."),
    ],
)
def test_it_removes_names_no_list_holds_by_their_context(text: str, expected: str) -> None:
    assert _clean(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Născută pe 21.IX.1941.", "Născută pe [dată: septembrie 1941]."),
        ("Actele din 14/03/08.", "Actele din [dată: martie 2008]."),
        ("Actele din 02/05/55.", "Actele din [dată: mai 1955]."),
        ("Ședința din 14 martie 2008.", "Ședința din [dată: martie 2008]."),
        ("Ședința a fost pe 14.03, la școală.", "Ședința a fost pe [dată: martie], la școală."),
        ("Internat 26 noi. 1996.", "Internat [dată: noiembrie 1996]."),
        ("Scor 14.03 la test.", "Scor 14.03 la test."),
    ],
)
def test_it_removes_dates_in_every_written_form(text: str, expected: str) -> None:
    assert _clean(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Locuiesc la bl. A3, sc. 2, ap. 14.", "Locuiesc la ap. 7.", "Locuiesc la sc. B, ap. 21."],
)
def test_it_removes_what_is_left_of_an_address(text: str) -> None:
    assert _clean(text) == "Locuiesc la [adresă]."


def test_it_lists_the_capitalised_words_it_kept_and_cannot_explain() -> None:
    result = scrub(
        "Mama lucrează la Kaufland și merge la Crăciun la Bunești. Perișor, o comună mică, are o"
        " școală."
    )
    doubted = [result.text[d.start : d.end] for d in result.doubts]
    assert "Kaufland" not in result.text or "Kaufland" in doubted
    assert "Crăciun" not in doubted and "Mama" not in doubted
    assert "Perișor" in doubted  # an ordinary word opening a sentence, and a village
    assert [(d.start, d.end) for d in doubts(result.text)] == [
        (d.start, d.end) for d in result.doubts
    ]


def test_it_checks_words_against_a_compact_dictionary() -> None:
    assert is_romanian_word("saptamana") and is_romanian_word("lipseste")
    assert not is_romanian_word("dorinel") and not is_romanian_word("codrescu")
    bloom = BloomFilter.for_items(100, error_rate=0.01)
    bloom.add("mama")
    again = BloomFilter.from_bytes(bloom.to_bytes())
    assert "mama" in again and "tata" not in again
    with pytest.raises(ValueError):
        BloomFilter.from_bytes(b"not a filter at all.....")


def test_it_loads_the_gazetteers_only_when_first_used() -> None:
    code = (
        "import sys, casework.anonymise as a; from casework.anonymise import lexicon;"
        "print(lexicon.gazetteer.cache_info().currsize, 'django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]
    assert gazetteer().places["vaslui"]


@pytest.mark.parametrize(
    "text,gone",
    [
        # The words before a county or a district are a locality, whatever else they mean.
        ("Grind, județul Timiș este satul natal al mamei.", "Grind"),
        ("Sub Plai, județul Caraș-Severin, e departe.", "Sub Plai"),
        ("Bunicul stă la Gura Bădicului (raionul Cahul).", "Gura Bădicului"),
        # After "zona" even an ordinary word is a place.
        ("În zona Bursucului nu există transport școlar.", "Bursucului"),
        # A village opening a sentence as its subject: no article, or a plural one.
        ("Hotarele are o singură școală.", "Hotarele"),
        ("Grădini este la 30 de km de școală.", "Grădini"),
        # "aproape de", "departe de" announce a place as "la" does.
        ("Vrea să se mute mai aproape de Puhoi.", "Puhoi"),
        # Where someone lives, comes from or goes: an ordinary word no gazetteer holds.
        ("Mama locuiește acum la Stejăriș, la o rudă.", "Stejăriș"),
        ("Din martie face naveta din Cotlon cu microbuzul.", "Cotlon"),
        ("Familia are pământ în Scoruș și la oraș.", "Scoruș"),
        # A city's sector is part of the place.
        ("Mama are o cameră în București Sectorul 1, la o cunoștință.", "Sectorul 1"),
        ("Actul arată locul București Sectorul 3. Elevul a lipsit.", "] 3."),
    ],
)
def test_it_removes_localities_by_the_words_around_them(text: str, gone: str) -> None:
    assert gone not in _clean(text)


@pytest.mark.parametrize(
    "text,kept",
    [
        # A full stop ends the sentence: the cue before it announces nothing after it.
        ("Părinții s-au mutat la oraș. Sunt vecini cu familia.", "Sunt vecini"),
        ("Familia stă în județul Bacău. Sunt vecini buni.", "Sunt vecini"),
        ("S-au mutat la oraș. Ancheta socială a fost făcută.", "Ancheta socială"),
        # An ordinary noun opening a sentence with its article is no village.
        ("Școala are o singură clasă.", "Școala are"),
        ("Pleacă la Soroca, raionul Soroca.", "Pleacă la"),
        # Holidays and months after "la", "în", "din" stay.
        ("Ne vedem la Crăciun, apoi în Septembrie, după Înălțare.", "Înălțare"),
        ("Ne vedem la Crăciun, apoi în Septembrie.", "Septembrie"),
        # After "la", "în", "din" a common noun written with a capital is no village.
        ("Ieri elevul a fost la Cantină, apoi în Pauză la Frizer.", "Cantină"),
        ("Ieri elevul a fost la Cantină, apoi în Pauză la Frizer.", "Frizer"),
        ("S-a întors din Excursie cu bine.", "Excursie"),
        # Ordinary words that only a Moldovan village shares need a word announcing a place.
        ("A primit o Lingură de la bunica.", "Lingură"),
        ("Mama zice că Fetița e bolnavă.", "Fetița"),
        ("Îi place Brânza cu mămăligă.", "Brânza"),
        ("Am mers cu Bucuria în excursie.", "Bucuria"),
        # "sunt din", "născut la" say nothing of a place.
        ("Colegii sunt din Grupa mare.", "Grupa"),
        ("S-a născut la Maternitate.", "Maternitate"),
    ],
)
def test_it_keeps_what_only_looks_announced_as_a_place(text: str, kept: str) -> None:
    assert kept in _clean(text)


@pytest.mark.parametrize(
    "text,gone",
    [
        ("Asistenta socială Maia Nițoiu a venit.", "Maia"),  # not the month "mai"
        ("Am vorbit cu profesoara Densușianu Maya, care a confirmat.", "Maya"),
        ("Tatăl vitreg, Ciocârlan, lucrează în Belgia.", "Ciocârlan"),
        ("Am fost în vizită la familia Ciocârlan, acasă.", "Ciocârlan"),
        ("Contacte: Melita (mama), 0722123456.", "Melita"),
        ("Au fost prezenți: Visa, dirigintele și mama.", "Visa"),
        ("Bunicii, Popescu și Meda, nu mai vorbesc cu mama.", "Meda"),
        ("Violei îi este greu să se trezească.", "Violei"),
        ("Nitule, ai promis că vii la ora de Istorie!", "Nitule"),
        ("„Violo, nu mai lipsi!”, i-a spus mama.", "Violo"),
        ("Bivol a sunat la școală.", "Bivol"),
        ("Elina ne-a spus că băiatul a dormit acasă.", "Elina"),
        ("Fita Buhoiu a venit la ședință.", "Fita"),
        ("A fost dus la spital de inspectoarea I. Spătaru pe 3 mai.", "I. "),
        ("A fost în prezența lui S. Dumbravă. Elevul a lipsit.", "S. "),
    ],
)
def test_it_removes_names_by_how_a_sentence_uses_them(text: str, gone: str) -> None:
    assert gone not in _clean(text)


@pytest.mark.parametrize(
    "text,kept",
    [
        ("Copilului îi este greu dimineața.", "Copilului"),
        ("Mâine, te așteptăm la școală.", "Mâine"),
        ("Dragule, ai promis că vii!", "Dragule"),
        ("Mama ne-a spus că băiatul a dormit acasă.", "Mama"),
        ("Apoi Popescu a sunat la școală.", "Apoi"),
        ("În Gornea familia are o casă veche.", "În"),
        ("Școala a sunat la Poliție.", "Școala"),
    ],
)
def test_it_keeps_the_ordinary_words_around_names(text: str, kept: str) -> None:
    assert kept in _clean(text)


@pytest.mark.parametrize(
    "text,gone",
    [
        ("Vin din Vadul lui Isac, cu autobuzul.", " lui "),  # longer than the gazetteer's name
        ("Adresa nouă e str. Teilor 8, Jora de Mijloc.", "Mijloc"),  # after an address
        ("Bunica s-a mutat la Jora de Mijloc anul trecut.", "Mijloc"),
        ("Vale, județul Cluj, e satul natal al mamei.", "Vale"),  # a place noun before a county
        ("Am anunțat Primăria satului Trușeni.", "Trușeni"),
        ("Locuiesc pe bd. Teilor nr. 135/1, ap. 11.", "/1"),
    ],
)
def test_it_removes_localities_and_addresses_written_in_full(text: str, gone: str) -> None:
    assert gone not in _clean(text)


@pytest.mark.parametrize(
    "text,kept",
    [
        ("Face naveta prin Gară, apoi prin Piață și pe lângă Stadion.", "Stadion"),
        ("Face naveta prin Gară, apoi prin Piață și pe lângă Stadion.", "Gară"),
        ("Face naveta prin Piață. Lui Ion i s-a spus.", "Piață"),
        ("Tema a fost trimisă la ana.pop@gmail.com. La ora de Istorie a lipsit.", "La ora"),
        ("Ședințele au avut loc Sâmbătă, la cabinet.", "Sâmbătă"),
        ("Familia a cerut ajutor de la Secția Asistență Socială.", "Secția"),
    ],
)
def test_it_keeps_place_nouns_days_and_institutions(text: str, kept: str) -> None:
    assert kept in _clean(text)


@pytest.mark.parametrize(
    "text,gone",
    [
        ("Vă comunicăm că minorul PĂDURE Ionuț a fost identificat.", "PĂDURE"),
        ("A fost sesizat telefonic de MITREA Victoria, vecina.", "Victoria"),
        ("O întâlnire cu Ursu, psihologul școlar, e programată.", "Ursu"),
        ("Va scrie Victoria, vecina lor, că sunt singuri.", "Victoria"),
        ("Aureliei i s-a spus că nu mai poate intra.", "Aureliei"),
        ("Locuiește cu sora ei, Paraschiva Pădure, într-un pat.", "Pădure"),
    ],
)
def test_it_removes_names_the_way_letters_and_reports_write_them(text: str, gone: str) -> None:
    assert gone not in _clean(text)


def test_it_keeps_capital_headings() -> None:
    text = "RAPORT DE EVALUARE PSIHOLOGICĂ\nCONCLUZII\nElevul a progresat."
    assert _clean(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "De Crăciun a stat acasă. La Paște a venit tatăl. Până la Florii nu a mai venit.",
        "Crăciun a fost greu pentru familie. Paștele a trecut fără probleme.",
        "S-au întors din Germania în Decembrie. Pleacă în Spania în Mai, la Rusalii.",
        "Îl așteptăm la Primărie, apoi la Poștă, la Gară și la Piață, lângă Biserică.",
        "Mama lucrează în Irlanda de Nord, tatăl în Emiratele Arabe Unite.",
        "Tatăl e în Țara Galilor, unchiul în Noua Zeelandă, mătușa în Arabia Saudită.",
        "Doamne, ai grijă de el! Mamă, te rog, vino. Paște fericit!",
    ],
)
def test_it_keeps_holidays_months_place_nouns_and_countries_wherever_they_stand(text: str) -> None:
    assert _clean(text) == text


@pytest.mark.parametrize(
    "text,gone",
    [
        ("Școala: IP Liceul Teoretic „Ion Creangă” din Ghidighici.", "IP"),
        ("Satul natal: Cârcea. Domiciliul actual: Iași.", "Cârcea"),
        ("Ruta zilnică: Breb – Ieud, cu rata de la 7.", "Breb"),  # noqa: RUF001
    ],
)
def test_it_removes_schools_and_places_in_forms_and_lists(text: str, gone: str) -> None:
    assert gone not in _clean(text)


def test_it_takes_the_town_after_a_schools_quoted_name_into_the_school() -> None:
    text = "A fost la Colegiul Național „Mihai Eminescu” Iași, apoi acasă."
    assert _clean(text) == "A fost la [școala], apoi acasă."


def test_it_keeps_the_word_after_a_schools_name_when_it_is_no_town() -> None:
    assert "Mama a spus" in _clean("A fost la Liceul Teoretic „Ion Creangă” Mama a spus.")


@pytest.mark.parametrize(
    "text",
    [
        "Am notat absențele în Catalog și am discutat la Ora de Dirigenție.",
        "Cazul a fost trecut în Registrul Matricol și trimis la Ministerul Educației.",
        "A venit în Ajunul Crăciunului. Participă la Balul Bobocilor și la Săptămâna Altfel.",
        "A fost dus la Urgențe. Tatăl a fost la Muncă în Străinătate.",
    ],
)
def test_it_keeps_the_words_of_school_life_and_services(text: str) -> None:
    assert _clean(text) == text


@pytest.mark.parametrize(
    "text,gone",
    [
        ("Familia locuiește între Puhoi și Soroca, la o fermă.", "Puhoi"),
        ("Vin din Soroca și Puhoi, cu rata.", "Puhoi"),
        ("Locuiesc în Puhoi, str. Teilor 8.", "Puhoi"),
        ("Sunt vecini cu Ion Rusu din Puhoi.", "Puhoi"),
        ("A lucrat la brutăria «Spic» din Puhoi.", "Puhoi"),
        ("Bunica, originară din Puhoi, nu știe să citească.", "Puhoi"),
    ],
)
def test_it_removes_a_village_that_is_a_word_by_its_neighbours(text: str, gone: str) -> None:
    assert gone not in _clean(text)


def test_it_keeps_an_ordinary_word_joined_to_a_place_when_it_is_kept() -> None:
    assert "Mama a zis" in _clean("Merg la Soroca și Mama a zis că vine.")


@pytest.mark.parametrize(
    "text,gone",
    [
        ("buna ziua, azi nu vine la scoala. multumesc, Manea", "Manea"),
        ("Vă rugăm să ne comunicați situația.\nCu respect, Tulbure", "Tulbure"),
    ],
)
def test_it_removes_the_name_that_signs_a_message(text: str, gone: str) -> None:
    assert gone not in _clean(text)


def test_it_keeps_a_title_that_is_also_a_village() -> None:
    assert _clean("Mulțumesc, Doamna dirigintă.") == "Mulțumesc, Doamna dirigintă."
    assert "Doamna" not in _clean("Bunica stă în satul Doamna, județul Neamț.")
