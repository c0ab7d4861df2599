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
