"""Back office for surveys: building questionnaires, running them (open, close, publish results, copy), responses.

The steps are surveys.workflow's functions, offered as buttons on a survey's page. A survey
cannot be changed in ways that break submitted answers: once a question has answers its type
and its choices are locked and it cannot be deleted (the form says why), and a survey with
answers cannot be deleted.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalStackedInline,
    PortalTabularInline,
    ReadOnlyInline,
    ScopedModelForm,
    SourcedAdminMixin,
    with_translations,
)
from core import roles
from surveys import workflow
from surveys.forms import CopyForm
from surveys.models import Answer, Question, ReminderSent, ResponseMaterial, Section, Survey, SurveyResponse

# Questions: locked once answered ---------------------------------------------------------------


class QuestionAdminForm(ScopedModelForm):
    class Meta:
        model = Question
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or not instance.answers.exists():
            return cleaned
        count = instance.answers.count()
        if "kind" in self.changed_data and cleaned.get("kind") != instance.kind:
            raise ValidationError(
                {
                    "kind": _(
                        "%(count)d process(es) have answered this question: its type cannot change. "
                        "Add a new question instead."
                    )
                    % {"count": count}
                }
            )
        if "choices" in self.changed_data:
            kept = set(Question(kind=instance.kind, choices=cleaned.get("choices", "")).choice_list)
            used = {
                value
                for answer in instance.answers.all()
                for value in (answer.value if isinstance(answer.value, list) else [answer.value])
            }
            removed = sorted(v for v in used if isinstance(v, str) and v not in kept)
            if removed:
                raise ValidationError(
                    {
                        "choices": _(
                            "Processes have chosen %(choices)s: these choices cannot be removed or renamed. "
                            "You may add choices."
                        )
                        % {"choices": ", ".join(f"“{v}”" for v in removed)}
                    }
                )
        return cleaned


class SectionInline(PortalStackedInline):
    model = Section
    fieldsets = with_translations(((None, {"fields": (("order", "title"), "introduction")}),), "title", "introduction")
    extra = 0


class QuestionInline(PortalStackedInline):
    model = Question
    form = QuestionAdminForm
    extra = 0
    fieldsets = with_translations(
        (
            (
                None,
                {
                    "fields": (
                        ("order", "section", "kind"),
                        "text",
                        "help_text",
                        "choices",
                        ("required", "public"),
                        ("follows_up_recommendation", "follows_up_dispatch"),
                    )
                },
            ),
        ),
        "text",
        "help_text",
        "choices",
    )
    autocomplete_fields = ("follows_up_recommendation", "follows_up_dispatch")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class QuestionForm(formset.form):
            def hand_clean_DELETE(self):  # noqa: N802 — Django's name
                # Before Django's own check of protected rows, in the words of the survey.
                question = self.instance
                if self.cleaned_data.get("DELETE") and question.pk and question.answers.exists():
                    raise ValidationError(
                        _("“%(question)s” has answers from %(count)d process(es): it cannot be deleted.")
                        % {"question": question, "count": question.answers.count()}
                    )
                return super().hand_clean_DELETE()

        formset.form = QuestionForm
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "section" and formfield is not None:
            survey_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            formfield.queryset = Section.objects.filter(survey_id=survey_id) if survey_id else Section.objects.none()
        return formfield


class SurveyResponseInline(PortalTabularInline):
    """The recorded responses of a survey known from its sources (2007); the workflow fills the others."""

    model = SurveyResponse
    fields = ("list_order", "process", "name_in_survey", "status", "confidence")
    autocomplete_fields = ("process",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("process")


# Surveys -----------------------------------------------------------------------------------------


@admin.register(Survey)
class SurveyAdmin(SourcedAdminMixin, PortalHistoryAdmin):
    list_display = ("title", "year", "status", "closes_on", "response_count", "answered_count", "results_public")
    list_filter = ("status", "year")
    search_fields = ("title", "conducted_by", "description", "purpose")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("addressed_processes", "background_document")
    readonly_fields = ("uncertainty", "status", "opened_at", "closed_at", "results_published_at", "copied_from")
    change_form_template = "admin/surveys/survey/change_form.html"
    fieldsets = (
        (None, {"fields": ("title", "slug", "year", "conducted_by", "purpose", "description")}),
        (
            _("Sending"),
            {"fields": ("respondents", "addressed_processes", "opens_on", "closes_on", "background_document")},
        ),
        (
            _("Workflow"),
            {"fields": ("status", "opened_at", "closed_at", "results_published_at", "copied_from")},
        ),
        (_("Recorded from sources"), {"classes": ("collapse",), "fields": ("recorded_from_sources", "topics")}),
        SourcedAdminMixin.sources_fieldset,
    )
    fieldsets = with_translations(fieldsets, "title", "purpose", "description")

    def get_inlines(self, request, obj):
        if obj is not None and obj.recorded_from_sources:
            return (SurveyResponseInline,)
        return (SectionInline, QuestionInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                response_count=Count("responses", distinct=True),
                answered_count=Count(
                    "responses", filter=Q(responses__status__in=SurveyResponse.ANSWERED_STATUSES), distinct=True
                ),
            )
        )

    @admin.display(description=_("sent to"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count

    @admin.display(description=_("answered"), ordering="answered_count")
    def answered_count(self, obj):
        return obj.answered_count

    @admin.display(description=_("results public"), boolean=True)
    def results_public(self, obj):
        return obj.is_published

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.has_answers():
            return False  # submitted answers are kept; a survey with answers is never deleted
        return super().has_delete_permission(request, obj)

    # The workflow's steps -------------------------------------------------------------------

    STEPS = {
        "open": (workflow.survey_open, _("The survey is open: the addressed processes' respondents are told.")),
        "close": (
            workflow.survey_close,
            _("The survey is closed; processes that had not submitted show as no response."),
        ),
        "publish": (
            workflow.survey_publish_results,
            _("The results are published, and announced on the exchange to the surveyed processes."),
        ),
        "unpublish": (workflow.survey_unpublish_results, _("The results page is withdrawn from the public site.")),
    }

    def get_urls(self):
        return [
            path(
                "<path:object_id>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="surveys_survey_step",
            ),
            path("<path:object_id>/copy/", self.admin_site.admin_view(self.copy_view), name="surveys_survey_copy"),
            *super().get_urls(),
        ]

    def _survey(self, request, object_id):
        survey = self.get_object(request, unquote(object_id))
        if survey is None:
            raise Http404
        if not roles.is_moderator(request.user):
            raise PermissionDenied
        return survey

    def step_view(self, request, object_id, step):
        survey = self._survey(request, object_id)
        if step not in self.STEPS:
            raise Http404
        if request.method != "POST":
            return redirect(reverse("admin:surveys_survey_change", args=[survey.pk]))
        function, done = self.STEPS[step]
        try:
            function(survey=survey, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect(reverse("admin:surveys_survey_change", args=[survey.pk]))

    def copy_view(self, request, object_id):
        """Start the next round: a draft copy whose questions remember the ones they were copied from."""
        survey = self._survey(request, object_id)
        form = CopyForm(
            request.POST or None,
            initial={"title": survey.title, "slug": f"{survey.slug}-{survey.year + 1}", "year": survey.year + 1},
        )
        if request.method == "POST" and form.is_valid():
            try:
                copy = workflow.survey_copy(survey=survey, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request, _("A draft copy is made: change what the new round needs."), messages.SUCCESS
                )
                return redirect(reverse("admin:surveys_survey_change", args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": survey,
            "form": form,
            "title": _("Copy “%(survey)s” for the next round") % {"survey": survey.title},
        }
        return render(request, "admin/surveys/survey/copy_form.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and roles.is_moderator(request.user):
            context["survey_steps"] = {
                "survey": obj,
                "can_open": obj.status in (Survey.Status.DRAFT, Survey.Status.OPEN) and not obj.recorded_from_sources,
                "can_close": obj.status == Survey.Status.OPEN,
                "can_publish": not obj.is_published
                and (obj.status == Survey.Status.CLOSED or obj.recorded_from_sources),
                "can_unpublish": obj.is_published,
                "preview_url": reverse("surveys:survey_preview", args=[obj.slug]),
                "results_url": reverse("surveys:survey_all_results", args=[obj.slug]),
                "copy_url": reverse("admin:surveys_survey_copy", args=[obj.pk]),
                "responses_url": reverse("admin:surveys_surveyresponse_changelist") + f"?survey__id__exact={obj.pk}",
                "locked": obj.has_answers(),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


# Responses ----------------------------------------------------------------------------------------


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("question", "value", "file")
    readonly_fields = ("question", "value", "file")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


class MaterialInline(ReadOnlyInline):
    model = ResponseMaterial
    fields = ("file", "uploaded_at")
    readonly_fields = ("file", "uploaded_at")


class ReminderInline(ReadOnlyInline):
    model = ReminderSent
    fields = ("days_before", "sent_at")
    readonly_fields = ("days_before", "sent_at")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(SourcedAdminMixin, PortalHistoryAdmin):
    list_display = ("process", "survey", "status", "submitted_at", "consent_to_publish", "answer_link")
    list_filter = ("status", ("survey", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("process", "survey")
    search_fields = ("process__name", "process__acronym", "name_in_survey", "survey__title")
    autocomplete_fields = ("survey", "process")
    readonly_fields = (
        "uncertainty",
        "sent_at",
        "started_at",
        "submitted_at",
        "submitted_by",
        "reopened_at",
        "dispatch",
    )
    inlines = (AnswerInline, MaterialInline, ReminderInline)
    actions = ("reopen_selected",)
    fieldsets = (
        (None, {"fields": ("survey", "process", "status", "name_in_survey", "list_order", "consent_to_publish")}),
        (
            _("Timestamps"),
            {"fields": ("sent_at", "started_at", "submitted_at", "submitted_by", "reopened_at", "dispatch")},
        ),
        SourcedAdminMixin.sources_fieldset,
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not obj.survey.recorded_from_sources:
            # The workflow moves a running survey's responses; only recorded ones are typed in.
            return (*fields, "survey", "process", "status", "consent_to_publish")
        return fields

    @admin.display(description=_("answer"))
    def answer_link(self, obj):
        if obj.survey.recorded_from_sources:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open the questionnaire"))

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_submitted and not obj.survey.recorded_from_sources:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Reopen the selected submitted answers"))
    def reopen_selected(self, request, queryset):
        if not roles.is_moderator(request.user):
            raise PermissionDenied
        reopened = 0
        for response in queryset.select_related("survey", "process"):
            try:
                workflow.response_reopen(response=response, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{response}: {' '.join(error.messages)}", messages.ERROR)
            else:
                reopened += 1
        if reopened:
            self.message_user(
                request, _("%(count)d response(s) reopened; their respondents are told.") % {"count": reopened}
            )
