"""Schools, their staff and the action office with its four expert groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.anonymise.lexicon import REGIONS
from casework.sockets import sockets_close


class Group(models.IntegerChoices):
    """The four expert groups of the office (seed document, "Roluri și profile ale experților")."""

    EDUCATORS = 1, _("Educators, teachers, counsellors")
    PEDAGOGY = 2, _("Pedagogues and psychologists")
    SOCIAL = 3, _("Social education experts")
    ADMINISTRATION = 4, _("School administration")


class School(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    town = models.CharField(_("town"), max_length=100, blank=True)
    # One of the regions library entries may name (Romania's and Moldova's development regions,
    # the UK's): a free-text region could carry a town into an entry's facts.
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        choices=[(r, r) for r in REGIONS],
        help_text=_("Used to generalise library entries."),
    )
    language = models.CharField(
        _("language"), max_length=8, default="ro", choices=[("ro", "Română"), ("en", "English")]
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class User(AbstractUser):
    """A person with an account: school staff (``school`` set) or an external network member."""

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Empty for people who are not school staff (external support network)."),
    )

    class Meta(AbstractUser.Meta):
        pass

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new password (set_password, from any front: the password change and reset pages,
        # the admin, manage.py changepassword) revokes every API token of the account, so a
        # key taken with the old password stops working on the API and the websocket at once.
        # A new password or a disabled account ends every session: its sockets close too.
        password_changed = getattr(self, "_password", None) is not None and self.pk is not None
        ends_sessions = self.pk is not None and (password_changed or not self.is_active)
        super().save(*args, **kwargs)
        if password_changed:
            self.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        if ends_sessions:
            sockets_close(self.pk)


class Office(models.Model):
    """The action office of one school."""

    school = models.OneToOneField(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="office"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    def missing_groups(self, *, present: set[int] | None = None) -> list[Group]:
        """The groups without an active member; the seed asks for at least one of each.
        ``present``: the groups with an active member, when the caller has read them already."""
        if present is None:
            present = set(
                self.memberships.filter(active=True, user__is_active=True).values_list(
                    "group", flat=True
                )
            )
        return [group for group in Group if group not in present]

    @property
    def is_operational(self) -> bool:
        return not self.missing_groups()


class Membership(models.Model):
    """A user's seat in an office: their group, whether they coordinate, whether external."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.PositiveSmallIntegerField(_("group"), choices=Group.choices)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_external = models.BooleanField(
        _("external"),
        default=False,
        help_text=_("Support-network member who is not school staff; sees invited cases only."),
    )
    active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined on"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["office", "user"], name="membership_once_per_office"),
            # The seed: the external support network is made of social workers (group 3),
            # and an outsider cannot run the office.
            models.CheckConstraint(
                condition=Q(is_external=False) | (Q(group=3) & Q(is_coordinator=False)),
                name="membership_external_is_group3_not_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_group_display()}"
