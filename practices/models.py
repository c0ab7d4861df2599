"""The good-practice repository: practice records, moderated through the exchange, and calls for practices.

A practice is written by the secretariat of the process that implemented it and submitted to the
GFMD Support Unit as a dispatch of kind "good practice" (`Practice.dispatch`, one to one): the
dispatch workflow (exchange.workflow) moderates it, and the practice's state *is* its dispatch's
state — submitted, returned with the Support Unit's reason, resubmitted, published. Nothing is
copied back, so the two can never disagree. A call for practices is opened by the Support Unit
and announced as a published GFMD → RCPs dispatch (`CallForPractices.announcement`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import roles
from core.fields import CreatedAtField, ModifiedAtField
from core.languages import TranslatedFieldsMixin, translation_field
from core.models import YEAR_VALIDATORS, PublicQuerySet, Visibility, VisibleModel, validate_year_range
from core.search import search_document_field, search_document_index
from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Process
from rcps.scoping import ScopedQuerySet, managed_process_ids
from recommendations.models import Recommendation
from reference.models import Country, GcmObjective, Organization, Region, SdgTarget, Theme
from surveys.models import SurveyResponse

State = Dispatch.State


# Calls for practices -------------------------------------------------------------------------


class CallQuerySet(PublicQuerySet):
    def public(self):
        """Calls the Support Unit has opened (announced on the exchange) and that are public."""
        return super().public().filter(opened_at__isnull=False)

    def open_on(self, day=None):
        """Opened calls whose deadline has not passed on `day` (today by default)."""
        return self.filter(opened_at__isnull=False, deadline__gte=day or timezone.localdate())

    def addressed_to(self, process_ids):
        """Calls addressed to every process or to any of `process_ids`."""
        addressed = CallForPractices.addressed_processes.through.objects.filter(process__in=process_ids)
        return self.filter(Q(addressed_to_all=True) | Q(pk__in=addressed.values("callforpractices")))


class CallForPractices(TranslatedFieldsMixin, VisibleModel):
    """A themed call of the GFMD Support Unit for practices, with its criteria and deadline."""

    TRANSLATED_FIELDS = ("title", "description", "criteria")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what the call is about"))
    criteria = models.TextField(_("criteria"), help_text=_("What a practice must show to answer this call."))
    deadline = models.DateField(_("deadline"), help_text=_("The last day a practice may be submitted to this call."))
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="calls_for_practices")
    gcm_objectives = models.ManyToManyField(
        GcmObjective, verbose_name=_("GCM objectives"), blank=True, related_name="calls_for_practices"
    )
    addressed_to_all = models.BooleanField(_("addressed to all processes"), default=False)
    addressed_processes = models.ManyToManyField(
        Process, verbose_name=_("addressed processes"), blank=True, related_name="calls_for_practices"
    )
    announcement = models.OneToOneField(
        Dispatch,
        verbose_name=_("announcement on the exchange"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_for_practices",
        editable=False,
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    created_at = CreatedAtField(_("created"))
    updated_at = ModifiedAtField(_("last changed"))
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    description_fr = translation_field(description, "fr")
    description_es = translation_field(description, "es")
    criteria_fr = translation_field(criteria, "fr")
    criteria_es = translation_field(criteria, "es")

    objects = CallQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("call for practices")
        verbose_name_plural = _("calls for practices")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:call_detail", kwargs={"pk": self.pk})

    @property
    def is_opened(self):
        return self.opened_at is not None

    def is_open(self, day=None):
        return self.is_opened and self.deadline >= (day or timezone.localdate())

    @property
    def is_closed(self):
        return self.is_opened and not self.is_open()

    def is_addressed_to(self, process):
        return self.addressed_to_all or self.addressed_processes.filter(pk=process.pk).exists()


# Practices ---------------------------------------------------------------------------------


class PracticeQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("exchange.dispatch", "rcps.process")

    def public(self):
        """Public practices whose dispatch the Support Unit has published, of public processes."""
        return (
            super()
            .public()
            .filter(dispatch__state=State.PUBLISHED)
            .filter(process__in=Process.objects.public().values("pk"))
        )

    def managed_by(self, user):
        """Moderators change any practice; a secretariat its processes' practices not under moderation or published."""
        if roles.is_moderator(user):
            return self
        return (
            super()
            .managed_by(user)
            .filter(Q(dispatch__isnull=True) | Q(dispatch__state__in=[State.DRAFT, State.RETURNED]))
        )

    def visible_to(self, user):
        """Moderators see every practice; a secretariat every practice of its processes, whatever its state."""
        if roles.reads_everything(user):
            return self
        ids = managed_process_ids(user)
        return self if ids is None else self.belonging_to(ids)

    def in_state(self, state):
        """Practices in one state of their moderation ("draft": never submitted, or a draft dispatch)."""
        if state == State.DRAFT:
            return self.filter(Q(dispatch__isnull=True) | Q(dispatch__state=State.DRAFT))
        return self.filter(dispatch__state=state)

    def with_related(self):
        """What a list line shows: the process, the objectives and the places."""
        return self.select_related("process", "dispatch").prefetch_related(
            models.Prefetch("gcm_objectives", queryset=GcmObjective.objects.only("number", "title")),
            "countries",
            "regions",
        )

    def with_export_related(self):
        """What an export row and the API show besides a list line: the call, the public implementers,
        partners, themes, SDG targets and public source meetings."""
        return (
            self.with_related()
            .select_related("call")
            .prefetch_related(
                models.Prefetch("implementing_processes", queryset=Process.objects.public()),
                "partners",
                "themes",
                "sdg_targets",
                models.Prefetch("source_meetings", queryset=Meeting.objects.public()),
            )
        )

    def newest_first(self):
        return self.order_by("-dispatch__published_at", "-pk")

    def facet_counts(self, field):
        """{value of `field` (a relation's primary key, or a column): number of practices} over these practices.

        Counted over a subquery of the practices' keys, so that a filter's join (`?gcm=10`) does not
        narrow the values counted (the other objectives of the same practices still count).
        """
        rows = (
            Practice.objects.filter(pk__in=self.order_by().values("pk"))
            .values(field)
            .annotate(n=Count("pk", distinct=True))
            .values_list(field, "n")
        )
        return {value: n for value, n in rows if value is not None}


