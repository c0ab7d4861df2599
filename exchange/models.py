"""The two-way feed between the GFMD and the processes: dispatches, their moderation and digests."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import roles
from core.fields import ModifiedAtField
from core.languages import TranslatedFieldsMixin, translation_field
from core.models import SourcedModel
from core.search import search_document_field, search_document_index
from core.text import render_markdown
from core.uploads import validate_attachment
from meetings.models import Document, Meeting
from rcps.models import Process
from rcps.scoping import ScopedQuerySet, served_process_ids
from recommendations.models import Recommendation
from reference.models import GcmObjective, SdgTarget, Theme


class DispatchQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("rcps.process",)

    def published(self):
        return self.filter(state=Dispatch.State.PUBLISHED)

    def public(self):
        """What anyone may see: published dispatches (of public processes — a dispatch names its sender)."""
        return self.published().filter(
            Q(sender_process__isnull=True) | Q(sender_process__in=Process.objects.public().values("pk"))
        )

    def with_public_related(self):
        """Like with_related(), for public pages: only public addressed and sending processes are listed."""
        public_processes = Process.objects.public()
        return self.select_related("sender_process").prefetch_related(
            models.Prefetch("addressed_processes", queryset=public_processes),
            models.Prefetch("sending_processes", queryset=public_processes),
            "themes",
        )

    def concerning(self, process_ids):
        """Dispatches sent by any of `process_ids` (alone or jointly), addressed to one of them, or to every process."""
        addressed = Dispatch.addressed_processes.through.objects.filter(process__in=process_ids).values("dispatch")
        sent = Dispatch.sending_processes.through.objects.filter(process__in=process_ids).values("dispatch")
        return self.filter(
            Q(sender_process__in=process_ids)
            | Q(addressed_to_all=True, direction__in=[Dispatch.Direction.FROM_GFMD, Dispatch.Direction.BETWEEN_RCPS])
            | Q(pk__in=addressed)
            | Q(pk__in=sent)
        )

    def managed_by(self, user):
        """Moderators change any dispatch; a secretariat its processes' drafts and returned dispatches."""
        if roles.is_moderator(user):
            return self
        return (
            super()
            .managed_by(user)
            .filter(
                direction__in=[Dispatch.Direction.TO_GFMD, Dispatch.Direction.BETWEEN_RCPS],
                state__in=[Dispatch.State.DRAFT, Dispatch.State.RETURNED],
            )
        )

    def visible_to(self, user):
        """Moderators see every dispatch; a secretariat its processes' own and the published ones sent to them."""
        if roles.is_moderator(user):
            return self
        ids = served_process_ids(user)
        if ids is None:
            return self
        received = self.received_by(ids)
        return self.filter(Q(sender_process__in=ids) | Q(pk__in=received.values("pk")))

    # What awaits whom (the start pages of the back office) ----------------------------------------

    def received_by(self, process_ids):
        """Published dispatches from the GFMD or from other processes addressed to any of `process_ids`."""
        addressed = Dispatch.addressed_processes.through.objects.filter(process__in=process_ids).values("dispatch")
        return (
            self.published()
            .filter(
                Q(addressed_to_all=True) | Q(pk__in=addressed),
                direction__in=[Dispatch.Direction.FROM_GFMD, Dispatch.Direction.BETWEEN_RCPS],
            )
            .exclude(sender_process__in=process_ids)
        )

    def awaiting_response_from(self, process_ids):
        """Dispatches sent to `process_ids` through the portal that none of them has acknowledged or answered.

        Documented exchanges of the past (recorded from sources) await nothing.
        """
        acknowledged = DispatchAcknowledgement.objects.filter(process__in=process_ids).values("dispatch")
        answered = Dispatch.objects.filter(sender_process__in=process_ids, in_reply_to__isnull=False).values(
            "in_reply_to"
        )
        return (
            self.received_by(process_ids)
            .filter(recorded_from_sources=False)
            .exclude(pk__in=acknowledged)
            .exclude(pk__in=answered)
        )

    def to_moderate(self):
        """Submitted dispatches waiting for the Support Unit, oldest first."""
        return self.filter(state=Dispatch.State.SUBMITTED).order_by("submitted_at", "pk")

    def returned_to(self, process_ids):
        return self.filter(state=Dispatch.State.RETURNED, sender_process__in=process_ids)

    def drafts_of(self, process_ids):
        """Drafts sent by `process_ids`; None: the GFMD's own drafts (no sending process)."""
        if process_ids is None:
            return self.filter(state=Dispatch.State.DRAFT, direction=Dispatch.Direction.FROM_GFMD)
        return self.filter(state=Dispatch.State.DRAFT, sender_process__in=process_ids)

    def newest_first(self):
        """Published dispatches, newest first; every published dispatch has a date (a constraint says so).

        A plain descending order (no NULLS LAST) so that dispatch_state_newest_idx serves it.
        """
        return self.order_by("-published_at", "-pk")


