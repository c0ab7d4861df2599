"""Back office of the good-practice repository: secretariats write and submit practices, the Support Unit opens calls.

Moderation is the exchange's (practices.workflow submits a dispatch of kind "good practice"); the
practice's page shows its state and a link to that dispatch, where the Support Unit publishes it
or returns it with a reason, as every other dispatch.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalTabularInline,
    ScopedModelForm,
    visibility_fieldset,
    with_translations,
)
from core import roles
from practices import workflow
from practices.models import CallForPractices, Practice, PracticeLink


class PracticeLinkInline(PortalTabularInline):
    model = PracticeLink
    fields = ("title", "url")
    show_change_link = False


class PracticeForm(ScopedModelForm):
    """Refuses, with a message, implementers named without their consent and a call that is not open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answers = self.fields.get("source_survey_responses")
        if answers is not None:
            # "Survey title (year) — Process: status": a process's answers to several rounds tell apart.
            answers.queryset = answers.queryset.select_related("survey", "process")
            answers.label_from_instance = lambda response: f"{response.survey} — {response}"

    def clean(self):
        cleaned_data = super().clean()
        user = self.scope_user
        if user is None:
            return cleaned_data
        processes = cleaned_data.get("implementing_processes")
        if processes is not None:
            refused = workflow.implementers_refused(user, self.instance, list(processes))
            already = (
                set(self.instance.implementing_processes.values_list("pk", flat=True)) if self.instance.pk else set()
            )
            refused = [p for p in refused if p.pk not in already]  # kept as they were: named by their own secretariat
            if refused:
                self.add_error(None, workflow.implementer_error(refused))
        call = cleaned_data.get("call")
        if call is not None and call.pk != self.instance.call_id:
            try:
                workflow.check_call(call)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class StateListFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Practice._meta.get_field("dispatch").related_model.State.choices

    def queryset(self, request, queryset):
        return queryset.in_state(self.value()) if self.value() else queryset


