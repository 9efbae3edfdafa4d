"""What a case gives its library entry: the known identifiers to scrub, the structured facts
(each section one small function), the prefilled narrative and the filter tags.

Every section states kinds, levels, counts and bands — never a value that could single a
student out (an attendance percentage, a referral's purpose, a contact's name).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from casework.anonymise import KnownIdentifiers, kanon
from casework.anonymise import generalise as gen
from casework.anonymise.generalise import FAMILY_LABELS
from casework.anonymise.lexicon import REGIONS
from casework.anonymise.names import dictionary
from casework.anonymise.text import fold
from casework.models import (
    Assessment,
    Case,
    CaseEvent,
    ClosingReview,
    Consent,
    Contact,
    Referral,
    RiskLevel,
    Student,
    User,
)
from casework.models.case import Stage
from casework.services.risk import risk_assess

FUNCTION_LABELS = {
    "ro": {
        "information": "informații generale",
        "pedagogical": "sprijin pedagogic",
        "socio_economic": "sprijin socio-economic",
        "administrative": "sprijin administrativ",
    },
    "en": {
        "information": "general information",
        "pedagogical": "pedagogical support",
        "socio_economic": "socio-economic support",
        "administrative": "administrative support",
    },
}
OUTCOME_LABELS = {
    "ro": {
        "all": "obiective atinse",
        "partly": "obiective atinse parțial",
        "none": "obiective neatinse",
    },
    "en": {
        "all": "objectives met",
        "partly": "objectives partly met",
        "none": "objectives not met",
    },
}
STATUS_LABELS = {
    "ro": {"on_track": "în curs", "at_risk": "în risc", "met": "atins", "missed": "neatins"},
    "en": {"on_track": "on track", "at_risk": "at risk", "met": "met", "missed": "missed"},
}
AGE_LABEL = {"ro": "ani", "en": "years"}


def label(table: dict[str, dict[str, str]], language: str, key: str) -> str:
    return table.get(language, table["en"]).get(key, key)


# -- what the scrubber must know -------------------------------------------------------------


def known_identifiers(case: Case) -> KnownIdentifiers:
    """Everyone and everything the case knows by name: the student, the flagger, the office's
    members, the school's staff, the office's contacts, whoever gave consent, the school."""
    student = case.student
    school = case.office.school
    people: list[str] = []
    emails: list[str] = []
    staff = User.objects.filter(
        Q(pk=case.flagged_by_id)
        | Q(school=school)
        | Q(memberships__office_id=case.office_id)
        | Q(pk__in=CaseEvent.objects.filter(case=case).values("actor"))
    ).distinct()
    for user in staff:
        people.append(f"{user.first_name} {user.last_name}")
        if user.email:
            emails.append(user.email)
    organisations: list[str] = []
    names = dictionary()
    for contact in Contact.objects.filter(office_id=case.office_id):
        # A directory entry names a person ("Raluca Ionescu") or an organisation ("DGASPC").
        tokens = [fold(t) for t in contact.name.split()]
        if any(names.is_first_name(t) or names.is_surname(t) for t in tokens):
            people.append(contact.name)
        else:
            organisations.append(contact.name)
        if contact.organisation:
            organisations.append(contact.organisation)
        if contact.email:
            emails.append(contact.email)
    people += Consent.objects.filter(case=case).values_list("given_by_name", flat=True)
    register = Student.objects.filter(school=school).exclude(pk=student.pk)
    return KnownIdentifiers(
        student_names=[student.first_name, student.last_name],
        people=[p for p in people if p.strip()],
        codes=[student.code],
        birth_dates=[student.birth_date] if student.birth_date else [],
        schools=[school.name, school.code] if len(school.code) >= 3 else [school.name],
        towns=[school.town] if school.town else [],
        organisations=organisations,
        emails=emails,
        register_names=[
            f"{s.first_name} {s.last_name}" for s in register.only("first_name", "last_name")
        ],
        region=school.region or "",
    )


def register_of(case: Case) -> list[kanon.RegisterRow]:
    rows = Student.objects.filter(school_id=case.office.school_id).values_list(
        "birth_date", "programme"
    )
    return [kanon.RegisterRow(birth_date=b, programme=p) for b, p in rows]


def k_anonymity(case: Case) -> kanon.KAnonymity:
    return kanon.check(
        birth_date=case.student.birth_date,
        programme=case.student.programme,
        on=timezone.localtime(case.opened_at).date(),
        register=register_of(case),
        k=settings.LIBRARY_K_ANONYMITY,
    )


# -- the structured facts, one section per function -------------------------------------------

Facts = dict[str, Any]


def _profile(case: Case, k: kanon.KAnonymity) -> Facts:
    region = case.office.school.region or None
    if not k.satisfied or region not in REGIONS:
        region = None
    return {
        "age_band": k.age_band,
        "programme": k.programme,
        "programme_level": ["family", "sector", None][k.programme_level],
        "region": region,
    }


def _period(case: Case, k: kanon.KAnonymity) -> Facts:
    opened = timezone.localtime(case.opened_at).date()
    closed = timezone.localtime(case.closed_at).date() if case.closed_at else None
    return {"opened": gen.period(opened), "closed": gen.period(closed) if closed else None}


def _functions(case: Case, k: kanon.KAnonymity) -> list[str]:
    return list(case.functions)


def _duration(case: Case, k: kanon.KAnonymity) -> Facts:
    end = case.closed_at or timezone.now()
    days = (end - case.opened_at).days
    entered: dict[str, datetime.datetime] = {Stage.MONITORING: case.opened_at}
    for event in case.events.filter(kind=CaseEvent.Kind.TRANSITION).order_by("created_at", "id"):
        entered.setdefault(event.to_stage, event.created_at)
    order = [Stage.MONITORING, Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING, Stage.ARCHIVED]
    stages: dict[str, int] = {}
    for current, following in itertools.pairwise(order):
        if current in entered and following in entered:
            span = (entered[following] - entered[current]).total_seconds() / 86400
            stages[str(current)] = gen.weeks(span)
    return {"band": gen.duration_band(days), "weeks_by_stage": stages}


def _objectives(case: Case, k: kanon.KAnonymity) -> Facts:
    by_status: dict[str, int] = {}
    by_function: dict[str, int] = {}
    objectives = list(case.objectives.all())
    for objective in objectives:
        by_status[objective.status] = by_status.get(objective.status, 0) + 1
        if objective.function:
            by_function[objective.function] = by_function.get(objective.function, 0) + 1
    return {"total": len(objectives), "by_status": by_status, "by_function": by_function}


def _risk_profile(case: Case, k: kanon.KAnonymity) -> Facts:
    """The risk indicators as they stood the day the student was flagged (levels only)."""
    flagged_on = timezone.localtime(case.opened_at).date()
    assessment = risk_assess(case.student, as_of=flagged_on)
    levels = {i["name"]: str(i["level"]) for i in assessment.indicators}
    return {
        "level": str(assessment.level),
        "indicators": sorted(name for name, level in levels.items() if level != RiskLevel.NONE),
        "levels": levels,
    }


# Task kinds that are interventions (triage prepares the meeting; the library task is this).
INTERVENTION_TASKS = (
    "information",
    "pedagogical",
    "socio_economic",
    "administrative",
    "office_task",
    "closing_meeting",
)


def _interventions(case: Case, k: kanon.KAnonymity) -> Facts | None:
    """The kinds of work the office finished on the case, from its timeline."""
    done = CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.TASK, name="task_completed"
    ).values_list("data", flat=True)
    counts: dict[str, int] = {}
    for data in done:
        name = (data or {}).get("task_name")
        if name in INTERVENTION_TASKS:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return {"types": sorted(counts), "counts": counts}


def _referrals(case: Case, k: kanon.KAnonymity) -> Facts | None:
    """Who the case was referred to, by kind of recipient (never a name or a purpose)."""
    referrals = list(Referral.objects.filter(case=case).select_related("to_contact"))
    if not referrals:
        return None
    kinds_of_accounts = dict(
        Contact.objects.filter(
            office_id=case.office_id,
            user_id__in=[r.to_user_id for r in referrals if r.to_user_id],
        ).values_list("user_id", "kind")
    )
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for referral in referrals:
        if referral.to_contact is not None:
            kind = referral.to_contact.kind
        else:
            kind = kinds_of_accounts.get(referral.to_user_id, "network_member")
        by_kind[kind] = by_kind.get(kind, 0) + 1
        by_status[referral.status] = by_status.get(referral.status, 0) + 1
    return {"total": len(referrals), "by_kind": by_kind, "by_status": by_status}


def _assessment_change(case: Case, k: kanon.KAnonymity) -> Facts | None:
    """Each area's average score (1-5) at the start and at closing, and the change."""
    averages: dict[str, dict[str, float]] = {}
    for assessment in Assessment.objects.filter(case=case):
        averages.setdefault(assessment.area, {})[assessment.phase] = assessment.average
    if not averages:
        return None
    change: dict[str, Facts] = {}
    for area, phases in sorted(averages.items()):
        start = phases.get(Assessment.Phase.INITIAL)
        end = phases.get(Assessment.Phase.CLOSING)
        change[area] = {
            "initial": start,
            "closing": end,
            "change": round(end - start, 2) if start is not None and end is not None else None,
        }
    return change


