"""Processes (RCPs, inter-regional fora, regional organizations, the GFMD) and what belongs to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.fields import CreatedAtField, ModifiedAtField

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("Participants only")
    CONFIDENTIAL = "confidential", _("Confidential")


class Level(models.TextChoices):
    """The seniority at which a process or a meeting convenes."""

    MINISTERIAL = "ministerial", _("Ministerial")
    VICE_MINISTERIAL = "vice_ministerial", _("Vice-ministerial")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
    TECHNICAL = "technical", _("Technical")


class Confidence(models.TextChoices):
    HIGH = "high", _("High — stated in a seed document or an official page")
    MEDIUM = "medium", _("Medium — secondary source, inference or partial list")
    LOW = "low", _("Low — conflicting or unconfirmed")


class VisibilityQuerySet(models.QuerySet):
    """Query vocabulary shared by every model that can be non-public."""

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)


def count_subquery(queryset, field="pk"):
    """A correlated COUNT(DISTINCT field) over `queryset` (already filtered by OuterRef), 0 when empty.

    A subquery rather than a JOIN + Count keeps counts right when the outer queryset is also
    filtered or annotated across other multi-valued relations.
    """
    counted = (
        queryset.order_by()
        .annotate(_group=models.Value(1))
        .values("_group")
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SourcedModel(models.Model):
    """Where a record came from and how sure we are of it (abstract)."""

    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Main citation: a seed document with a short quote, or a web address."),
    )
    sources = models.JSONField(
        _("all sources"),
        default=list,
        blank=True,
        help_text=_("Every citation, each with the fields it supports."),
    )
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.HIGH)
    low_confidence_fields = models.JSONField(
        _("low-confidence fields"),
        default=list,
        blank=True,
        help_text=_("Fields to be read as uncertain even when the record as a whole is not."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_low_confidence(self):
        return self.confidence == Confidence.LOW or bool(self.low_confidence_fields)


def validate_year_range(start, end, start_field, end_field):
    """Raise a form-friendly error when a period ends before it starts."""
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: _("The end cannot be before the start.")})


# Reference data -----------------------------------------------------------------


class Region(models.Model):
    """A UN M49 region, sub-region or intermediate region."""

    class Level(models.TextChoices):
        WORLD = "world", _("World")
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    code = models.CharField(_("M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def ancestors(self):
        """This region and the regions it is part of, innermost first."""
        region, chain = self, []
        while region is not None:
            chain.append(region)
            region = region.parent
        return chain


class CountryQuerySet(models.QuerySet):
    def with_process_counts(self):
        """Annotate `process_count`: the public processes the country takes part in, in any role."""
        return self.annotate(
            process_count=count_subquery(Participation.objects.public().filter(country=OuterRef("pk")), "process")
        )

    def taking_part(self):
        """Countries with at least one participation in a public process."""
        return self.filter(pk__in=Participation.objects.public().filter(country__isnull=False).values("country"))


class Country(models.Model):
    """A State or territory with an ISO 3166-1 code, placed in its M49 region."""

    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        unique=True,
        help_text=_("Two capital letters, e.g. LK for Sri Lanka."),
    )
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO/M49 numeric code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("M49 region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="countries",
        help_text=_("The most specific M49 area the country belongs to."),
    )

    objects = CountryQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_is_two_capitals"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rcps:country_detail", kwargs={"code": self.code.lower()})


class Organization(models.Model):
    """An international, regional or national body taking part in processes."""

    class Kind(models.TextChoices):
        UN = "un", _("UN system")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        REGIONAL = "regional", _("Regional organization")
        GOVERNMENT = "government", _("Government body")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        ACADEMIC = "academic", _("Academic or research")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Theme(models.Model):
    """A term of the controlled vocabulary of migration topics."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


# Processes ------------------------------------------------------------------------


class ProcessQuerySet(VisibilityQuerySet):
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


