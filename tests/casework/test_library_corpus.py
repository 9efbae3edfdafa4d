"""The anonymiser against a corpus of realistic cases (tests/casework/library_corpus.py).

Each case is built through the real services, drafted and published through the API, and the
published entry must contain none of the identifiers planted in its texts. The scrubber's recall
(planted identifiers removed) and precision (removals that were planted identifiers) over the
corpus are reported at the end of the test run.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest

from casework.anonymise import scrub
from casework.anonymise.known import GENERIC_ORGANISATION_WORDS
from casework.anonymise.text import fold
from casework.models import Case, Contact, Group, Office, PartnerOrganisation, School, User
from casework.services.cases import closing_review_create
from casework.services.consents import consent_record
from casework.services.library_exchange import parse_export
from casework.services.library_facts import known_identifiers
from casework.services.library_keys import own_public_key, partner_key_add
from casework.services.offices import membership_set
from tests.casework import corpus_report
from tests.casework.library_corpus import CORPUS, CorpusCase, strip_marks
from tests.conftest import client_for
from tests.factories import World, advance, make_student, make_user, objective_fields
from workflows.services import case_flag

STAFF_NAMES = {
    "teacher": ("Ioana", "Marinescu"),
    "psychologist": ("Andrei", "Popovici"),
    "psychologist2": ("Elena", "Dumitrescu"),
    "social": ("Mihai", "Constantinescu"),
    "network": ("Raluca", "Ionescu"),
    "admin_staff": ("Cristina", "Georgescu"),
    "coordinator": ("Daniel", "Stanciu"),
    "form_tutor": ("Gabriela", "Munteanu"),
}
PROGRAMMES = ["Mecanic auto", "Coafor", "Bucătar", "Electrician", "Tâmplar", "Sudor", "Ospătar"]


class Office2:
    """The English-speaking partner school's office, with its own staff."""

    def __init__(self) -> None:
        self.school = School.objects.create(
            code="NGATE",
            name="Northgate Vocational College",
            town="Ashford",
            region="South East",
            language="en",
        )
        self.office = Office.objects.create(school=self.school, name="Action Office")
        people = {
            "coordinator": ("Sarah", "Collins", Group.EDUCATORS, True),
            "teacher": ("Gareth", "Price", Group.EDUCATORS, False),
            "psychologist": ("David", "Hughes", Group.PEDAGOGY, False),
            "reviewer": ("Priya", "Shah", Group.PEDAGOGY, False),
            "social": ("Tom", "Barker", Group.SOCIAL, False),
            "admin_staff": ("Linda", "Moss", Group.ADMINISTRATION, False),
        }
        self.users: dict[str, User] = {}
        for key, (first, last, group, coordinator) in people.items():
            user = make_user(f"ng_{key}", self.school)
            user.first_name, user.last_name = first, last
            user.save()
            membership_set(office=self.office, user=user, group=group, is_coordinator=coordinator)
            self.users[key] = user


def _prepare_world(world: World) -> Office2:
    for role, (first, last) in STAFF_NAMES.items():
        user = world.user(role)
        user.first_name, user.last_name = first, last
        user.save()
    world.school.name = "Liceul Tehnologic „Mihai Viteazul” Zalău"
    world.school.town = "Zalău"
    world.school.region = "Nord-Vest"
    world.school.save()
    english = Office2()
    # A register large enough for k-anonymity to have something to count.
    for school in (world.school, english.school):
        for i in range(60):
            make_student(
                school,
                programme=PROGRAMMES[i % len(PROGRAMMES)],
                birth_date=datetime.date(2007 + i % 4, 1 + i % 12, 1 + i % 27),
            )
    return english


def _build_case(item: CorpusCase, world: World, english: Office2) -> tuple[Case, Any, Any]:
    plain = {name: strip_marks(text)[0] for name, text in item.texts().items()}
    if item.language == "ro":
        school, office = world.school, world.office
        teacher, coordinator, reviewer = world.teacher, world.coordinator, world.psychologist
    else:
        school, office = english.school, english.office
        teacher = english.users["teacher"]
        coordinator, reviewer = english.users["coordinator"], english.users["reviewer"]
    student = make_student(
        school,
        code=item.code,
        first_name=item.first_name,
        last_name=item.last_name,
        programme=item.programme,
        birth_date=item.birth_date,
    )
    for name, organisation in item.contacts:
        Contact.objects.create(office=office, kind="other", name=name, organisation=organisation)
    case = case_flag(
        student=student, actor=teacher, reason=plain["reason"], functions=["pedagogical"]
    )
    from workflows import services

    services.case_transition(case=case, name="share", actor=coordinator)
    services.objective_add(
        case=case, actor=coordinator, **objective_fields(description=plain["objective"])
    )
    case = advance(Case.objects.get(pk=case.pk), _Roles(teacher, coordinator), "closing")  # type: ignore[arg-type]
    closing_review_create(
        case=case,
        actor=coordinator,
        feedback=plain["feedback"],
        objectives_met="partly",
        impact=plain["impact"],
        lessons_learned=plain["lessons"],
    )
    case = advance(case, _Roles(teacher, coordinator), "archived")  # type: ignore[arg-type]
    consent_record(
        case=case,
        actor=coordinator,
        scope="library",
        given_by="parent",
        given_by_name=item.consent_by,
    )
    return case, coordinator, reviewer


