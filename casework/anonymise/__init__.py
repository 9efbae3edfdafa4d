"""Anonymising case text for the case library: known identifiers, shapes, a name dictionary,
then generalisation of what is left and a k-anonymity check. See docs/LIBRARY.md."""

from casework.anonymise.known import KnownIdentifiers
from casework.anonymise.placeholders import Kind
from casework.anonymise.scrubber import Replacement, ScrubResult, highlights, scrub

__all__ = ["Kind", "KnownIdentifiers", "Replacement", "ScrubResult", "highlights", "scrub"]
