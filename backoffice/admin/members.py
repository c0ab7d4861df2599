"""Back office for the members' area: participants' seats and the invitations that created them.

Invitations are written on the members' area's own page (members:invite), which sends the
one-time link; here a secretariat sees them and the seats of its processes, and revokes a seat
by deleting it. Rows are scoped to the user's processes like every other record.
"""

from django.contrib import admin

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
