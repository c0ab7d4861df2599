"""Back office of the exchange: secretariats draft and submit, the GFMD Support Unit moderates.

Every state change goes through `exchange.workflow`; which rows a user may see and change comes
from the dispatch queryset's `visible_to` / `managed_by` (rcps.scoping), wired in by the base class.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin.base import PortalHistoryAdmin, PortalModelAdmin, PortalTabularInline
from core import roles
from exchange import workflow
from exchange.models import Dispatch, DispatchAcknowledgement, DispatchAttachment, DispatchTransition, Subscription
from rcps import scoping
from rcps.models import Process


class ReadOnlyInline(PortalTabularInline):
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DispatchTransitionInline(ReadOnlyInline):
    model = DispatchTransition
    fields = ("from_state", "to_state", "user", "at", "reason")
    readonly_fields = fields
    verbose_name_plural = _("workflow (who did what, when)")


class DispatchAcknowledgementInline(ReadOnlyInline):
    model = DispatchAcknowledgement
    fields = ("process", "user", "at")
    readonly_fields = fields


class DispatchAttachmentInline(PortalTabularInline):
    model = DispatchAttachment
    fields = ("title", "file")
    show_change_link = False

    def _editable(self, request, obj):
        return obj is None or scoping.can_manage(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the secretariat"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=5000,
    )


class ReplyForm(forms.Form):
    process = forms.ModelChoiceField(label=_("Replying for"), queryset=Process.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Body (Markdown)"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))
    submit_now = forms.BooleanField(label=_("Submit to the GFMD now"), required=False, initial=True)


class StateListFilter(admin.SimpleListFilter):
    """Moderators land on what awaits them: submitted dispatches first."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*Dispatch.State.choices, ("all", _("All"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value in Dispatch.State.values:
            return queryset.filter(state=value)
        return queryset


