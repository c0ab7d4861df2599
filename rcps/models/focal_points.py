"""Focal points: named contacts of a process in ministries, or its GFMD focal point (personal data)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Visibility, VisibleModel
from rcps.scoping import ScopedQuerySet
from reference.models import Country

from .processes import Process


class FocalPointQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("rcps.process",)

    def public(self):
        return super().public().filter(process__visibility=Visibility.PUBLIC)

    def with_related(self):
        return self.select_related("process", "country")


class FocalPoint(VisibleModel):
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

    process_lookups = ("process",)

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
        # The back office lists focal points by institution (backoffice.admin.FocalPointAdmin).
        indexes = [models.Index(fields=["institution", "id"], name="rcps_focalpoint_institution")]

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