class Process(SourcedModel):
    """An RCP, an inter-regional forum, a regional organization or a global process such as the GFMD."""

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
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="processes")
    stated_priorities = models.JSONField(
        _("thematic priorities as stated"),
        default=list,
        blank=True,
        help_text=_("The process's own wording, kept beside the controlled themes."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=15, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )

    objects = ProcessQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(fields=["acronym"], condition=~Q(acronym=""), name="process_acronym_unique"),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("rcps:process_detail", kwargs={"slug": self.slug})

    @property
    def short_name(self):
        return self.acronym or self.name


class ParticipationQuerySet(models.QuerySet):
    def public(self):
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


class Chairmanship(SourcedModel):
    """A State chairing a process (or co-chairing it) for a period."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="chairmanships"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("chairing country"), on_delete=models.PROTECT, related_name="chairmanships"
    )
    start_year = models.PositiveSmallIntegerField(_("from (year)"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("to (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Leave empty while the chairmanship continues."),
    )
    is_co_chair = models.BooleanField(_("co-chair"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "-start_year", "country__name"]
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
        period = f"{self.start_year}–{self.end_year}" if self.end_year else f"{self.start_year}–"
        return f"{self.country} chairs {self.process.short_name} ({period})"

    def clean(self):
        validate_year_range(self.start_year, self.end_year, "start_year", "end_year")


class FocalPointQuerySet(VisibilityQuerySet):
    def public(self):
        return super().public().filter(process__visibility=Visibility.PUBLIC)

    def with_related(self):
        return self.select_related("process", "country")


class FocalPoint(models.Model):
    """A named contact for a process: a national focal point in a ministry or a GFMD focal point.

    Name, e-mail and phone are personal data: the public sees them only when the
    person's consent to publication is recorded.
    """

    class Role(models.TextChoices):
        NATIONAL = "national", _("National focal point")
        GFMD = "gfmd", _("GFMD focal point")
        SECRETARIAT = "secretariat", _("Secretariat contact")
        CHAIR = "chair", _("Chair's office contact")

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="focal_points"
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, default=Role.NATIONAL)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
        help_text=_("For a national focal point: the State they represent."),
    )
    institution = models.CharField(
        _("ministry or institution"), max_length=200, help_text=_("E.g. Ministry of Labour.")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    consent_to_publish = models.BooleanField(
        _("consent to publish contact details"),
        default=False,
        help_text=_("Tick only when the person has agreed that their name, e-mail and phone may be shown publicly."),
    )
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=15, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )

    objects = FocalPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "role", "country__name", "institution"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_publish=False) | Q(consent_date__isnull=False),
                name="focal_point_consent_has_date",
                violation_error_message=_("Record the date on which consent was given."),
            ),
        ]

    def __str__(self):
        where = f"{self.country}, " if self.country_id else ""
        return f"{self.get_role_display()} — {where}{self.institution} ({self.process.short_name})"

    def clean(self):
        if self.consent_to_publish and not self.consent_date:
            raise ValidationError({"consent_date": _("Record the date on which consent was given.")})

    @property
    def public_name(self):
        return self.name if self.consent_to_publish else ""

    @property
    def public_email(self):
        return self.email if self.consent_to_publish else ""

    @property
    def public_phone(self):
        return self.phone if self.consent_to_publish else ""


# Recommendations and follow-up ------------------------------------------------------


class AddresseeGroup(models.Model):
    """A kind of addressee of recommendations: States, RCPs, the GFMD, donors…"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("addressee group")
        verbose_name_plural = _("addressee groups")

    def __str__(self):
        return self.name


class RecommendationQuerySet(VisibilityQuerySet):
    def with_related(self):
        return self.select_related("issuing_process", "source_meeting", "source_document").prefetch_related(
            "themes", "addressee_groups", "addressed_processes"
        )

    def with_public_related(self, follow_ups_of=None):
        """The joins of a public page: related processes, meetings and documents only where public.

        A prefetch with a filtered queryset leaves a foreign key at None when its target is not
        public, so templates cannot leak a confidential issuer or source. Follow-ups land in
        `public_follow_ups` (only those of process `follow_ups_of` when given).
        """
        from meetings.models import Document, Meeting

        follow_ups = FollowUp.objects.public().select_related("process", "evidence_document").order_by("date", "pk")
        if follow_ups_of is not None:
            follow_ups = follow_ups.filter(process=follow_ups_of)
        return self.prefetch_related(
            models.Prefetch("issuing_process", queryset=Process.objects.public()),
            models.Prefetch("source_meeting", queryset=Meeting.objects.public()),
            models.Prefetch("source_document", queryset=Document.objects.public()),
            models.Prefetch("addressed_processes", queryset=Process.objects.public()),
            "themes",
            "addressee_groups",
            models.Prefetch("follow_ups", queryset=follow_ups, to_attr="public_follow_ups"),
        )


class Recommendation(SourcedModel):
    """An outcome addressed to someone (States, RCPs, the GFMD), issued by a meeting or a document."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        OUTCOME = "outcome", _("Meeting outcome")
        AGREEMENT = "agreement", _("Agreement")
        PROPOSAL = "proposal", _("Proposal")
        PRINCIPLE = "principle", _("Principle")
        RESOLUTION = "resolution", _("Resolution")

    title = models.CharField(_("title"), max_length=300, help_text=_("A short summary line."))
    text = models.TextField(_("text"))
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
        "meetings.Meeting",
        verbose_name=_("source meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    source_document = models.ForeignKey(
        "meetings.Document",
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
    outcome_note = models.TextField(
        _("recorded outcome"), blank=True, help_text=_("What is known of what came of it, with its source.")
    )
    visibility = models.CharField(
        _("visibility"), max_length=15, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )

    # When the record was added and last changed: "new and changed" feeds order by these.
    created_at = CreatedAtField(_("created"))
    updated_at = ModifiedAtField(_("last changed"), db_index=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["-year", "title"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rcps:recommendation_detail", kwargs={"pk": self.pk})


class FollowUpQuerySet(VisibilityQuerySet):
    def public(self):
        return (
            super().public().filter(recommendation__visibility=Visibility.PUBLIC, process__visibility=Visibility.PUBLIC)
        )

    def with_related(self):
        return self.select_related("recommendation", "process", "evidence_document")


class FollowUp(models.Model):
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
        "meetings.Document",
        verbose_name=_("evidence (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_for",
    )
    source = models.TextField(_("source"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=15, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )

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


# Surveys of processes (seed 004: "regular surveys of RCPs") ---------------------------


class Survey(SourcedModel):
    """A questionnaire sent to processes, e.g. the 2007 questionnaire for the GFMD Brussels roundtable."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    description = models.TextField(_("description"), blank=True)
    conducted_by = models.CharField(_("conducted by"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return f"{self.title} ({self.year})"


class SurveyResponse(SourcedModel):
    """Whether and how a process answered a survey."""

    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed questionnaire")
        MATERIALS_ONLY = "materials_only", _("Responsive materials only")
        NO_RESPONSE = "no_response", _("No response")
        PENDING = "pending", _("Awaiting response")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    name_in_survey = models.CharField(_("name as listed in the survey"), max_length=300, blank=True)
    list_order = models.PositiveSmallIntegerField(_("order in the survey's list"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "list_order", "process__name"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "process"],
                name="survey_response_one_per_process",
                violation_error_message=_("This process already has a response to this survey."),
            ),
        ]

    def __str__(self):
        return f"{self.process.short_name}: {self.get_status_display()}"


# Back-office users -------------------------------------------------------------------


class SecretariatAssignment(models.Model):
    """A back-office user serving a process: they keep its records, and only its records, current."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="secretariat_assignments",
    )
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="secretariat_assignments"
    )
    created = models.DateTimeField(_("assigned on"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "process__name"]
        verbose_name = _("secretariat assignment")
        verbose_name_plural = _("secretariat assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "process"],
                name="secretariat_assignment_unique",
                violation_error_message=_("This user already serves this process."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.process.short_name}"
