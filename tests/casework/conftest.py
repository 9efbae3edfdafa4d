"""Fixtures for the monitoring tests."""

from __future__ import annotations

import pytest

from casework.instrument_defaults import ensure_default_instrument
from casework.models import Instrument, Item, Subscale


@pytest.fixture
def default_instrument(db: None) -> Instrument:
    # Installed by a data migration; installed again here because tests that run in a
    # transaction of their own empty every table when they finish.
    instrument: Instrument = ensure_default_instrument(Instrument, Subscale, Item)
    return instrument
