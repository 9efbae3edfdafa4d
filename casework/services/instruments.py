"""Giving an instrument to a student through a one-time link, and scoring what they answer.

The link is the student's only key: no account, an expiry, one submission. The token is random
(192 bits) and only its SHA-256 is stored. A submission claims the link with a conditional update
(``used_at`` still empty), so of two submissions racing for one link exactly one is kept.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import policies
from casework.errors import Conflict, Invalid, NotFound
from casework.models import (
    AuditEvent,
    Instrument,
    InstrumentLink,
    InstrumentResponse,
    Item,
    SignalKind,
    SignalSource,
    Student,
    User,
)
from casework.services.audit import audit_record
from casework.services.signals import CleanSignal, signal_store

DEFAULT_EXPIRY_DAYS = 7
MAX_EXPIRY_DAYS = 30


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def instrument_link_create(
    *,
    student: Student,
    instrument: Instrument,
    actor: User,
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
) -> tuple[InstrumentLink, str]:
    """A new one-time link; returns it and its token, which is never shown again."""
    policies.require_give_instrument(actor, student, instrument)
    if not instrument.is_active or not instrument.items.exists():
        raise Invalid({"instrument": _("This instrument is not in use.")})
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise Invalid(
            {"expires_in_days": _("Between 1 and %(days)s days.") % {"days": MAX_EXPIRY_DAYS}}
        )
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        link = InstrumentLink.objects.create(
            instrument=instrument,
            student=student,
            token_hash=_hash(token),
            created_by=actor,
            created_at=now,
            expires_at=now + datetime.timedelta(days=expires_in_days),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=link,
            data={"instrument": instrument.code, "student": student.pk},
        )
    return link, token


def instrument_link_revoke(*, link: InstrumentLink, actor: User) -> InstrumentLink:
    """End a link before it expires. Whoever may give the instrument to the student may revoke
    it; a used link has nothing left to revoke (409). Revoking twice changes nothing."""
    policies.require_give_instrument(actor, link.student, link.instrument)
    with transaction.atomic():
        # The same conditional claim as a submission: of a revoke and a submit racing, one wins.
        revoked = InstrumentLink.objects.filter(
            pk=link.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        link.refresh_from_db()
        if link.used_at is not None:
            raise Conflict(_("This link has already been used; there is nothing to revoke."))
        if revoked:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=link,
                data={"revoked": True, "student": link.student_id},
            )
    return link


def instrument_link_for_token(token: str) -> InstrumentLink | None:
    if not token or len(token) > 100:
        return None
    return (
        InstrumentLink.objects.select_related("instrument", "student")
        .filter(token_hash=_hash(token))
        .first()
    )


def check_link_open(link: InstrumentLink) -> None:
    if link.used_at is not None:
        raise Conflict(_("This link has already been used; each link takes one submission."))
    if link.revoked_at is not None:
        raise Conflict(_("This link was revoked."))
    if link.expires_at <= timezone.now():
        raise Conflict(_("This link has expired."))


@dataclass(frozen=True)
class Scores:
    score: Decimal
    subscales: dict[str, float]


def score_answers(
    instrument: Instrument, items: Sequence[Item], answers: Mapping[int, int]
) -> Scores:
    """Mean answer (reverse-scored items turned around) on a 0-100 scale, overall and per
    subscale. Every item must be answered, so no mean is taken over a different set of items."""
    scored = {item.position: Decimal(item.scored(answers[item.position])) for item in items}
    overall = instrument.normalise(sum(scored.values(), Decimal(0)) / len(scored))
    by_subscale: dict[str, list[Decimal]] = {}
    for item in items:
        if item.subscale is not None:
            by_subscale.setdefault(item.subscale.code, []).append(scored[item.position])
    subscales = {
        code: float(instrument.normalise(sum(values, Decimal(0)) / len(values)))
        for code, values in by_subscale.items()
    }
    return Scores(overall, subscales)


def clean_answers(
    instrument: Instrument, items: Sequence[Item], raw: Mapping[str, Any]
) -> dict[int, int]:
    """Answers keyed ``item_<position>``; Invalid names every item left out or out of range."""
    answers: dict[int, int] = {}
    errors: dict[str, list[str] | str] = {}
    allowed = range(instrument.scale_min, instrument.scale_max + 1)
    for item in items:
        name = f"item_{item.position}"
        value = raw.get(name)
        try:
            answer = int(str(value))
        except (TypeError, ValueError):
            errors[name] = _("Choose an answer.")
            continue
        if answer not in allowed:
            errors[name] = _("Choose one of the answers shown.")
            continue
        answers[item.position] = answer
    if errors:
        raise Invalid(errors)
    return answers


def instrument_submit(*, token: str, answers: Mapping[str, Any]) -> InstrumentResponse:
    """The student's submission: score it, keep it, and make a self-assessment a signal."""
    link = instrument_link_for_token(token)
    if link is None:
        raise NotFound(_("This link does not exist."))
    check_link_open(link)
    instrument = link.instrument
    items = list(instrument.items.select_related("subscale", "instrument"))
    clean = clean_answers(instrument, items, answers)
    scores = score_answers(instrument, items, clean)
    now = timezone.now()
    with transaction.atomic():
        claimed = InstrumentLink.objects.filter(
            pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            raise Conflict(_("This link has already been used; each link takes one submission."))
        response = InstrumentResponse.objects.create(
            link=link,
            instrument=instrument,
            student=link.student,
            answers={str(k): v for k, v in sorted(clean.items())},
            score=scores.score,
            subscale_scores=scores.subscales,
            level=instrument.level_for(scores.score),
            submitted_at=now,
        )
        if instrument.kind == Instrument.Kind.SELF_ASSESSMENT:
            signal, _created = signal_store(
                student=link.student,
                clean=CleanSignal(
                    kind=SignalKind.SELF_ASSESSMENT,
                    value=scores.score,
                    text="",
                    note="",
                    observed_on=timezone.localdate(now),
                ),
                source=SignalSource.INSTRUMENT,
                recorded_by=link.created_by,
                actor=None,
                instrument=instrument,
            )
            response.signal = signal
            response.save(update_fields=["signal"])
        audit_record(
            actor=None,
            action=AuditEvent.Action.CREATE,
            obj=response,
            data={"link": link.pk, "instrument": instrument.code},
        )
    return response


def responses_over_time(
    student: Student, *, instrument: Instrument | None = None
) -> list[dict[str, Any]]:
    """A student's scores, oldest first, with the change since the previous and the first one
    of the same instrument: before and after an intervention, at a glance."""
    responses = InstrumentResponse.objects.filter(student=student).select_related("instrument")
    if instrument is not None:
        responses = responses.filter(instrument=instrument)
    first: dict[int, Decimal] = {}
    previous: dict[int, Decimal] = {}
    out = []
    for response in responses.order_by("submitted_at", "id"):
        key = response.instrument_id
        out.append(
            {
                "id": response.pk,
                "instrument": {"code": response.instrument.code, "name": response.instrument.name},
                "submitted_at": response.submitted_at,
                "score": float(response.score),
                "level": response.level,
                "subscales": response.subscale_scores,
                "change_since_previous": (
                    float(response.score - previous[key]) if key in previous else None
                ),
                "change_since_first": float(response.score - first[key]) if key in first else None,
            }
        )
        first.setdefault(key, response.score)
        previous[key] = response.score
    return out