def _outcome(case: Case, k: kanon.KAnonymity) -> Facts | None:
    review = ClosingReview.objects.filter(case=case).first()
    return {"objectives_met": review.objectives_met} if review else None


SECTIONS: list[tuple[str, Callable[[Case, kanon.KAnonymity], Any]]] = [
    ("profile", _profile),
    ("period", _period),
    ("functions", _functions),
    ("risk_profile", _risk_profile),
    ("interventions", _interventions),
    ("referrals", _referrals),
    ("duration", _duration),
    ("objectives", _objectives),
    ("assessment_change", _assessment_change),
    ("outcome", _outcome),
]


def build_facts(case: Case, k: kanon.KAnonymity) -> Facts:
    facts: Facts = {}
    for name, section in SECTIONS:
        value = section(case, k)
        if value is not None:
            facts[name] = value
    return facts


def tags_for(facts: Facts) -> list[str]:
    """The filter tags of an entry: ``function:…``, ``outcome:…``, ``risk:…``,
    ``intervention:…``."""
    tags = [f"function:{f}" for f in facts.get("functions", [])]
    if (outcome := facts.get("outcome")) and outcome.get("objectives_met"):
        tags.append(f"outcome:{outcome['objectives_met']}")
    for indicator in (facts.get("risk_profile") or {}).get("indicators", []):
        tags.append(f"risk:{indicator}")
    for intervention in (facts.get("interventions") or {}).get("types", []):
        tags.append(f"intervention:{intervention}")
    return sorted(set(tags))


