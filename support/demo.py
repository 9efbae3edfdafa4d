"""The support part of the demo: employers with agreements (one lapsing soon), a paid placement
with places left, a group mobility under way, a long-term mobility, and the student at risk of
the demo's intervention case proposed from the case.

Added when ``seed_demo`` sends ``demo_seeded`` (connected in ``SupportConfig.ready``), in its
transaction, through the same services the pages use. Idempotent: a school that already has
partners gets nothing more.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from casework.models import Case, School, Student, User
from support.models import Opportunity, Participation, Partner
from support.services import (
    agreement_add,
    dossier_item_mark,
    opportunity_add,
    participation_propose,
    participation_transition,
    partner_add,
    partner_contact_add,
    student_consent_record,
)

# name, kind, country, city, agreement purpose, signed (days ago), valid (days from today)
PARTNERS = [
    ("SC Auto Service Someș SRL", "employer", "RO", "Dej", "practice", 320, 40),
    ("Hotel Napoca SA", "employer", "RO", "Cluj-Napoca", "practice", 200, 700),
    ("IES La Costera", "school", "ES", "Xàtiva", "mobility", 150, 900),
    ("Asociația Tineri pentru Viitor", "ngo", "RO", "Cluj-Napoca", "cooperation", 90, None),
]


def seed_support_demo(*, schools: dict[str, School], users: dict[str, User], **_: Any) -> None:
    school = schools["DEMO"]
    if Partner.objects.filter(school=school).exists():
        return
    _seed(school, users["coordinator"])


def _seed(school: School, coordinator: User) -> None:
    today = timezone.localdate()
    partners = {}
    for name, kind, country, city, purpose, signed, valid in PARTNERS:
        partner = partner_add(actor=coordinator, name=name, kind=kind, country=country, city=city)
        agreement_add(
            actor=coordinator,
            partner=partner,
            purpose=purpose,
            signed_on=today - datetime.timedelta(days=signed),
            valid_until=today + datetime.timedelta(days=valid) if valid else None,
        )
        partners[kind if kind != "employer" else name] = partner
    garage = partners["SC Auto Service Someș SRL"]
    partner_contact_add(
        actor=coordinator, partner=garage, name="Vasile Rus", role="tutor de practică"
    )
    placement = opportunity_add(
        actor=coordinator,
        kind="practice_placement",
        title="Stagiu de practică plătit — mecanic auto",
        partner=garage,
        starts_on=today + datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=41),
        places=4,
        hours_planned=120,
        practice_centre="Centrul de Inovație și Excelență în Practica Profesională",
        financial_support="bursă de practică 500 lei/lună",
        tutor="Vasile Rus",
    )
    _at_risk_from_case(school, coordinator, placement)
    _group_mobility(school, coordinator, partners["school"], today)
    long_term = opportunity_add(
        actor=coordinator,
        kind="long_term_mobility",
        title="ErasmusPro — bucătărie, 4 luni la Xàtiva",
        partner=partners["school"],
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=179),
        travel_days=2,
        places=2,
    )
    _learner(coordinator, long_term, "D-1007", steps=("select",))


def _learner(
    actor: User, opportunity: Opportunity, code: str, *, steps: tuple[str, ...]
) -> Participation:
    student = Student.objects.get(school=opportunity.school, code=code)
    participation = participation_propose(
        actor=actor, opportunity=opportunity, role="learner", student=student
    )
    for name in steps:
        participation = participation_transition(
            actor=actor, participation=participation, name=name
        )
    return participation


def _at_risk_from_case(school: School, coordinator: User, placement: Opportunity) -> None:
    case = Case.objects.filter(office__school=school, student__code="D-1001").first()
    if case is None:
        return
    participation_propose(
        actor=coordinator,
        opportunity=placement,
        role="learner",
        student=case.student,
        case=case,
    )


def _group_mobility(school: School, coordinator: User, host: Partner, today: datetime.date) -> None:
    mobility = opportunity_add(
        actor=coordinator,
        kind="group_mobility",
        title="Mobilitate de grup — ospitalitate în Spania",
        partner=host,
        starts_on=today - datetime.timedelta(days=4),
        ends_on=today + datetime.timedelta(days=9),
        travel_days=2,
        places=6,
    )
    learners = []
    for code, parent in (("D-1002", "Maria Stoica"), ("D-1004", "Ion Matei")):
        student = Student.objects.get(school=school, code=code)
        student_consent_record(
            actor=coordinator,
            student=student,
            scope="mobility",
            given_by="parent",
            given_by_name=parent,
        )
        learners.append(_learner(coordinator, mobility, code, steps=("select",)))
    teacher = participation_propose(
        actor=coordinator,
        opportunity=mobility,
        role="accompanying",
        staff=User.objects.get(username="teacher"),
    )
    teacher = participation_transition(actor=coordinator, participation=teacher, name="select")
    for participation in [*learners, teacher]:
        for name in ("confirm", "start"):
            participation = participation_transition(
                actor=coordinator, participation=participation, name=name
            )
        for item in ("identity_document", "insurance", "learning_agreement"):
            dossier_item_mark(
                actor=coordinator,
                participation=participation,
                item=item,
                done_on=today - datetime.timedelta(days=20),
            )
