"""Anonymising case text for the case library: known identifiers, shapes, places and
organisations, names beyond the lists, then generalisation of what is left and a k-anonymity
check. See docs/LIBRARY.md.

The way in is ``scrub``: every text that enters the library goes through it. ``doubts`` lists
what a scrubbed text still holds that the scrubber could not explain, for the reviewer.
"""

from casework.anonymise.doubts import Doubt, doubts
from casework.anonymise.known import KnownIdentifiers
from casework.anonymise.placeholders import Kind
from casework.anonymise.scrubber import Replacement, ScrubResult, highlights, scrub

__all__ = [
    "Doubt",
    "Kind",
    "KnownIdentifiers",
    "Replacement",
    "ScrubResult",
    "doubts",
    "highlights",
    "scrub",
]
