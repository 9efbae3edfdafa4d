"""The support network around a case: directory contacts and recorded consents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from casework.models.case import Case
from casework.models.office import Office


class Contact(models.Model):
    """An entry of the office's support-network directory; may or may not have an account."""

    class Kind(models.TextChoices):
        INTERNAL_STAFF = "internal_staff", _("Internal staff")
        SOCIAL_SERVICE = "social_service", _("Social services")
        NGO = "ngo", _("Non-governmental organisation")
        EMPLOYER = "employer", _("Employer / practice placement")
        HEALTH = "health", _("Health service")
        OTHER = "other", _("Other")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_entries",
        help_text=_("Set when the contact is a network member with an account."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("support network directory")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Consent(models.Model):
    """Consent to share a case outside the office: who gave it, for whom, for what, when.

    Consent comes first (GDPR, minors): a referral or any sharing outside the office needs an
    active consent of the matching scope and recipient. Withdrawal is recorded, never deleted.
    """

    class Scope(models.TextChoices):
        REFERRAL = "referral", _("Referral to a support-network recipient")
        LIBRARY = "library", _("Anonymised reuse in the case library")

    class GivenBy(models.TextChoices):
        STUDENT = "student", _("Student")
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Legal guardian")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="consents"
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy.choices)
    given_by_name = models.CharField(_("name of the person consenting"), max_length=200)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient (account)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_contact = models.ForeignKey(
        Contact,
        verbose_name=_("recipient (directory contact)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_note = models.TextField(_("withdrawal note"), blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # A referral consent names exactly one recipient; a library consent names none.
            models.CheckConstraint(
                condition=(
                    Q(scope="referral")
                    & (
                        Q(recipient_user__isnull=False, recipient_contact__isnull=True)
                        | Q(recipient_user__isnull=True, recipient_contact__isnull=False)
                    )
                )
                | Q(scope="library", recipient_user__isnull=True, recipient_contact__isnull=True),
                name="consent_recipient_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} — {self.given_by_name}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Referral(ConcurrentTransitionMixin, models.Model):
    """The case referred to a support-network member (an account) or a directory contact.

    requested → accepted → done, requested → rejected (with a reason), requested/accepted →
    revoked. While accepted, a recipient with an account may see the case (need to know).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Done")
        REVOKED = "revoked", _("Revoked")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient (account)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    to_contact = models.ForeignKey(
        Contact,
        verbose_name=_("recipient (directory contact)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    purpose = models.TextField(_("purpose"))
    # The consent the referral rests on; withdrawing it revokes the referral.
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = FSMField(_("status"), default=Status.REQUESTED, choices=Status.choices, protected=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # Why it was rejected, revoked, or what was done.
    reason = models.TextField(_("reason or outcome"), blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["to_user", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_user__isnull=False, to_contact__isnull=True)
                | Q(to_user__isnull=True, to_contact__isnull=False),
                name="referral_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk} of case #{self.case_id} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_REFERRAL_STATUSES

    # -- transitions: fields only; the services check roles and write the timeline ----------

    @transition(field=status, source=Status.REQUESTED, target=Status.ACCEPTED)
    def accept(self) -> None:
        self.answered_at = timezone.now()

    @transition(field=status, source=Status.REQUESTED, target=Status.REJECTED)
    def reject(self) -> None:
        self.answered_at = timezone.now()

    @transition(field=status, source=Status.ACCEPTED, target=Status.DONE)
    def complete(self) -> None:
        self.ended_at = timezone.now()

    @transition(field=status, source=[Status.REQUESTED, Status.ACCEPTED], target=Status.REVOKED)
    def revoke(self) -> None:
        self.ended_at = timezone.now()


LIVE_REFERRAL_STATUSES = [Referral.Status.REQUESTED, Referral.Status.ACCEPTED]
REFERRAL_MOVES = ("accept", "reject", "complete", "revoke")
