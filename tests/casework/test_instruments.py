"""Instruments as data: items, Likert scale, reverse-scored items, subscales and cut-offs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casework.instrument_defaults import CODE, DEFINITION, ensure_default_instrument
from casework.models import Instrument, InstrumentLink, InstrumentResponse, Item, Subscale
from casework.services.instruments import responses_over_time, score_answers
from tests.factories import World, make_student


def test_it_seeds_the_default_self_assessment_on_drop_out_risk(
    default_instrument: Instrument,
) -> None:
    instrument = Instrument.objects.get(code=CODE)
    assert instrument.kind == "self_assessment" and instrument.school is None
    assert instrument.items.count() == 16
    assert list(instrument.subscales.values_list("code", flat=True)) == [
        "implicare",
        "apartenenta",
        "viitor",
        "sprijin",
    ]
    assert instrument.items.filter(reverse=True).count() == 5
    assert all(item.subscale_id for item in instrument.items.all())
    assert (instrument.caution_cutoff, instrument.high_cutoff) == (Decimal(60), Decimal(40))
    assert len(instrument.answers) == 5


def test_it_seeds_idempotently(default_instrument: Instrument) -> None:
    ensure_default_instrument(Instrument, Subscale, Item)
    assert Instrument.objects.filter(code=CODE).count() == 1
    assert Item.objects.filter(instrument__code=CODE).count() == len(DEFINITION["items"])


def _items(instrument: Instrument) -> list[Item]:
    return list(instrument.items.select_related("subscale", "instrument"))


def test_it_scores_the_most_protective_answers_100(default_instrument: Instrument) -> None:
    items = _items(default_instrument)
    best = {item.position: 1 if item.reverse else 5 for item in items}
    worst = {item.position: 5 if item.reverse else 1 for item in items}
    assert score_answers(default_instrument, items, best).score == 100
    assert score_answers(default_instrument, items, worst).score == 0
    middle = score_answers(default_instrument, items, {item.position: 3 for item in items})
    assert middle.score == 50
    assert set(middle.subscales.values()) == {50.0}


def test_it_turns_reverse_scored_answers_around(default_instrument: Instrument) -> None:
    items = _items(default_instrument)
    # Agreeing with everything: the reverse-scored items (thinking of leaving...) count against.
    scores = score_answers(default_instrument, items, {item.position: 5 for item in items})
    assert scores.score == Decimal("68.8")  # (11 x 5 + 5 x 1) / 16 = 3.75 -> 68.75 -> 68.8
    assert scores.subscales["sprijin"] == 50.0  # 5, 1, 1, 5
    assert scores.subscales["implicare"] == 75.0  # 5, 5, 1, 5


def _psychometric(world: World) -> Instrument:
    test = Instrument.objects.create(
        code="stress-test",
        name="Stress scale",
        kind="psychometric",
        scale_min=0,
        scale_max=3,
        risk_when="above",
        caution_cutoff=Decimal(50),
        high_cutoff=Decimal(75),
        school=world.school,
    )
    worry = Subscale.objects.create(instrument=test, code="worry", name="Worry")
    Item.objects.create(instrument=test, position=1, text="I worry a lot", subscale=worry)
    Item.objects.create(instrument=test, position=2, text="I sleep well", reverse=True)
    return test


def test_it_grades_a_test_where_high_scores_signal_risk(world: World) -> None:
    test = _psychometric(world)
    scores = score_answers(test, _items(test), {1: 3, 2: 0})
    assert scores.score == 100 and scores.subscales == {"worry": 100.0}
    assert test.level_for(Decimal(80)) == "high"
    assert test.level_for(Decimal(60)) == "caution"
    assert test.level_for(Decimal(50)) == "none"


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"scale_labels": ["a", "b"]}, "scale_labels"),
        ({"caution_cutoff": Decimal(120)}, "caution_cutoff"),
        ({"caution_cutoff": Decimal(40), "high_cutoff": Decimal(60)}, "high_cutoff"),
    ],
)
def test_it_refuses_an_inconsistent_definition(fields: dict[str, object], field: str) -> None:
    instrument = Instrument(code="x", name="x", kind="self_assessment", **fields)
    with pytest.raises(ValidationError) as refused:
        instrument.clean()
    assert field in refused.value.message_dict


def test_it_shows_scores_over_time_with_the_change_before_and_after(
    world: World, default_instrument: Instrument
) -> None:
    student = make_student(world.school)
    for days_ago, score in ((60, "35.0"), (30, "48.5"), (1, "66.0")):
        at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago)
        link = InstrumentLink.objects.create(
            instrument=default_instrument,
            student=student,
            token_hash=f"h{days_ago}",
            created_by=world.teacher,
            expires_at=at,
            used_at=at,
        )
        InstrumentResponse.objects.create(
            link=link,
            instrument=default_instrument,
            student=student,
            answers={},
            score=Decimal(score),
            level=default_instrument.level_for(Decimal(score)),
            submitted_at=at,
        )
    history = responses_over_time(student)
    assert [(h["score"], h["level"]) for h in history] == [
        (35.0, "high"),
        (48.5, "caution"),
        (66.0, "none"),
    ]
    assert [h["change_since_previous"] for h in history] == [None, 13.5, 17.5]
    assert [h["change_since_first"] for h in history] == [None, 13.5, 31.0]
