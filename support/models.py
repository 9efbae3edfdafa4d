"""Partners, their agreements and contacts; opportunities and the people who take part.

A partner is an entry of the office's one directory of contacts (``casework.Contact``) with what
a partnership adds (kind, country, city); a person at the partner is a directory contact too, so
a referral and a placement name the same organisation and the same people.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from casework.models import Case, Consent, Contact, Objective, School, Student
from support.countries import country_name
from support.kinds import ERASMUS_KINDS, Kind

# An agreement that lapses within this many days is shown with a warning.
LAPSE_WARNING_DAYS = 60


class PartnerKind(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    SCHOOL = "school", _("school")
    NGO = "ngo", _("non-governmental organisation")
    PUBLIC_BODY = "public_body", _("public body")
    OTHER = "other", _("other")


# Where a partner sits in the shared directory of contacts.
DIRECTORY_KIND = {
    PartnerKind.EMPLOYER: Contact.Kind.EMPLOYER,
    PartnerKind.NGO: Contact.Kind.NGO,
    PartnerKind.PUBLIC_BODY: Contact.Kind.SOCIAL_SERVICE,
    PartnerKind.SCHOOL: Contact.Kind.OTHER,
    PartnerKind.OTHER: Contact.Kind.OTHER,
}


class Partner(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="partners"
    )
    # The organisation's entry in the office's directory: its name lives there, once.
    entry = models.OneToOneField(
        Contact, verbose_name=_("directory entry"), on_delete=models.PROTECT, related_name="partner"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["entry__name", "id"]

    def __str__(self) -> str:
        return self.entry.name

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class AgreementPurpose(models.TextChoices):
    PRACTICE = "practice", _("practice placements")
    MOBILITY = "mobility", _("mobility")
    COOPERATION = "cooperation", _("cooperation")


class Agreement(models.Model):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="agreements"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=AgreementPurpose.choices)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_valid_after_signed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_purpose_display()}"

    def lapse_state(self, today: datetime.date | None = None) -> str:
        """``lapsed``, ``lapsing`` (within the warning period), or ``valid``."""
        today = today or timezone.localdate()
        if self.valid_until is None:
            return "valid"
        if self.valid_until < today:
            return "lapsed"
        if self.valid_until <= today + datetime.timedelta(days=LAPSE_WARNING_DAYS):
            return "lapsing"
        return "valid"


class PartnerContact(models.Model):
    """A person at the partner: a directory contact, with their role in the partnership."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="people"
    )
    entry = models.OneToOneField(
        Contact, verbose_name=_("directory entry"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["entry__name", "id"]

    def __str__(self) -> str:
        return self.entry.name


class Opportunity(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="opportunities"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    # The activity's first and last day; travel days are apart.
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    travel_days = models.PositiveSmallIntegerField(_("travel days"), default=0)
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)
    supports = models.ForeignKey(
        "self",
        verbose_name=_("supports"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preparatory_visits",
    )
    # Practice placements (seed 001).
    hours_planned = models.PositiveIntegerField(_("hours planned"), null=True, blank=True)
    practice_centre = models.CharField(_("practice centre"), max_length=200, blank=True)
    financial_support = models.CharField(_("stipend or other support"), max_length=200, blank=True)
    tutor = models.CharField(_("tutor at the partner"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["school", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="opportunity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def is_mobility(self) -> bool:
        return self.kind in ERASMUS_KINDS


class Role(models.TextChoices):
    LEARNER = "learner", _("learner")
    ACCOMPANYING = "accompanying", _("accompanying staff")
    STAFF = "staff", _("staff")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    SELECTED = "selected", _("selected")
    CONFIRMED = "confirmed", _("confirmed")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = [Status.PROPOSED, Status.SELECTED, Status.CONFIRMED, Status.IN_PROGRESS]
# A learner in one of these takes a place (accompanying staff never do).
PLACE_TAKING = [Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETED]
SELECTED_OR_FURTHER = [Status.SELECTED, *PLACE_TAKING]
MOVES = ("select", "confirm", "start", "complete", "withdraw")


class Participation(models.Model):
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The case the participation was proposed from: only those who see the case see the link.
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    status = FSMField(_("status"), default=Status.PROPOSED, choices=Status.choices, protected=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Outcomes.
    certificate = models.CharField(_("certificate"), max_length=200, blank=True)
    competences = models.TextField(_("competences"), blank=True)
    hours_done = models.PositiveIntegerField(_("hours done"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["proposed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="learner", student__isnull=False, staff__isnull=True)
                | Q(role__in=["accompanying", "staff"], student__isnull=True, staff__isnull=False),
                name="participation_person_matches_role",
            ),
            # One open or finished place per person; a withdrawn person may be proposed again.
            models.UniqueConstraint(
                fields=["opportunity", "student"],
                condition=Q(student__isnull=False) & ~Q(status="withdrawn"),
                name="participation_student_once",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "staff"],
                condition=Q(staff__isnull=False) & ~Q(status="withdrawn"),
                name="participation_staff_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} — {self.opportunity}"

    @property
    def person_name(self) -> str:
        if self.student is not None:
            return self.student.full_name
        return self.staff.get_full_name() or self.staff.get_username() if self.staff else ""

    # -- transitions: fields only; the services check roles, places and consent -------------

    def _moved(self) -> None:
        self.status_changed_at = timezone.now()

    @transition(field=status, source=Status.PROPOSED, target=Status.SELECTED)
    def select(self) -> None:
        self._moved()

    @transition(field=status, source=Status.SELECTED, target=Status.CONFIRMED)
    def confirm(self) -> None:
        self._moved()

    @transition(field=status, source=Status.CONFIRMED, target=Status.IN_PROGRESS)
    def start(self) -> None:
        self._moved()

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.COMPLETED)
    def complete(self) -> None:
        self._moved()
        self.completed_on = timezone.localdate()

    @transition(field=status, source=OPEN_STATUSES, target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        self._moved()


class DossierItemKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("identity document")
    PARENTAL_CONSENT = "parental_consent", _("parental consent")
    LEARNING_AGREEMENT = "learning_agreement", _("learning agreement")
    INSURANCE = "insurance", _("insurance")
    EUROPASS = "europass", _("Europass Mobility document")


class DossierItem(models.Model):
    """One line of a mobility participant's dossier checklist, with the day it was done."""

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="dossier",
    )
    item = models.CharField(_("item"), max_length=30, choices=DossierItemKind.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dossier item")
        verbose_name_plural = _("dossier")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "item"], name="dossier_item_once")
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class StudentConsent(models.Model):
    """A consent recorded for a student (not a case): a parent's consent to a mobility.

    Withdrawal is recorded, never deleted, like the case consents of the referral rules.
    """

    class Scope(models.TextChoices):
        MOBILITY = "mobility", _("Mobility and practice abroad or at a partner")

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="support_consents",
    )
    # Recorded from a case, when it was: the consent is the student's all the same.
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_consents",
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    given_by = models.CharField(_("given by"), max_length=16, choices=Consent.GivenBy.choices)
    given_by_name = models.CharField(_("name of the person consenting"), max_length=200)
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("student consent")
        verbose_name_plural = _("student consents")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} — {self.given_by_name}"


class ObjectiveEvidence(models.Model):
    """A completed placement or mobility of the case's student, linked to the case, given as the
    evidence of one of the case's SMART objectives."""

    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.CASCADE,
        related_name="participation_evidence",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="evidence_of",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("objective evidence")
        verbose_name_plural = _("objective evidence")
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "participation"], name="objective_evidence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} → {self.objective}"
