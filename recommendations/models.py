"""Recommendations addressed to States, processes and the GFMD, and what each process did about them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import CreatedAtField, ModifiedAtField
from core.languages import TranslatedFieldsMixin, translation_field
from core.models import YEAR_VALIDATORS, Publication, PublishableModel, SourcedModel, VisibleModel
from core.queries import points_into
from core.search import search_document_field, search_document_index
from meetings.models import Document, Meeting
from rcps.models import Process
from rcps.scoping import ScopedQuerySet
from reference.models import AddresseeGroup, GcmObjective, SdgTarget, Theme


class RecommendationQuerySet(ScopedQuerySet):
    def concerning(self, process):
        """Recommendations `process` issued or that are addressed to it."""
        # One set of keys from two index reads: with "issued OR addressed" the planner could use no
        # index and walked the whole table in the order asked (a feed's newest first) to find them.
        addressed = Recommendation.addressed_processes.through.objects.filter(process=process).order_by()
        issued = Recommendation._base_manager.filter(issuing_process=process).order_by().values("pk")
        return self.filter(pk__in=issued.union(addressed.values("recommendation")))

    def awaiting_follow_up_from(self, process_ids):
        """Published recommendations addressed to `process_ids` for which none of them has recorded a follow-up."""
        addressed = Recommendation.addressed_processes.through.objects.filter(process__in=process_ids)
        followed = FollowUp.objects.filter(process__in=process_ids).values("recommendation")
        return self.filter(pk__in=addressed.values("recommendation"), publication=Publication.PUBLISHED).exclude(
            pk__in=followed
        )

    def with_follow_up_badges(self, follow_ups_of=None, reader=None):
        """Only the follow-ups a list shows beside each title (process, status, date), in `public_follow_ups`.

        Of process `follow_ups_of` when given; a verified participant `reader` also reads their
        processes' participants-only follow-ups (rcps.scoping).
        """
        follow_ups = FollowUp.objects.public_or_readable_by(reader).select_related("process").order_by("date", "pk")
        if follow_ups_of is not None:
            follow_ups = follow_ups.filter(process=follow_ups_of)
        return self.prefetch_related(models.Prefetch("follow_ups", queryset=follow_ups, to_attr="public_follow_ups"))

    def with_public_related(self, follow_ups_of=None, reader=None):
        """The joins of a public page: related processes, meetings and documents only where public.

        A prefetch with a filtered queryset leaves a foreign key at None when its target is not
        public, so templates cannot leak a confidential issuer or source. Follow-ups land in
        `public_follow_ups` (only those of process `follow_ups_of` when given); for a verified
        participant `reader`, also their processes' participants-only follow-ups (rcps.scoping).
        """
        follow_ups = FollowUp.objects.public_or_readable_by(reader).with_public_related().order_by("date", "pk")
        if follow_ups_of is not None:
            follow_ups = follow_ups.filter(process=follow_ups_of)
        return self.select_public("issuing_process").prefetch_related(
            models.Prefetch("source_meeting", queryset=Meeting.objects.public()),
            models.Prefetch("source_document", queryset=Document.objects.public()),
            models.Prefetch("addressed_processes", queryset=Process.objects.public()),
            "themes",
            "addressee_groups",
            models.Prefetch("follow_ups", queryset=follow_ups, to_attr="public_follow_ups"),
        )


class Recommendation(TranslatedFieldsMixin, SourcedModel, PublishableModel, VisibleModel):
    """An outcome addressed to someone (States, RCPs, the GFMD), issued by a meeting or a document."""

    TRANSLATED_FIELDS = ("title", "text")
    # Fields no public directory filters or sorts on, nor any public rule reads: a change to only
    # these re-renders the pages showing the row, not every list of its kind (core.pagecache, "Rows").
    DISPLAY_ONLY_FIELDS = (
        "title",
        "text",
        "addressees_note",
        "outcome_note",
        "notes",
        "source",
        "updated_at",
        "search_document",
    )

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        OUTCOME = "outcome", _("Meeting outcome")
        AGREEMENT = "agreement", _("Agreement")
        PROPOSAL = "proposal", _("Proposal")
        PRINCIPLE = "principle", _("Principle")
        RESOLUTION = "resolution", _("Resolution")

    title = models.CharField(_("title"), max_length=300, help_text=_("A short summary line."))
    text = models.TextField(_("text"))
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    text_fr = translation_field(text, "fr")
    text_es = translation_field(text, "es")
    is_verbatim = models.BooleanField(
        _("verbatim"), default=True, help_text=_("Untick when the text is a paraphrase of the source.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    kind_note = models.CharField(_("kind as described by the source"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, validators=YEAR_VALIDATORS, db_index=True)
    issuing_process = models.ForeignKey(
        Process,
        verbose_name=_("issuing process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_recommendations",
    )
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where the issuer is not a process in the portal, e.g. the Global Commission on International Migration."
        ),
    )
    source_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("source meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    source_document = models.ForeignKey(
        Document,
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    addressee_groups = models.ManyToManyField(
        AddresseeGroup, verbose_name=_("addressed to (groups)"), blank=True, related_name="recommendations"
    )
    addressed_processes = models.ManyToManyField(
        Process, verbose_name=_("addressed to (processes)"), blank=True, related_name="addressed_recommendations"
    )
    addressees_note = models.CharField(_("addressees as stated"), max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="recommendations")
    stated_themes = models.JSONField(_("themes as stated"), default=list, blank=True)
    # Tags with the Global Compact's objectives and the SDG targets (practices.views: a page per objective).
    gcm_objectives = models.ManyToManyField(
        GcmObjective, verbose_name=_("GCM objectives"), blank=True, related_name="recommendations"
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="recommendations"
    )
    outcome_note = models.TextField(
        _("recorded outcome"), blank=True, help_text=_("What is known of what came of it, with its source.")
    )

    # When the record was added and last changed: "new and changed" feeds order by these.
    created_at = CreatedAtField(_("created"))
    updated_at = ModifiedAtField(_("last changed"), db_index=True)
    search_document = search_document_field("title", "text")

    process_lookups = (
        "issuing_process",
        "source_meeting__organizing_processes",
        "source_meeting__parent__organizing_processes",
    )
    # The Support Unit publishes recommendations to every process.
    support_unit_manages_all = True

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["-year", "title"]), search_document_index("recommendation")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recommendations:recommendation_detail", kwargs={"pk": self.pk})

    def publication_children(self):
        """Drafts published with the recommendation: follow-ups recorded on the same form."""
        return [self.follow_ups.drafts()]

    def addressee_links(self):
        """[(name, page or None)]: who it is addressed to, each once — the groups, then the processes no group names.

        "GFMD" the group and the GFMD the process are one addressee, not "GFMD, RCPs, GFMD".
        """
        links = [(group.name, None) for group in self.addressee_groups.all()]
        seen = {name.casefold() for name, _url in links}
        for process in self.addressed_processes.all():
            if process.short_name.casefold() in seen or process.name.casefold() in seen:
                continue
            links.append((process.short_name, process.get_absolute_url()))
            seen.add(process.short_name.casefold())
        return links

    def addressees(self):
        return [name for name, _url in self.addressee_links()]


class FollowUpQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("recommendations.recommendation", "rcps.process")

    def with_public_related(self):
        """The process, and the evidence document only where it is public (else None: never leaked)."""
        return self.select_related("process").prefetch_related(
            models.Prefetch("evidence_document", queryset=Document.objects.public())
        )

    def public(self):
        """Public follow-ups of public recommendations by public processes."""
        return (
            super()
            .public()
            .filter(points_into("recommendation", Recommendation.objects.public(), nullable=False))
            .filter(points_into("process", Process.objects.public(), nullable=False))
        )


class FollowUp(PublishableModel, VisibleModel):
    """What a process did about a recommendation, when, and the evidence."""

    class Status(models.TextChoices):
        UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
        IN_WORK_PLAN = "in_work_plan", _("Included in work plan")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_PURSUED = "not_pursued", _("Not pursued")

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    evidence_url = models.URLField(_("evidence (web address)"), blank=True, max_length=500)
    evidence_document = models.ForeignKey(
        Document,
        verbose_name=_("evidence (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_for",
    )
    source = models.TextField(_("source"), blank=True)

    process_lookups = ("process",)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "-date"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "process", "status", "date"],
                name="follow_up_unique_status_per_day",
                violation_error_message=_("This follow-up has already been recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.process.short_name}: {self.get_status_display()} ({self.date})"

    def get_absolute_url(self):
        # A follow-up is shown on its recommendation's page (a draft previewed there too).
        url = reverse("recommendations:recommendation_detail", kwargs={"pk": self.recommendation_id})
        return f"{url}?follow_up={self.pk}#follow-up-{self.pk}"
