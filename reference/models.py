"""Reference data shared by every app: M49 regions, ISO 3166 countries, organizations, themes, addressee groups."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RegionQuerySet(models.QuerySet):
    def selectable(self):
        """Regions a visitor filters by: every level below the world."""
        return self.exclude(level=Region.Level.WORLD)


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

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def with_subregion_ids(self):
        """The ids of this region and every region inside it (one query over the small M49 tree)."""
        children = {}
        for pk, parent_id in Region.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        ids, todo = [], [self.pk]
        while todo:
            pk = todo.pop()
            ids.append(pk)
            todo.extend(children.get(pk, []))
        return ids

    def ancestors(self):
        """This region and the regions it is part of, innermost first."""
        region, chain = self, []
        while region is not None:
            chain.append(region)
            region = region.parent
        return chain


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


# The frameworks a record can be tagged with: the Global Compact for Migration and the SDGs -----------


class GcmObjective(models.Model):
    """One of the 23 objectives of the Global Compact for Safe, Orderly and Regular Migration (A/RES/73/195)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300, help_text=_("The objective's official wording."))
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=23), name="gcm_objective_number_1_to_23"),
        ]

    def __str__(self):
        return _("Objective %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("practices:gcm_objective_detail", kwargs={"number": self.number})

    @property
    def short_label(self):
        return _("GCM objective %(number)s") % {"number": self.number}


class SdgTarget(models.Model):
    """A migration-related target of the 2030 Agenda's Sustainable Development Goals (A/RES/70/1)."""

    code = models.CharField(
        _("target"), max_length=6, unique=True, help_text=_("As numbered by the 2030 Agenda, e.g. 10.7.")
    )
    goal = models.PositiveSmallIntegerField(_("goal"))
    sort_key = models.PositiveIntegerField(_("order"), default=0, editable=False)
    title = models.TextField(_("text"), help_text=_("The target's official wording."))
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "sort_key", "code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{1,2}\.[0-9a-z]{1,2}$"), name="sdg_target_code_form"
            ),
        ]

    def __str__(self):
        return _("SDG target %(code)s") % {"code": self.code}

    def save(self, *args, **kwargs):
        # 10.7 before 10.c (numbered targets, then the lettered means of implementation).
        goal, _dot, rest = self.code.partition(".")
        self.goal = int(goal)
        self.sort_key = int(rest) if rest.isdigit() else 100 + ord(rest[0]) - ord("a")
        super().save(*args, **kwargs)
