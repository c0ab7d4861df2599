"""The members' area: invitations of member State officials, and their private feed links."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rcps.models import Membership, Process
from reference.models import Country


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("process", "country", "invited_by", "user")

    def by_token(self, token):
        """The invitation a link's token opens, or None (only its hash is stored)."""
        if not token or len(token) > 100:
            return None
        return self.with_related().filter(token_hash=hash_token(token)).first()


class Invitation(models.Model):
    """A secretariat's invitation to a member State official: a one-time link, valid for a few days."""

    email = models.EmailField(_("e-mail"))
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="invitations"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="invitations"
    )
    ministry = models.CharField(_("ministry or institution"), max_length=200)
    role = models.CharField(_("role"), max_length=15, choices=Membership.Role.choices, default=Membership.Role.NATIONAL)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("sent on"), auto_now_add=True)
    expires = models.DateTimeField(_("expires on"))
    accepted = models.DateTimeField(_("accepted on"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )

    process_lookups = ("process",)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} — {self.country} ({self.process.short_name})"

    @classmethod
    def issue(cls, *, invited_by, **fields):
        """Save a new invitation and return it with its token (shown once, in the e-mail, never stored)."""
        token = secrets.token_urlsafe(32)
        days = settings.MEMBERS_INVITATION_DAYS
        invitation = cls.objects.create(
            invited_by=invited_by,
            token_hash=hash_token(token),
            expires=timezone.now() + timezone.timedelta(days=days),
            **fields,
        )
        return invitation, token

    @staticmethod
    def link(token):
        return settings.SITE_URL + reverse("members:accept", kwargs={"token": token})

    @property
    def is_expired(self):
        return timezone.now() >= self.expires

    @property
    def is_open(self):
        return self.accepted is None and not self.is_expired


class FeedKey(models.Model):
    """A participant's private key for feed and calendar readers that cannot sign in; revocable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="feed_key"
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        verbose_name = _("private feed key")
        verbose_name_plural = _("private feed keys")

    def __str__(self):
        return str(self.user)

    @classmethod
    def renew(cls, user):
        """A new key for `user`; the old one stops working at once."""
        key, _created = cls.objects.update_or_create(user=user, defaults={"key": secrets.token_urlsafe(32)})
        return key
