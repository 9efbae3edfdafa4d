"""How a sentence uses a capitalised word: the clues the name rules read (casework/anonymise/
detect.py). A word is someone when it is the subject before a verb of the third person ("Bivol a
sunat"), a dative opening a sentence ("Violei îi este greu"), someone addressed ("Nitule, ai
promis"), a surname after an initial ("I. Spătaru"), or followed by a kinship or a role ("Melita
(mama)"); only in sentences written in Romanian does "no Romanian word" say "name".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.anonymise import lexicon
from casework.anonymise.names import CUE_WORDS, NameDictionary, base_forms

CUES = frozenset(c.rstrip(".") for c in CUE_WORDS)


@dataclass
class Token:
    start: int
    end: int
    text: str
    folded: str
    forms: list[str]
    capitalised: bool
    sentence_start: bool
    name: bool = False


def is_first_name(token: Token, names: NameDictionary, *, core: bool = False) -> bool:
    if core:
        # Only the word itself: "Alina a sunat" (a first name that is also a verb), not a
        # diminutive or an inflection of one.
        return names.is_first_name(token.folded, core=True)
    return any(names.is_first_name(f) for f in token.forms)


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


def romanian_sentences(original: str, folded: str) -> list[tuple[int, int]]:
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


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


_TITLE_GLUE = re.compile(r"[A-ZĂÂÎȘȚŞŢ][^\W\d_]*[ \t]+(?:de|al|a|din|pentru|și|si)[ \t]+$")


def in_title(original: str, token: Token) -> bool:
    """ "Postul de Poliție", "Colegiul de Arte": an ordinary word inside a capitalised title."""
    return bool(_TITLE_GLUE.search(original, max(0, token.start - 40), token.start))


# Endings only surnames have, even when the same letters make an adjective ("Codrescu").
STRONG_SURNAME_ENDINGS = re.compile(r"(?:escu|eanu|iuc|ciuc|enco|enko|ovici|evici|schi)$")
_DATIVE = re.compile(r"[ \t]+(?:îi|ii|i-a|i-au|i-am|i-ar|i[ \t]+s-a|i[ \t]+se|le|lui)\b")


def dative_follows(original: str, token: Token) -> bool:
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


def is_subject(original: str, token: Token, names: NameDictionary) -> bool:
    """ "Bivol a sunat la școală", "Elina ne-a spus": a word opening a sentence before a verb
    of the third person is its subject; an ordinary noun there carries its article ("Mama",
    "Copilul"), a name does not need one. Listed names count whatever their ending."""
    if token.folded in OPENERS or not _THIRD_PERSON.match(original, token.end):
        return False
    listed = (
        is_first_name(token, names)
        or token.folded in names.ambiguous
        or token.folded in lexicon.name_lists().surnames
        or token.folded in lexicon.name_lists().first_names
    )
    return listed or not _ARTICLE_ENDING.search(token.folded)


def after_comma(original: str, token: Token) -> bool:
    return original[max(0, token.start - 3) : token.start].rstrip(" \t").endswith(",")


def dative_person(original: str, token: Token) -> bool:
    """ "Violei îi este greu": a word in the dative opening a sentence, before the dative
    pronoun, is someone, unless it is a word for people ("Copilului îi", "Mamei îi")."""
    return (
        dative_follows(original, token)
        and bool(_DATIVE_ENDING.search(token.folded))
        and token.folded not in _PEOPLE_NOUNS
        and not any(f in CUES for f in base_forms(token.folded))
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


def vocative(original: str, token: Token) -> bool:
    """ "Nitule, ai promis că vii!", „Violo, nu mai lipsi!”: a word in the vocative opening a
    sentence or a quote, with the second person after it, is someone addressed."""
    return (
        bool(_VOCATIVE_ENDING.search(token.folded))
        and token.folded not in _TERMS_OF_ADDRESS
        and not any(f in CUES for f in base_forms(token.folded))
        and bool(_SECOND_PERSON.match(original, token.end))
    )


# Cues that also open a new clause after a comma ("…la Chișinău, lui i-a fost greu").
_NOT_APPOSITION = frozenset(["lui", "nume", "numele", "pe"])
_INITIAL = re.compile(r"(?:^|[\s(,;:])[A-ZĂÂÎȘȚŞŢ]\.[ \t]?$")


def initial_before(original: str, token: Token) -> bool:
    """ "I. Spătaru", "lui S. Dumbravă": a word after an initial is a surname."""
    return bool(_INITIAL.search(original, max(0, token.start - 4), token.start))


_KIN_AFTER = re.compile(r"[ \t]*(?:\((\w[\w -]*)\)|,[ \t]+(\w[\w-]*))")


def kin_after(original: str, folded: str, token: Token) -> bool:
    """ "Melita (mama)", "Ursu, psihologul școlar": a word followed by a kinship or a role, in
    brackets or set off by a comma, is a person."""
    m = _KIN_AFTER.match(folded, token.end)
    if m is None:
        return False
    if m.group(2) is not None and (token.sentence_start or original[m.start(2)].isupper()):
        return False  # "Acasă, Mama are grijă": a new clause, no apposition
    role = (m.group(1) or m.group(2)).split()[0]
    return role in CUES and role not in _NOT_APPOSITION and role != "pe"


def addressed(original: str, token: Token) -> bool:
    return original[token.end : token.end + 1] in (",", "!")


# Words that open a sentence before a name without being one ("Apoi Popescu a sunat").
OPENERS = frozenset(
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
