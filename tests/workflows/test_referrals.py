"""Referrals: consent first, the state machine, and need to know that ends with the referral."""

from __future__ import annotations

import pytest

from casework import selectors
from casework.errors import Conflict, Forbidden, Invalid
from casework.models import Case, Consent, Contact, Referral
from casework.services.consents import consent_record
from tests.conftest import client_for
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import CaseTask, Notification

pytestmark = pytest.mark.django_db

PURPOSE = "Social inquiry and financial support"


def _case(world: World, stage: str = "intervention") -> Case:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["socio_economic"],
    )
    return advance(case, world, stage)


def _consent(world: World, case: Case, purpose: str = PURPOSE, **recipient: object) -> Consent:
    recipient = recipient or {"recipient_user": world.network}
    return consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="guardian",
        given_by_name="Ion Pop",
        purpose=purpose,
        **recipient,  # type: ignore[arg-type]
    )


def _refer(world: World, case: Case) -> Referral:
    return services.referral_request(
        case=case, actor=world.coordinator, to_user=world.network, purpose=PURPOSE
    )


def test_it_refuses_a_referral_without_consent_naming_what_is_missing(world: World) -> None:
    case = _case(world)
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/referrals/",
        {"to": world.network.pk, "purpose": PURPOSE},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["missing_consent"] == {
        "scope": "referral",
        "recipient_user": world.network.pk,
        "purpose": PURPOSE,
    }
    assert "consimțământ" in body["detail"] and PURPOSE in body["detail"]
    assert not Referral.objects.exists()


def test_it_matches_consent_by_recipient_and_purpose_ignoring_case_and_spaces(
    world: World,
) -> None:
    case = _case(world)
    _consent(world, case, purpose="  social INQUIRY and  financial support ")
    referral = _refer(world, case)
    assert referral.status == "requested"
    other = _case(world)
    _consent(world, other, purpose="Tutoring")
    with pytest.raises(Conflict):
        _refer(world, other)  # a consent for another purpose does not cover this one


