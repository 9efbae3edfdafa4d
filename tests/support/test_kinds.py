"""Every kind's duration boundaries: the shortest and the longest accepted, one day less and one
day more refused with a 400 on ``ends_on`` naming the range (DESIGN.md's table)."""

from __future__ import annotations

import datetime

import pytest

from casework.errors import Invalid
from support.kinds import DURATIONS, Kind, duration_fits, range_text
from tests.support.conftest import START, Scene

pytestmark = pytest.mark.django_db

CONTRACT = {
    "skills_competition": (1, 10),
    "group_mobility": (2, 30),
    "short_term_mobility": (10, 89),
    "long_term_mobility": (90, 365),
    "study_visit": (1, 30),
    "experience_exchange": (1, 30),
    "practice_placement": (1, None),
    "job_shadowing": (2, 60),
    "teaching_assignment": (2, 365),
    "staff_course": (2, 30),
    "invited_expert": (2, 60),
    "hosting_teacher": (10, 365),
}


def test_it_holds_the_contracts_ranges() -> None:
    assert {k: v for k, v in DURATIONS.items() if k != Kind.PREPARATORY_VISIT} == CONTRACT


def test_it_writes_the_range_as_the_contract_does() -> None:
    assert range_text("group_mobility") == "2\u201330"
    assert range_text("practice_placement") == "≥ 1"


def _add(scene: Scene, kind: str, days: int) -> None:
    scene.opportunity(kind, days=days)


@pytest.mark.parametrize("kind", sorted(CONTRACT))
def test_it_accepts_the_shortest_and_the_longest(scene: Scene, kind: str) -> None:
    least, most = CONTRACT[kind]
    _add(scene, kind, least)
    _add(scene, kind, most if most is not None else 400)


@pytest.mark.parametrize("kind", sorted(CONTRACT))
def test_it_refuses_one_day_less_and_one_day_more(scene: Scene, kind: str) -> None:
    least, most = CONTRACT[kind]
    lengths = [least - 1] + ([most + 1] if most is not None else [])
    for days in lengths:
        if days < 1:
            # A last day before the first: refused on ends_on too.
            with pytest.raises(Invalid) as refused:
                scene.opportunity(kind, ends_on=START - datetime.timedelta(days=1))
        else:
            with pytest.raises(Invalid) as refused:
                _add(scene, kind, days)
            assert range_text(kind) in refused.value.fields["ends_on"][0]
        assert list(refused.value.fields) == ["ends_on"]


def test_it_counts_first_to_last_day_inclusive_and_keeps_travel_days_apart(scene: Scene) -> None:
    # 2 to 30 days: thirty activity days plus two travel days is still a group mobility.
    opportunity = scene.opportunity("group_mobility", days=30, travel_days=2)
    assert opportunity.duration == 30
    assert duration_fits("group_mobility", 30) and not duration_fits("group_mobility", 32)


def test_it_takes_a_preparatory_visit_only_in_support_of_an_erasmus_activity(
    scene: Scene,
) -> None:
    with pytest.raises(Invalid) as alone:
        scene.opportunity("preparatory_visit", days=2)
    assert list(alone.value.fields) == ["supports"]
    placement = scene.opportunity("practice_placement", days=5)
    with pytest.raises(Invalid) as wrong:
        scene.opportunity("preparatory_visit", days=2, supports=placement)
    assert list(wrong.value.fields) == ["supports"]
    mobility = scene.opportunity("short_term_mobility", days=20)
    visit = scene.opportunity("preparatory_visit", days=2, supports=mobility)
    assert visit.supports == mobility


def test_it_refuses_supports_on_anything_but_a_preparatory_visit(scene: Scene) -> None:
    mobility = scene.opportunity("short_term_mobility", days=20)
    with pytest.raises(Invalid) as refused:
        scene.opportunity("study_visit", days=2, supports=mobility)
    assert list(refused.value.fields) == ["supports"]
