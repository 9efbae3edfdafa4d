"""The demo's partners and opportunities, added by ``seed_demo`` through ``demo_seeded``, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from casework.models import CaseEvent
from support.models import Agreement, Opportunity, Participation, Partner

pytestmark = pytest.mark.django_db


def test_it_adds_the_demo_partners_and_opportunities_once() -> None:
    call_command("seed_demo", "--force", verbosity=0)
    assert Partner.objects.count() == 4
    assert {a.lapse_state() for a in Agreement.objects.all()} >= {"lapsing", "valid"}
    kinds = set(Opportunity.objects.values_list("kind", flat=True))
    assert kinds == {"practice_placement", "group_mobility", "long_term_mobility"}
    under_way = Participation.objects.filter(opportunity__kind="group_mobility")
    assert set(under_way.values_list("status", flat=True)) == {"in_progress"}
    assert under_way.count() == 3
    linked = Participation.objects.get(case__isnull=False)
    assert CaseEvent.objects.filter(case=linked.case, name="participation_proposed").exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert Partner.objects.count() == 4
    assert Participation.objects.count() == 5