def test_it_answers_a_referral_over_the_api_and_tells_the_office(world: World) -> None:
    case = _case(world)
    _consent(world, case)
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/referrals/",
        {"to": world.network.pk, "purpose": PURPOSE},
        format="json",
    )
    assert response.status_code == 201, response.json()
    referral_id = response.json()["id"]
    invitation = Notification.objects.get(recipient=world.network, kind="case.invited")
    assert invitation.case is None and invitation.data["referral"] == referral_id
    network = client_for(world.network)
    # Before accepting, the recipient sees the referral but not the case.
    assert network.get(f"/api/referrals/{referral_id}/").status_code == 200
    assert network.get(f"/api/cases/{case.pk}/").status_code == 404
    incoming = network.get("/api/referrals/", {"scope": "incoming"}).json()
    assert [r["id"] for r in incoming["results"]] == [referral_id]
    accepted = network.post(f"/api/referrals/{referral_id}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert network.get(f"/api/cases/{case.pk}/").status_code == 200
    assert Notification.objects.filter(
        recipient=world.coordinator, kind="referral.answered", data__status="accepted"
    ).exists()
    assert case.events.filter(name="referral_accepted", actor=world.network).exists()


@pytest.mark.parametrize(
    "path,moves,refused",
    [
        ("rejected", [("reject", "network")], ["accept", "complete", "revoke"]),
        ("done", [("accept", "network"), ("complete", "network")], ["accept", "reject", "revoke"]),
        ("revoked", [("revoke", "coordinator")], ["accept", "reject", "complete"]),
        ("accepted", [("accept", "network")], ["accept", "reject"]),
        ("requested", [], ["complete"]),
    ],
)
def test_it_refuses_illegal_moves_with_409(
    path: str, moves: list[tuple[str, str]], refused: list[str], world: World
) -> None:
    case = _case(world)
    _consent(world, case)
    referral = _refer(world, case)
    for name, who in moves:
        referral = services.referral_change(
            referral=referral, name=name, actor=world.user(who), reason="no capacity"
        )
    assert referral.status == path
    for name in refused:
        actor = world.network if name in ("accept", "reject") else world.coordinator
        with pytest.raises(Conflict):
            services.referral_change(
                referral=Referral.objects.get(pk=referral.pk), name=name, actor=actor, reason="x"
            )
    assert Referral.objects.get(pk=referral.pk).status == path


def test_it_checks_who_answers_and_that_a_rejection_says_why(world: World) -> None:
    case = _case(world)
    _consent(world, case)
    referral = _refer(world, case)
    with pytest.raises(Forbidden):
        services.referral_change(referral=referral, name="accept", actor=world.coordinator)
    with pytest.raises(Forbidden):
        services.referral_change(referral=referral, name="revoke", actor=world.network)
    with pytest.raises(Invalid) as refused:
        services.referral_change(referral=referral, name="reject", actor=world.network, reason=" ")
    assert "reason" in refused.value.fields
    response = client_for(world.network).post(
        f"/api/referrals/{referral.pk}/reject/",
        {"reason": "No places left this month"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["reason"] == "No places left this month"
    assert Notification.objects.filter(
        recipient=world.coordinator, kind="referral.answered"
    ).exists()


def test_it_refers_to_a_directory_contact_recording_the_answer_for_them(world: World) -> None:
    case = _case(world)
    contact = Contact.objects.create(
        office=world.office, kind=Contact.Kind.SOCIAL_SERVICE, name="DGASPC Demo"
    )
    _consent(world, case, recipient_contact=contact)
    client = client_for(world.coordinator)
    created = client.post(
        f"/api/cases/{case.pk}/referrals/",
        {"contact": contact.pk, "purpose": PURPOSE},
        format="json",
    )
    assert created.status_code == 201, created.json()
    referral_id = created.json()["id"]
    assert client.post(f"/api/referrals/{referral_id}/accept/").json()["status"] == "accepted"
    assert (
        client.post(
            f"/api/referrals/{referral_id}/complete/", {"reason": "aid granted"}, format="json"
        ).json()["status"]
        == "done"
    )


@pytest.mark.parametrize(
    "body,field",
    [
        ({"purpose": PURPOSE}, "to"),
        ({"to": 999999, "purpose": PURPOSE}, "to"),
        ({"to": "self", "purpose": PURPOSE}, "to"),
        ({"to": "outsider", "purpose": PURPOSE}, "to"),
        ({"to": "network", "purpose": ""}, "purpose"),
        ({"contact": 999999, "purpose": PURPOSE}, "contact"),
    ],
)
def test_it_names_the_bad_referral_field(body: dict[str, object], field: str, world: World) -> None:
    case = _case(world)
    names = {
        "self": world.coordinator.pk,
        "outsider": world.outsider.pk,
        "network": world.network.pk,
    }
    body = {k: names.get(v, v) if isinstance(v, str) and k == "to" else v for k, v in body.items()}
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/referrals/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()


def test_it_refers_only_shared_or_intervening_cases(world: World) -> None:
    case = _case(world, "closing")
    _consent(world, case)
    with pytest.raises(Conflict):
        _refer(world, case)


# -- need to know ------------------------------------------------------------------------------


def _accepted(world: World) -> tuple[Case, Referral]:
    case = _case(world)
    _consent(world, case)
    referral = services.referral_change(
        referral=_refer(world, case), name="accept", actor=world.network
    )
    return case, referral


def test_it_lets_an_invited_member_see_and_work_on_the_case(world: World) -> None:
    case, _ = _accepted(world)
    assert selectors.user_may_see_case(world.network, case)
    assert world.network in selectors.case_viewers(case)
    assert selectors.students_visible_to(world.network).get() == case.student
    case_task = CaseTask.objects.get(case=case, name="socio_economic")
    assert client_for(world.network).post(f"/api/tasks/{case_task.pk}/claim/").status_code == 200
    # Only that case: another case of the office stays hidden.
    other = _case(world)
    assert not selectors.user_may_see_case(world.network, other)


@pytest.mark.parametrize("ending", ["complete", "revoke"])
def test_it_ends_need_to_know_when_the_referral_ends(ending: str, world: World) -> None:
    case, referral = _accepted(world)
    case_task = CaseTask.objects.get(case=case, name="socio_economic")
    services.task_claim(case_task=case_task, actor=world.network)
    services.referral_change(referral=referral, name=ending, actor=world.coordinator)
    assert not selectors.user_may_see_case(world.network, case)
    assert world.network not in selectors.case_viewers(case)
    assert not selectors.students_visible_to(world.network).exists()
    assert client_for(world.network).get(f"/api/cases/{case.pk}/").status_code == 404
    # The task they held goes back to the group, and they are told the referral ended.
    case_task.task.refresh_from_db()
    assert case_task.task.owner is None
    assert Notification.objects.filter(
        recipient=world.social, kind="task.available", task=case_task.task
    ).exists()
    assert Notification.objects.filter(recipient=world.network, kind="referral.ended").exists()


def test_it_revokes_referrals_when_their_consent_is_withdrawn(world: World) -> None:
    case, referral = _accepted(world)
    consent = referral.consent
    response = client_for(world.psychologist).post(
        f"/api/consents/{consent.pk}/withdraw/", {"note": "the family asked"}, format="json"
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "revoked" and "Consent withdrawn" in referral.reason
    assert not selectors.user_may_see_case(world.network, case)
    assert case.events.filter(name="referral_revoked").exists()
    # A new referral for the same recipient and purpose needs a new consent.
    with pytest.raises(Conflict) as refused:
        _refer(world, case)
    assert "missing_consent" in refused.value.extra


def test_it_keeps_a_referral_covered_by_another_consent_when_one_is_withdrawn(
    world: World,
) -> None:
    case, referral = _accepted(world)
    second = _consent(world, case)
    services.consent_withdraw(consent=referral.consent, actor=world.coordinator)
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.consent == second
    assert selectors.user_may_see_case(world.network, case)


def test_it_refuses_to_accept_once_the_consent_is_gone_even_without_revocation(
    world: World,
) -> None:
    case = _case(world)
    consent = _consent(world, case)
    referral = _refer(world, case)
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at="2030-01-01T00:00Z")
    with pytest.raises(Conflict) as refused:
        services.referral_change(referral=referral, name="accept", actor=world.network)
    assert "missing_consent" in refused.value.extra


def test_it_ends_live_referrals_when_the_case_closes_for_good(world: World) -> None:
    case, referral = _accepted(world)
    waiting_case = _case(world)
    _consent(world, waiting_case)
    waiting = _refer(world, waiting_case)
    services.case_transition(
        case=waiting_case, name="withdraw", actor=world.coordinator, note="left"
    )
    advance(case, world, "archived")
    referral.refresh_from_db()
    waiting.refresh_from_db()
    assert referral.status == "done" and waiting.status == "revoked"
    assert not selectors.user_may_see_case(world.network, case)
