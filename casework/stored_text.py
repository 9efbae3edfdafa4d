"""Words the code writes into the database and people read later: why a task was cancelled,
why a referral ended, which functions triage recommended, what the library draft generalised.

They are stored in English — the English sentence is the message's key, as in a catalogue — and
translated when shown, in the reader's language. Rows written before a sentence had a
translation read translated too, since the stored words are the same key.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from casework.anonymise.generalise import FAMILY_LABELS

# Why open tasks were cancelled or referrals ended when a case moved on.
INTERVENTION_STARTED = gettext_noop("The office started the intervention.")
CASE_ARCHIVED = gettext_noop("The case was archived.")
CASE_WITHDRAWN = gettext_noop("The case was withdrawn.")
CASE_MOVED_ON = gettext_noop("Cancelled when the case moved on.")
# Why the needed functions changed.
RECOMMENDED_AT_TRIAGE = gettext_noop("Recommended at triage.")
# Why a referral or a library entry was withdrawn.
CONSENT_WITHDRAWN = gettext_noop("Consent withdrawn.")
REUSE_CONSENT_WITHDRAWN = gettext_noop("Consent for reuse withdrawn.")
PARTNER_WITHDREW = gettext_noop("Withdrawn by the partner.")
# What the k-anonymity check of a library draft did (casework.anonymise.kanon).
AGE_SUPPRESSED = gettext_noop("age suppressed")
AGE_UNKNOWN = gettext_noop("age unknown (no birth date): not stated")
PROGRAMME_SUPPRESSED = gettext_noop("programme suppressed")
LOCALITIES_TO_COUNTRY = gettext_noop("localities in the text generalised to their country")
LOCALITIES_SUPPRESSED = gettext_noop("localities in the text suppressed")

SENTENCES = frozenset(
    {
        INTERVENTION_STARTED,
        CASE_ARCHIVED,
        CASE_WITHDRAWN,
        CASE_MOVED_ON,
        RECOMMENDED_AT_TRIAGE,
        CONSENT_WITHDRAWN,
        REUSE_CONSENT_WITHDRAWN,
        PARTNER_WITHDREW,
        AGE_SUPPRESSED,
        AGE_UNKNOWN,
        PROGRAMME_SUPPRESSED,
        LOCALITIES_TO_COUNTRY,
        LOCALITIES_SUPPRESSED,
    }
)


def age_band(band: str, level: int) -> str:
    return f"age generalised to the band {band} (level {level})"


def programme_sector(sector: str) -> str:
    return f"programme generalised to the sector {sector}"


def register_too_small(k: int) -> str:
    return f"the register has fewer than {k} students: the region is suppressed as well"


def signals_imported(count: int, filename: str) -> str:
    return f"{count} signal(s) from {filename or 'a file'}"


def consent_withdrawn(note: str) -> str:
    return f"{CONSENT_WITHDRAWN} {note}".strip()


def _family(code: str) -> str:
    """A programme family or sector (stored as its code, "services") in the reader's words."""
    language = (get_language() or "en")[:2]
    return FAMILY_LABELS.get(language, FAMILY_LABELS["en"]).get(code, code)


# The sentences with a part that varies: how each was written, and how it reads translated.
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"age generalised to the band (?P<band>.+) \(level (?P<level>\d+)\)"),
        lambda m: gettext("age generalised to the band %(band)s (level %(level)s)") % m.groupdict(),
    ),
    (
        re.compile(r"programme generalised to the sector (?P<sector>.+)"),
        lambda m: (
            gettext("programme generalised to the sector %(sector)s")
            % {"sector": _family(m["sector"])}
        ),
    ),
    (
        re.compile(
            r"the register has fewer than (?P<k>\d+) students: the region is suppressed as well"
        ),
        lambda m: (
            gettext("the register has fewer than %(k)s students: the region is suppressed as well")
            % m.groupdict()
        ),
    ),
    (
        re.compile(r"(?P<count>\d+) signal\(s\) from (?P<file>.*)"),
        lambda m: (
            ngettext(
                "%(count)s signal from %(file)s", "%(count)s signals from %(file)s", int(m["count"])
            )
            % {
                "count": m["count"],
                "file": gettext("a file") if m["file"] == "a file" else m["file"],
            }
        ),
    ),
    (
        re.compile(r"Consent withdrawn\. (?P<note>.+)", re.DOTALL),
        lambda m: f"{gettext(CONSENT_WITHDRAWN)} {m['note']}",
    ),
]


def shown(text: str) -> str:
    """The stored words in the reader's language; what a person wrote is shown as written."""
    if not text:
        return text
    if text in SENTENCES:
        return gettext(text)
    for pattern, translate in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return translate(match)
    return text
