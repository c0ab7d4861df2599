"""The portal's admin site: a start page per role, notification preferences and a scoped "view on site"."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from exchange.models import NotificationPreference
from exchange.notifications import delivery_for, notification_preference_set


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("E-mail me about the exchange"),
        choices=NotificationPreference.Delivery.choices,
        widget=forms.RadioSelect,
    )


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, refusing (403, as for any field that is not a link) a reverse relation's name.

    Only a form field — a foreign key or many-to-many field declared on the model — has
    choices to offer; a reverse relation (`meeting.documents`) would make Django's view fail.
    """

    def process_request(self, request):
        try:
            model = apps.get_model(request.GET.get("app_label"), request.GET.get("model_name"))
            field = model._meta.get_field(request.GET.get("field_name"))
        except (LookupError, ValueError, TypeError, FieldDoesNotExist) as error:
            raise PermissionDenied from error
        if not isinstance(field, models.ForeignKey | models.ManyToManyField):
            raise PermissionDenied
        return super().process_request(request)


class PortalAdminSite(admin.AdminSite):
    site_header = _("RCP Portal — back office")
    site_title = _("RCP Portal back office")
    index_title = _("Start page")
    index_template = "admin/backoffice/index.html"

    def get_urls(self):
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            path("notifications/", self.admin_view(self.notification_preferences), name="notification_preferences"),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        """Django's app list, built when first read: the navigation sidebar of every admin page
        asks for it (`each_context`), but reads it only when its cached copy is missing."""
        return SimpleLazyObject(lambda: super(PortalAdminSite, self).get_app_list(request, app_label))

    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        from .dashboard import start_page  # the admin modules import this site: load the domain lazily

        return super().index(request, {"start_page": start_page(request), **(extra_context or {})})

    def view_on_site(self, request, content_type_id, object_id):
        """Go to a record's public page (or its preview), only for records this user may see in the back office.

        Django's own shortcut redirects for any record, so a crafted URL would reveal, say, a
        confidential process's slug; here a record the user cannot see does not exist.
        """
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404
        obj = model_admin.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        if obj is None or not model_admin.has_view_permission(request, obj) or not hasattr(obj, "get_absolute_url"):
            raise Http404
        return HttpResponseRedirect(obj.get_absolute_url())

    def notification_preferences(self, request):
        """Each user's choice: an e-mail for each step, a daily summary, or none."""
        form = NotificationPreferenceForm(
            request.POST if request.method == "POST" else None, initial={"delivery": delivery_for(request.user)}
        )
        if form.is_bound and form.is_valid():
            notification_preference_set(user=request.user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Your notification preference has been saved."))
            return redirect("admin:index")
        context = {
            **self.each_context(request),
            "title": _("E-mail notifications"),
            "form": form,
        }
        return TemplateResponse(request, "admin/backoffice/notification_preferences.html", context)
