"""Back office of the exchange: secretariats draft and submit, the GFMD Support Unit moderates.

Every state change goes through `exchange.workflow`; which rows a user may see and change comes
from the dispatch queryset's `visible_to` / `managed_by` (rcps.scoping), wired in by the base class.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalModelAdmin,
    PortalTabularInline,
    ReadOnlyInline,
    with_translations,
)
from core import roles
from core.preview import confirm_url
from exchange import workflow
from exchange.models import Dispatch, DispatchAcknowledgement, DispatchAttachment, DispatchTransition, Subscription
from rcps import scoping
from rcps.models import Process


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
    process = forms.ModelChoiceField(label=_("Replying for"), queryset=Process.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Body (Markdown)"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))
    submit_now = forms.BooleanField(label=_("Send it now"), required=False, initial=True)


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


class AwaitingListFilter(admin.SimpleListFilter):
    """Dispatches sent to the user's processes that none of them has acknowledged or answered yet."""

    title = _("your answer")
    parameter_name = "awaiting"

    def lookups(self, request, model_admin):
        ids = scoping.served_process_ids(request.user)
        return [("me", _("Awaiting your acknowledgement or reply"))] if ids else []

    def queryset(self, request, queryset):
        ids = scoping.served_process_ids(request.user)
        if self.value() == "me" and ids:
            return queryset.filter(pk__in=Dispatch.objects.awaiting_response_from(ids).values("pk"))
        return queryset


