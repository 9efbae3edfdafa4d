"""Reads of partners, opportunities and participations: what a user may see, and one
permission-checked fetch per kind."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import roles
from casework.errors import Invalid, NotFound
from casework.models import AuditEvent, Case, Student, User
from casework.selectors import cases_visible_to, pk_or_not_found
from casework.services.audit import audit_record
from support import policies
from support.kinds import Kind
from support.models import (
    PLACE_TAKING,
    Opportunity,
    Participation,
    Partner,
    Role,
    Status,
    StudentConsent,
)


def readable_schools(user: User) -> set[int]:
    """The schools whose catalogue the user reads: their own, and those they manage."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    schools = {user.school_id} if user.school_id is not None else set()
    for membership in roles.memberships(user):
        if policies.is_manager(user, membership.office.school_id):
            schools.add(membership.office.school_id)
    return schools


def partners_visible_to(user: User) -> QuerySet[Partner]:
    return Partner.objects.filter(school_id__in=readable_schools(user)).select_related("entry")


def partner_get_for_user(user: User, pk: Any) -> Partner:
    partner = partners_visible_to(user).filter(pk=pk_or_not_found(pk)).first()
    if partner is None:
        raise NotFound()
    return partner


def with_places_taken(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.annotate(
        places_taken=Count(
            "participations",
            filter=Q(participations__role=Role.LEARNER, participations__status__in=PLACE_TAKING),
        )
    )


def open_opportunities_of(school_id: int, *, limit: int = 10) -> list[Opportunity]:
    """What a school offers students that has not begun and still has a place (the students'
    information pack lists them; no participant is named)."""
    upcoming = with_places_taken(
        Opportunity.objects.filter(school_id=school_id, starts_on__gte=timezone.localdate())
    ).order_by("starts_on", "id")
    found = [
        o
        for o in upcoming[: limit * 3]
        if o.places is None or getattr(o, "places_taken", 0) < o.places
    ]
    return found[:limit]


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    return with_places_taken(
        Opportunity.objects.filter(school_id__in=readable_schools(user)).select_related(
            "partner__entry"
        )
    ).order_by("starts_on", "id")


def opportunity_get_for_user(user: User, pk: Any) -> Opportunity:
    opportunity = opportunities_visible_to(user).filter(pk=pk_or_not_found(pk)).first()
    if opportunity is None:
        raise NotFound()
    return opportunity


def participations_visible_to(user: User) -> QuerySet[Participation]:
    """All of a school the user manages; elsewhere only those linked to a case the user sees."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Participation.objects.none()
    managed = [s for s in readable_schools(user) if policies.is_manager(user, s)]
    visible = Q(opportunity__school_id__in=managed) | Q(
        case__in=cases_visible_to(user).values("pk")
    )
    return (
        Participation.objects.filter(visible)
        .select_related("student", "staff", "opportunity")
        .prefetch_related("dossier")
        .order_by("proposed_at", "id")
    )


def participation_get_for_user(user: User, pk: Any, *, audit: bool = True) -> Participation:
    participation = participations_visible_to(user).filter(pk=pk_or_not_found(pk)).first()
    if participation is None:
        raise NotFound()
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=participation)
    return participation


def visible_case_ids(user: User, participations: list[Participation]) -> set[int]:
    """Of the cases these participations link to, the ones the user sees (one query)."""
    ids = {p.case_id for p in participations if p.case_id is not None}
    if not ids:
        return set()
    return set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def is_listed(opportunity: Opportunity, student: Student) -> bool:
    """Is the student on the opportunity's list (any place but a withdrawn one)?"""
    return (
        Participation.objects.filter(opportunity=opportunity, student=student)
        .exclude(status=Status.WITHDRAWN)
        .exists()
    )


def has_mobility_consent(student: Student, case: Case | None = None) -> bool:
    consents = StudentConsent.objects.filter(
        scope=StudentConsent.Scope.MOBILITY, withdrawn_at__isnull=True
    )
    where = Q(student=student)
    if case is not None:
        where |= Q(case=case)
    return consents.filter(where).exists()


def filter_catalogue(queryset: QuerySet[Opportunity], params: Any) -> QuerySet[Opportunity]:
    """The catalogue's filters, shared by the API and the page: kind, dates, partner, open
    places. Activities overlapping [from, to] are kept."""
    kind = params.get("kind")
    if kind:
        if kind not in Kind.values:
            raise Invalid(
                {"kind": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Kind.values)}]}
            )
        queryset = queryset.filter(kind=kind)
    for name, lookup in (("from", "ends_on__gte"), ("to", "starts_on__lte")):
        raw = params.get(name)
        if raw:
            try:
                queryset = queryset.filter(**{lookup: datetime.date.fromisoformat(raw)})
            except ValueError:
                raise Invalid({name: _("Give a date as YYYY-MM-DD.")}) from None
    partner = params.get("partner")
    if partner:
        if not str(partner).isdigit():
            raise Invalid({"partner": [_("Give a partner id.")]})
        queryset = queryset.filter(partner_id=int(partner))
    if params.get("open") in ("1", "true", "yes"):
        queryset = queryset.filter(Q(places__isnull=True) | Q(places__gt=F("places_taken")))
    return queryset
