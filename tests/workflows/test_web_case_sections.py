"""The case page's sections: assessments, progress on objectives, consent and referrals, and
the meetings that discussed the case; the referrals list; by role, errors as the API's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import Assessment, Case, Consent, Objective, ObjectiveReview, Referral
from casework.services.consents import consent_record
from tests.factories import World, advance, make_student
from workflows import services

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _case(world: World, stage: str) -> Case:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="Absent",
        functions=["pedagogical", "socio_economic"],
    )
    return advance(case, world, stage)


ACADEMIC = {
    "score_grades": 2,
    "score_attendance": 1,
    "score_homework": 3,
    "score_engagement": 2,
    "score_practice": 4,
}


def test_it_records_a_structured_assessment(world: World) -> None:
    case = _case(world, "shared")
    page = _client(world.teacher).get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/assessments/academic/"' in page
    assert f'action="/cases/{case.pk}/assessments/emotional/"' not in page
    response = _client(world.teacher).post(f"/cases/{case.pk}/assessments/academic/", ACADEMIC)
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert assessment.phase == "initial" and assessment.scores["grades"] == 2
    page = _client(world.teacher).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-assessment="academic-initial"' in page


def test_it_marks_the_items_left_unscored(world: World) -> None:
    case = _case(world, "shared")
    response = _client(world.teacher).post(
        f"/cases/{case.pk}/assessments/academic/", {"score_grades": 2}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_academic_score_attendance_error"' in page
    assert 'id="id_academic_score_grades_error"' not in page
    assert not Assessment.objects.exists()


def test_it_refuses_an_area_the_group_does_not_assess(world: World) -> None:
    case = _case(world, "shared")
    response = _client(world.teacher).post(f"/cases/{case.pk}/assessments/emotional/", {})
    assert response.status_code == 403


def test_it_records_progress_on_an_objective(world: World) -> None:
    case = _case(world, "intervention")
    objective = Objective.objects.get(case=case)
    client = _client(world.coordinator)
    url = f"/cases/{case.pk}/objectives/{objective.pk}/reviews/"
    assert f'action="{url}"' in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(url, {"value": "75%", "status": "at_risk"})
    assert response.status_code == 302
    assert ObjectiveReview.objects.get(objective=objective).value == "75%"
    assert Objective.objects.get(pk=objective.pk).status == "at_risk"
    response = client.post(url, {"value": "", "status": "met"})
    assert response.status_code == 400
    assert f'id="id_objective{objective.pk}_value_error"' in response.content.decode()
    # "missed" before the deadline is the service's rule, said next to the field too.
    response = client.post(url, {"value": "70%", "status": "missed"})
    assert response.status_code == 400
    assert f'id="id_objective{objective.pk}_status_error"' in response.content.decode()
    assert ObjectiveReview.objects.filter(objective=objective).count() == 1
    assert _client(world.form_tutor).post(url, {"value": "1", "status": "met"}).status_code == 404


def test_it_refers_after_consent_and_the_recipient_answers(world: World) -> None:
    case = _case(world, "shared")
    client = _client(world.coordinator)
    purpose = "Scholarship and transport money"
    response = client.post(
        f"/cases/{case.pk}/referrals/", {"to": world.network.pk, "purpose": purpose}
    )
    assert response.status_code == 409
    assert "consent" in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/consents/",
        {
            "scope": "referral",
            "given_by": "parent",
            "given_by_name": "Elena Pop",
            "recipient_user": world.network.pk,
            "purpose": purpose,
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/cases/{case.pk}/referrals/", {"to": world.network.pk, "purpose": purpose}
    )
    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    network = _client(world.network)
    page = network.get("/referrals/").content.decode()
    assert f'data-referral="{referral.pk}"' in page and 'data-move="accept"' in page
    assert network.post(f"/referrals/{referral.pk}/reject/", {"reason": ""}).status_code == 400
    assert network.post(f"/referrals/{referral.pk}/accept/").status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    assert network.get(f"/cases/{case.pk}/").status_code == 200


def test_it_puts_consent_errors_next_to_the_fields(world: World) -> None:
    case = _case(world, "shared")
    response = _client(world.coordinator).post(
        f"/cases/{case.pk}/consents/",
        {"scope": "referral", "given_by": "parent", "given_by_name": "", "given_on": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_consent_given_by_name_error"' in page
    assert 'id="id_consent_given_on_error"' in page
    assert not Consent.objects.exists()


def test_it_withdraws_a_consent_and_its_referral_ends(world: World) -> None:
    case = _case(world, "shared")
    consent = consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="Elena Pop",
        recipient_user=world.network,
        purpose="Scholarship",
    )
    from workflows.services import referral_request

    referral = referral_request(
        case=case, actor=world.coordinator, purpose="Scholarship", to_user=world.network
    )
    response = _client(world.coordinator).post(f"/cases/{case.pk}/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "revoked"
    again = _client(world.social).post(f"/cases/{case.pk}/consents/{consent.pk}/withdraw/")
    assert again.status_code == 409
    outsider = _client(world.form_tutor).post(f"/cases/{case.pk}/consents/{consent.pk}/withdraw/")
    assert outsider.status_code == 404


def test_it_lists_the_meetings_that_discussed_the_case(world: World) -> None:
    case = _case(world, "shared")
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    item = meeting.agenda_items.get(case=case)
    services.decision_record(
        meeting=meeting, item=item, actor=world.coordinator, kind="note", text="Call the family"
    )
    page = _client(world.psychologist).get(f"/cases/{case.pk}/").content.decode()
    assert f'data-case-meeting="{meeting.pk}"' in page and "Call the family" in page


def test_it_asks_for_the_library_consent_where_the_draft_needs_it(world: World) -> None:
    case = _case(world, "archived")
    client = _client(world.coordinator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "data-library-consent" in page
    assert f'action="/library/draft/{case.pk}/"' not in page
    missing = client.post(f"/cases/{case.pk}/consents/", {"scope": "library", "given_by": "parent"})
    assert missing.status_code == 400 and 'id="id_library_consent_given_by_name_error"' in (
        missing.content.decode()
    )
    response = client.post(
        f"/cases/{case.pk}/consents/",
        {
            "scope": "library",
            "given_by": "parent",
            "given_by_name": "Maria Stoica",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#library")
    assert Consent.objects.filter(case=case, scope="library", withdrawn_at__isnull=True).exists()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "data-library-consent" not in page
    drafted = client.post(f"/library/draft/{case.pk}/")
    assert drafted.status_code == 302
