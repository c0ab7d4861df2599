"""Meetings of processes (and their sessions) and the documents they produce."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import date_range
from core.fields import CreatedAtField, ModifiedAtField
from core.languages import TranslatedFieldsMixin, translation_field
from core.models import PublishableModel, SourcedModel, VisibleModel, public_condition, public_condition_via
from core.queries import count_subquery, points_into
from core.search import search_document_field, search_document_index
from core.uploads import validate_upload
from rcps.models import Chairmanship, Level, Participation, Process
from rcps.scoping import ScopedQuerySet
from reference.models import Country, GcmObjective, Organization, SdgTarget, Theme


class MeetingQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("meetings.meeting",)

    def public(self):
        # The parent's visibility by subquery, not a join: the planner stays free to read a
        # directory's rows through any index (a join made it walk the parent index instead).
        # `public_meeting_of` is this same rule, for rows that point at a meeting: change both.
        public_parents = self.model._base_manager.filter(public_condition(self.model))
        return super().public().filter(points_into("parent", public_parents))

    @staticmethod
    def public_meeting_of(field):
        """Whether the meeting a row's `field` points at is public: this same rule, for rows pointing at one.

        A scalar subquery (NULL where the meeting is not public) the database evaluates for each
        row it reads, two index reads: a page of 25 documents does the work of 25, and a search
        through thousands of matches never hashes every meeting of the table first, as both a
        join and an EXISTS let PostgreSQL do.
        """
        rows = Meeting._base_manager.filter(pk=OuterRef(field)).filter(
            public_condition(Meeting) & (Q(parent__isnull=True) | public_condition_via(Meeting, "parent"))
        )
        return Q(Subquery(rows.order_by().values(public=Value(True))[:1], output_field=models.BooleanField()))

    @staticmethod
    def _not_over(today):
        """Meetings whose last possible day is today or later.

        A meeting known only to its month or year is not over before that month or year is: the
        Second IMRF "2026" is still to come on 1 December 2026.
        """
        undated_end = Q(end_date__isnull=True)
        return (
            Q(end_date__gte=today)
            | (undated_end & Q(start_date__gte=today))
            | (undated_end & Q(date_precision=Meeting.DatePrecision.MONTH, start_date__gte=today.replace(day=1)))
            | (
                undated_end
                & Q(date_precision=Meeting.DatePrecision.YEAR, start_date__gte=today.replace(month=1, day=1))
            )
        )

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(self._not_over(today)).order_by("start_date", "pk")

    def past(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(self._not_over(today)).order_by("-start_date", "-pk")

    def per_year(self):
        """[(year, number of meetings)] in year order: the data of a meetings-per-year chart, in one query."""
        rows = self.order_by().values_list("start_date__year").annotate(count=models.Count("pk"))
        return sorted(rows)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def organized_by(self, process):
        """Meetings `process` organized, alone or jointly (not the sessions of its meetings)."""
        organized = Meeting.organizing_processes.through.objects.filter(process=process)
        return self.filter(pk__in=organized.values("meeting"))

    def with_public_related(self):
        """Like with_related(), for public pages: only public organizing processes are listed."""
        return self.select_related("country", "parent").prefetch_related(
            models.Prefetch("organizing_processes", queryset=Process.objects.public())
        )


class Meeting(TranslatedFieldsMixin, SourcedModel, PublishableModel, VisibleModel):
    """A meeting organized by one or more processes; roundtables are sessions of a parent meeting."""

    TRANSLATED_FIELDS = ("title", "description")
    # Fields no public directory filters or sorts on, nor any public rule reads: a change to only
    # these re-renders the pages showing the row, not every list of its kind (core.pagecache, "Rows").
    DISPLAY_ONLY_FIELDS = (
        "title",
        "description",
        "kind_note",
        "date_text",
        "status_note",
        "participants_note",
        "website",
        "notes",
        "source",
        "updated_at",
        "search_document",
    )

    class Kind(models.TextChoices):
        MINISTERIAL = "ministerial", _("Ministerial conference")
        SENIOR_OFFICIALS = "senior_officials", _("Senior officials' meeting")
        TECHNICAL = "technical", _("Technical or thematic workshop")
        TRAINING = "training", _("Training")
        GLOBAL_RCP = "global_rcp", _("Global meeting of RCPs")
        GFMD_SUMMIT = "gfmd_summit", _("GFMD summit")
        ROUNDTABLE = "roundtable", _("Roundtable session")
        SUMMIT = "summit", _("Summit")
        UN_MEETING = "un_meeting", _("UN meeting")
        OTHER = "other", _("Other meeting")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Exact dates")
        MONTH = "month", _("Month only")
        YEAR = "year", _("Year only")

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        ANNOUNCED = "announced", _("Announced")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    kind_note = models.CharField(_("kind as described by the source"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    organizing_processes = models.ManyToManyField(
        Process,
        verbose_name=_("organizing processes"),
        related_name="meetings",
        blank=True,
        help_text=_("More than one for a joint meeting."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
        help_text=_("For a roundtable or session: the meeting it belongs to."),
    )
    session_code = models.CharField(
        _("session number"), max_length=20, blank=True, help_text=_("E.g. RT 3.3 for a GFMD roundtable.")
    )
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Where only the month or year is known, the start date is the first day of it."),
    )
    date_text = models.CharField(_("dates as stated by the source"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        blank=True,
        help_text=_(
            "Announced: known from an announcement or a calendar, and no later source confirms it was held. "
            "Leave empty when the sources do not say."
        ),
    )
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_hosted",
    )
    host = models.CharField(_("host"), max_length=300, blank=True)
    chairs = models.ManyToManyField(
        Country, verbose_name=_("chairs / co-chairs"), blank=True, related_name="meetings_chaired"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="meetings")
    # Tags with the Global Compact's objectives and the SDG targets (practices.views: a page per objective).
    gcm_objectives = models.ManyToManyField(
        GcmObjective, verbose_name=_("GCM objectives"), blank=True, related_name="meetings"
    )
    sdg_targets = models.ManyToManyField(SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="meetings")
    participating_countries = models.ManyToManyField(
        Country, verbose_name=_("participating countries"), blank=True, related_name="meetings_attended"
    )
    participating_organizations = models.ManyToManyField(
        Organization, verbose_name=_("participating organizations"), blank=True, related_name="meetings_attended"
    )
    represented_processes = models.ManyToManyField(
        Process,
        verbose_name=_("processes represented"),
        blank=True,
        related_name="meetings_attended",
        help_text=_("For global and joint meetings: the processes that took part."),
    )
    invited_processes = models.ManyToManyField(
        Process, verbose_name=_("processes invited"), blank=True, related_name="meetings_invited"
    )
    participants_note = models.TextField(_("participants"), blank=True)
    description = models.TextField(_("description"), blank=True)
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    description_fr = translation_field(description, "fr")
    description_es = translation_field(description, "es")
    website = models.URLField(_("website"), blank=True, max_length=300)

    # When the record was added and last changed: "new and changed" feeds order by these.
    created_at = CreatedAtField(_("created"))
    updated_at = ModifiedAtField(_("last changed"), db_index=True)
    search_document = search_document_field("title", "city", "host", "description")

    # A joint meeting belongs to each organizer; a session to the organizers of its meeting.
    process_lookups = ("organizing_processes", "parent__organizing_processes")

    objects = MeetingQuerySet.as_manager()
    # The organizers are kept with each version so a deleted meeting can be restored to its processes.
    history = HistoricalRecords(m2m_fields=[organizing_processes], excluded_fields=["search_document"])

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="meeting_not_its_own_parent"),
        ]
        indexes = [
            models.Index(fields=["-start_date", "title"]),
            models.Index(fields=["visibility", "start_date"]),
            search_document_index("meeting"),
        ]

    def __str__(self):
        # "Workshop 2004", not "Workshop 2004 (2004)": the date is added only when it says more than the title.
        if not self.start_date or self.date_display in self.title:
            return self.title
        return f"{self.title} ({self.date_display})"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    def publication_children(self):
        """Drafts published with the meeting: its sessions and documents (often added on the same form)."""
        return [self.sessions.drafts(), self.documents.drafts()]

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A meeting cannot be a session of itself.")})

    @property
    def is_announced(self):
        return self.status == self.Status.ANNOUNCED

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def is_upcoming(self):
        return self.last_day >= timezone.localdate()

    @property
    def date_display(self):
        """The dates as precisely as they are known: '4–5 June 2009', 'June 2009', '2003'."""
        return date_range(self.start_date, self.end_date, self.date_precision)

    @property
    def place_display(self):
        return ", ".join(str(part) for part in (self.city, self.country) if part)

    @property
    def duration_days(self):
        return ((self.end_date or self.start_date) - self.start_date + datetime.timedelta(days=1)).days


class DocumentQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("meetings.meeting", "rcps.process")

    def public(self):
        """Public documents whose meeting and process, where they have one, are public by their own rules."""
        return (
            super()
            .public()
            .filter(Q(meeting__isnull=True) | MeetingQuerySet.public_meeting_of("meeting_id"))
            .filter(points_into("process", Process.objects.public()))
        )

    def with_related(self):
        return self.select_related("meeting", "process")

    def language_versions_of(self, document):
        """The other language versions of `document`: its original and the original's other translations."""
        original = document.translation_of_id or document.pk
        return self.filter(Q(pk=original) | Q(translation_of=original)).exclude(pk=document.pk).order_by("language")


