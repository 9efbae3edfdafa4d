"""The outcomes' keys in words, for the page and the workbook alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.models import Contact, Function, RiskLevel, Stage
from support.kinds import Kind


def intervention_label(key: str) -> str:
    """``function:pedagogical``, ``referral:social_service``, ``opportunity:study_visit``..."""
    source, _sep, name = key.partition(":")
    if source == "function" and name in Function.values:
        return str(Function(name).label)
    if source == "referral":
        if name in Contact.Kind.values:
            kind = str(Contact.Kind(name).label)
        else:
            kind = _("a support network member")
        return _("Referral: %(kind)s") % {"kind": kind}
    if source == "opportunity" and name in Kind.values:
        return _("Opportunity: %(kind)s") % {"kind": Kind(name).label}
    return key


def risk_label(level: str) -> str:
    return str(RiskLevel(level).label) if level in RiskLevel.values else _("not recorded")


def stage_label(stage: str) -> str:
    return str(Stage(stage).label)
