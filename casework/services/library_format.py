"""The exchange format of the case library as a JSON Schema, and the check of a document
against it (docs/LIBRARY.md, "Export format").

The schema ships as a file, ``casework/schemas/case-library.v2.schema.json``, so partners read
the same rules we apply; ``build_schema()`` writes it from the vocabularies the code uses, and a
test keeps the two equal (``manage.py library_schema`` prints it anew after a vocabulary
changes). Every object refuses unknown keys; every fact is an enumerated value or a count;
tags come from the shared vocabulary. Nothing free-form but the narrative gets in.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from casework.anonymise.generalise import (
    AGE_LEVELS,
    DURATION_BANDS,
    PROGRAMME_FAMILIES,
    UNKNOWN_FAMILY,
)
from casework.anonymise.lexicon import REGIONS
from casework.errors import Invalid
from casework.models import Contact, Referral
from casework.models.case import ClosingReview, Function, Objective, Stage
from casework.models.library import NARRATIVE_FIELDS
from casework.models.plan import Area
from casework.models.risk import RiskLevel
from casework.risk import INDICATORS
from casework.services.library_facts import INTERVENTION_TASKS

SCHEMA = "action-office/case-library"
SCHEMA_VERSION = 2
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "case-library.v2.schema.json"
MAX_ENTRIES = 10_000
TITLE_MAX = 300
TEXT_MAX = 20_000

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"


# -- the vocabularies ----------------------------------------------------------------------


def age_bands() -> list[str]:
    return sorted({label for level in AGE_LEVELS for _, _, label in level})


def programmes() -> list[str]:
    families = {family for family, _, _ in PROGRAMME_FAMILIES} | {UNKNOWN_FAMILY}
    sectors = {sector for _, sector, _ in PROGRAMME_FAMILIES}
    return sorted(families | sectors)


def referral_kinds() -> list[str]:
    # A referral to an account rather than a directory contact is a "network_member".
    return sorted([*Contact.Kind.values, "network_member"])


def tag_vocabulary() -> list[str]:
    """Every tag an entry may carry: the filters of the search (library_facts.tags_for)."""
    tags = [f"function:{f}" for f in Function.values]
    tags += [f"outcome:{o}" for o in ClosingReview.ObjectivesMet.values]
    tags += [f"risk:{i}" for i in INDICATORS]
    tags += [f"intervention:{i}" for i in INTERVENTION_TASKS]
    return sorted(tags)


# -- the schema ----------------------------------------------------------------------------


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _enum(values: list[str], *, nullable: bool = False) -> dict[str, Any]:
    return {"enum": [*values, None] if nullable else list(values)}


def _counts(keys: list[str]) -> dict[str, Any]:
    return _object({k: {"$ref": "#/$defs/count"} for k in keys})


def _period() -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "null"},
            _object(
                {
                    "school_year": {"type": "string", "pattern": r"^\d{4}-\d{4}$"},
                    "term": {"enum": [1, 2]},
                },
                ["school_year", "term"],
            ),
        ]
    }


def _facts() -> dict[str, Any]:
    functions = list(Function.values)
    score = {"anyOf": [{"type": "null"}, {"type": "number", "minimum": 1, "maximum": 5}]}
    change = {"anyOf": [{"type": "null"}, {"type": "number", "minimum": -4, "maximum": 4}]}
    stages = [s for s in Stage.values if s not in (Stage.ARCHIVED, Stage.WITHDRAWN)]
    return _object(
        {
            "profile": _object(
                {
                    "age_band": _enum(age_bands(), nullable=True),
                    "programme": _enum(programmes(), nullable=True),
                    "programme_level": _enum(["family", "sector"], nullable=True),
                    "region": _enum(REGIONS, nullable=True),
                }
            ),
            "period": _object({"opened": _period(), "closed": _period()}),
            "functions": {"type": "array", "items": _enum(functions), "uniqueItems": True},
            "duration": _object(
                {
                    "band": _enum([label for _, label in DURATION_BANDS] + ["12m+"]),
                    "weeks_by_stage": _counts(stages),
                }
            ),
            "objectives": _object(
                {
                    "total": {"$ref": "#/$defs/count"},
                    "by_status": _counts(list(Objective.Status.values)),
                    "by_function": _counts(functions),
                }
            ),
            "risk_profile": _object(
                {
                    "level": _enum(list(RiskLevel.values)),
                    "indicators": {
                        "type": "array",
                        "items": _enum(list(INDICATORS)),
                        "uniqueItems": True,
                    },
                    "levels": _object({i: _enum(list(RiskLevel.values)) for i in INDICATORS}),
                }
            ),
            "interventions": _object(
                {
                    "types": {
                        "type": "array",
                        "items": _enum(list(INTERVENTION_TASKS)),
                        "uniqueItems": True,
                    },
                    "counts": _counts(list(INTERVENTION_TASKS)),
                }
            ),
            "referrals": _object(
                {
                    "total": {"$ref": "#/$defs/count"},
                    "by_kind": _counts(referral_kinds()),
                    "by_status": _counts(list(Referral.Status.values)),
                }
            ),
            "assessment_change": _object(
                {
                    area: _object({"initial": score, "closing": score, "change": change})
                    for area in Area.values
                }
            ),
            "outcome": _object({"objectives_met": _enum(list(ClosingReview.ObjectivesMet.values))}),
        }
    )


def _entry() -> dict[str, Any]:
    narrative = {
        name: {"type": "string", "maxLength": TITLE_MAX if name == "title" else TEXT_MAX}
        for name in NARRATIVE_FIELDS
    }
    when = {"type": "string", "pattern": DATETIME_PATTERN}
    published = _object(
        {
            "uuid": {"$ref": "#/$defs/uuid"},
            "version": {"$ref": "#/$defs/version"},
            "status": {"const": "published"},
            "language": _enum(["ro", "en"]),
            "published_at": when,
            "narrative": _object(narrative, list(NARRATIVE_FIELDS)),
            "facts": {"$ref": "#/$defs/facts"},
            "tags": {"type": "array", "items": _enum(tag_vocabulary()), "uniqueItems": True},
        },
        ["uuid", "version", "status", "language", "published_at", "narrative", "facts", "tags"],
    )
    withdrawn = _object(
        {
            "uuid": {"$ref": "#/$defs/uuid"},
            "version": {"$ref": "#/$defs/version"},
            "status": {"const": "withdrawn"},
            "withdrawn_at": {"anyOf": [{"type": "null"}, when]},
        },
        ["uuid", "version", "status"],
    )
    # if/then/else rather than oneOf: an error then names the field at fault, not "matched
    # none of the alternatives".
    return {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"enum": ["published", "withdrawn"]}},
        "if": {"properties": {"status": {"const": "withdrawn"}}},
        "then": withdrawn,
        "else": published,
    }


REQUIRED = ["schema", "schema_version", "publisher", "exported_at", "entries", "signature"]


def build_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://action-office.example/schemas/case-library.v{SCHEMA_VERSION}.json",
        "title": "Action Office case library export, schema version 2",
        "description": "See docs/LIBRARY.md. The signature covers the canonical JSON of the "
        "document without its signature (keys sorted, no insignificant whitespace, UTF-8).",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA},
            "schema_version": {"const": SCHEMA_VERSION},
            "publisher": _object({"name": {"type": "string", "maxLength": 200}}, ["name"]),
            "exported_at": {"type": "string", "pattern": DATETIME_PATTERN},
            "entries": {
                "type": "array",
                "maxItems": MAX_ENTRIES,
                "items": {"$ref": "#/$defs/entry"},
            },
            "signature": _object(
                {
                    "key_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    "algorithm": {"const": "ed25519"},
                    "value": {"type": "string", "maxLength": 100},
                },
                ["key_id", "algorithm", "value"],
            ),
        },
        "required": REQUIRED,
        "additionalProperties": False,
        "$defs": {
            "uuid": {"type": "string", "pattern": UUID_PATTERN},
            "version": {"type": "integer", "minimum": 1},
            "count": {"type": "integer", "minimum": 0},
            "entry": _entry(),
            "facts": _facts(),
        },
    }


# -- the check -----------------------------------------------------------------------------


@functools.cache
def validator() -> Draft202012Validator:
    """The shipped file, not build_schema(): we apply exactly what partners read."""
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def place(path: Any) -> str:
    """``entries[3].facts.profile`` from jsonschema's path deque."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "document"