def document_upload_path(instance, filename):
    return f"documents/{timezone.now():%Y/%m}/{filename}"


class Document(TranslatedFieldsMixin, SourcedModel, PublishableModel, VisibleModel):
    """A declaration, action plan, report, study or statement: an uploaded file, a link, or a citation."""

    TRANSLATED_FIELDS = ("title", "description")
    # Fields no public directory filters or sorts on, nor any public rule reads: a change to only
    # these re-renders the pages showing the row, not every list of its kind (core.pagecache, "Rows").
    DISPLAY_ONLY_FIELDS = ("title", "description", "reference", "author", "notes", "source", "search_document")

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        ACTION_PLAN = "action_plan", _("Action plan")
        CHAIRS_SUMMARY = "chairs_summary", _("Chair's summary or conclusions")
        MEETING_REPORT = "meeting_report", _("Meeting report")
        BACKGROUND_PAPER = "background_paper", _("Background paper")
        STUDY = "study", _("Study or report")
        STATEMENT = "statement", _("Statement")
        QUESTIONNAIRE_RESPONSE = "questionnaire_response", _("Questionnaire response")
        AGREEMENT = "agreement", _("Agreement or resolution")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")
        ARABIC = "ar", _("Arabic")
        RUSSIAN = "ru", _("Russian")
        PORTUGUESE = "pt", _("Portuguese")
        CHINESE = "zh", _("Chinese")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
        blank=True,
        help_text=_("Empty when the sources do not say."),
    )
    date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, db_index=True, help_text=_("Filled from the date when one is given.")
    )
    date_text = models.CharField(
        _("date as stated by the source"),
        max_length=300,
        blank=True,
        help_text=_("Where the document bears no exact date: what the sources say of when it was written."),
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    file = models.FileField(
        _("file"), upload_to=document_upload_path, blank=True, max_length=300, validators=[validate_upload]
    )
    url = models.URLField(_("web address"), blank=True, max_length=500)
    reference = models.CharField(
        _("reference or symbol"),
        max_length=400,
        blank=True,
        help_text=_("A document symbol or citation, e.g. UN/POP/MIG-6CM/2007/08."),
    )
    author = models.CharField(_("author or issuing body"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    description_fr = translation_field(description, "fr")
    description_es = translation_field(description, "es")
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The original when this document is another language version of it."),
    )
    search_document = search_document_field("title", "reference", "author", "description")

    process_lookups = ("process", "meeting__organizing_processes", "meeting__parent__organizing_processes")

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url="") | ~Q(reference=""),
                name="document_has_file_link_or_reference",
                violation_error_message=_("Upload a file, give a web address, or cite the document's reference."),
            ),
        ]
        indexes = [models.Index(fields=["-date", "title"]), search_document_index("document")]

    @property
    def content_language(self):
        """The language the title and description are written in (the document's own, when known)."""
        return self.language if self.language in ("en", "fr", "es") else (self.language or "en")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:document_detail", kwargs={"pk": self.pk})

    def clean(self):
        if not (self.file or self.url or self.reference):
            raise ValidationError(_("Upload a file, give a web address, or cite the document's reference."))
        if self.date:
            self.year = self.date.year


