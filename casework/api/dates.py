"""Date fields of the API: the window's validator, and the window in the schema's words."""

from __future__ import annotations

from typing import Any

from casework.dates import WINDOWS, validator


def date_field(name: str) -> dict[str, Any]:
    """Keyword arguments for a serializer's date field guarded by the window ``name``."""
    return {"validators": [validator(name)], "help_text": WINDOWS[name].help}
