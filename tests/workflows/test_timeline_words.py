"""The case timeline names each event for what happened and shows stored English in the
reader's language. The names are read from every writer in the source, so a new event kind
is covered the day it is written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework import stored_text
from casework.models import Case, CaseEvent, Referral, SignalKind
from tests.conftest import sign_in
from tests.factories import World
from workflows.web.timeline import EVENT_NAMES, describe, note

ROOT = Path(__file__).resolve().parents[2]
WRITERS = ("task_event", "referral_event")


def _literal_names() -> set[tuple[str, str]]:
    """(kind, name) of every timeline row the code writes with a literal name."""
    found: set[tuple[str, str]] = set()
    for package in ("casework", "workflows", "counselling"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                func = ast.unparse(node.func)
                if func in ("CaseEvent.objects.create", "CaseEvent"):
                    args = {k.arg: k.value for k in node.keywords}
                    kind = ast.unparse(args["kind"]).rsplit(".", 1)[-1]
                    name = args.get("name")
                    if isinstance(name, ast.Constant):
                        found.add((CaseEvent.Kind[kind].value, str(name.value)))
                elif func.rsplit(".", 1)[-1] in WRITERS:
                    kind = "task" if func.endswith("task_event") else "referral"
                    name = node.args[2]
                    if isinstance(name, ast.Constant):
                        found.add((kind, str(name.value)))
    return found


def test_it_reads_the_writers() -> None:
    names = _literal_names()
    assert ("note", "consent_recorded") in names
    assert ("task", "task_claimed") in names
    assert ("referral", "referral_requested") in names


def test_it_names_every_event_the_code_writes() -> None:
    made = {(CaseEvent.Kind.REFERRAL.value, f"referral_{s}") for s in Referral.Status.values}
    made |= {(CaseEvent.Kind.SIGNAL.value, k) for k in SignalKind.values}
    made |= {(CaseEvent.Kind.SIGNAL.value, f"{k}_updated") for k in SignalKind.values}
    missing = (_literal_names() | made) - EVENT_NAMES
    assert not missing, f"the timeline has no words for {sorted(missing)}"


@pytest.mark.parametrize("kind_name", sorted(EVENT_NAMES))
def test_it_names_each_event_in_romanian_and_not_by_its_kind_alone(
    kind_name: tuple[str, str],
) -> None:
    kind, name = kind_name
    event = CaseEvent(kind=kind, name=name, data={}, from_stage="shared", to_stage="intervention")
    romanian = describe(event)
    with translation.override("en"):
        english = describe(event)
    assert romanian != english, f"{kind}/{name} is not translated: {romanian!r}"
    # A consent is not "Note", a progress review is not "SMART objective added".
    assert english != str(CaseEvent.Kind(kind).label) or kind == "closing_review"


def test_it_names_a_progress_review_and_a_consent_for_what_they_are() -> None:
    with translation.override("en"):
        review = CaseEvent(kind="objective", name="objective_reviewed", data={"to": "at_risk"})
        consent = CaseEvent(kind="note", name="consent_recorded", data={"scope": "library"})
        assert describe(review) == "Progress reviewed: At risk"
        assert describe(consent).startswith("Consent recorded")


OLD_NOTES = [
    "Recommended at triage.",
    "The case was archived.",
    "The case was withdrawn.",
    "The office started the intervention.",
    "Cancelled when the case moved on.",
    "3 signal(s) from a file",
    "Consent withdrawn. The parent asked.",
]


@pytest.mark.parametrize("text", OLD_NOTES)
def test_it_shows_notes_stored_in_english_in_romanian(text: str) -> None:
    shown = note(CaseEvent(kind="task", name="task_cancelled", note=text))
    assert shown != text
    with translation.override("en"):
        english = note(CaseEvent(kind="task", name="task_cancelled", note=text))
    assert english == text.replace("signal(s)", "signals")


def test_it_leaves_what_a_person_wrote_as_written() -> None:
    assert stored_text.shown("Mama a cerut o întâlnire.") == "Mama a cerut o întâlnire."


ENGLISH = re.compile(
    r"\b(Recommended|archived|withdrawn|intervention\.|moved on|signal\(s\)|Consent|"
    r"Task (created|claimed|cancelled)|Stage changed|flagged|objective added)\b"
)


def test_it_renders_the_timeline_in_romanian_without_english(world: World, case: Case) -> None:
    for text in OLD_NOTES:
        CaseEvent.objects.create(case=case, kind="task", name="task_cancelled", note=text)
    for kind, name in sorted(EVENT_NAMES):
        CaseEvent.objects.create(case=case, kind=kind, name=name, data={})
    page = sign_in(Client(), world.coordinator).get(reverse("cases:detail", args=[case.pk]))
    timeline = page.content.decode().split('id="timeline"', 1)[1].split("</section>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", timeline)
    assert not ENGLISH.search(text), ENGLISH.search(text)