def with_profile_gaps(processes, today=None):
    """Annotate what a process's profile lacks: `member_count`, `chair_count` and `last_meeting` (a date or None).

    `profile_gaps(process)` reads them; a process is stale when it has no member list, no chair
    recorded, or no meeting in the last twelve months.
    """
    organized = Meeting.organizing_processes.through.objects.filter(process=OuterRef("pk"))
    return processes.annotate(
        member_count=count_subquery(
            Participation.objects.filter(process=OuterRef("pk"), role=Participation.Role.MEMBER)
        ),
        chair_count=count_subquery(Chairmanship.objects.filter(process=OuterRef("pk"))),
        last_meeting=Subquery(organized.order_by("-meeting__start_date").values("meeting__start_date")[:1]),
    )


def stale_since(today=None):
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=365)


def profile_gap_condition(today=None):
    """The condition (on `with_profile_gaps` annotations) of a stale profile."""
    return (
        Q(member_count=0) & ~Q(member_list=Process.MemberList.NOT_APPLICABLE)
        | Q(chair_count=0)
        | Q(last_meeting__isnull=True)
        | Q(last_meeting__lt=stale_since(today))
    )


def profile_gaps(process, today=None):
    """What the profile of an annotated process lacks, as sentences."""
    gaps = []
    if not process.member_count and process.member_list != Process.MemberList.NOT_APPLICABLE:
        gaps.append(_("no member list"))
    if process.last_meeting is None:
        gaps.append(_("no meeting recorded"))
    elif process.last_meeting < stale_since(today):
        gaps.append(_("no meeting in the last 12 months"))
    if not process.chair_count:
        gaps.append(_("no chair recorded"))
    return gaps
