"""k-anonymity of an entry against the school's student register.

The entry's quasi-identifiers (age band at flagging, programme family) must describe at least
k students of the school. If they do not, the attributes are generalised along their ladders —
the cheapest combination first — and, when nothing else works, suppressed. The result says what
was done, in words a reviewer can read.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from casework import stored_text
from casework.anonymise.generalise import AGE_LEVELS, age_band, age_on, programme_level
from casework.anonymise.placeholders import (
    LOCALITY_COUNTRY,
    LOCALITY_REGION,
    LOCALITY_SUPPRESSED,
)

AGE_SUPPRESSED = len(AGE_LEVELS)  # level 3
PROGRAMME_SUPPRESSED = 2

# Every (age level, programme level) pair, cheapest first: fewest suppressed attributes, then
# the lowest total level, then the age generalised before the programme (the programme family is
# the more useful fact for a reader).
LEVELS: list[tuple[int, int]] = sorted(
    ((a, p) for a in range(AGE_SUPPRESSED + 1) for p in range(PROGRAMME_SUPPRESSED + 1)),
    key=lambda ap: (
        (ap[0] == AGE_SUPPRESSED) + (ap[1] == PROGRAMME_SUPPRESSED),
        ap[0] + ap[1],
        -ap[0],
    ),
)


@dataclass(frozen=True)
class RegisterRow:
    birth_date: datetime.date | None
    programme: str


@dataclass
class KAnonymity:
    k: int
    matches: int
    age_level: int
    programme_level: int
    age_band: str | None
    programme: str | None
    satisfied: bool
    actions: list[str] = field(default_factory=list)

    @property
    def locality_level(self) -> int:
        """How far the localities named in the text are generalised. The register holds no
        student's locality, so it cannot count them: they follow the profile — their region
        while age and programme need no generalisation, their country once either does, nothing
        when even suppression leaves fewer than k students."""
        if not self.satisfied:
            return LOCALITY_SUPPRESSED
        # No age band (no birth date) reads, to a partner, like a suppressed one: the country,
        # so what we publish is what a partner's import accepts (docs/LIBRARY.md, "Import").
        if self.age_level or self.programme_level or self.age_band is None:
            return LOCALITY_COUNTRY
        return LOCALITY_REGION

    def as_dict(self) -> dict[str, object]:
        return {
            "k": self.k,
            "matches": self.matches,
            "satisfied": self.satisfied,
            "age_level": self.age_level,
            "programme_level": self.programme_level,
            "locality_level": self.locality_level,
            "actions": self.actions,
        }


def _count(
    register: Sequence[RegisterRow],
    on: datetime.date,
    age: str | None,
    programme: str | None,
    age_level: int,
    prog_level: int,
) -> int:
    total = 0
    for row in register:
        if age is not None:
            # Nobody born after the day shares an age band on that day (the register holds
            # today's students, some born after an old case was opened).
            if row.birth_date is None or row.birth_date > on:
                continue
            if age_band(age_on(row.birth_date, on), age_level) != age:
                continue
        if programme is not None and programme_level(row.programme, prog_level) != programme:
            continue
        total += 1
    return total


def _describe(age_level: int, prog_level: int, age: str | None, programme: str | None) -> list[str]:
    actions = []
    if age_level == AGE_SUPPRESSED or age is None:
        actions.append(stored_text.AGE_SUPPRESSED)
    elif age_level:
        actions.append(stored_text.age_band(age, age_level))
    if prog_level == PROGRAMME_SUPPRESSED or programme is None:
        actions.append(stored_text.PROGRAMME_SUPPRESSED)
    elif prog_level:
        actions.append(stored_text.programme_sector(programme))
    return actions


def check(
    *,
    birth_date: datetime.date | None,
    programme: str,
    on: datetime.date,
    register: Sequence[RegisterRow],
    k: int,
) -> KAnonymity:
    """The least generalisation that makes the entry describe at least ``k`` students."""
    age = age_on(birth_date, on) if birth_date else None
    last: KAnonymity | None = None
    for age_level, prog_level in LEVELS:
        band = age_band(age, age_level)
        prog = programme_level(programme, prog_level)
        matches = _count(register, on, band, prog, age_level, prog_level)
        last = KAnonymity(
            k=k,
            matches=matches,
            age_level=age_level,
            programme_level=prog_level,
            age_band=band,
            programme=prog,
            satisfied=matches >= k,
            actions=_describe(age_level, prog_level, band, prog),
        )
        if last.satisfied:
            if age is None and stored_text.AGE_SUPPRESSED in last.actions:
                last.actions[last.actions.index(stored_text.AGE_SUPPRESSED)] = (
                    stored_text.AGE_UNKNOWN
                )
            if last.locality_level == LOCALITY_COUNTRY:
                last.actions.append(stored_text.LOCALITIES_TO_COUNTRY)
            return last
    assert last is not None
    last.actions.append(stored_text.register_too_small(k))
    last.actions.append(stored_text.LOCALITIES_SUPPRESSED)
    return last
