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
from counselling.models import Activity, InfoPack
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


def semester_start(today: datetime.date) -> datetime.date:
    """The first day of the school semester ``today`` falls in (1 September or 1 February)."""
    if today.month >= 9:
        return datetime.date(today.year, 9, 1)
    if today.month == 1:
        return datetime.date(today.year - 1, 9, 1)
    return datetime.date(today.year, 2, 1)


def seed_counselling_demo(*, schools: dict[str, School], users: dict[str, User], **_: Any) -> None:
    school = schools["DEMO"]
    if not InfoPack.objects.filter(school=school).exists():
        info_pack_save(actor=users["coordinator"], school=school, **PACK)
    if Activity.objects.filter(school=school).exists():
        return
    today = timezone.localdate()
    start = semester_start(today)
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
