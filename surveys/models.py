"""Surveys of processes (seed 004: "regular surveys of RCPs") and each process's response."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import YEAR_VALIDATORS, SourcedModel
from rcps.models import Process
from rcps.scoping import ScopedQuerySet


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

    process_lookups = ("process",)
    # The Support Unit runs the surveys and records every process's response.
    support_unit_manages_all = True

    objects = ScopedQuerySet.as_manager()
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
