"""Back office for the members' area: participants' seats and the invitations that created them.

Invitations are written on the members' area's own page (members:invite), which sends the
one-time link; here a secretariat sees them and the seats of its processes, and revokes a seat
by deleting it. Rows are scoped to the user's processes like every other record.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.admin.base import PortalHistoryAdmin, PortalModelAdmin
from members.models import Bounce, Invitation, MailingList, OptOut
from rcps.models import Membership


@admin.register(Membership)
class MembershipAdmin(PortalHistoryAdmin):
    list_display = ("user", "process", "country", "role", "ministry", "created")
    list_select_related = ("user", "process", "country")
    list_filter = ("role", ("process", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__username", "country__name", "ministry")
    fields = ("user", "process", "country", "role", "ministry")
    readonly_fields = ("user", "process", "country")

    def has_add_permission(self, request):
        return False  # seats are created by accepting an invitation


@admin.register(Invitation)
class InvitationAdmin(PortalHistoryAdmin):
    list_display = ("email", "process", "country", "role", "created", "expires", "accepted", "invited_by")
    list_select_related = ("process", "country", "invited_by")
    list_filter = ("role", ("process", admin.RelatedOnlyFieldListFilter))
    search_fields = ("email", "ministry", "country__name")
    readonly_fields = (
        "email",
        "process",
        "country",
        "ministry",
        "role",
        "invited_by",
        "created",
        "expires",
        "accepted",
        "user",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # written on the members' area's invitation page, which e-mails the link


@admin.register(MailingList)
class MailingListAdmin(PortalHistoryAdmin):
    list_display = ("name", "process", "scope", "ministry")
    list_select_related = ("process",)
    list_filter = ("scope", ("process", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "ministry")
    autocomplete_fields = ("process",)
    filter_horizontal = ("focal_points",)


@admin.register(OptOut)
class OptOutAdmin(PortalModelAdmin):
    """People who left a list by its one-click link (deleting a row puts them back on the list)."""

    list_display = ("email", "mailing_list", "created")
    list_select_related = ("mailing_list__process",)
    search_fields = ("email",)
    readonly_fields = ("mailing_list", "email", "created")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False


@admin.register(Bounce)
class BounceAdmin(PortalModelAdmin):
    """Undeliverable addresses: added here by hand from a bounce report, or by `manage.py record_bounce`."""

    list_display = ("email", "reason", "created")
    search_fields = ("email", "reason")


# django-otp's own admin names its fieldsets and two fields in English only (plain strings, not
# marked for translation): the same pages, with those words in the administrator's language.
OTP_WORDS = {
    "Identity": _("Identity"),
    "Timestamps": _("Timestamps"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Throttling"),
}
OTP_FIELD_LABELS = {"name": _("Name"), "key": _("Key")}


class TranslatedOtpAdminMixin:
    def get_fieldsets(self, request, obj=None):
        return [(OTP_WORDS.get(title, title), options) for title, options in super().get_fieldsets(request, obj)]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, label in OTP_FIELD_LABELS.items():
            if name in form.base_fields:
                form.base_fields[name].label = label
        return form


class TOTPDeviceTranslatedAdmin(TranslatedOtpAdminMixin, TOTPDeviceAdmin):
    pass


class StaticDeviceTranslatedAdmin(TranslatedOtpAdminMixin, StaticDeviceAdmin):
    pass


for _model, _admin_class in ((TOTPDevice, TOTPDeviceTranslatedAdmin), (StaticDevice, StaticDeviceTranslatedAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