@admin.register(Practice)
class PracticeAdmin(PortalHistoryAdmin):
    form = PracticeForm
    change_form_template = "admin/practices/practice/change_form.html"
    list_display = ("title", "process", "state", "call", "created_at")
    list_filter = (StateListFilter, "call", "gcm_objectives", "themes")
    list_select_related = ("process", "dispatch", "call")
    search_fields = ("title", "summary", "process__name", "process__acronym")
    autocomplete_fields = (
        "process",
        "implementing_processes",
        "partners",
        "countries",
        "regions",
        "themes",
        "source_meetings",
        "source_recommendations",
        "source_dispatches",
        "documents",
    )
    filter_horizontal = ("gcm_objectives", "sdg_targets", "source_survey_responses")
    readonly_fields = ("state", "return_reason", "dispatch_link", "created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "summary", "what_was_done", "results", "lessons_learned")}),
        (_("Who and where"), {"fields": ("process", "implementing_processes", "partners", "partners_note", "is_global",
                                          "countries", "regions", "start_year", "end_year")}),
        (_("Tags"), {"fields": ("themes", "gcm_objectives", "sdg_targets")}),
        (_("Source in the RCP and GFMD context"), {"fields": ("call", "source_meetings", "source_recommendations",
                                                                "source_dispatches", "source_survey_responses",
                                                                "documents")}),
        (_("Contact focal point"), {"fields": ("contact_name", "contact_role", "contact_email", "contact_consent")}),
        visibility_fieldset(),
        (_("Moderation"), {"fields": ("state", "return_reason", "dispatch_link", "created_by", "created_at",
                                      "updated_at")}),
    )  # fmt: skip
    fieldsets = with_translations(fieldsets, "title", "summary", "what_was_done", "results", "lessons_learned")
    inlines = (PracticeLinkInline,)

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.get_state_display() if obj.pk else _("Draft")

    @admin.display(description=_("reason for returning"))
    def return_reason(self, obj):
        return obj.return_reason or "—"

    @admin.display(description=_("dispatch to the GFMD"))
    def dispatch_link(self, obj):
        from django.utils.html import format_html

        if not obj.dispatch_id:
            return _("Not submitted yet.")
        url = reverse("admin:exchange_dispatch_change", args=[obj.dispatch_id])
        return format_html('<a href="{}">{}</a>', url, obj.dispatch.title)

    def get_queryset(self, request):
        # A queryset with select_related makes the changelist skip list_select_related: name every join here.
        return super().get_queryset(request).select_related("process", "dispatch", "call")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.dispatch_id:
            # Its dispatch is on the exchange (or on its way): the practice stays public as submitted.
            fields = (*fields, "visibility")
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        processes = list(workflow.processes_for(request.user)[:2])
        if len(processes) == 1:
            initial.setdefault("process", processes[0].pk)
            initial.setdefault("implementing_processes", [processes[0].pk])
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The submitting process is always among the implementers.
        form.instance.implementing_processes.add(form.instance.process)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/submit/",
                self.admin_site.admin_view(self.submit_view),
                name="practices_practice_submit",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["practice_workflow"] = {
                "practice": obj,
                "may_submit": obj.state in ("draft", "returned") and workflow.may_submit_for(request.user, obj.process),
                "submit_url": reverse("admin:practices_practice_submit", args=[obj.pk]),
                "dispatch_url": reverse("admin:exchange_dispatch_change", args=[obj.dispatch_id])
                if obj.dispatch_id
                else "",
                "moderator": roles.is_moderator(request.user),
                "preview_url": obj.get_absolute_url(),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def submit_view(self, request, object_id):
        """POST: submit the practice to the GFMD Support Unit (through its dispatch)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        change_url = reverse("admin:practices_practice_change", args=[obj.pk])
        if request.method != "POST":
            return redirect(change_url)
        try:
            workflow.practice_submit(practice=obj, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request, _("“%(obj)s” is submitted to the GFMD Support Unit.") % {"obj": obj}, messages.SUCCESS
            )
        return redirect(change_url)


class CallForm(forms.ModelForm):
    class Meta:
        model = CallForPractices
        fields = (
            "title", "description", "criteria", "deadline", "themes", "gcm_objectives", "addressed_to_all",
            "addressed_processes", "visibility", "title_fr", "description_fr", "criteria_fr", "title_es",
            "description_es", "criteria_es",
        )  # fmt: skip
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}


@admin.register(CallForPractices)
class CallForPracticesAdmin(PortalHistoryAdmin):
    form = CallForm
    change_form_template = "admin/practices/callforpractices/change_form.html"
    list_display = ("title", "deadline", "opened_at")
    search_fields = ("title", "description")
    autocomplete_fields = ("themes", "addressed_processes")
    filter_horizontal = ("gcm_objectives",)
    readonly_fields = ("opened_at", "announcement")
    fieldsets = (
        (None, {"fields": ("title", "description", "criteria", "deadline", "themes", "gcm_objectives")}),
        (_("Addressed to"), {"fields": ("addressed_to_all", "addressed_processes")}),
        visibility_fieldset(),
        (_("Announcement"), {"fields": ("opened_at", "announcement")}),
    )
    fieldsets = with_translations(fieldsets, "title", "description", "criteria")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/open/",
                self.admin_site.admin_view(self.open_view),
                name="practices_callforpractices_open",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and not obj.is_opened and workflow.may_open_calls(request.user):
            context["open_url"] = reverse("admin:practices_callforpractices_open", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def open_view(self, request, object_id):
        """POST: open the call — its announcement is published on the exchange and sent to the addressed processes."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        change_url = reverse("admin:practices_callforpractices_change", args=[obj.pk])
        if request.method != "POST":
            return redirect(change_url)
        try:
            workflow.call_open(call=obj, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, _("The call is open and announced on the exchange."), messages.SUCCESS)
        return redirect(change_url)
