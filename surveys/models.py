"""Surveys of processes (seed 004: "regular surveys of RCPs"): questionnaires, each process's response, answers.

A survey is built by the GFMD Support Unit (sections, ordered typed questions), opened to the
processes it addresses (one `SurveyResponse` per process, with the 2007 statuses), answered by
each process's respondents, reminded, closed, and its results published: the public sees a
survey only once its results are published, only the questions chosen as public, and a
process's own answers only where that process agreed when submitting.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.languages import CONTENT_LANGUAGES, TranslatedFieldsMixin, translated, translation_field
from core.models import YEAR_VALIDATORS, SourcedModel
from core.uploads import UploadValidator
from exchange.models import Dispatch
from rcps.models import Process
from rcps.scoping import ScopedQuerySet
from recommendations.models import Recommendation

from .respondents import answerable_condition

validate_survey_upload = UploadValidator(
    allowed=("pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp"),
    max_size_setting="SURVEY_MAX_UPLOAD_SIZE",
)


class SurveyQuerySet(ScopedQuerySet):
    def public(self):
        """What anyone may see: surveys whose results the Support Unit has published."""
        return self.filter(results_published_at__isnull=False)

    def open(self):
        return self.filter(status=Survey.Status.OPEN)

    def with_response_counts(self):
        """Each survey with its counts per status (the 2007 response table), in one query."""
        counts = {
            f"count_{status}": models.Count("responses", filter=Q(responses__status=status))
            for status in SurveyResponse.Status.values
        }
        return self.annotate(count_sent=models.Count("responses"), **counts)


class Survey(TranslatedFieldsMixin, SourcedModel):
    """A questionnaire sent to processes, e.g. the 2007 questionnaire for the GFMD Brussels roundtable."""

    TRANSLATED_FIELDS = ("title", "purpose", "description")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    class Respondents(models.TextChoices):
        SECRETARIAT = "secretariat", _("The process's secretariat")
        FOCAL_POINTS = "focal_points", _("Member States' focal points")
        BOTH = "both", _("The secretariat and member States' focal points")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    purpose = models.TextField(
        _("purpose"), blank=True, help_text=_("Why the survey is made and what its results will serve.")
    )
    description = models.TextField(_("description"), blank=True)
    conducted_by = models.CharField(_("conducted by"), max_length=200, blank=True)
    respondents = models.CharField(
        _("who answers"), max_length=15, choices=Respondents.choices, default=Respondents.SECRETARIAT
    )
    addressed_processes = models.ManyToManyField(
        Process,
        verbose_name=_("addressed processes"),
        blank=True,
        related_name="surveys_received",
        help_text=_("Opening the survey asks each of these processes for an answer (more can be added while open)."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Answers are accepted until the end of this day.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    topics = models.JSONField(
        _("topics covered"),
        default=list,
        blank=True,
        help_text=_("For a survey recorded from its sources: the topics they say it covered, each with its quote."),
    )
    recorded_from_sources = models.BooleanField(
        _("recorded from sources"),
        default=False,
        help_text=_("A past survey known from its sources (its questions and answers are not in the portal)."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
    )
    background_document = models.ForeignKey(
        "meetings.Document",
        verbose_name=_("background paper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        help_text=_("The paper the survey was made for or whose results it synthesizes."),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True, editable=False)
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    purpose_fr = translation_field(purpose, "fr")
    purpose_es = translation_field(purpose, "es")
    description_fr = translation_field(description, "fr")
    description_es = translation_field(description, "es")

    # A survey concerns the processes it is addressed to (a secretariat sees those in the back
    # office); the Support Unit runs every survey.
    process_lookups = ("addressed_processes",)
    support_unit_manages_all = True

    objects = SurveyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
                violation_error_message=_("The deadline cannot be before the opening date."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("surveys:survey_results", kwargs={"slug": self.slug})

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The deadline cannot be before the opening date.")})

    @property
    def is_published(self):
        return self.results_published_at is not None

    @property
    def deadline(self):
        """The last moment answers are accepted: the end of the deadline day, in the portal's time zone."""
        if self.closes_on is None:
            return None
        end = timezone.datetime.combine(self.closes_on, timezone.datetime.max.time())
        return timezone.make_aware(end)

    def is_past_deadline(self, now=None):
        deadline = self.deadline
        return deadline is not None and (now or timezone.now()) > deadline

    def accepts_answers(self, now=None):
        return self.status == self.Status.OPEN and not self.is_past_deadline(now)

    def has_answers(self):
        return (
            Answer.objects.filter(response__survey=self).exists()
            or self.responses.filter(status__in=SurveyResponse.ANSWERED_STATUSES).exists()
        )


