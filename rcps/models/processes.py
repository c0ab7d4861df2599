"""Processes (RCPs, inter-regional fora, regional organizations, the GFMD), who takes part in them, who chairs them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.languages import TranslatedFieldsMixin, translation_field
from core.models import YEAR_VALIDATORS, SourcedModel, Visibility, VisibleModel, validate_year_range
from core.queries import count_subquery
from core.search import search_document_field, search_document_index
from rcps.scoping import ScopedQuerySet
from reference.models import Country, Organization, Region, Theme


class Level(models.TextChoices):
    """The seniority at which a process or a meeting convenes."""

    MINISTERIAL = "ministerial", _("Ministerial")
    VICE_MINISTERIAL = "vice_ministerial", _("Vice-ministerial")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
    TECHNICAL = "technical", _("Technical")


class ProcessQuerySet(ScopedQuerySet):
    def rcps(self):
        return self.filter(kind=Process.Kind.RCP)

    def with_related(self):
        return self.prefetch_related("regions", "themes").select_related("secretariat")

    def with_member_counts(self):
        """Annotate `member_count`: the countries recorded as members (any period)."""
        return self.annotate(
            member_count=count_subquery(
                Participation.objects.filter(
                    process=OuterRef("pk"), role=Participation.Role.MEMBER, country__isnull=False
                ),
                "country",
            )
        )

    def sharing_with(self, process):
        """Other processes sharing member countries or themes with `process`, with both counts annotated."""
        member_countries = Participation.objects.filter(
            process=process, role=Participation.Role.MEMBER, country__isnull=False
        ).values("country")
        theme_ids = Process.themes.through.objects.filter(process=process).values("theme")
        return (
            self.exclude(pk=process.pk)
            .annotate(
                shared_members=count_subquery(
                    Participation.objects.filter(
                        process=OuterRef("pk"), role=Participation.Role.MEMBER, country__in=member_countries
                    ),
                    "country",
                ),
                shared_themes=count_subquery(
                    Process.themes.through.objects.filter(process=OuterRef("pk"), theme__in=theme_ids), "theme"
                ),
            )
            .filter(Q(shared_members__gt=0) | Q(shared_themes__gt=0))
            .order_by("-shared_members", "-shared_themes", "name")
        )


class Process(TranslatedFieldsMixin, SourcedModel, VisibleModel):
    """An RCP, an inter-regional forum, a regional organization or a global process such as the GFMD."""

    TRANSLATED_FIELDS = ("name", "description")

    class Kind(models.TextChoices):
        RCP = "rcp", _("Regional consultative process")
        INTER_REGIONAL = "inter_regional", _("Inter-regional forum")
        REGIONAL_ORGANIZATION = "regional_organization", _("Regional organization")
        GLOBAL = "global", _("Global process")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        TRANSFORMED = "transformed", _("Transformed into a successor")
        CONCLUDED = "concluded", _("Concluded")
        UNKNOWN = "unknown", _("Unknown")

    class MDStance(models.TextChoices):
        """Seed 004's classification of how a process treats migration and development."""

        THEMATIC_PRIORITY = "thematic_priority", _("Thematic priority")
        AD_HOC = "ad_hoc", _("Ad hoc priority")
        NOT_ADDRESSED = "not_addressed", _("Not addressed")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, help_text=_("Leave empty if none is in use."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Used in the profile's web address."))
    other_names = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("Former names, translations and successors, as a list."),
    )
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices, db_index=True)
    kind_note = models.TextField(
        _("note on the kind"),
        blank=True,
        help_text=_("For example where IOM and the seed documents classify the process differently."),
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="processes")
    region_note = models.CharField(
        _("geographic scope"), max_length=200, blank=True, help_text=_("As the process describes it.")
    )
    year_established = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True, validators=YEAR_VALIDATORS, db_index=True
    )
    established_note = models.TextField(_("note on the establishment"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    name_fr = translation_field(name, "fr")
    name_es = translation_field(name, "es")
    acronym_fr = translation_field(acronym, "fr")
    acronym_es = translation_field(acronym, "es")
    description_fr = translation_field(description, "fr")
    description_es = translation_field(description, "es")
    website = models.URLField(_("website"), blank=True, max_length=300)
    website_note = models.CharField(_("other web addresses"), max_length=300, blank=True)
    secretariat = models.ForeignKey(
        Organization,
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secretariat_of",
        help_text=_("The organization that runs the process day to day, if any."),
    )
    secretariat_note = models.TextField(_("secretariat arrangements"), blank=True)
    chair_note = models.TextField(_("chairing arrangements"), blank=True)
    md_stance = models.CharField(
        _("migration and development stance"),
        max_length=20,
        choices=MDStance.choices,
        blank=True,
        db_index=True,
        help_text=_("Seed 004 (2007) classification; empty where the process was not classified."),
    )

    class MemberList(models.TextChoices):
        """What the sources say of the process's member list: a page never guesses one."""

        LISTED = "listed", _("Listed")
        COUNTS_ONLY = "counts_only", _("Only the numbers are known")
        NOT_FOUND = "not_found", _("Not known")
        NOT_APPLICABLE = "not_applicable", _("No membership")

    member_list = models.CharField(
        _("member list"),
        max_length=15,
        choices=MemberList.choices,
        blank=True,
        help_text=_("Whether the sources give the member list. Empty: not yet checked."),
    )
    member_list_note = models.TextField(
        _("note on the member list"),
        blank=True,
        help_text=_("As of when, the numbers the sources give, participants without an ISO code…"),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="processes")
    stated_priorities = models.JSONField(
        _("thematic priorities as stated"),
        default=list,
        blank=True,
        help_text=_("The process's own wording, kept beside the controlled themes."),
    )
    search_document = search_document_field("name", "acronym", "region_note", "description")

    # A process belongs to itself: its secretariat keeps its profile.
    process_lookups = ("pk",)

    objects = ProcessQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(fields=["acronym"], condition=~Q(acronym=""), name="process_acronym_unique"),
        ]
        indexes = [models.Index(fields=["kind", "name"]), search_document_index("process")]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("rcps:process_detail", kwargs={"slug": self.slug})

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def member_list_message(self):
        """What a page says where no member is recorded: what the sources say, never a guess."""
        return {
            self.MemberList.NOT_FOUND: _("The list of its members is not known: no source found gives it."),
            self.MemberList.COUNTS_ONLY: _("The sources give the number of its members, not their names."),
            self.MemberList.NOT_APPLICABLE: _("It has no membership: taking part is open to every State."),
        }.get(self.member_list, _("No participants recorded from the sources."))


class ParticipationQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("rcps.process",)

    def public(self):
        """Participations in public processes (a participation has no visibility of its own)."""
        return self.filter(process__visibility=Visibility.PUBLIC)

    def current(self):
        return self.filter(until_year__isnull=True)

    def with_related(self):
        return self.select_related("process", "country", "organization")


class Participation(SourcedModel):
    """A State or an organization taking part in a process, in a role, for a period."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner")
        SECRETARIAT = "secretariat", _("Secretariat")

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="participations"
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, default=Role.MEMBER, db_index=True)
    since_year = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True, validators=YEAR_VALIDATORS)
    until_year = models.PositiveSmallIntegerField(
        _("until (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Leave empty while the participation continues."),
    )

    process_lookups = ("process",)

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "role", "country__name", "organization__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(country__isnull=False, organization__isnull=True)
                    | Q(country__isnull=True, organization__isnull=False)
                ),
                name="participation_country_xor_organization",
                violation_error_message=_("Name either a country or an organization, not both."),
            ),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(since_year__isnull=True) | Q(until_year__gte=F("since_year")),
                name="participation_until_not_before_since",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
            models.UniqueConstraint(
                F("process"),
                F("country"),
                F("role"),
                Coalesce("since_year", 0),
                condition=Q(country__isnull=False),
                name="participation_unique_country_role_period",
                violation_error_message=_("This country already has this role in this process from that year."),
            ),
            models.UniqueConstraint(
                F("process"),
                F("organization"),
                F("role"),
                Coalesce("since_year", 0),
                condition=Q(organization__isnull=False),
                name="participation_unique_organization_role_period",
                violation_error_message=_("This organization already has this role in this process from that year."),
            ),
        ]
        indexes = [models.Index(fields=["country", "role"])]

    def __str__(self):
        return f"{self.participant} — {self.get_role_display()} of {self.process.short_name}"

    @property
    def participant(self):
        return self.country or self.organization

    def clean(self):
        if (self.country_id is None) == (self.organization_id is None):
            raise ValidationError(_("Name either a country or an organization, not both."))
        validate_year_range(self.since_year, self.until_year, "since_year", "until_year")
        if self.process_id and self._overlapping().exists():
            raise ValidationError(
                _("This participant already has this role in this process for an overlapping period.")
            )

    def _overlapping(self):
        """Other participations of the same participant and role whose periods overlap this one."""
        others = Participation.objects.filter(
            process_id=self.process_id,
            role=self.role,
            country_id=self.country_id,
            organization_id=self.organization_id,
        ).exclude(pk=self.pk)
        if self.until_year is not None:
            others = others.filter(Q(since_year__isnull=True) | Q(since_year__lte=self.until_year))
        if self.since_year is not None:
            others = others.filter(Q(until_year__isnull=True) | Q(until_year__gte=self.since_year))
        return others

    @property
    def period(self):
        if self.since_year and self.until_year:
            return f"{self.since_year}–{self.until_year}"
        if self.since_year:
            return _("since %(year)s") % {"year": self.since_year}
        if self.until_year:
            return _("until %(year)s") % {"year": self.until_year}
        return ""


class ChairmanshipQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("rcps.process",)

    def public(self):
        """Chairmanships of public processes (a chairmanship has no visibility of its own)."""
        return self.filter(process__visibility=Visibility.PUBLIC)


class Chairmanship(SourcedModel):
    """A State chairing a process (or co-chairing it) for a period."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="chairmanships"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("chairing country"), on_delete=models.PROTECT, related_name="chairmanships"
    )
    start_year = models.PositiveSmallIntegerField(
        _("from (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Leave empty when the sources do not say when the chairmanship began."),
    )
    end_year = models.PositiveSmallIntegerField(
        _("to (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Leave empty while the chairmanship continues."),
    )
    is_co_chair = models.BooleanField(_("co-chair"), default=False)
    title = models.CharField(
        _("title of the office"),
        max_length=120,
        blank=True,
        help_text=_("As the process names it, when not simply chair: pro tempore presidency, leading State…"),
    )
    period_note = models.CharField(
        _("period as stated by the sources"),
        max_length=300,
        blank=True,
        help_text=_("E.g. from the Senior Officials' Meeting in Asmara on 7 March 2019."),
    )

    process_lookups = ("process",)

    objects = ChairmanshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        # Newest first; a chairmanship whose start is unknown comes last, on every database.
        ordering = ["process", F("start_year").desc(nulls_last=True), "country__name"]
        verbose_name = _("chairmanship")
        verbose_name_plural = _("chairmanships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="chairmanship_end_not_before_start",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
            models.UniqueConstraint(
                fields=["process", "country", "start_year"],
                name="chairmanship_unique_country_start",
                violation_error_message=_("This country already chairs this process from that year."),
            ),
        ]

    def __str__(self):
        return f"{self.country} chairs {self.process.short_name} ({self.period or '?'})"

    @property
    def period(self):
        """'2013–2017', '2016', 'from 2025', 'until 2013', or '' when the sources give no year."""
        start, end = self.start_year, self.end_year
        if start and end:
            return str(start) if start == end else f"{start}–{end}"
        if start:
            return _("since %(year)s") % {"year": start}
        if end:
            return _("until %(year)s") % {"year": end}
        return ""

    def clean(self):
        validate_year_range(self.start_year, self.end_year, "start_year", "end_year")


def countries_taking_part():
    """Countries with at least one participation in a public process."""
    return Country.objects.filter(pk__in=Participation.objects.public().filter(country__isnull=False).values("country"))


def with_process_counts(countries):
    """Annotate `process_count` on a Country queryset: the public processes each takes part in, in any role."""
    return countries.annotate(
        process_count=count_subquery(Participation.objects.public().filter(country=OuterRef("pk")), "process")
    )
