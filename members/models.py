"""The members' area: invitations of member State officials, and their private feed links."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import YEAR_VALIDATORS, Visibility
from rcps.models import FocalPoint, Membership, Process
from rcps.scoping import ScopedQuerySet
from reference.models import Country


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(ScopedQuerySet):
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


# The data exchange -----------------------------------------------------------------------------


class Indicator(models.Model):
    """A shared definition of a migration statistic, so that member States report the same thing.

    Definitions are common to every process; each process keeps its catalogue by choosing
    among them (`processes`).
    """

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=60, help_text=_("E.g. persons, current US dollars."))
    methodology = models.TextField(_("methodology notes"), blank=True)
    source_notes = models.TextField(_("source of the definition"))
    source_url = models.URLField(_("source web address"), max_length=500, blank=True)
    disaggregations = models.JSONField(
        _("disaggregations"),
        default=list,
        blank=True,
        help_text=_('The breakdowns figures may give, e.g. ["sex"]; figures without one are totals.'),
    )
    processes = models.ManyToManyField(
        Process, verbose_name=_("in the catalogue of"), blank=True, related_name="indicators"
    )

    history = HistoricalRecords(m2m_fields=[processes])

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.name} ({self.unit})"

    def disaggregation_choices(self):
        """The values a figure's disaggregation may take: the total, then each allowed breakdown's values."""
        choices = [("", _("Total"))]
        for dimension in self.disaggregations:
            for value, label in DISAGGREGATION_VALUES.get(dimension, ()):
                choices.append((f"{dimension}:{value}", label))
        return choices


DISAGGREGATION_VALUES = {
    "sex": (("female", _("Women")), ("male", _("Men"))),
    "age": (("0-14", _("Aged 0–14")), ("15-64", _("Aged 15–64")), ("65+", _("Aged 65 and over"))),
}


class Release(models.TextChoices):
    MEMBERS = "members", _("Members of the process only")
    PUBLIC = "public", _("Public")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FigureQuerySet(ScopedQuerySet):
    def public(self):
        """Figures their country released to the public, of indicators still in the process's catalogue."""
        return self.filter(release=Release.PUBLIC, indicator__processes=models.F("process"))

    def for_members_of(self, process_ids):
        """Figures released to members or to the public, in `process_ids` (withdrawn ones never)."""
        return self.filter(process__in=process_ids, release__in=[Release.MEMBERS, Release.PUBLIC])

    def with_related(self):
        return self.select_related("indicator", "country", "process")


class Figure(models.Model):
    """A national figure for one indicator, country, year and breakdown, whose release its country controls."""

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures"
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    disaggregation = models.CharField(_("breakdown"), max_length=40, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("E.g. the national source."))
    release = models.CharField(_("release"), max_length=10, choices=Release.choices, default=Release.MEMBERS)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    process_lookups = ("process",)

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__name", "country__name", "year", "disaggregation"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "indicator", "country", "year", "disaggregation"],
                name="figure_unique",
                violation_error_message=_("This country already has a figure for this indicator, year and breakdown."),
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="figure_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.name} — {self.country} {self.year}: {self.value}"

    @property
    def disaggregation_label(self):
        return dict(self.indicator.disaggregation_choices()).get(self.disaggregation, self.disaggregation)


# The focal-point network ---------------------------------------------------------------------


class MailingList(models.Model):
    """A secretariat's list of its process's focal points: the whole network, one ministry, or chosen people."""

    class Scope(models.TextChoices):
        NETWORK = "network", _("The whole network of the process")
        MINISTRY = "ministry", _("Focal points in one kind of ministry")
        CHOSEN = "chosen", _("Chosen focal points (an activity)")

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="mailing_lists"
    )
    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("who is on it"), max_length=10, choices=Scope.choices, default=Scope.NETWORK)
    ministry = models.CharField(
        _("ministry contains"),
        max_length=200,
        blank=True,
        help_text=_("For a ministry list: a word of the institution's name, e.g. “Labour”."),
    )
    focal_points = models.ManyToManyField(
        "rcps.FocalPoint", verbose_name=_("chosen focal points"), blank=True, related_name="mailing_lists"
    )
    description = models.TextField(_("description"), blank=True)

    process_lookups = ("process",)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["process__name", "name"]
        verbose_name = _("focal-point list")
        verbose_name_plural = _("focal-point lists")

    def __str__(self):
        return f"{self.name} ({self.process.short_name})"

    def focal_point_rows(self):
        """The focal points the list reaches (those with an e-mail address, never confidential ones)."""
        rows = (
            FocalPoint.objects.filter(process_id=self.process_id)
            .exclude(email="")
            .exclude(visibility=Visibility.CONFIDENTIAL)
        )
        if self.scope == self.Scope.MINISTRY:
            rows = rows.filter(institution__icontains=self.ministry) if self.ministry else rows.none()
        elif self.scope == self.Scope.CHOSEN:
            rows = rows.filter(pk__in=self.focal_points.values("pk"))
        return rows.order_by("email")

    def recipients(self, bounced=None):
        """The addresses a message goes to: the list's focal points less those who left it or bounce.

        `bounced` (bounced_addresses()) can be given by a caller listing several lists, and the
        opt-outs prefetched, so that each list costs one query.
        """
        if bounced is None:
            bounced = bounced_addresses()
        stopped = {opt_out.email.lower() for opt_out in self.opt_outs.all()} | bounced
        emails = self.focal_point_rows().values_list("email", flat=True)
        return sorted({email.lower() for email in emails} - stopped)


class OptOut(models.Model):
    """A person who left a list (one-click unsubscribe): kept so that no later message reaches them."""

    mailing_list = models.ForeignKey(
        MailingList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="opt_outs"
    )
    email = models.EmailField(_("e-mail"))
    created = models.DateTimeField(_("left on"), auto_now_add=True)

    process_lookups = ("mailing_list__process",)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [models.UniqueConstraint(fields=["mailing_list", "email"], name="opt_out_unique")]

    def __str__(self):
        return f"{self.email} left {self.mailing_list}"


class Bounce(models.Model):
    """An address the mail server reported as undeliverable: no list writes to it any more."""

    email = models.EmailField(_("e-mail"), unique=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created = models.DateTimeField(_("recorded on"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self):
        return self.email


def bounced_addresses():
    """The addresses (lower case) no list writes to any more."""
    return {email.lower() for email in Bounce.objects.values_list("email", flat=True)}


class ListMessage(models.Model):
    """A message sent to a list, kept in the archive its process's members read."""

    mailing_list = models.ForeignKey(
        MailingList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent = models.DateTimeField(_("sent on"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    process_lookups = ("mailing_list__process",)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent", "-pk"]
        verbose_name = _("list message")
        verbose_name_plural = _("list messages")

    def __str__(self):
        return self.subject