@admin.register(Dispatch)
class DispatchAdmin(PortalHistoryAdmin):
    change_form_template = "admin/exchange/dispatch/change_form.html"
    list_display = ("title", "direction", "kind", "sender", "state_badge", "submitted_at", "published_at")
    # A date filter rather than date_hierarchy, whose year links scan the whole table on every page.
    list_filter = (StateListFilter, AwaitingListFilter, "direction", "kind", "themes", "created_at")
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
        (
            _("Addressed to (dispatches from the GFMD or to other processes)"),
            {"fields": ("addressed_to_all", "addressed_processes")},
        ),
        (
            _("Themes and links"),
            {
                "fields": (
                    "themes",
                    "gcm_objectives",  # good practices (issue 16): tags with the Global Compact's objectives
                    "sdg_targets",
                    "meetings",
                    "documents",
                    "recommendations",
                    "in_reply_to",
                )
            },
        ),
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
    fieldsets = with_translations(fieldsets, "title", "body")
    inlines = (DispatchAttachmentInline, DispatchAcknowledgementInline, DispatchTransitionInline)
    # Bulk actions only where a batch makes sense; each role sees only those it may use (get_actions).
    actions = (
        "submit_dispatches",
        "publish_dispatches",
        "return_dispatches",
        "acknowledge_dispatches",
        "make_practices",  # good practices (issue 16), below
    )

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
        return mark_safe(f"<div class='dispatch-body'>{obj.body_html}</div>") if obj.body_html else "—"  # noqa: S308

    # Rows and permissions -------------------------------------------------------------------

    def get_queryset(self, request):
        # The sender column names the joint senders of a dispatch recorded from the sources.
        return super().get_queryset(request).prefetch_related("sending_processes")

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

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        served = scoping.served_process_ids(request.user)
        if served and len(served) == 1 and "sender_process" not in initial and not roles.is_moderator(request.user):
            initial["sender_process"] = next(iter(served))  # the user's only process
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sender_process" and not roles.is_moderator(request.user):
            # Only a process the user speaks for can send a dispatch.
            kwargs["queryset"] = Process.objects.filter(pk__in=scoping.served_process_ids(request.user))
        if db_field.name == "in_reply_to":
            # A published dispatch the user may see: an id of any other says nothing, not even its title.
            kwargs["queryset"] = Dispatch.objects.visible_to(request.user).published()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "direction" and not roles.is_moderator(request.user):
            kwargs["choices"] = [
                (Dispatch.Direction.TO_GFMD.value, Dispatch.Direction.TO_GFMD.label),
                (Dispatch.Direction.BETWEEN_RCPS.value, Dispatch.Direction.BETWEEN_RCPS.label),
            ]
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

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            # Straight to the new draft, where its next step is a button.
            self.message_user(
                request, _("“%(obj)s” is saved as a draft. Check the preview, then send it.") % {"obj": obj}
            )
            return HttpResponseRedirect(reverse("admin:exchange_dispatch_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if workflow.available_steps(obj, request.user) and not {"_addanother", "_saveasnew", "_popup"} & set(
            request.POST
        ):
            # Back to the record, whose next step (submit again, publish…) is a button there.
            self.message_user(request, _("“%(obj)s” is saved.") % {"obj": obj}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:exchange_dispatch_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        user = request.user
        moderator = roles.is_moderator(user)
        served = scoping.served_process_ids(user)
        serves_processes = served is None or bool(served)
        if not moderator:
            for name in ("publish_dispatches", "return_dispatches", "make_practices"):
                actions.pop(name, None)
        if not serves_processes or roles.is_support_unit(user) or not self.has_change_permission(request):
            # Submitting and acknowledging are acts of a process's secretariat.
            for name in ("submit_dispatches", "acknowledge_dispatches"):
                actions.pop(name, None)
        return actions

    # The workflow on the record ------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="exchange_dispatch_step",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            steps = workflow.available_steps(obj, request.user)
            preview_url = obj.get_absolute_url()
            context["workflow"] = {
                "dispatch": obj,
                "preview_url": preview_url,
                "steps": [
                    {
                        "step": step,
                        "label": workflow.STEP_LABELS[step],
                        "url": reverse("admin:exchange_dispatch_step", args=[obj.pk, step])
                        if step == "reply"
                        else confirm_url(preview_url, step),
                    }
                    for step in steps
                ],
                "acknowledgements": list(obj.acknowledgements.select_related("process")),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def step_view(self, request, object_id, step):
        """One workflow step on one dispatch: confirmed on its preview page (GET goes there), taken on POST."""
        dispatch = self.get_object(request, unquote(object_id))
        if dispatch is None:
            raise Http404
        if step not in workflow.available_steps(dispatch, request.user):
            if step not in workflow.STEP_LABELS:
                raise Http404
            self.message_user(request, _("This step is not open to you on this dispatch now."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:exchange_dispatch_change", args=[dispatch.pk]))
        if step == "reply":
            return self.reply_view(request, dispatch)
        if request.method != "POST":
            return HttpResponseRedirect(confirm_url(dispatch.get_absolute_url(), step))
        change_url = reverse("admin:exchange_dispatch_change", args=[dispatch.pk])
        try:
            message = self._take_step(request, dispatch, step)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            if step == "return":
                return HttpResponseRedirect(confirm_url(dispatch.get_absolute_url(), "return"))
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _take_step(self, request, dispatch, step):
        user = request.user
        if step == "submit":
            workflow.dispatch_submit(dispatch=dispatch, user=user)
            return _("Submitted to the GFMD Support Unit, who is told by e-mail.")
        if step == "send":
            workflow.dispatch_send(dispatch=dispatch, user=user)
            return _("Published. The addressed processes are told by e-mail.")
        if step == "publish":
            workflow.dispatch_publish(dispatch=dispatch, user=user)
            return _("Published. Those it concerns are told by e-mail.")
        if step == "return":
            workflow.dispatch_return(dispatch=dispatch, user=user, reason=request.POST.get("reason", ""))
            return _("Returned to the sender with your reason.")
        # acknowledge
        processes = workflow.responding_processes(dispatch, user)
        chosen = [p for p in processes if str(p.pk) == request.POST.get("process")] or processes[:1]
        for process in chosen:
            workflow.dispatch_acknowledge(dispatch=dispatch, process=process, user=user)
        return _("Receipt acknowledged for %(process)s.") % {"process": ", ".join(p.short_name for p in chosen)}

    def reply_view(self, request, original):
        processes = workflow.responding_processes(original, request.user)
        form = ReplyForm(
            request.POST if request.method == "POST" else None,
            initial={"title": _("Re: %s") % original.title[:290], "process": processes[0] if processes else None},
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
            else:
                self.message_user(request, _reply_message(reply), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:exchange_dispatch_change", args=[reply.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to “%(title)s”") % {"title": original.title},
            "opts": self.model._meta,
            "original": original,
            "form": form,
        }
        return TemplateResponse(request, "admin/exchange/dispatch/reply_form.html", context)

    # Bulk actions ---------------------------------------------------------------------------------

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

    @admin.action(description=_("Send the selected drafts (submit to the GFMD, or publish to the processes)"))
    def submit_dispatches(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda d: workflow.dispatch_send(dispatch=d, user=request.user),
            lambda n: ngettext("%d dispatch sent.", "%d dispatches sent.", n) % n,
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
            processes = workflow.responding_processes(dispatch, request.user)
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

    # Good practices (issue 16): a published dispatch of kind "good practice" becomes a practice record.

    @admin.action(description=_("Turn the selected good-practice dispatches into practice records"))
    def make_practices(self, request, queryset):
        from practices.workflow import practice_from_dispatch

        made = []
        for dispatch in queryset:
            try:
                made.append(practice_from_dispatch(dispatch=dispatch, user=request.user))
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"“{dispatch}”: {text}", messages.ERROR)
        if len(made) == 1:
            # One step: straight to the new record, to complete what the dispatch did not say.
            self.message_user(
                request, _("“%s” is now a practice record: complete it here.") % made[0], messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:practices_practice_change", args=[made[0].pk]))
        if made:
            self.message_user(request, _("%d practice record(s) made.") % len(made), messages.SUCCESS)
        return None

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


def _reply_message(reply):
    if reply.state == Dispatch.State.SUBMITTED:
        return _("Your reply is submitted to the GFMD Support Unit.")
    if reply.state == Dispatch.State.PUBLISHED:
        return _("Your reply is published and the process you answered is told.")
    return _("Your reply is saved as a draft.")


@admin.register(Subscription)
class SubscriptionAdmin(PortalModelAdmin):
    list_display = ("email", "frequency", "directions", "confirmed_at", "last_sent_at", "created_at")
    list_filter = ("frequency", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    readonly_fields = ("token", "created_at", "confirmed_at", "last_sent_at")
    filter_horizontal = ("processes", "themes")
