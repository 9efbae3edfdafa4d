"""Create the demo school DEMO with an operational office, and a second school OTHER.

Idempotent: running it again updates the same rows and creates nothing twice. Every demo user's
password is ``demo``, so the command refuses to run unless DEBUG is on or --force is given.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework.instrument_defaults import ensure_default_instrument
from casework.models import (
    Case,
    CaseEvent,
    ClassAssignment,
    Contact,
    Group,
    Instrument,
    Item,
    Office,
    Position,
    School,
    Signal,
    Student,
    Subscale,
    User,
)
from casework.services.assessments import assessment_record
from casework.services.cases import closing_review_create
from casework.services.consents import consent_record
from casework.services.instruments import instrument_link_create, instrument_submit
from casework.services.offices import membership_set
from casework.services.risk import risk_refresh
from casework.services.signals import clean_signal, signal_store
from workflows import services
from workflows.demo import demo_seeded
from workflows.models import CaseTask
from workflows.services import (
    library_entry_draft,
    meeting_schedule,
    referral_change,
    referral_request,
)

PASSWORD = "demo"

# username: (first name, last name, group or None, coordinator, external, school code or None)
USERS: dict[str, tuple[str, str, int | None, bool, bool, str | None]] = {
    "teacher": ("Ioana", "Marinescu", Group.EDUCATORS, False, False, "DEMO"),
    "psychologist": ("Andrei", "Popovici", Group.PEDAGOGY, False, False, "DEMO"),
    "psychologist2": ("Elena", "Dumitrescu", Group.PEDAGOGY, False, False, "DEMO"),
    "social": ("Mihai", "Constantinescu", Group.SOCIAL, False, False, "DEMO"),
    "network": ("Raluca", "Ionescu", Group.SOCIAL, False, True, None),
    "admin_staff": ("Cristina", "Georgescu", Group.ADMINISTRATION, False, False, "DEMO"),
    "coordinator": ("Daniel", "Stanciu", Group.EDUCATORS, True, False, "DEMO"),
    "form_tutor": ("Gabriela", "Munteanu", None, False, False, "DEMO"),
    "outsider": ("Victor", "Lungu", None, False, False, "OTHER"),
    "director": ("Mirela", "Pavel", None, False, False, "DEMO"),
    "deputy": ("Sorin", "Dobre", None, False, False, "DEMO"),
    "counsellor": ("Adriana", "Florea", Group.EDUCATORS, False, False, "DEMO"),
    "ceiac": ("Lucian", "Moraru", None, False, False, "DEMO"),
}

# username: [(position, class)] — the school duties the source documents name
POSITIONS: dict[str, list[tuple[str, str]]] = {
    "director": [("director", "")],
    "deputy": [("deputy_director", "")],
    "counsellor": [("career_counsellor", "")],
    "form_tutor": [("form_tutor", "11A"), ("study_counsellor", "")],
    "ceiac": [("quality_commission", "")],
}

# code, first name, last name, class, programme, birth date
STUDENTS: dict[str, list[tuple[str, str, str, str, str, datetime.date]]] = {
    "DEMO": [
        ("D-1001", "Alexandru", "Popescu", "10A", "Mecanic auto", datetime.date(2009, 3, 14)),
        ("D-1002", "Bianca", "Stoica", "10A", "Mecanic auto", datetime.date(2009, 7, 2)),
        ("D-1003", "Cosmin", "Radu", "10B", "Electrician", datetime.date(2009, 1, 22)),
        ("D-1004", "Denisa", "Matei", "10B", "Electrician", datetime.date(2008, 11, 5)),
        ("D-1005", "Florin", "Ciobanu", "11A", "Bucătar", datetime.date(2008, 5, 30)),
        ("D-1006", "Larisa", "Enache", "11A", "Bucătar", datetime.date(2008, 9, 9)),
        ("D-1007", "Marius", "Vasilescu", "11B", "Tâmplar", datetime.date(2007, 12, 17)),
        ("D-1008", "Nicoleta", "Barbu", "12A", "Coafor", datetime.date(2007, 4, 3)),
        ("D-1009", "Ștefan", "Țurcanu", "12A", "Coafor", datetime.date(2007, 6, 21)),
        ("D-1010", "Teodora", "Lazăr", "9A", "Ospătar", datetime.date(2010, 2, 11)),
    ],
    "OTHER": [
        ("O-2001", "Paul", "Neagu", "10C", "Sudor", datetime.date(2009, 8, 8)),
        ("O-2002", "Roxana", "Dinu", "10C", "Sudor", datetime.date(2009, 10, 1)),
    ],
}

# username: [(class, form tutor)] — the classes on each one's watchlist
CLASSES: dict[str, list[tuple[str, bool]]] = {
    "teacher": [("10A", True), ("10B", False)],
    "form_tutor": [("11A", True), ("11B", False)],
    "coordinator": [("12A", True), ("9A", False)],
    "outsider": [("10C", True)],
}

# student code: [(kind, value, days ago, recorded by)] — a watchlist with someone at high risk,
# someone getting worse this week, someone at caution and most at no risk.
SIGNALS: dict[str, list[tuple[str, object, int, str]]] = {
    "D-1001": [
        ("attendance", 96, 14, "teacher"),
        ("attendance", 86, 2, "teacher"),
        ("grade_failures", 1, 3, "teacher"),
        ("behaviour", 1, 10, "teacher"),
    ],
    "D-1002": [
        ("attendance", 93, 5, "teacher"),
        ("observation", "Pare obosită la primele ore; a spus că lucrează seara.", 4, "teacher"),
    ],
    "D-1003": [
        ("behaviour", 1, 40, "teacher"),
        ("behaviour", 1, 20, "teacher"),
        ("behaviour", 1, 3, "teacher"),
    ],
    "D-1004": [("attendance", 98, 6, "teacher")],
    "D-1005": [("attendance", 88, 20, "form_tutor"), ("grade_failures", 2, 20, "form_tutor")],
    "D-1007": [("attendance", 97, 8, "form_tutor")],
    "D-1008": [("behaviour", 3, 60, "coordinator"), ("behaviour", 3, 1, "coordinator")],
    "O-2001": [("attendance", 80, 3, "outsider")],
}

# A self-assessment filled in through a one-time link: low answers, so a score at high risk.
SELF_ASSESSMENT_STUDENT = "D-1006"

# The demo's cases, one per step, so every role has something on its page.
CASE_MONITORING = "D-1005"  # flagged by the form tutor; the triage waits for group 2
CASE_SHARED = "D-1008"  # shared with the office; on the next meeting's agenda
CASE_INTERVENTION = "D-1001"  # triaged urgent, plan, tasks per function, a referral
CASE_ARCHIVED = "D-1009"  # closed last term; its anonymised entry is in the library


class Command(BaseCommand):
    help = "Create (or refresh) the demo school, office, users and students."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo users have a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users whose password is 'demo'; it runs only with DEBUG=1 "
                "or with --force."
            )
        with transaction.atomic():
            schools = self._schools()
            users = self._users(schools)
            office = Office.objects.get_or_create(
                school=schools["DEMO"], defaults={"name": "Biroul de acțiune"}
            )[0]
            for username, (_, _, group, coordinator, external, _) in USERS.items():
                if group is not None:
                    membership_set(
                        office=office,
                        user=users[username],
                        group=group,
                        is_coordinator=coordinator,
                        is_external=external,
                    )
            for username, held in POSITIONS.items():
                for position, class_name in held:
                    Position.objects.get_or_create(
                        user=users[username],
                        school=users[username].school,
                        position=position,
                        class_name=class_name,
                    )
            self._students(schools)
            self._monitoring(schools, users)
            self._cases(office, users)
            demo_seeded.send(sender=self.__class__, schools=schools, users=users)
        self.stdout.write(self.style.SUCCESS("Demo data ready (password for every user: demo)."))

    def _schools(self) -> dict[str, School]:
        demo, _ = School.objects.update_or_create(
            code="DEMO",
            defaults={
                "name": "Liceul Tehnologic Demo",
                "town": "Demoville",
                "region": "Centru",
                "language": "ro",
            },
        )
        other, _ = School.objects.update_or_create(
            code="OTHER",
            defaults={
                "name": "Colegiul Tehnic Other",
                "town": "Otherton",
                "region": "Nord-Est",
                "language": "ro",
            },
        )
        return {"DEMO": demo, "OTHER": other}

    def _users(self, schools: dict[str, School]) -> dict[str, User]:
        users = {}
        for username, (first, last, _, coordinator, _, school) in USERS.items():
            user, created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@demo.invalid"
            user.school = schools[school] if school else None
            user.is_active = True
            # Coordinators use the admin for the office's registers.
            user.is_staff = coordinator
            if created or not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
            user.save()
            users[username] = user
        return users

    def _students(self, schools: dict[str, School]) -> None:
        for school_code, rows in STUDENTS.items():
            for code, first, last, class_name, programme, birth in rows:
                Student.objects.update_or_create(
                    school=schools[school_code],
                    code=code,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "class_name": class_name,
                        "programme": programme,
                        "birth_date": birth,
                    },
                )

    def _monitoring(self, schools: dict[str, School], users: dict[str, User]) -> None:
        """Class assignments, signals and a self-assessment, so the watchlist has something to
        show. Signals are dated relative to today, so a student gets them only while they have
        none: running the command again adds nothing."""
        instrument = ensure_default_instrument(Instrument, Subscale, Item)
        for username, classes in CLASSES.items():
            user = users[username]
            for class_name, tutor in classes:
                ClassAssignment.objects.update_or_create(
                    user=user,
                    school=user.school,
                    class_name=class_name,
                    defaults={"is_form_tutor": tutor},
                )
        today = timezone.localdate()
        for code, rows in SIGNALS.items():
            student = Student.objects.get(code=code)
            if Signal.objects.filter(student=student).exists():
                continue
            for kind, value, days_ago, recorder in rows:
                clean = clean_signal(
                    kind=kind, value=value, observed_on=today - datetime.timedelta(days=days_ago)
                )
                user = users[recorder]
                signal_store(
                    student=student, clean=clean, source="manual", recorded_by=user, actor=user
                )
        student = Student.objects.get(code=SELF_ASSESSMENT_STUDENT)
        if not Signal.objects.filter(student=student).exists():
            _, token = instrument_link_create(
                student=student, instrument=instrument, actor=users["teacher"]
            )
            answers = {
                f"item_{item.position}": 4 if item.reverse else 2 for item in instrument.items.all()
            }
            instrument_submit(token=token, answers=answers)
        risk_refresh(Student.objects.filter(school__in=schools.values()))

    def _cases(self, office: Office, users: dict[str, User]) -> None:
        """A case at each step, made through the same services as the pages and the API.
        Only while the demo school has no case yet: running the command again adds nothing."""
        if Case.objects.filter(office=office).exists():
            return

        def student(code: str) -> Student:
            return Student.objects.get(school=office.school, code=code)

        def done(case: Case, name: str, user: User, result: dict[str, Any]) -> None:
            case_task = CaseTask.objects.get(case=case, name=name)
            services.task_claim(case_task=case_task, actor=user)
            services.task_complete(case_task=case_task, actor=user, result=result)

        def fresh(case: Case) -> Case:
            return Case.objects.get(pk=case.pk)

        objective = {
            "description": "Participă la toate orele de atelier până la sfârșitul semestrului",
            "indicator": "prezența la atelier (%)",
            "baseline": "60%",
            "target": "95%",
            "deadline": timezone.localdate() + datetime.timedelta(days=60),
        }
        teacher, coordinator = users["teacher"], users["coordinator"]
        psychologist = users["psychologist"]

        services.case_flag(
            student=student(CASE_MONITORING),
            actor=users["form_tutor"],
            reason="A lipsit 12% din ore luna aceasta și are două corigențe.",
            functions=["pedagogical"],
        )

        shared = services.case_flag(
            student=student(CASE_SHARED),
            actor=coordinator,
            reason="Trei incidente de comportament la atelier într-o lună.",
            functions=["information", "pedagogical"],
        )
        services.case_transition(
            case=shared, name="share", actor=coordinator, note="Pentru ședință."
        )

        case = services.case_flag(
            student=student(CASE_INTERVENTION),
            actor=teacher,
            reason="Absent 9 zile luna aceasta; rămâne în urmă la atelier.",
            functions=["pedagogical"],
        )
        done(
            case,
            "triage",
            psychologist,
            {
                "summary": "Lucrează seara pentru a ajuta familia; oboseală, note în scădere.",
                "priority": 1,
                "recommended_functions": ["pedagogical", "socio_economic"],
            },
        )
        case = fresh(case)
        services.objective_add(case=case, actor=coordinator, **objective)
        network = Contact.objects.get_or_create(
            office=office,
            user=users["network"],
            defaults={
                "kind": Contact.Kind.SOCIAL_SERVICE,
                "name": "Raluca Ionescu",
                "organisation": "Rețeaua de sprijin",
            },
        )[0]
        purpose = "sprijin pentru o bursă socială"
        consent_record(
            case=case,
            actor=coordinator,
            scope="referral",
            given_by="parent",
            given_by_name="Maria Popescu",
            recipient_user=network.user,
            purpose=purpose,
        )
        referral = referral_request(
            case=case, actor=coordinator, purpose=purpose, to_user=users["network"]
        )
        referral_change(referral=referral, name="accept", actor=users["network"])
        services.case_transition(
            case=fresh(case),
            name="start_intervention",
            actor=coordinator,
            note="Decis în ședința biroului.",
        )
        assessment_record(
            case=fresh(case),
            actor=psychologist,
            area="emotional",
            phase="initial",
            scores={"mood": 2, "self_esteem": 3, "motivation": 2, "coping": 2},
        )
        services.task_claim(
            case_task=CaseTask.objects.get(case=case, name="pedagogical"),
            actor=users["psychologist2"],
        )

        archived = services.case_flag(
            student=student(CASE_ARCHIVED),
            actor=coordinator,
            reason="Voia să renunțe după un conflict cu colegii de clasă.",
            functions=["pedagogical"],
        )
        done(
            archived,
            "triage",
            psychologist,
            {
                "summary": "Conflict cu colegii; vrea să continue într-o altă grupă de atelier.",
                "priority": 2,
                "recommended_functions": ["pedagogical"],
            },
        )
        services.objective_add(case=fresh(archived), actor=coordinator, **objective)
        services.case_transition(case=fresh(archived), name="start_intervention", actor=coordinator)
        done(
            archived,
            "pedagogical",
            users["psychologist2"],
            {"note": "Consiliere săptămânală, mediere cu colegii."},
        )
        services.case_transition(case=fresh(archived), name="start_closing", actor=coordinator)
        closing_review_create(
            case=fresh(archived),
            actor=coordinator,
            feedback="Eleva și familia sunt mulțumite; frecventează din nou atelierul.",
            objectives_met="all",
            impact="Prezența la atelier a crescut de la 60% la 96%.",
            lessons_learned="Medierea timpurie cu colegii a contat mai mult decât orice altceva.",
        )
        services.case_transition(case=fresh(archived), name="archive", actor=coordinator)
        # The archived case happened last term: spread its timeline over two months, four
        # months ago, and date the case by it.
        events = list(CaseEvent.objects.filter(case=archived).order_by("created_at", "id"))
        start = timezone.now() - datetime.timedelta(days=120)
        step = datetime.timedelta(days=60) / max(len(events) - 1, 1)
        when: dict[str, datetime.datetime] = {}
        for index, event in enumerate(events):
            at = start + index * step
            CaseEvent.objects.filter(pk=event.pk).update(created_at=at)
            when.setdefault(event.name, at)
        Case.objects.filter(pk=archived.pk).update(
            opened_at=start,
            shared_at=when.get("share", start),
            stage_changed_at=when.get("archive", start),
            closed_at=when.get("archive", start),
        )

        consent_record(
            case=fresh(archived),
            actor=coordinator,
            scope="library",
            given_by="student",
            given_by_name="Ștefan Țurcanu",
        )
        draft = library_entry_draft(case=fresh(archived), actor=coordinator)
        services.library_entry_publish(entry=draft, actor=psychologist)
        meeting_schedule(
            office=office,
            actor=coordinator,
            scheduled_for=(timezone.now() + datetime.timedelta(days=7)).replace(
                hour=14, minute=0, second=0, microsecond=0
            ),
            location="Sala 12",
        )
