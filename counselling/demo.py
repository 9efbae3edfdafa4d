"""The counselling part of the demo: a semester of information and counselling activities of the
demo school, with their attendance lists, and the students' information pack.

Added when ``seed_demo`` sends ``demo_seeded`` (connected in ``CounsellingConfig.ready``), through
the same services the pages use. Idempotent: a school that already has activities gets none.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from casework.models import School, Student, User
from counselling.models import Activity, InfoPack, Report
from counselling.reports import services as reports
from counselling.reports.periods import current_semester
from counselling.services import (
    activity_attendance_set,
    activity_record,
    info_pack_hand_out,
    info_pack_save,
)

# author, kind, channel, topic, title, class or student code, minutes
ACTIVITIES: list[tuple[str, str, str, str, str, str, int]] = [
    (
        "form_tutor",
        "group",
        "direct",
        "education_routes",
        "Ora de dirigenție: ce urmează după clasa a XI-a",
        "11A",
        50,
    ),
    (
        "counsellor",
        "group",
        "direct",
        "career_routes",
        "Meserii căutate în județ: întâlnire cu angajatori",
        "12A",
        100,
    ),
    (
        "form_tutor",
        "individual",
        "phone",
        "career_routes",
        "Discuție despre stagiul de practică",
        "D-1005",
        20,
    ),
    (
        "teacher",
        "group",
        "direct",
        "mobility",
        "Erasmus+: mobilități de practică în străinătate",
        "10B",
        50,
    ),
    (
        "psychologist",
        "individual",
        "direct",
        "dropout_prevention",
        "Consiliere: motivația pentru școală",
        "D-1001",
        45,
    ),
    (
        "counsellor",
        "group",
        "email",
        "education_routes",
        "Examenul de certificare a calificării: ce trebuie știut",
        "12A",
        30,
    ),
    (
        "form_tutor",
        "group",
        "platform",
        "mobility",
        "Prezentare online: burse și mobilități",
        "11A",
        50,
    ),
    (
        "counsellor",
        "individual",
        "direct",
        "career_routes",
        "Plan de carieră după absolvire",
        "D-1008",
        40,
    ),
]

PACK = {
    "room": "Sala 14, parter, lângă cabinetul medical",
    "hours": "luni-vineri, 12:00-15:00",
    "email": "birou.actiune@demo.invalid",
    "note": "Puteți veni și fără programare. Ce ne spuneți rămâne între noi.",
    "note_en": "You can come without an appointment. What you tell us stays with us.",
}


def seed_counselling_demo(*, schools: dict[str, School], users: dict[str, User], **_: Any) -> None:
    school = schools["DEMO"]
    if not InfoPack.objects.filter(school=school).exists():
        info_pack_save(actor=users["coordinator"], school=school, **PACK)
    if not Activity.objects.filter(school=school).exists():
        _activities(school, users)
    if not Report.objects.filter(school=school).exists():
        _reports(users)


def _period(today: datetime.date, back: int) -> str:
    """The code of the semester ``back`` semesters before the one ``today`` falls in."""
    period = current_semester(today)
    for _step in range(back):
        period = current_semester(period.start - datetime.timedelta(days=1))
    return period.code


def _reports(users: dict[str, User]) -> None:
    """One report in each state of the circuit, the form tutor's of past semesters and the
    career counsellor's summary, taken through the same services as the pages."""
    tutor, counsellor, director = users["form_tutor"], users["counsellor"], users["director"]
    today = timezone.localdate()

    def semester(back: int, narrative: str) -> Report:
        report = reports.report_draft(
            actor=tutor, kind="counselling_semester", period=_period(today, back)
        )
        return reports.report_edit(actor=tutor, report=report, narrative=narrative)

    semester(0, "Ore de dirigenție despre rutele educaționale; urmează vizita la angajatori.")
    submitted = semester(1, "Două activități de informare cu clasa a XI-a A.")
    reports.report_submit(actor=tutor, report=submitted)
    registered = semester(2, "Informare despre mobilități și despre examenul de certificare.")
    reports.report_submit(actor=tutor, report=registered)
    reports.report_register(actor=counsellor, report=registered)
    analysed = semester(3, "Consiliere individuală pentru doi elevi cu risc de abandon.")
    reports.report_submit(actor=tutor, report=analysed)
    reports.report_register(actor=counsellor, report=analysed)
    reports.report_analyse(
        actor=counsellor, report=analysed, note="Analizat cu directorul adjunct: obiective atinse."
    )
    returned = semester(4, "Activități de informare.")
    reports.report_submit(actor=tutor, report=returned)
    reports.report_register(actor=counsellor, report=returned)
    reports.report_return(
        actor=counsellor, report=returned, remarks="Adăugați ce urmează în semestrul următor."
    )
    summary = reports.report_draft(
        actor=counsellor, kind="counselling_summary", period=_period(today, 3)
    )
    reports.report_edit(actor=counsellor, report=summary, narrative="Sinteza semestrului.")
    reports.report_submit(actor=counsellor, report=summary)
    reports.report_register(actor=director, report=summary)
    reports.report_approve(actor=director, report=summary)


def _activities(school: School, users: dict[str, User]) -> None:
    today = timezone.localdate()
    start = current_semester(today).start
    span = max((today - start).days, 1)
    steps = len(ACTIVITIES) + 1
    for index, (author, kind, channel, topic, title, whom, minutes) in enumerate(ACTIVITIES):
        held_on = start + datetime.timedelta(days=span * (index + 1) // steps)
        student = None
        class_name = whom
        if kind == "individual":
            student = Student.objects.get(school=school, code=whom)
            class_name = ""
        activity = activity_record(
            actor=users[author],
            kind=kind,
            channel=channel,
            topic=topic,
            title=title,
            held_on=held_on,
            duration_minutes=minutes,
            class_name=class_name,
            student=student,
        )
        _attend(activity, users[author], student)
    handed = info_pack_hand_out(
        actor=users["form_tutor"], class_name="11A", held_on=start + datetime.timedelta(days=span)
    )
    _attend(handed, users["form_tutor"], None)


def _attend(activity: Activity, author: User, student: Student | None) -> None:
    if student is not None:
        attendees = [student]
    else:
        attendees = list(
            Student.objects.filter(school_id=activity.school_id, class_name=activity.class_name)
        )
    activity_attendance_set(actor=author, activity=activity, students=attendees)
