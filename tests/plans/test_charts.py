"""The charts' measurements: bars as long as their share, a sliver for a small count, labels
wrapped, suppressed cells left out, the time chart scaled to its longest step."""

from __future__ import annotations

from plans.charts import (
    BAR_HEIGHT,
    LINE_CHARS,
    LINE_HEIGHT,
    Chart,
    Row,
    Segment,
    closure_chart,
    effectiveness_chart,
    stacked,
    time_chart,
)


def test_it_divides_a_bar_by_each_parts_share() -> None:
    assert stacked([(3, "g"), (0, "r"), (1, "b")], 4) == [
        Segment(0, 240, "g"),
        Segment(240, 80, "b"),
    ]


def test_it_keeps_a_sliver_for_a_small_count_within_the_width() -> None:
    segments = stacked([(1, "g"), (999, "r")], 1000)
    assert segments[0] == Segment(0, 2, "g")
    assert segments[-1].x + segments[-1].width == 320


def test_it_wraps_a_long_label_on_two_lines_and_cuts_the_rest() -> None:
    chart = Chart("k", "t", "d", [Row("word " * 40, []), Row("short", [])])
    long, short = chart.rows
    assert len(long.lines) == 2 and long.lines[-1][1].endswith("…")
    assert all(len(text) <= LINE_CHARS for _y, text in long.lines)
    assert short.bar_y - long.bar_y == BAR_HEIGHT + 10 + LINE_HEIGHT
    assert chart.height == short.bar_y + BAR_HEIGHT


def test_it_draws_the_closure_as_one_bar_of_three_parts() -> None:
    chart = closure_chart({"flagged": 4, "archived": 1, "withdrawn": 1, "open": 2})
    assert [s.width for s in chart.rows[0].segments] == [80, 80, 160]
    assert [label for _colour, label in chart.legend] == [
        "arhivate 1",
        "retrase 1",
        "încă deschise 2",
    ]


def test_it_scales_the_times_to_the_longest_ninetieth_percentile() -> None:
    triage = {"count": 4, "median_days": 5.0, "p90_days": 10.0}
    stages = [{"label": "Shared", "count": 1, "median_days": 20.0, "p90_days": 40.0}]
    rows = time_chart(triage, stages).rows
    assert [s.width for s in rows[0].segments] == [80, 40]
    assert [s.width for s in rows[1].segments] == [320, 160]
    # The site's language (Romanian), with its decimal comma.
    assert rows[0].label == "Trierea: mediana 5,0 zile, 90% în cel mult 10,0 zile"


def test_it_draws_no_bar_for_a_suppressed_cell() -> None:
    shown = {
        "intervention_label": "Pedagogical support",
        "risk_label": "high",
        "suppressed": False,
        "students": 5,
        "retained": 3,
        "dropped": 1,
        "left": 0,
        "pending": 1,
    }
    hidden = {"intervention_label": "Socio-economic support", "risk_label": "high"}
    chart = effectiveness_chart([shown, {**hidden, "suppressed": True}])
    assert [row.label for row in chart.rows] == ["Pedagogical support · high (5)"]
    assert [s.width for s in chart.rows[0].segments] == [192, 64, 64]