class _Roles:
    """The two roles ``advance`` needs, for either school."""

    def __init__(self, teacher: User, coordinator: User) -> None:
        self.teacher = teacher
        self.coordinator = coordinator


_DIGITS = re.compile(r"\D")


def _leaks(planted: str, published: str) -> list[str]:
    """The planted identifier, or a part of it that identifies, still in the published text."""
    found = []
    text = fold(published)
    if fold(planted) in text:
        found.append(planted)
    digits = _DIGITS.sub("", planted)
    if len(digits) >= 6 and digits in _DIGITS.sub("", published):
        found.append(digits)
    if not any(c.isdigit() for c in planted) and "@" not in planted:
        for token in re.findall(r"[^\W\d_]{3,}", planted):
            if fold(token) in GENERIC_ORGANISATION_WORDS:
                continue  # "Asociația Sprijin": the organisation's ordinary words may stay
            if token[0].isupper() and re.search(rf"(?<![^\W\d_]){fold(token)}(?![^\W\d_])", text):
                found.append(token)
    return found


def _covered(span: tuple[int, int, str], removed: list[tuple[int, int, str]], text: str) -> bool:
    start, end, _ = span
    return all(
        any(r_start <= i < r_end for r_start, r_end, _ in removed)
        for i in range(start, end)
        if text[i].isalnum()
    )


@pytest.mark.django_db
def test_it_publishes_no_planted_identifier_from_the_corpus(world: World) -> None:
    english = _prepare_world(world)
    planted_total = planted_removed = removals = removals_planted = 0
    by_kind: dict[str, list[int]] = {}
    leaks: dict[str, list[str]] = {}
    for item in CORPUS:
        case, coordinator, reviewer = _build_case(item, world, english)
        known = known_identifiers(case)
        for name, marked in item.texts().items():
            plain, spans = strip_marks(marked)
            result = scrub(plain, known, language=item.language)
            removals += len(result.removed)
            removals_planted += sum(
                any(r[0] < s[1] and s[0] < r[1] for s in spans) for r in result.removed
            )
            for span in spans:
                planted_total += 1
                ok = int(_covered(span, result.removed, plain))
                planted_removed += ok
                kind = "digits" if any(c.isdigit() for c in span[2]) else "words"
                by_kind.setdefault(kind, [0, 0])[0] += ok
                by_kind[kind][1] += 1
                if not ok:
                    leaks.setdefault(item.code, []).append(
                        f"{name}: {span[2]!r} in {result.text!r}"
                    )
        drafted = client_for(coordinator).post(f"/api/cases/{case.pk}/library-entry/")
        assert drafted.status_code == 201, drafted.json()
        entry_id = drafted.json()["id"]
        published = client_for(reviewer).post(f"/api/library/{entry_id}/publish/")
        assert published.status_code == 200, published.json()
        public = client_for(world.outsider).get(f"/api/library/{entry_id}/").json()
        text = json.dumps(public["narrative"], ensure_ascii=False)
        for marked in item.texts().values():
            for _, _, planted in strip_marks(marked)[1]:
                if found := _leaks(planted, text):
                    leaks.setdefault(item.code, []).append(f"published: {found} in {text}")
    recall = planted_removed / planted_total
    precision = removals_planted / removals if removals else 1.0
    corpus_report.record(
        f"anonymiser corpus: {len(CORPUS)} cases, {planted_total} planted identifiers; "
        f"recall {recall:.1%} ({planted_removed}/{planted_total}); "
        f"precision {precision:.1%} ({removals_planted}/{removals} removals were planted)"
    )
    for kind, (ok, total) in sorted(by_kind.items()):
        corpus_report.record(f"  {kind}: {ok}/{total}")
    assert not leaks, json.dumps(leaks, ensure_ascii=False, indent=1)
    assert recall == 1.0
    assert precision >= 0.9
    # What we publish, a partner running this software accepts: its signature, every fact and
    # tag against the schema's vocabularies, every text against the anonymiser.
    document = client_for(world.teacher).get("/api/library/export/").json()
    assert len(document["entries"]) == len(CORPUS)
    partner = PartnerOrganisation.objects.create(code="self", name="Ourselves")
    partner_key_add(partner=partner, public_key=own_public_key()[1])
    assert len(parse_export(document, partner=partner)[1]) == len(CORPUS)
