"""Participants: member State officials who sign in on the public site, each for (process, country) pairs.

A participant is a user without `is_staff` (they never reach the admin) holding one or more
memberships. rcps.scoping reads these rows to let them see the participants-only records of
their processes; the members app invites them and manages their sign-in.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rcps.scoping import ScopedQuerySet
from reference.models import Country

from .processes import Process


class MembershipQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(user__is_active=True)

    def with_related(self):
        return self.select_related("user", "process", "country")


class Membership(models.Model):
    """A participant's seat: one user speaking for one country in one process, with a role."""

    class Role(models.TextChoices):
        NATIONAL = "national", _("National focal point")
        GFMD = "gfmd", _("GFMD focal point")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="memberships"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="memberships"
    )
    ministry = models.CharField(_("ministry or institution"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, default=Role.NATIONAL)
    created = models.DateTimeField(_("member since"), auto_now_add=True)

    process_lookups = ("process",)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["process__name", "country__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "process", "country", "role"],
                name="membership_unique",
                violation_error_message=_("This person already holds this role for this country in this process."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.country} ({self.process.short_name}, {self.get_role_display()})"
