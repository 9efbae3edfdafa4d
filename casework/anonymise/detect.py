"""Spotting names the case does not know: name lists, and rules that need no list.

A capitalised word is a name when
- it follows a cue: kinship, a title, a role, the genitive "lui", the object marker "pe"
  ("mama lui Cosmin", "d-na Ciorescu", "agentul de poliție Mocanu", "l-am sunat pe Dorin");
- it is in the name lists (Faker's, and the larger Romanian and Moldovan ones shipped as data),
  in any Romanian inflection or diminutive (*Mariei*, *Ionuțule*, *Ilenuța*), or has a surname
  ending (-escu, -eanu, -iuc …) — at the start of a sentence only if it is no ordinary word;
- in Romanian text, it stands inside a sentence and is no Romanian word (the shipped
  dictionary): Romanian capitalises little else mid-sentence, and that little — holidays,
  institutions, countries, months — is kept by name;
- it is glued to another name ("Svetlana Grosu", "Ana-Maria").
Saints' names after "Sfântul"/"Sf." are feasts, not people ("de Sfântul Nicolae").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from casework.anonymise import lexicon
from casework.anonymise.names import (
    COMMON_WORDS,
    CUE_WORDS,
    NEVER_NAMES,
    NameDictionary,
    base_forms,
    name_forms,
)
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import Kind
from casework.anonymise.places import COUNTRIES
from casework.anonymise.text import starts_sentence

_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t]*[-‐‑]?[ \t]*")


_CUES = frozenset(c.rstrip(".") for c in CUE_WORDS)
_ABBREVIATED_CUES = frozenset(
    {"dl", "dna", "d-na", "d-l", "prof", "dr", "mr", "mrs", "ms", "pr", "dlui", "dnei", "d-nei"}
)
# Words between a role and the name: "agentul de poliție X", "medicul de familie X",
# "asistenta socială X", "profesoara de română X".
_ROLE_QUALIFIERS = frozenset(
    [
        "de",
        "politie",
        "familie",
        "social",
        "sociala",
        "scolar",
        "scolara",
        "comunitar",
        "comunitara",
        "medical",
        "medicala",
        "romana",
        "matematica",
        "engleza",
        "istorie",
        "sport",
        "serviciu",
        "caz",
        "sprijin",
        "la",
        "primarie",
        "din",
        "partea",
        "clasei",
        "lor",
        "ei",
        "lui",
        "sau",
        "sa",
        "vitreg",
        "vitrega",
        "mai",
        "mare",
        "mic",
        "mica",
        "mijlociu",
    ]
)
_SAINTS = frozenset({"sfantul", "sfanta", "sf", "sfintii", "sfintilor", "sfantului"})


@dataclass
class _Token:
    start: int
    end: int
    text: str
    folded: str
    forms: list[str]
    capitalised: bool
    sentence_start: bool
    name: bool = False


def _never(token: _Token) -> bool:
    """Words that are never names themselves: months, institutions, countries, the cues."""
    return any(
        f in NEVER_NAMES or f in _CUES or f in COUNTRIES
        for f in base_forms(token.folded)
        # A three-letter base ("mai" of "Maia", "may" of "Maya") is too short to tell.
        if f == token.folded or len(f) >= 4
    )


def _in_dictionary(token: _Token, names: NameDictionary, extra: set[str], *, core: bool) -> bool:
    return any(f in extra or names.is_name(f, core=core) for f in token.forms)


def _is_first_name(token: _Token, names: NameDictionary, *, core: bool = False) -> bool:
    if core:
        # Only the word itself: "Alina a sunat" (a first name that is also a verb), not a
        # diminutive or an inflection of one.
        return names.is_first_name(token.folded, core=True)
    return any(names.is_first_name(f) for f in token.forms)


_PREVIOUS = re.compile(r"([^\W\d_][\w'’-]*)(\.?)[\s,:]*$")


def _words_before(folded: str, start: int, count: int) -> list[tuple[str, bool]]:
    """The ``count`` words before ``start``, nearest first, each with whether a full stop
    follows it."""
    out: list[tuple[str, bool]] = []
    end = start
    for _ in range(count):
        m = _PREVIOUS.search(folded[max(0, end - 40) : end])
        if m is None:
            break
        out.append((m.group(1), bool(m.group(2))))
        end = max(0, end - 40) + m.start()
        if folded[max(0, end - 1) : end] in ".!?\n":
            break
    return out


def _cue_before(folded: str, token: _Token) -> bool:
    words = _words_before(folded, token.start, 4)
    for index, (word, stop) in enumerate(words):
        if stop and word not in _ABBREVIATED_CUES:
            return False  # "… cu diriginta. Am discutat": a full stop ends the sentence
        if word in _CUES:
            return True
        if word not in _ROLE_QUALIFIERS or index >= 2:
            return False
    return False


def _saint(folded: str, token: _Token) -> bool:
    words = _words_before(folded, token.start, 1)
    return bool(words) and words[0][0] in _SAINTS


def _romanian_word(token: _Token) -> bool:
    return lexicon.is_romanian_word(token.folded)


def unknown_name_spans(
    original: str,
    folded: str,
    names: NameDictionary,
    extra: set[str],
    *,
    romanian: bool = True,
) -> Iterator[Span]:
    tokens: list[_Token] = []
    for m in _WORD.finditer(original):
        text = m.group()
        if not text[0].isupper():
            continue
        fold_text = folded[m.start() : m.end()]
        tokens.append(
            _Token(
                start=m.start(),
                end=m.end(),
                text=text,
                folded=fold_text,
                forms=name_forms(fold_text),
                capitalised=True,
                sentence_start=starts_sentence(original, m.start()),
            )
        )
    romanian_at = _romanian_sentences(original, folded) if romanian else []
    for token in tokens:
        if len(token.folded) < 2 or _never(token) or _saint(folded, token):
            continue
        common = token.folded in COMMON_WORDS
        upper = token.text.isupper() and len(token.text) > 1
        cued = (
            _cue_before(folded, token)
            or _kin_after(original, folded, token)
            or _initial_before(original, token)
        )
        if cued and not upper:
            token.name = True
        elif len(token.folded) < 3:
            continue
        elif common:
            # "Rusu", "Lupu", "Grecu": ordinary words in the name lists, names where Romanian
            # writes no such word (the colloquial "-u" is no word of a written note).
            subject = token.sentence_start and _subject(original, token, names)
            token.name = _inside(romanian_at, token.start) and (
                not _romanian_word(token) or subject
            )
        elif upper:
            # Upper-case words are acronyms unless they are names ("POPESCU Andrei").
            token.name = _in_dictionary(token, names, extra, core=True)
        elif token.sentence_start:
            listed = _in_dictionary(token, names, extra, core=True)
            token.name = listed and (
                not (romanian and _romanian_word(token))
                or bool(STRONG_SURNAME_ENDINGS.search(token.folded))
                or _dative_follows(original, token)
                or _is_first_name(token, names, core=True)
            )
            if not token.name and _inside(romanian_at, token.start):
                token.name = _subject(original, token, names)
            if not token.name and _inside(romanian_at, token.start):
                # "Violei îi este greu", "Nitule, ai promis că vii!": a dative opening a
                # sentence, or someone addressed, is a person even when the word is a word.
                token.name = _dative_person(original, token) or _vocative(original, token)
            if not token.name and _inside(romanian_at, token.start):
                # "Mario, te așteptăm!": a word opening a sentence and set off by a comma is
                # someone addressed when it is a name in any form. Otherwise a word opening a
                # Romanian sentence that is no Romanian word is a name ("Ilenuța a plâns",
                # "Mariei îi este greu").
                token.name = (listed and _addressed(original, token)) or not _romanian_word(token)
        elif _in_dictionary(token, names, extra, core=False):
            token.name = True
        elif _inside(romanian_at, token.start):
            # Mid-sentence and capitalised: a name that is also a word ("Ursu"), or no word,
            # or the subject of a clause after a comma ("De Revelion, Tarsita i-a cumpărat").
            ambiguous = token.folded in names.ambiguous and not _in_title(original, token)
            token.name = (
                ambiguous
                or not _romanian_word(token)
                or (_after_comma(original, token) and _subject(original, token, names))
            )
    _capital_surnames(original, tokens, names)
    _chain(original, tokens, names)
    for token in tokens:
        if token.name:
            yield Span(token.start, token.end, Kind.PERSON, 5)


_SENTENCE = re.compile(r"[^.!?\n]+")
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-zăâîșțşţ][^\W\d_]+")


_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "was",
        "were",
        "on",
        "with",
        "he",
        "she",
        "they",
        "we",
        "his",
        "her",
        "their",
        "at",
        "for",
        "from",
        "by",
        "has",
        "have",
        "had",
        "been",
        "will",
        "would",
        "this",
        "that",
        "which",
        "who",
        "not",
        "but",
    ]
)


def _romanian_sentences(original: str, folded: str) -> list[tuple[int, int]]:
    """The sentences written in Romanian: most of their lower-case words are Romanian words.
    Only there does "capitalised and no Romanian word" say "name"."""
    spans = []
    for m in _SENTENCE.finditer(original):
        words = [
            folded[w.start() : w.end()] for w in _LOWER_WORD.finditer(original, m.start(), m.end())
        ]
        known = sum(lexicon.is_romanian_word(w) for w in words)
        english = sum(w in _ENGLISH_FUNCTION_WORDS for w in words)
        if not words or (known * 2 >= len(words) + 1 and english * 3 < len(words)):
            spans.append((m.start(), m.end()))
    return spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


_TITLE_GLUE = re.compile(r"[A-ZĂÂÎȘȚŞŢ][^\W\d_]*[ \t]+(?:de|al|a|din|pentru|și|si)[ \t]+$")


def _in_title(original: str, token: _Token) -> bool:
    """ "Postul de Poliție", "Colegiul de Arte": an ordinary word inside a capitalised title."""
    return bool(_TITLE_GLUE.search(original, max(0, token.start - 40), token.start))


# Endings only surnames have, even when the same letters make an adjective ("Codrescu").
STRONG_SURNAME_ENDINGS = re.compile(r"(?:escu|eanu|iuc|ciuc|enco|enko|ovici|evici|schi)$")
_DATIVE = re.compile(r"[ \t]+(?:îi|ii|i-a|i-au|i-am|i-ar|i[ \t]+s-a|i[ \t]+se|le|lui)\b")


def _dative_follows(original: str, token: _Token) -> bool:
    """ "Mariei îi este greu": a word opening a sentence in the dative is someone."""
    return bool(_DATIVE.match(original, token.end))


_DATIVE_ENDING = re.compile(r"(?:ei|ii|ului)$")
# Words for people that open a sentence in the dative ("Copilului îi este greu"): no names.
_PEOPLE_NOUNS = frozenset(
    [
        "copilului",
        "baiatului",
        "fetei",
        "fetitei",
        "baietelului",
        "minorului",
        "minorei",
        "tinerei",
        "tanarului",
        "femeii",
        "barbatului",
        "familiei",
        "clasei",
        "scolii",
        "victimei",
        "persoanei",
        "celei",
        "celui",
        "fiecarei",
        "primei",
        "ultimei",
    ]
)


# The verb of a third person after the subject opening a sentence ("Bivol a sunat", "Elina
# ne-a spus", "Vrabie a fost văzut").
_THIRD_PERSON = re.compile(
    r"[ \t]+(?:(?:ne|i|l|m|le|mi|ți|ti|v|o)-a(?:u)?[ \t]+|a[ \t]+(?:mai[ \t]+)?(?:fost|sunat|venit"
    r"|spus|zis|declarat|cerut|plecat|lipsit|semnalat|anunțat|anuntat|adus|dus|trimis|confirmat"
    r"|povestit|recunoscut|refuzat|promis|explicat|lovit|amenințat|amenintat)\b)"
)
_ARTICLE_ENDING = re.compile(r"(?:ul|ua|ea|ia|le|lui|a|ă)$")


def _subject(original: str, token: _Token, names: NameDictionary) -> bool:
    """ "Bivol a sunat la școală", "Elina ne-a spus": a word opening a sentence before a verb
    of the third person is its subject; an ordinary noun there carries its article ("Mama",
    "Copilul"), a name does not need one. Listed names count whatever their ending."""
    if token.folded in _OPENERS or not _THIRD_PERSON.match(original, token.end):
        return False
    listed = (
        _is_first_name(token, names)
        or token.folded in names.ambiguous
        or token.folded in lexicon.name_lists().surnames
        or token.folded in lexicon.name_lists().first_names
    )
    return listed or not _ARTICLE_ENDING.search(token.folded)


def _after_comma(original: str, token: _Token) -> bool:
    return original[max(0, token.start - 3) : token.start].rstrip(" \t").endswith(",")


def _dative_person(original: str, token: _Token) -> bool:
    """ "Violei îi este greu": a word in the dative opening a sentence, before the dative
    pronoun, is someone, unless it is a word for people ("Copilului îi", "Mamei îi")."""
    return (
        _dative_follows(original, token)
        and bool(_DATIVE_ENDING.search(token.folded))
        and token.folded not in _PEOPLE_NOUNS
        and not any(f in _CUES for f in base_forms(token.folded))
    )


_VOCATIVE_ENDING = re.compile(r"(?:o|e|ule|ele)$")
# After "Nitule," someone is spoken to: a verb or a pronoun of the second person.
_SECOND_PERSON = re.compile(
    r"[,!][ \t]*(?:nu[ \t]+(?:mai[ \t]+)?)?(?:ai|ești|esti|te|tu|ți|ti|îți|iti|vii|vino|hai"
    r"|să[ \t]+vii|sa[ \t]+vii|să[ \t]+nu|sa[ \t]+nu)\b|[,!][ \t]*(?:nu[ \t]+(?:mai[ \t]+)?)?"
    r"[a-zăâîșț]+[ \t]*!",
)
# Words people are called by that are no names ("Dragule, ai promis", "Mamă, te rog").
_TERMS_OF_ADDRESS = frozenset(
    [
        "dragule",
        "draga",
        "iubitule",
        "puiule",
        "mamo",
        "tato",
        "bunico",
        "bunicule",
        "doamna",
        "domnule",
        "baiete",
        "fetito",
        "fato",
        "copile",
        "copii",
        "frate",
        "frate-miu",
        "soro",
        "mamaie",
        "tataie",
        "nene",
        "tanti",
        "prietene",
        "colega",
        "colege",
        "elevule",
        "doamne",
        "acolo",
        "poate",
        "mame",
        "atunci",
        "altfel",
        "mane",
        "maine",
        "bine",
        "gata",
        "vai",
        "ascultă",
        "asculta",
    ]
)


def _vocative(original: str, token: _Token) -> bool:
    """ "Nitule, ai promis că vii!", „Violo, nu mai lipsi!”: a word in the vocative opening a
    sentence or a quote, with the second person after it, is someone addressed."""
    return (
        bool(_VOCATIVE_ENDING.search(token.folded))
        and token.folded not in _TERMS_OF_ADDRESS
        and not any(f in _CUES for f in base_forms(token.folded))
        and bool(_SECOND_PERSON.match(original, token.end))
    )


# Cues that also open a new clause after a comma ("…la Chișinău, lui i-a fost greu").
_NOT_APPOSITION = frozenset(["lui", "nume", "numele", "pe"])
_INITIAL = re.compile(r"(?:^|[\s(,;:])[A-ZĂÂÎȘȚŞŢ]\.[ \t]?$")


def _initial_before(original: str, token: _Token) -> bool:
    """ "I. Spătaru", "lui S. Dumbravă": a word after an initial is a surname."""
    return bool(_INITIAL.search(original, max(0, token.start - 4), token.start))


_KIN_AFTER = re.compile(r"[ \t]*(?:\((\w[\w -]*)\)|,[ \t]+(\w[\w-]*))")


def _kin_after(original: str, folded: str, token: _Token) -> bool:
    """ "Melita (mama)", "Ursu, psihologul școlar": a word followed by a kinship or a role, in
    brackets or set off by a comma, is a person."""
    m = _KIN_AFTER.match(folded, token.end)
    if m is None:
        return False
    if m.group(2) is not None and (token.sentence_start or original[m.start(2)].isupper()):
        return False  # "Acasă, Mama are grijă": a new clause, no apposition
    role = (m.group(1) or m.group(2)).split()[0]
    return role in _CUES and role not in _NOT_APPOSITION and role != "pe"


def _addressed(original: str, token: _Token) -> bool:
    return original[token.end : token.end + 1] in (",", "!")


def _adjacent(original: str, left: _Token, right: _Token) -> bool:
    gap = original[left.end : right.start]
    return bool(_GAP.fullmatch(gap))


_COORDINATED = re.compile(r"[ \t]+(?:și|si|şi|sau)[ \t]+")
# Words that open a sentence before a name without being one ("Apoi Popescu a sunat").
_OPENERS = frozenset(
    [
        "in",
        "din",
        "prin",
        "spre",
        "langa",
        "dupa",
        "pana",
        "sub",
        "intre",
        "catre",
        "la",
        "apoi",
        "atunci",
        "acum",
        "azi",
        "astazi",
        "ieri",
        "aseara",
        "maine",
        "dar",
        "iar",
        "si",
        "deci",
        "totusi",
        "insa",
        "cand",
        "daca",
        "cu",
        "la",
        "de",
        "pe",
        "despre",
        "pentru",
        "nici",
        "nu",
        "doar",
        "numai",
        "chiar",
        "tot",
        "abia",
        "aici",
        "acolo",
        "ulterior",
        "anterior",
        "initial",
        "minora",
        "minorul",
        "victima",
        "fata",
        "fetita",
        "persoana",
        "petenta",
        "petentul",
        "reclamanta",
        "reclamantul",
        "tanara",
        "tanarul",
        "femeia",
        "barbatul",
        "copilul",
        "baiatul",
        "subsemnata",
        "subsemnatul",
        "susnumita",
        "susnumitul",
    ]
)


def _opens_a_name(left: _Token, right: _Token) -> bool:
    """ "Fita Buhoiu și …", "Mandea Orășanu a sunat": a word opening a sentence before a
    surname that is plainly one (an ending only surnames have, or no Romanian word) is its
    first name, unless it is a word that opens sentences ("Apoi", "Minora")."""
    plainly = bool(STRONG_SURNAME_ENDINGS.search(right.folded)) or not _romanian_word(right)
    return plainly and left.folded not in _OPENERS and not left.text.isupper()


def _capital_surnames(original: str, tokens: list[_Token], names: NameDictionary) -> None:
    """ "numitul PĂDURE Ionuț", "MITREA Victoria": letters from the police and the courts write
    the surname in capitals before the first name; an upper-case word right before a first name
    is a surname, and the first name is one even when it is also a word."""
    for left, right in itertools.pairwise(tokens):
        if (
            left.text.isupper()
            and len(left.text) >= 3
            and not right.text.isupper()
            and _adjacent(original, left, right)
            and not _never(left)
            and not _never(right)
            and (right.name or _is_first_name(right, names))
        ):
            left.name = right.name = True


def _chain(original: str, tokens: list[_Token], names: NameDictionary) -> None:
    """Extend names to the capitalised words glued to them: "Svetlana Grosu", "Ana-Maria"."""
    changed = True
    while changed:
        changed = False
        for left, right in itertools.pairwise(tokens):
            if not _adjacent(original, left, right) or left.name == right.name:
                continue
            if _never(left) or _never(right):
                continue
            if left.name and not right.name and len(right.folded) >= 2:
                right.name = True
                changed = True
            elif (
                right.name
                and not left.name
                and left.folded not in _OPENERS
                and (
                    not left.sentence_start
                    or _is_first_name(left, names)
                    or _in_dictionary(left, names, set(), core=False)
                    or left.folded in names.ambiguous
                    or not _romanian_word(left)
                    or _opens_a_name(left, right)
                )
            ):
                left.name = True
                changed = True
        for left, right in itertools.pairwise(tokens):
            # "Popescu și Meda": a capitalised word joined to a name by "și"/"sau" inside a
            # sentence is another name (places and kept words are no names: never chained).
            if left.name == right.name or not _COORDINATED.fullmatch(
                original[left.end : right.start]
            ):
                continue
            other = right if left.name else left
            if other.sentence_start or _never(other) or other.text.isupper():
                continue
            other.name = True
            changed = True