class Section(TranslatedFieldsMixin, models.Model):
    """A part of a questionnaire, with a title and an introduction."""

    TRANSLATED_FIELDS = ("title", "introduction")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    title_fr = translation_field(title, "fr")
    title_es = translation_field(title, "es")
    introduction_fr = translation_field(introduction, "fr")
    introduction_es = translation_field(introduction, "es")

    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class Question(TranslatedFieldsMixin, models.Model):
    """One question of a survey: its type, choices, whether it is required, and what it follows up.

    The choices' French and Spanish versions are labels only, line for line: an answer stores the
    original line (the same whatever language the respondent answered in), so results add up.
    """

    TRANSLATED_FIELDS = ("text", "help_text", "choices")

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        YEAR = "year", _("Year")
        COUNTRIES = "countries", _("Countries")
        FILE = "file", _("File upload")
        MEETINGS = "meetings", _("Pick meetings of the process")
        DOCUMENTS = "documents", _("Pick documents of the process")
        RECOMMENDATIONS = "recommendations", _("Pick recommendations of the process")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.YES_NO)
    RECORD_KINDS = (Kind.COUNTRIES, Kind.MEETINGS, Kind.DOCUMENTS, Kind.RECOMMENDATIONS)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("help text"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For single and multiple choice: one choice a line.")
    )
    required = models.BooleanField(_("required"), default=False)
    public = models.BooleanField(
        _("public in the results"),
        default=False,
        help_text=_("Shown on the published results page (answers only of processes that agreed)."),
    )
    follows_up_recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("follows up recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_questions",
        help_text=_("The GFMD recommendation this question follows up."),
    )
    follows_up_dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("follows up dispatch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_questions",
        help_text=_("The dispatch (an issue highlighted at the GFMD) this question follows up."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
        help_text=_("The same question in an earlier survey, for comparing rounds."),
    )
    text_fr = translation_field(text, "fr")
    text_es = translation_field(text, "es")
    help_text_fr = translation_field(help_text, "fr")
    help_text_es = translation_field(help_text, "es")
    choices_fr = translation_field(choices, "fr")
    choices_es = translation_field(choices, "es")

    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.kind in (self.Kind.SINGLE_CHOICE, self.Kind.MULTIPLE_CHOICE) and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one a line.")})
        if self.kind not in (self.Kind.SINGLE_CHOICE, self.Kind.MULTIPLE_CHOICE) and self.choices.strip():
            raise ValidationError({"choices": _("Only single and multiple choice questions have choices.")})
        for language in CONTENT_LANGUAGES:
            lines = _lines(getattr(self, f"choices_{language}"))
            if lines and self.kind not in (self.Kind.SINGLE_CHOICE, self.Kind.MULTIPLE_CHOICE):
                raise ValidationError(
                    {f"choices_{language}": _("Only single and multiple choice questions have choices.")}
                )
            if lines and len(lines) != len(self.choice_list):
                raise ValidationError(
                    {
                        f"choices_{language}": _(
                            "Give as many choices as the original, in the same order, one a line (%(count)d)."
                        )
                        % {"count": len(self.choice_list)}
                    }
                )

    @property
    def choice_list(self):
        if self.kind == self.Kind.YES_NO:
            return [str(_("Yes")), str(_("No"))]
        return _lines(self.choices)

    def choice_labels(self, language=None):
        """[(stored value, label in the active language)]: the original line is what an answer keeps.

        A label falls back to the original line when the language's choices are missing or do not
        match the original line for line.
        """
        originals = self.choice_list
        if self.kind == self.Kind.YES_NO:
            return list(zip(originals, originals, strict=True))
        labels = _lines(str(translated(self, "choices", language)))
        if len(labels) != len(originals):
            labels = originals
        return list(zip(originals, labels, strict=True))

    def choice_label(self, value, language=None):
        """The label of one stored choice in the active language (the value itself if it is no longer a choice)."""
        return dict(self.choice_labels(language)).get(value, value)

    @property
    def is_choice(self):
        return self.kind in self.CHOICE_KINDS

    def lineage(self):
        """This question and the ones it was copied from, newest survey first."""
        chain, question, seen = [], self, set()
        while question is not None and question.pk not in seen:
            seen.add(question.pk)
            chain.append(question)
            question = question.copied_from
        return chain


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SurveyResponseQuerySet(ScopedQuerySet):
    # Models whose rows this public rule reads: a change to them moves these rows too (core.pagecache).
    public_rule_reads = ("surveys.survey", "rcps.process")

    def answerable_by(self, user):
        """The responses `user` may answer: see surveys.respondents (the one rule)."""
        condition = answerable_condition(user)
        return self if condition is None else self.filter(condition)

    def awaiting(self):
        return self.filter(status__in=SurveyResponse.OPEN_STATUSES)

    def consented(self):
        """Responses whose process agreed that its answers appear publicly."""
        return self.filter(consent_to_publish=True, process__in=Process.objects.public().values("pk"))

    def public(self):
        """Answers anyone may see: submitted, consented, in a survey whose results are published."""
        return self.consented().filter(
            status__in=SurveyResponse.ANSWERED_STATUSES, survey__in=Survey.objects.public().values("pk")
        )


class SurveyResponse(SourcedModel):
    """Whether and how a process answered a survey, with the answers it gave."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Submitted (completed questionnaire)")
        MATERIALS_ONLY = "materials_only", _("Responsive materials only")
        NO_RESPONSE = "no_response", _("No response")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
    ANSWERED_STATUSES = (Status.COMPLETED, Status.MATERIALS_ONLY)

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    name_in_survey = models.CharField(_("name as listed in the survey"), max_length=300, blank=True)
    list_order = models.PositiveSmallIntegerField(_("order in the survey's list"), null=True, blank=True)
    consent_to_publish = models.BooleanField(
        _("answers may be published"),
        default=False,
        help_text=_("The process agrees that its answers to the public questions appear on the results page."),
    )
    materials_note = models.TextField(_("note on the materials"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True, editable=False)
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("sent on as dispatch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        editable=False,
    )

    process_lookups = ("process",)
    # The Support Unit runs the surveys and records every process's response.
    support_unit_manages_all = True

    objects = SurveyResponseQuerySet.as_manager()
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

    def get_absolute_url(self):
        return reverse("surveys:response_answer", kwargs={"pk": self.pk})

    @property
    def is_submitted(self):
        return self.status in self.ANSWERED_STATUSES

    def notification_context(self, notification):
        """What the e-mails of exchange.notifications say about a survey event (the generic target protocol)."""
        return {
            "survey": self.survey,
            "response": self,
            "process": self.process,
            "respond_path": self.get_absolute_url(),
            "results_path": self.survey.get_absolute_url(),
            # The link a daily summary gives for the event: where the respondent answers.
            "admin_path": self.get_absolute_url(),
        }


class Answer(models.Model):
    """One process's answer to one question: a value of the question's type, or a file."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("value"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to="surveys/answers/%Y/%m/",
        max_length=300,
        blank=True,
        validators=[validate_survey_upload],
    )

    process_lookups = ("response__process",)
    support_unit_manages_all = True

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "question__order", "question__pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question_and_response"),
        ]

    def __str__(self):
        return f"{self.response.process.short_name}: {self.question}"


def material_upload_path(instance, filename):
    """An unguessable folder per file; the name the respondent gave is kept for the download."""
    return f"surveys/materials/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{PurePath(filename).name}"


class ResponseMaterial(models.Model):
    """A file a process sent with its response, or instead of answering ("responsive materials only")."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="materials"
    )
    file = models.FileField(
        _("file"), upload_to=material_upload_path, max_length=300, validators=[validate_survey_upload]
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    process_lookups = ("response__process",)
    support_unit_manages_all = True

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["response", "uploaded_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.filename

    @property
    def filename(self):
        return PurePath(self.file.name).name


class ReminderSent(models.Model):
    """That the reminder of one step (days before the deadline) went to one response's respondents: once."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    process_lookups = ("response__process",)
    support_unit_manages_all = True

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["response", "-days_before"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["response", "days_before"], name="reminder_once_per_step_and_response"),
        ]

    def __str__(self):
        return f"{self.response} — {self.days_before}"