def _named(error: ValidationError) -> tuple[list[Any], str]:
    where = list(error.absolute_path)
    instance, schema = error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(schema.get("properties", {}))
        unknown = sorted(k for k in instance if k not in allowed)[0]
        return [*where, unknown], _("Unknown key.")
    if error.validator == "required" and isinstance(instance, dict):
        missing = next(k for k in error.validator_value if k not in instance)
        return [*where, missing], _("Required.")
    if error.validator in ("enum", "const"):
        return where, _("Not a value of the shared vocabulary.")
    if error.validator == "type":
        return where, _("Expected %(type)s.") % {"type": error.validator_value}
    if error.validator == "maxLength":
        return where, _("Too long.")
    if error.validator == "uniqueItems":
        return where, _("A value is repeated.")
    return where, _("Not in the expected form.")


def _deepest(error: ValidationError) -> ValidationError:
    """Inside an anyOf, the alternative that got furthest says what is wrong."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def document_check(document: Any) -> None:
    """Invalid naming the first place (in document order) where the document breaks the
    schema: ``entries[0].facts.profile.student_name``, ``publisher.colour``."""
    named = [_named(_deepest(e)) for e in validator().iter_errors(document)]
    if not named:
        return
    where, message = min(
        named, key=lambda n: [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in n[0]]
    )
    raise Invalid({place(where): message})
