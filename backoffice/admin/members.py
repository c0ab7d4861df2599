"""Back office for the members' area: participants' seats and the invitations that created them.

Invitations are written on the members' area's own page (members:invite), which sends the
one-time link; here a secretariat sees them and the seats of its processes, and revokes a seat
by deleting it. Rows are scoped to the user's processes like every other record.
"""

from django.contrib import admin

from backoffice.admin.base import PortalHistoryAdmin
from members.models import Invitation
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