class Practice(TranslatedFieldsMixin, VisibleModel):
    """A practice a process implemented, with what it did, what came of it and what it learned."""

    TRANSLATED_FIELDS = ("title", "summary", "what_was_done", "results", "lessons_learned")

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences a reader sees in lists."))
    what_was_done = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons_learned = models.TextField(
        _("lessons learned and pitfalls"),
        blank=True,
        help_text=_("What did not work, or would be done differently: not only the successes."),
    )
    # Where ----------------------------------------------------------------------------------
    is_global = models.BooleanField(_("global"), default=False, help_text=_("Implemented worldwide."))
    countries = models.ManyToManyField(
        Country, verbose_name=_("implementing countries"), blank=True, related_name="practices"
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="practices")
    # When -----------------------------------------------------------------------------------
    start_year = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("until (year)"), null=True, blank=True, validators=YEAR_VALIDATORS, help_text=_("Empty: still running.")
    )
    # Who ------------------------------------------------------------------------------------
    process = models.ForeignKey(
        Process,
        verbose_name=_("submitting process"),
        on_delete=models.PROTECT,
        related_name="practices_submitted",
        help_text=_("The process whose secretariat keeps this record and submits it to the GFMD."),
    )
    implementing_processes = models.ManyToManyField(
        Process,
        verbose_name=_("implementing processes"),
        blank=True,
        related_name="practices",
        help_text=_("The submitting process and, where its secretariat agrees, others (see practices.workflow)."),
    )
    partners = models.ManyToManyField(
        Organization, verbose_name=_("partner organizations"), blank=True, related_name="practices"
    )
    partners_note = models.CharField(_("other partners"), max_length=500, blank=True)
    # What about -----------------------------------------------------------------------------
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="practices")
    gcm_objectives = models.ManyToManyField(
        GcmObjective, verbose_name=_("GCM objectives"), blank=True, related_name="practices"
    )
    sdg_targets = models.ManyToManyField(SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="practices")
    # The source in the RCP/GFMD context: where the practice was presented, recommended, reported
    # or answered (a survey answer is shown publicly only where its results are published and the
    # process agreed, SurveyResponse.objects.public()).
    source_meetings = models.ManyToManyField(
        Meeting, verbose_name=_("source meetings"), blank=True, related_name="practices"
    )
    source_recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("source recommendations"), blank=True, related_name="practices"
    )
    source_dispatches = models.ManyToManyField(
        Dispatch, verbose_name=_("source dispatches"), blank=True, related_name="practices_cited"
    )
    source_survey_responses = models.ManyToManyField(
        SurveyResponse,
        verbose_name=_("source survey answers"),
        blank=True,
        related_name="practices",
        help_text=_("The answers of your process to a survey in which this practice was reported."),
    )
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), blank=True, related_name="practices")
    # Contact: shown on the public page only with the person's consent ----------------------
    contact_name = models.CharField(_("contact focal point"), max_length=200, blank=True)
    contact_role = models.CharField(_("position and institution"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_consent = models.BooleanField(
        _("the contact agreed to be shown"),
        default=False,
        help_text=_("Without this consent the contact is kept in the back office only."),
    )
    # Moderation -----------------------------------------------------------------------------
    call = models.ForeignKey(
        CallForPractices,
        verbose_name=_("answering the call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    dispatch = models.OneToOneField(
        Dispatch,
        verbose_name=_("dispatch to the GFMD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices_created",
        editable=False,
    )
    created_at = CreatedAtField(_("created"))
    updated_at = ModifiedAtField(_("last changed"))
    search_document = search_document_field("title", "summary", "what_was_done", "results", "lessons_learned")
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    summary_fr = translation_field(summary, "fr")
    summary_es = translation_field(summary, "es")
    what_was_done_fr = translation_field(what_was_done, "fr")
    what_was_done_es = translation_field(what_was_done, "es")
    results_fr = translation_field(results, "fr")
    results_es = translation_field(results, "es")
    lessons_learned_fr = translation_field(lessons_learned, "fr")
    lessons_learned_es = translation_field(lessons_learned, "es")

    process_lookups = ("process",)

    objects = PracticeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="practice_period_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]
        indexes = [search_document_index("practice")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:practice_detail", kwargs={"pk": self.pk})

    def clean(self):
        validate_year_range(self.start_year, self.end_year, "start_year", "end_year")

    # The state is the dispatch's --------------------------------------------------------------

    @property
    def state(self):
        return self.dispatch.state if self.dispatch_id else State.DRAFT

    def get_state_display(self):
        return State(self.state).label

    @property
    def return_reason(self):
        return self.dispatch.return_reason if self.dispatch_id and self.state == State.RETURNED else ""

    @property
    def published_at(self):
        return self.dispatch.published_at if self.dispatch_id else None

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC and self.state == State.PUBLISHED

    def owner_may_change(self):
        """Whether the secretariat may still change it (as PracticeQuerySet.managed_by): not under moderation."""
        return self.state in (State.DRAFT, State.RETURNED)

    @property
    def period_display(self):
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}" if self.end_year != self.start_year else str(self.start_year)
        if self.start_year:
            return _("since %(year)s") % {"year": self.start_year}
        return ""

    @property
    def contact_public(self):
        """The contact a visitor may see: only with the person's consent."""
        return self.contact_consent and bool(self.contact_name or self.contact_email)


class PracticeLink(models.Model):
    """A web page about a practice (a project site, an evaluation, a news item)."""

    practice = models.ForeignKey(Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500)

    process_lookups = ("practice__process",)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.title
