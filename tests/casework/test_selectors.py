"""Need to know: who sees which case, and the inverse query used for notifications."""

from __future__ import annotations

import pytest

from casework import selectors
from casework.models import Membership
from tests.factories import ROLE_NAMES, World, advance, make_student, make_user
from workflows.lifecycle import apply_transition
from workflows.services import case_flag

SEES_MONITORING = {"teacher", "psychologist", "psychologist2", "coordinator"}
SEES_SHARED = SEES_MONITORING | {"social", "admin_staff"}


@pytest.mark.parametrize("stage", ["monitoring", "shared", "intervention", "closing", "archived"])
def test_it_shows_each_stage_to_exactly_the_right_roles(stage: str, world: World) -> None:
    case = advance(
        case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["information"],
        ),
        world,
        stage,
    )
    expected = SEES_MONITORING if stage == "monitoring" else SEES_SHARED
    seen_by = {name for name in ROLE_NAMES if selectors.user_may_see_case(world.user(name), case)}
    assert seen_by == expected
    assert {u.username for u in selectors.case_viewers(case)} == expected


def test_it_keeps_a_case_withdrawn_before_sharing_to_the_monitoring_circle(world: World) -> None:
    case = case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["information"],
    )
    apply_transition(case=case, name="withdraw", actor=world.coordinator, note="left school")
    assert {u.username for u in selectors.case_viewers(case)} == SEES_MONITORING


def test_it_shows_a_non_member_only_the_cases_they_flagged(world: World) -> None:
    mine = case_flag(
        student=make_student(world.school),
        actor=world.form_tutor,
        reason="r",
        functions=["information"],
    )
    advance(
        case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["information"],
        ),
        world,
        "shared",
    )
    assert list(selectors.cases_visible_to(world.form_tutor)) == [mine]


def test_it_hides_a_flagged_case_once_the_flagger_leaves_the_school(world: World) -> None:
    case = case_flag(
        student=make_student(world.school),
        actor=world.form_tutor,
        reason="r",
        functions=["information"],
    )
    world.form_tutor.school = world.other_school
    world.form_tutor.save()
    assert not selectors.user_may_see_case(world.form_tutor, case)
    assert world.form_tutor not in selectors.case_viewers(case)


def test_it_hides_everything_from_inactive_members(world: World) -> None:
    case = advance(
        case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["information"],
        ),
        world,
        "shared",
    )
    Membership.objects.filter(user=world.social).update(active=False)
    world.social.refresh_from_db()
    assert not selectors.user_may_see_case(world.social, case)
    assert world.social not in selectors.case_viewers(case)
    world.teacher.is_active = False
    world.teacher.save()
    assert not selectors.user_may_see_case(world.teacher, case)
    assert world.teacher not in selectors.case_viewers(case)


def test_it_agrees_with_its_inverse_for_a_user_in_two_offices(world: World) -> None:
    from casework.models import Office
    from casework.services.offices import membership_set

    other_office = Office.objects.create(school=world.other_school, name="Other office")
    roaming = make_user("roaming", None)
    membership_set(office=world.office, user=roaming, group=3, is_external=True)
    membership_set(office=other_office, user=roaming, group=2, is_coordinator=False)
    other_case_student = make_student(world.other_school)
    for name, group in [("o1", 1), ("o3", 3), ("o4", 4)]:
        membership_set(office=other_office, user=make_user(name, world.other_school), group=group)
    other_case = case_flag(
        student=other_case_student, actor=world.outsider, reason="r", functions=["information"]
    )
    demo_case = case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["information"],
    )
    assert list(selectors.cases_visible_to(roaming)) == [other_case]
    assert roaming in selectors.case_viewers(other_case)
    assert roaming not in selectors.case_viewers(demo_case)


@pytest.mark.parametrize("status", ["requested", "accepted", "rejected", "done", "revoked"])
def test_it_agrees_with_its_inverse_for_referral_recipients(status: str, world: World) -> None:
    """An external member sees a case exactly while a referral to them is accepted."""
    from casework.models import Referral
    from casework.services.consents import consent_record

    case = advance(
        case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["socio_economic"],
        ),
        world,
        "intervention",
    )
    consent = consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="P",
        recipient_user=world.network,
        purpose="aid",
    )
    Referral.objects.create(
        case=case,
        to_user=world.network,
        purpose="aid",
        consent=consent,
        requested_by=world.coordinator,
        status=status,
    )
    expected = SEES_SHARED | ({"network"} if status == "accepted" else set())
    seen_by = {name for name in ROLE_NAMES if selectors.user_may_see_case(world.user(name), case)}
    assert seen_by == expected
    assert {u.username for u in selectors.case_viewers(case)} == expected
    # Leaving the office's network ends it too.
    from casework import roles

    Membership.objects.filter(user=world.network).update(active=False)
    roles.forget_memberships(world.network)
    assert not selectors.user_may_see_case(world.network, case)
    assert world.network not in selectors.case_viewers(case)


def test_it_reads_no_referrals_in_the_case_lists_of_internal_members(world: World) -> None:
    """Invitations are read apart, and only where they can add a case: an ``OR pk IN (referrals
    …)`` beside ``office_id = …`` kept the planner off the office index, and every case list read
    the cases of a whole county (docs/PERFORMANCE.md, county rehearsal)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.models import Referral
    from casework.services.consents import consent_record

    case = advance(
        case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["socio_economic"],
        ),
        world,
        "intervention",
    )
    consent = consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="P",
        recipient_user=world.network,
        purpose="aid",
    )
    for to in (world.network, world.psychologist, world.social):
        Referral.objects.create(
            case=case,
            to_user=to,
            purpose="aid",
            consent=consent,
            requested_by=world.coordinator,
            status="accepted",
        )
    for name in ("coordinator", "psychologist", "social", "network"):
        user = world.user(name)
        assert list(selectors.cases_visible_to(user)) == [case]
        with CaptureQueriesContext(connection) as captured:
            list(selectors.cases_visible_to(user).order_by("-pk")[:25])
        lists = [q["sql"] for q in captured if q["sql"].startswith('SELECT "casework_case"."id"')]
        assert lists and not any("referral" in sql for sql in lists), name
        if name in ("coordinator", "psychologist"):
            # Every case of the office is theirs already: no read of invitations at all.
            assert not any("referral" in q["sql"] for q in captured), name