class Dispatch(TranslatedFieldsMixin, SourcedModel):
    """A message between a process and the GFMD, or between processes: a report, statement, recommendation, reply…

    TRANSLATED_FIELDS = ("title", "body")

    Most dispatches go through the workflow; the documented exchanges of the past are recorded
    from their sources (`recorded_from_sources`), published as they are, dated as the sources
    date them and citing them (the sourced fields).
    """

    class Direction(models.TextChoices):
        TO_GFMD = "to_gfmd", _("RCP → GFMD")
        FROM_GFMD = "from_gfmd", _("GFMD → RCPs")
        BETWEEN_RCPS = "rcp_to_rcp", _("RCP ↔ RCP")

    class Kind(models.TextChoices):
        REPORT_OF_PROCEEDINGS = "report_of_proceedings", _("Report of proceedings")
        SUMMARY_REPORT = "summary_report", _("Summary report")
        STATEMENT = "statement", _("Statement")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        LESSONS_LEARNED = "lessons_learned", _("Lessons learned")
        RECOMMENDATION = "recommendation", _("Recommendation")
        ANNOUNCEMENT = "announcement", _("Announcement")
        SURVEY = "survey", _("Survey")
        SURVEY_RESPONSE = "survey_response", _("Survey response")
        REPLY = "reply", _("Reply")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the GFMD")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned to the sender")

    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.FROM_GFMD, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True, editable=False
    )
    sender_process = models.ForeignKey(
        Process,
        verbose_name=_("sending process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatches_sent",
        help_text=_("For a dispatch to the GFMD: the process sending it. Empty for a dispatch from the GFMD."),
    )
    sending_processes = models.ManyToManyField(
        Process,
        verbose_name=_("sent jointly by"),
        blank=True,
        related_name="dispatches_sent_jointly",
        help_text=_("For a documented exchange that several processes sent together (the RCPs meeting in Bangkok)."),
    )
    sender_note = models.CharField(
        _("sender as stated by the sources"),
        max_length=300,
        blank=True,
        help_text=_("Who actually wrote or spoke, where the sources say more than the process."),
    )
    addressed_to_all = models.BooleanField(
        _("addressed to all processes"), default=False, help_text=_("For a dispatch from the GFMD or to every RCP.")
    )
    addressed_processes = models.ManyToManyField(
        Process, verbose_name=_("addressed processes"), blank=True, related_name="dispatches_received"
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), help_text=_("Markdown: *emphasis*, **bold**, lists, [links](https://…)."))
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    body_fr = translation_field(body, "fr")
    body_es = translation_field(body, "es")
    body_html_fr = translation_field(body_html, "fr")
    body_html_es = translation_field(body_html, "es")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="dispatches")
    # Tags with the Global Compact's objectives and the SDG targets (practices.views: a page per objective).
    gcm_objectives = models.ManyToManyField(
        GcmObjective, verbose_name=_("GCM objectives"), blank=True, related_name="dispatches"
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="dispatches"
    )
    meetings = models.ManyToManyField(Meeting, verbose_name=_("meetings"), blank=True, related_name="dispatches")
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), blank=True, related_name="dispatches")
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), blank=True, related_name="dispatches"
    )
    recorded_from_sources = models.BooleanField(
        _("documented exchange"),
        default=False,
        help_text=_("A past exchange recorded from its sources rather than sent through the portal."),
    )
    date_text = models.CharField(
        _("date as stated by the sources"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a documented exchange: when it took place, in the sources' words (shown instead of the date)."
        ),
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatches_created",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = ModifiedAtField(_("last changed"), db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False, db_index=True)
    search_document = search_document_field("title", "body", "sender_note")

    # A dispatch to the GFMD belongs to its sender; the Support Unit moderates every dispatch.
    process_lookups = ("sender_process",)
    support_unit_manages_all = True

    objects = DispatchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            # A documented exchange may have been sent by several processes, or by people the
            # sources name without a process (`sending_processes`, `sender_note`).
            models.CheckConstraint(
                condition=Q(direction="to_gfmd", sender_process__isnull=False)
                | Q(direction="from_gfmd", sender_process__isnull=True)
                | Q(direction="rcp_to_rcp", sender_process__isnull=False)
                | Q(direction__in=["to_gfmd", "rcp_to_rcp"], recorded_from_sources=True),
                name="dispatch_sender_matches_direction",
                violation_error_message=_(
                    "A dispatch to the GFMD or to other processes names its sending process; "
                    "a dispatch from the GFMD names none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="dispatch_published_has_date",
            ),
            models.CheckConstraint(condition=~Q(in_reply_to=F("pk")), name="dispatch_not_reply_to_itself"),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"]),
            # The public directory and feeds: published, newest first (newest_first()), read in
            # index order instead of sorting every published dispatch (checked with EXPLAIN).
            models.Index(fields=["state", "-published_at", "-id"], name="dispatch_state_newest_idx"),
            # The back office's list in its default order (Meta.ordering), without a sort of every row.
            models.Index(fields=["-published_at", "-created_at", "-id"], name="dispatch_ordering_idx"),
            search_document_index("dispatch"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange:dispatch_detail", kwargs={"pk": self.pk})

    def owner_may_change(self):
        """Whether the sending secretariat may change this dispatch in its state (as DispatchQuerySet.managed_by)."""
        return self.direction in (self.Direction.TO_GFMD, self.Direction.BETWEEN_RCPS) and self.state in (
            self.State.DRAFT,
            self.State.RETURNED,
        )

    def clean(self):
        if self.direction == self.Direction.TO_GFMD and not self.sender_process_id and not self.recorded_from_sources:
            raise ValidationError({"sender_process": _("Name the process sending this dispatch to the GFMD.")})
        if self.direction == self.Direction.BETWEEN_RCPS and not (self.sender_process_id or self.recorded_from_sources):
            raise ValidationError({"sender_process": _("Name the process sending this dispatch.")})
        if self.direction == self.Direction.FROM_GFMD and self.sender_process_id:
            raise ValidationError({"sender_process": _("A dispatch from the GFMD has no sending process.")})
        if self.direction == self.Direction.TO_GFMD and self.addressed_to_all:
            raise ValidationError({"addressed_to_all": _("A dispatch to the GFMD is addressed to the GFMD only.")})
        if self.kind == self.Kind.REPLY and not self.in_reply_to_id:
            raise ValidationError({"in_reply_to": _("A reply names the dispatch it answers.")})
        if self.in_reply_to_id and self.pk and self.in_reply_to_id == self.pk:
            raise ValidationError({"in_reply_to": _("A dispatch cannot answer itself.")})
        # The HTML is derived from the Markdown here, so every path that validates (admin, forms,
        # workflow, API) stores the sanitized version.
        self.body_html = render_markdown(self.body)
        self.body_html_fr = render_markdown(self.body_fr) if self.body_fr else ""
        self.body_html_es = render_markdown(self.body_es) if self.body_es else ""

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    # Beyond this many joint senders a list line names their number, the page names them all.
    SENDERS_LISTED = 3

    @property
    def sender_display(self):
        sender = self.sender_process.short_name if self.sender_process_id else None
        listed = sender is None and self.direction != self.Direction.FROM_GFMD
        senders = [p.short_name for p in self.sending_processes.all()] if listed else []
        return self.sender_text(sender, self.direction, senders, self.sender_note)

    @classmethod
    def sender_text(cls, sender, direction, senders, sender_note):
        """The sender in words: `sender` the sending process's short name (or None), `senders` those sending jointly."""
        if sender is not None:
            return sender
        if direction == cls.Direction.FROM_GFMD:
            return gettext("GFMD")
        if len(senders) > cls.SENDERS_LISTED:
            return gettext("%(count)s processes") % {"count": len(senders)}
        return ", ".join(senders) or sender_note or gettext("Not recorded")

    def addressees_display(self):
        listed = self.direction != self.Direction.TO_GFMD and not self.addressed_to_all
        addressees = [p.short_name for p in self.addressed_processes.all()] if listed else []
        return self.addressees_text(self.direction, self.addressed_to_all, addressees)

    @classmethod
    def addressees_text(cls, direction, addressed_to_all, addressees):
        """The addressees in words: `addressees` the short names of the processes addressed."""
        if direction == cls.Direction.TO_GFMD:
            return gettext("GFMD")
        if addressed_to_all:
            return gettext("All processes")
        # Each addressee once, in order, however the relation was filled.
        return ", ".join(dict.fromkeys(addressees))

    @property
    def addressees_short(self):
        """The addressees for a list line: their number when there are more than a few."""
        if self.direction == self.Direction.TO_GFMD or self.addressed_to_all:
            return self.addressees_display()
        names = list(dict.fromkeys(p.short_name for p in self.addressed_processes.all()))
        if len(names) > self.SENDERS_LISTED:
            return _("%(count)s processes") % {"count": len(names)}
        return ", ".join(names)

    def is_addressed_to(self, process):
        """Whether `process` is among the addressees (a dispatch to the GFMD has none; a sender is not its own)."""
        if self.direction == self.Direction.TO_GFMD or process.pk == self.sender_process_id:
            return False
        return self.addressed_to_all or self.addressed_processes.filter(pk=process.pk).exists()


def attachment_upload_path(instance, filename):
    # A random folder, so one file's name never reveals or collides with another's.
    return f"dispatches/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{PurePath(filename).name}"


class DispatchAttachment(models.Model):
    """A file sent with a dispatch; served only through a view that checks the dispatch is published."""

    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"), upload_to=attachment_upload_path, max_length=300, validators=[validate_attachment]
    )

    class Meta:
        ordering = ["dispatch", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange:attachment_download", kwargs={"pk": self.dispatch_id, "attachment_pk": self.pk})

    @property
    def filename(self):
        return PurePath(self.file.name).name


class DispatchTransition(models.Model):
    """One step of a dispatch's workflow: who moved it from which state to which, when and why."""

    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("from"), max_length=10, choices=Dispatch.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=Dispatch.State.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["dispatch", "at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self):
        return f"{self.get_from_state_display() or '—'} → {self.get_to_state_display()}"


class DispatchAcknowledgement(models.Model):
    """An addressed process saying it has received a dispatch from the GFMD."""

    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), on_delete=models.CASCADE, related_name="acknowledgements"
    )
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="dispatch_acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["dispatch", "at", "pk"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "process"],
                name="dispatch_acknowledged_once_per_process",
                violation_error_message=_("This process has already acknowledged this dispatch."),
            ),
        ]

    def __str__(self):
        return f"{self.process.short_name} — {self.at:%Y-%m-%d}"


