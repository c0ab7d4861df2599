"""Spreadsheet columns of meetings and documents (metadata only: files are uploaded in the admin)."""

from django.utils.translation import gettext as _
from import_export import fields

from meetings.models import Document, Meeting
from rcps.models import Process
from reference.models import Country, Theme

from .base import LookupManyWidget, LookupWidget, PortalResource, process_field


class MeetingResource(PortalResource):
    organizing_processes = fields.Field(
        attribute="organizing_processes",
        column_name="organizing_processes",
        widget=LookupManyWidget(Process, "slug", _("process")),
    )
    country = fields.Field(
        attribute="country", column_name="country", widget=LookupWidget(Country, "code", _("country code"))
    )
    parent = fields.Field(attribute="parent", column_name="parent", widget=LookupWidget(Meeting, "pk", _("meeting")))
    themes = fields.Field(attribute="themes", column_name="themes", widget=LookupManyWidget(Theme, "slug", _("theme")))

    class Meta(PortalResource.Meta):
        model = Meeting
        import_id_fields = ("title", "start_date")
        fields = (
            "title",
            "start_date",
            "end_date",
            "date_precision",
            "kind",
            "level",
            "organizing_processes",
            "parent",
            "session_code",
            "city",
            "country",
            "host",
            "themes",
            "description",
            "website",
            "visibility",
            "source",
        )
        export_order = fields

    def check_owners(self, bulk, plan, values, errors):
        """Organizers named must be the user's (those a joint meeting already has may stay); a new meeting needs one."""
        if "organizing_processes" in errors:
            return
        managed = bulk.managed_processes
        current = set() if plan.new else bulk.current_many["organizing_processes"].get(plan.instance.pk, set())
        organizers = values.get("organizing_processes")
        if organizers is None:
            organizers = [] if plan.new else list(Process.objects.filter(pk__in=current))
        allowed = None if managed is None else managed | current
        foreign = [p.slug for p in organizers if allowed is not None and p.pk not in allowed]
        if foreign:
            errors["organizing_processes"] = [
                _("Process '%(slug)s' is not one of yours.") % {"slug": "', '".join(foreign)}
            ]
        elif managed is not None and not organizers and not plan.instance.parent_id:
            errors["organizing_processes"] = [_("Name at least one of your processes.")]


class DocumentResource(PortalResource):
    process = process_field()
    meeting = fields.Field(attribute="meeting", column_name="meeting", widget=LookupWidget(Meeting, "pk", _("meeting")))

    class Meta(PortalResource.Meta):
        model = Document
        import_id_fields = ("title", "date")
        fields = (
            "title",
            "date",
            "kind",
            "language",
            "meeting",
            "process",
            "url",
            "reference",
            "author",
            "description",
            "visibility",
            "source",
        )
        export_order = fields