# -- the narrative a reviewer starts from (scrubbed before anyone sees it) --------------------


def _title(case: Case, facts: Facts, language: str) -> str:
    functions = ", ".join(label(FUNCTION_LABELS, language, f) for f in facts.get("functions", []))
    profile = facts.get("profile", {})
    parts = []
    if profile.get("age_band"):
        parts.append(f"{profile['age_band']} {AGE_LABEL.get(language, 'years')}")
    if profile.get("programme"):
        parts.append(label(FAMILY_LABELS, language, profile["programme"]))
    head = functions[:1].upper() + functions[1:]
    return f"{head} ({', '.join(parts)})" if parts else head


def _intervention(case: Case, language: str) -> str:
    lines = []
    for objective in case.objectives.all():
        status = label(STATUS_LABELS, language, objective.status)
        lines.append(
            f"- {objective.description} — {objective.indicator}: "
            f"{objective.baseline} → {objective.target} ({status})"
        )
    return "\n".join(lines)


def narrative_from_case(case: Case, facts: Facts, language: str) -> dict[str, str]:
    review = ClosingReview.objects.filter(case=case).first()
    return {
        "title": _title(case, facts, language),
        "situation": case.reason,
        "intervention": _intervention(case, language),
        "what_worked": review.impact if review else "",
        "lessons_learned": review.lessons_learned if review else "",
        "outcome": review.feedback if review else "",
    }


def search_labels(facts: Facts, language: str) -> str:
    """Words for the facts, in both languages, so a search for "pedagogic" finds the tag."""
    words: list[str] = []
    for lang in ("ro", "en"):
        words += [label(FUNCTION_LABELS, lang, f) for f in facts.get("functions", [])]
        profile = facts.get("profile", {})
        if profile.get("programme"):
            words.append(label(FAMILY_LABELS, lang, profile["programme"]))
        if (outcome := facts.get("outcome")) and outcome.get("objectives_met"):
            words.append(label(OUTCOME_LABELS, lang, outcome["objectives_met"]))
    profile = facts.get("profile", {})
    words += [str(v) for v in (profile.get("region"), profile.get("age_band")) if v]
    words += [t.split(":", 1)[1].replace("_", " ") for t in tags_for(facts)]
    return " ".join(words)