def new_token():
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """An e-mail address that asked for a periodic digest of published dispatches (after double opt-in)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail"), db_index=True)
    processes = models.ManyToManyField(Process, verbose_name=_("processes"), blank=True, related_name="subscriptions")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="subscriptions")
    directions = models.JSONField(_("directions"), default=list, blank=True, help_text=_("Empty: both directions."))
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY, db_index=True
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True, editable=False)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the e-mails sent to this address."),
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "pk"]
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self):
        return f"{self.email} ({self.get_frequency_display()})"

    def clean(self):
        invalid = set(self.directions or []) - set(Dispatch.Direction.values)
        if invalid:
            raise ValidationError({"directions": _("Unknown direction.")})


# Notifications of the people a workflow step concerns -----------------------------------------


class NotificationPreference(models.Model):
    """How a back-office user wants to hear of the exchange steps that concern them."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each step, at once")
        DAILY = "daily", _("One summary e-mail a day")
        NONE = "none", _("No e-mail (the start page still shows what awaits me)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("e-mail notifications"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    # Remembered here (the user's one preferences row): the switcher sets it, each login restores it.
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="",
        blank=True,
        help_text=_("The language of the back office and of your e-mails. Empty: the site's default."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} — {self.get_delivery_display()}"


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)


class Notification(models.Model):
    """One person told of one workflow event; unique per event and person, so nobody is told twice.

    An event concerns a dispatch, or another record of a feature above the exchange (a survey's
    response, say) named by `target`: the exchange imports no such app, the target's model
    gives its e-mails' context (`notification_context(notification)`) and the e-mails live in
    its own templates (`<app>/email/<event>.txt`).
    """

    class Event(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for moderation")
        PUBLISHED = "published", _("Your dispatch was published")
        RETURNED = "returned", _("Your dispatch was returned")
        RECEIVED = "received", _("A dispatch addressed to your process")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        SURVEY_OPENED = "survey_opened", _("A survey awaits your process's answer")
        SURVEY_REMINDER = "survey_reminder", _("Reminder: a survey's deadline approaches")
        SURVEY_REOPENED = "survey_reopened", _("Your survey answers were reopened")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("dispatch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("concerns a record of type"), null=True, blank=True, on_delete=models.CASCADE
    )
    target_id = models.PositiveBigIntegerField(_("concerns the record"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    # What happened, once: "transition:<id>" for a workflow step, "acknowledgement:<id>" for an acknowledgement.
    key = models.CharField(_("event key"), max_length=60)
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The process that acknowledged, where the event is an acknowledgement."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event_and_person"),
            models.CheckConstraint(
                condition=Q(dispatch__isnull=False, target_type__isnull=True, target_id__isnull=True)
                | Q(dispatch__isnull=True, target_type__isnull=False, target_id__isnull=False),
                name="notification_concerns_a_dispatch_or_a_target",
            ),
        ]
        indexes = [
            models.Index(fields=["sent_at", "user"]),
            models.Index(fields=["target_type", "target_id"], name="notification_target_idx"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_event_display()}: {self.subject}"

    @property
    def subject(self):
        """The record the event concerns: the dispatch, or the generic target."""
        return self.dispatch if self.dispatch_id else self.target