@admin.register(Dispatch)
class DispatchAdmin(PortalHistoryAdmin):
    list_display = ("title", "direction", "kind", "sender", "state_badge", "submitted_at", "published_at")
    # A date filter rather than date_hierarchy, whose year links scan the whole table on every page.
    list_filter = (StateListFilter, "direction", "kind", "themes", "created_at")
    list_select_related = ("sender_process",)
    search_fields = ("title", "body", "sender_process__name", "sender_process__acronym")
    autocomplete_fields = (
        "sender_process",
        "addressed_processes",
        "themes",
        "meetings",
        "documents",
        "recommendations",
        "in_reply_to",
    )
    readonly_fields = (
        "state",
        "return_reason",
        "body_preview",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
    )
    fieldsets = (
        (None, {"fields": ("direction", "kind", "sender_process", "title", "body")}),
        (_("Addressed to (dispatches from the GFMD)"), {"fields": ("addressed_to_all", "addressed_processes")}),
        (_("Themes and links"), {"fields": ("themes", "meetings", "documents", "recommendations", "in_reply_to")}),
        (
            _("Workflow"),
            {
                "fields": (
                    "state",
                    "return_reason",
                    "created_by",
                    "created_at",
                    "submitted_at",
                    "published_at",
                    "updated_at",
                )
            },
        ),
        (_("Preview"), {"fields": ("body_preview",)}),
    )
    inlines = (DispatchAttachmentInline, DispatchAcknowledgementInline, DispatchTransitionInline)
    actions = ("submit_dispatches", "publish_dispatches", "return_dispatches", "acknowledge_dispatches", "reply")

    # Columns ------------------------------------------------------------------------------

    @admin.display(description=_("sender"), ordering="sender_process__name")
    def sender(self, obj):
        return obj.sender_display

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("how the body will look"))
    def body_preview(self, obj):
        # body_html is sanitized by nh3 when the dispatch is validated, so it may be shown as is.
        return format_html("<div class='dispatch-body'>{}</div>", obj.body_html) if obj.body_html else "—"

    # Rows and permissions -------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        # Published dispatches stay on the record; drafts may be thrown away by whoever may edit them.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.state != Dispatch.State.PUBLISHED)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Who sends a dispatch, and which way, is settled when it is created.
            fields += ["direction", "sender_process"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sender_process" and not roles.is_moderator(request.user):
            # Only a process the user speaks for can send a dispatch.
            kwargs["queryset"] = Process.objects.filter(pk__in=scoping.served_process_ids(request.user))
        if db_field.name == "in_reply_to":
            # The autocomplete lists what the user can see; only a published dispatch is accepted.
            kwargs["queryset"] = Dispatch.objects.published()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "direction" and not roles.is_moderator(request.user):
            kwargs["choices"] = [(Dispatch.Direction.TO_GFMD.value, Dispatch.Direction.TO_GFMD.label)]
            kwargs["initial"] = Dispatch.Direction.TO_GFMD
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            workflow.dispatch_start(dispatch=obj, user=request.user)
        except workflow.DispatchPermissionError as error:
            raise PermissionDenied(str(error)) from error

    def get_actions(self, request):
        actions = super().get_actions(request)
        moderator = roles.is_moderator(request.user)
        for name in ("publish_dispatches", "return_dispatches"):
            if not moderator:
                actions.pop(name, None)
        if not self.has_change_permission(request):
            for name in ("submit_dispatches", "acknowledge_dispatches", "reply"):
                actions.pop(name, None)
        return actions

    # Actions ----------------------------------------------------------------------------------

    def _run(self, request, queryset, step, success_message):
        done = 0
        for dispatch in queryset:
            try:
                step(dispatch)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"“{dispatch}”: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, success_message(done), messages.SUCCESS)

    @admin.action(description=_("Submit the selected dispatches to the GFMD"))
    def submit_dispatches(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda d: workflow.dispatch_submit(dispatch=d, user=request.user),
            lambda n: ngettext("%d dispatch submitted.", "%d dispatches submitted.", n) % n,
        )

    @admin.action(description=_("Publish the selected dispatches"))
    def publish_dispatches(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda d: workflow.dispatch_publish(dispatch=d, user=request.user),
            lambda n: ngettext("%d dispatch published.", "%d dispatches published.", n) % n,
        )

    @admin.action(description=_("Return the selected dispatches with a reason"))
    def return_dispatches(self, request, queryset):
        form = ReturnForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run(
                request,
                queryset,
                lambda d: workflow.dispatch_return(dispatch=d, user=request.user, reason=form.cleaned_data["reason"]),
                lambda n: ngettext("%d dispatch returned.", "%d dispatches returned.", n) % n,
            )
            return None
        return self._intermediate(request, queryset, form, "return_dispatches", _("Return dispatches to their senders"))

    @admin.action(description=_("Acknowledge receipt for my processes"))
    def acknowledge_dispatches(self, request, queryset):
        done = 0
        for dispatch in queryset:
            processes = self._addressed_processes(request, dispatch)
            if not processes:
                self.message_user(
                    request, _("“%s” is not addressed to a process you serve.") % dispatch, messages.ERROR
                )
            for process in processes:
                try:
                    workflow.dispatch_acknowledge(dispatch=dispatch, process=process, user=request.user)
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(request, f"“{dispatch}”: {' '.join(error.messages)}", messages.WARNING)
                else:
                    done += 1
        if done:
            self.message_user(request, _("%d acknowledgement(s) recorded.") % done, messages.SUCCESS)

    @admin.action(description=_("Reply to the selected dispatch"))
    def reply(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one dispatch to reply to."), messages.ERROR)
            return None
        original = queryset.get()
        processes = self._addressed_processes(request, original)
        if not original.is_published or not processes:
            self.message_user(
                request, _("You can reply only to a published dispatch addressed to your process."), messages.ERROR
            )
            return None
        form = ReplyForm(
            request.POST if "apply" in request.POST else None,
            initial={"title": _("Re: %s") % original.title[:290], "process": processes[0]},
        )
        form.fields["process"].queryset = Process.objects.filter(pk__in=[p.pk for p in processes])
        if form.is_bound and form.is_valid():
            try:
                reply = workflow.dispatch_reply(
                    original=original,
                    process=form.cleaned_data["process"],
                    user=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    submit=form.cleaned_data["submit_now"],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
                return None
            self.message_user(request, _("Your reply has been saved."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:exchange_dispatch_change", args=[reply.pk]))
        return self._intermediate(request, queryset, form, "reply", _("Reply to a dispatch from the GFMD"))

    def _addressed_processes(self, request, dispatch):
        ids = scoping.served_process_ids(request.user)
        if dispatch.direction != Dispatch.Direction.FROM_GFMD or not dispatch.is_published:
            return []
        candidates = Process.objects.all() if dispatch.addressed_to_all else dispatch.addressed_processes.all()
        if ids is not None:
            candidates = candidates.filter(pk__in=ids)
        return list(candidates.order_by("name"))

    def _intermediate(self, request, queryset, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/exchange/dispatch/action_form.html", context)


@admin.register(Subscription)
class SubscriptionAdmin(PortalModelAdmin):
    list_display = ("email", "frequency", "directions", "confirmed_at", "last_sent_at", "created_at")
    list_filter = ("frequency", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    readonly_fields = ("token", "created_at", "confirmed_at", "last_sent_at")
    filter_horizontal = ("processes", "themes")
