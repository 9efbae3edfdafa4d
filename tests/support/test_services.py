"""Partners in the one directory, agreements' warnings, and the participation machine: role
rules, one place per person, order of steps, places, consent, the group rule, the timeline and
the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Contact, Student
from support import policies
from support.models import Agreement, DossierItem, Participation
from support.services import (
    agreement_add,
    dossier_item_mark,
    is_minor_on,
    participation_outcome_record,
    participation_propose,
    participation_transition,
    partner_add,
    partner_contact_add,
    student_consent_record,
)
from tests.factories import advance, make_student, make_user
from tests.support.conftest import START, Scene
from workflows.selectors import open_tasks_of_case
from workflows.services import task_claim

pytestmark = pytest.mark.django_db


def _adult(scene: Scene, **extra: object) -> Student:
    return make_student(scene.world.school, birth_date=datetime.date(2000, 1, 1), **extra)


def _move(scene: Scene, participation: Participation, *names: str) -> Participation:
    for name in names:
        participation = participation_transition(
            actor=scene.world.coordinator, participation=participation, name=name
        )
    return participation


def test_it_keeps_a_partner_in_the_offices_one_directory(scene: Scene) -> None:
    entry = Contact.objects.get(pk=scene.partner.entry_id)
    assert entry.office == scene.world.office
    assert entry.kind == Contact.Kind.EMPLOYER and entry.name == "SC Auto Service SRL"
    person = partner_contact_add(
        actor=scene.world.social, partner=scene.partner, name="Ion Pop", role="tutor"
    )
    assert person.entry.office == scene.world.office
    assert person.entry.organisation == "SC Auto Service SRL"


def test_it_refuses_a_country_that_is_not_iso(scene: Scene) -> None:
    with pytest.raises(Invalid) as refused:
        partner_add(actor=scene.world.coordinator, name="X", kind="school", country="XX")
    assert list(refused.value.fields) == ["country"]


def test_it_lets_only_managers_add_partners(scene: Scene) -> None:
    for name in ("teacher", "psychologist", "network", "form_tutor", "outsider"):
        with pytest.raises(Forbidden):
            partner_add(actor=scene.world.user(name), name="X", kind="ngo", country="RO")
    for user in (scene.world.social, scene.world.admin_staff, scene.director, scene.deputy):
        partner_add(actor=user, name="Y", kind="ngo", country="ro")


def test_it_warns_before_an_agreement_lapses(scene: Scene) -> None:
    today = datetime.date.today()
    agreement = agreement_add(
        actor=scene.world.coordinator,
        partner=scene.partner,
        purpose="practice",
        signed_on=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=30),
    )
    assert agreement.lapse_state() == "lapsing"
    assert agreement.lapse_state(today - datetime.timedelta(days=60)) == "valid"
    assert agreement.lapse_state(today + datetime.timedelta(days=31)) == "lapsed"


def test_it_refuses_an_agreement_valid_before_it_was_signed(scene: Scene) -> None:
    with pytest.raises(Invalid) as refused:
        agreement_add(
            actor=scene.world.coordinator,
            partner=scene.partner,
            purpose="mobility",
            signed_on=START,
            valid_until=START - datetime.timedelta(days=1),
        )
    assert list(refused.value.fields) == ["valid_until"]
    assert not Agreement.objects.exists()


def test_it_matches_roles_to_kinds(scene: Scene) -> None:
    placement = scene.opportunity("practice_placement")
    course = scene.opportunity("staff_course", days=5)
    teacher = scene.world.teacher
    student = _adult(scene)
    refusals = [
        (placement, "staff", None, teacher, "role"),
        (course, "learner", student, None, "role"),
        (course, "accompanying", None, teacher, "role"),
        (placement, "learner", None, teacher, "student"),
        (placement, "accompanying", student, None, "staff"),
    ]
    for opportunity, role, learner, staff, field in refusals:
        with pytest.raises(Invalid) as refused:
            participation_propose(
                actor=scene.world.coordinator,
                opportunity=opportunity,
                role=role,
                student=learner,
                staff=staff,
            )
        assert field in refused.value.fields, (role, opportunity.kind)
    assert not Participation.objects.exists()


def test_it_refuses_the_same_person_twice_until_withdrawn(scene: Scene) -> None:
    placement = scene.opportunity()
    student = _adult(scene)
    first = participation_propose(
        actor=scene.world.coordinator, opportunity=placement, role="learner", student=student
    )
    with pytest.raises(Conflict) as refused:
        participation_propose(
            actor=scene.world.coordinator, opportunity=placement, role="learner", student=student
        )
    assert refused.value.extra["code"] == "already_listed"
    _move(scene, first, "withdraw")
    participation_propose(
        actor=scene.world.coordinator, opportunity=placement, role="learner", student=student
    )


def test_it_goes_through_the_steps_in_order_only(scene: Scene) -> None:
    placement = scene.opportunity()
    participation = participation_propose(
        actor=scene.world.coordinator, opportunity=placement, role="learner", student=_adult(scene)
    )
    with pytest.raises(Conflict) as early:
        _move(scene, participation, "confirm")
    assert early.value.extra["code"] == "status"
    done = _move(scene, participation, "select", "confirm", "start", "complete")
    assert done.status == "completed" and done.completed_on == datetime.date.today()
    with pytest.raises(Conflict):
        _move(scene, done, "withdraw")


def test_it_withdraws_from_every_open_status(scene: Scene) -> None:
    placement = scene.opportunity()
    steps = ["select", "confirm", "start"]
    for count in range(len(steps) + 1):
        participation = participation_propose(
            actor=scene.world.coordinator,
            opportunity=placement,
            role="learner",
            student=_adult(scene),
        )
        moved = _move(scene, participation, *steps[:count], "withdraw")
        assert moved.status == "withdrawn"


def test_it_counts_learners_places_but_not_accompanying_staff(scene: Scene) -> None:
    placement = scene.opportunity(places=1)
    staff = participation_propose(
        actor=scene.world.coordinator,
        opportunity=placement,
        role="accompanying",
        staff=scene.world.teacher,
    )
    _move(scene, staff, "select", "confirm")
    first, second = (
        participation_propose(
            actor=scene.world.coordinator,
            opportunity=placement,
            role="learner",
            student=_adult(scene),
        )
        for _ in range(2)
    )
    _move(scene, first, "select", "confirm")
    _move(scene, second, "select")
    with pytest.raises(Conflict) as full:
        _move(scene, second, "confirm")
    assert full.value.extra["code"] == "full"
    assert Participation.objects.get(pk=second.pk).status == "selected"
    # A place given back is free again.
    _move(scene, first, "withdraw")
    _move(scene, second, "confirm")


def test_it_needs_a_mobility_consent_for_a_minor_or_a_student_without_birth_date(
    scene: Scene,
) -> None:
    placement = scene.opportunity()
    for born in (datetime.date(2010, 1, 1), None):
        student = make_student(scene.world.school, birth_date=born)
        participation = participation_propose(
            actor=scene.world.coordinator, opportunity=placement, role="learner", student=student
        )
        _move(scene, participation, "select")
        with pytest.raises(Conflict) as refused:
            _move(scene, participation, "confirm")
        assert refused.value.extra["code"] == "missing_consent"
        student_consent_record(
            actor=scene.world.social,
            student=student,
            scope="mobility",
            given_by="parent",
            given_by_name="Elena Pop",
        )
        assert _move(scene, participation, "confirm").status == "confirmed"


def test_it_words_the_missing_consent_by_the_opportunitys_kind(scene: Scene) -> None:
    def refusal(kind: str, days: int) -> str:
        opportunity = scene.opportunity(kind, days=days)
        student = make_student(scene.world.school)
        participation = participation_propose(
            actor=scene.world.coordinator, opportunity=opportunity, role="learner", student=student
        )
        _move(scene, participation, "select")
        with translation.override("en"), pytest.raises(Conflict) as refused:
            _move(scene, participation, "confirm")
        assert refused.value.extra["code"] == "missing_consent"
        return refused.value.detail

    placement = refusal("practice_placement", 10)
    assert "mobility" not in placement and "to take part in this activity" in placement
    assert "scope mobility" in refusal("short_term_mobility", 14)


def test_it_counts_age_on_the_first_day() -> None:
    student = Student(birth_date=datetime.date(2008, 3, 2))
    assert is_minor_on(student, datetime.date(2026, 3, 1))
    assert not is_minor_on(student, datetime.date(2026, 3, 2))
    leap = Student(birth_date=datetime.date(2008, 2, 29))
    assert is_minor_on(leap, datetime.date(2026, 2, 28))
    assert not is_minor_on(leap, datetime.date(2026, 3, 1))


def test_it_keeps_the_group_mobility_rule(scene: Scene) -> None:
    mobility = scene.opportunity("group_mobility", days=14)
    learners = [
        participation_propose(
            actor=scene.world.coordinator,
            opportunity=mobility,
            role="learner",
            student=_adult(scene),
        )
        for _ in range(2)
    ]
    _move(scene, learners[0], "select")
    with pytest.raises(Conflict) as alone:
        _move(scene, learners[0], "confirm")
    assert alone.value.extra["code"] == "group_rule"
    assert alone.value.extra["learners"] == 1 and alone.value.extra["accompanying"] == 0
    _move(scene, learners[1], "select")
    with pytest.raises(Conflict) as unaccompanied:
        _move(scene, learners[0], "confirm")
    assert unaccompanied.value.extra["code"] == "group_rule"
    teacher = participation_propose(
        actor=scene.world.coordinator,
        opportunity=mobility,
        role="accompanying",
        staff=scene.world.teacher,
    )
    _move(scene, teacher, "select")
    assert _move(scene, learners[0], "confirm").status == "confirmed"


def test_it_writes_a_case_linked_participation_on_the_timeline(scene: Scene, case: Case) -> None:
    placement = scene.opportunity()
    participation = participation_propose(
        actor=scene.world.coordinator,
        opportunity=placement,
        role="learner",
        student=case.student,
        case=case,
    )
    events = CaseEvent.objects.filter(case=case, name__startswith="participation_")
    assert list(events.values_list("name", flat=True)) == ["participation_proposed"]
    _move(scene, participation, "select")
    assert events.count() == 2
    assert (
        AuditEvent.objects.filter(
            object_type="participation", object_id=str(participation.pk)
        ).count()
        == 2
    )


def test_it_lets_the_socio_economic_worker_propose_from_a_case_only(
    scene: Scene, case: Case
) -> None:
    placement = scene.opportunity()
    with pytest.raises(Forbidden):
        participation_propose(
            actor=scene.world.psychologist,
            opportunity=placement,
            role="learner",
            student=case.student,
            case=case,
        )
    case.functions = ["socio_economic"]
    case.save(update_fields=["functions"])
    advance(case, scene.world, "intervention")
    task = open_tasks_of_case(case.pk).get(name="socio_economic")
    assert not policies.can_propose_from_case(scene.world.social, case)
    task_claim(case_task=task, actor=scene.world.social)
    assert policies.holds_socio_economic_task(scene.world.social, case)
    assert policies.can_propose_from_case(scene.world.social, case)
    assert policies.can_propose_from_case(scene.world.coordinator, case)
    # A teacher who holds nothing is refused.
    with pytest.raises(Forbidden):
        participation_propose(
            actor=scene.world.teacher,
            opportunity=placement,
            role="learner",
            student=case.student,
            case=case,
        )


def test_it_keeps_a_dossier_for_mobility_participants(scene: Scene) -> None:
    mobility = scene.opportunity("short_term_mobility", days=20)
    minor = make_student(scene.world.school, birth_date=datetime.date(2010, 5, 1))
    adult = _adult(scene)
    young = participation_propose(
        actor=scene.world.coordinator, opportunity=mobility, role="learner", student=minor
    )
    grown = participation_propose(
        actor=scene.world.coordinator, opportunity=mobility, role="learner", student=adult
    )
    assert "parental_consent" in young.dossier.values_list("item", flat=True)
    assert set(grown.dossier.values_list("item", flat=True)) == {
        "identity_document",
        "learning_agreement",
        "insurance",
        "europass",
    }
    dossier_item_mark(
        actor=scene.world.admin_staff, participation=grown, item="insurance", done_on=START
    )
    assert DossierItem.objects.get(participation=grown, item="insurance").done_on == START
    with pytest.raises(Invalid):
        dossier_item_mark(
            actor=scene.world.admin_staff,
            participation=grown,
            item="parental_consent",
            done_on=START,
        )
    placement = scene.opportunity()
    local = participation_propose(
        actor=scene.world.coordinator, opportunity=placement, role="learner", student=_adult(scene)
    )
    assert not local.dossier.exists()


def test_it_records_outcomes_once_started(scene: Scene) -> None:
    placement = scene.opportunity(hours_planned=120)
    participation = participation_propose(
        actor=scene.world.coordinator, opportunity=placement, role="learner", student=_adult(scene)
    )
    with pytest.raises(Conflict):
        participation_outcome_record(
            actor=scene.world.coordinator, participation=participation, hours_done=10
        )
    _move(scene, participation, "select", "confirm", "start", "complete")
    participation = Participation.objects.get(pk=participation.pk)
    done = participation_outcome_record(
        actor=scene.world.coordinator,
        participation=participation,
        certificate="Certificat de practică",
        competences="diagnoză motor",
        hours_done=118,
    )
    assert done.hours_done == 118


def test_it_refuses_a_staff_member_of_another_school(scene: Scene) -> None:
    course = scene.opportunity("staff_course", days=5)
    stranger = make_user("stranger", scene.world.other_school)
    with pytest.raises(Invalid) as refused:
        participation_propose(
            actor=scene.world.coordinator, opportunity=course, role="staff", staff=stranger
        )
    assert list(refused.value.fields) == ["staff"]
