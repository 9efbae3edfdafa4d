"""Support plugged into the core's extension points, from ``SupportConfig.ready``: the demo's
partners and opportunities, the agenda's reason, the timeline's words and the case page's part.
The core keeps these lists and never imports this app."""

from __future__ import annotations

from support.case_links import event_words, participations_changed, reason_words
from support.case_page import case_part
from support.demo import seed_support_demo
from workflows.agenda import AREA_REASON_WORDS, AREA_REASONS
from workflows.demo import demo_seeded
from workflows.web.case_page import AREA_CASE_PARTS
from workflows.web.timeline import AREA_EVENT_WORDS


def connect() -> None:
    """Idempotent: a second ``ready`` (some test runners call it again) adds nothing twice."""
    demo_seeded.connect(seed_support_demo, dispatch_uid="support-demo")
    if participations_changed not in AREA_REASONS:
        AREA_REASONS.append(participations_changed)
    if reason_words not in AREA_REASON_WORDS:
        AREA_REASON_WORDS.append(reason_words)
    if event_words not in AREA_EVENT_WORDS:
        AREA_EVENT_WORDS.append(event_words)
    if case_part not in AREA_CASE_PARTS:
        AREA_CASE_PARTS.append(case_part)
