"""Spreadsheet columns of recommendations and follow-ups."""

from django.utils.translation import gettext as _
from import_export import fields

from meetings.models import Meeting
from recommendations.models import FollowUp, Recommendation
from reference.models import Theme

from .base import LookupManyWidget, LookupWidget, PortalResource, process_field


class RecommendationResource(PortalResource):
    issuing_process = process_field("issuing_process")
    source_meeting = fields.Field(
        attribute="source_meeting", column_name="source_meeting", widget=LookupWidget(Meeting, "pk", _("meeting"))
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=LookupManyWidget(Theme, "slug", _("theme")))

    class Meta(PortalResource.Meta):
        model = Recommendation
        import_id_fields = ("title", "year")
        fields = (
            "title",
            "year",
            "kind",
            "text",
            "is_verbatim",
            "issuing_process",
            "issuing_body",
            "source_meeting",
            "themes",
            "addressees_note",
            "outcome_note",
            "visibility",
            "source",
        )
        export_order = fields


class FollowUpResource(PortalResource):
    recommendation = fields.Field(
        attribute="recommendation",
        column_name="recommendation",
        widget=LookupWidget(Recommendation, "pk", _("recommendation")),
    )
    process = process_field()

    class Meta(PortalResource.Meta):
        model = FollowUp
        import_id_fields = ("recommendation", "process", "status", "date")
        fields = ("recommendation", "process", "status", "date", "note", "evidence_url", "visibility", "source")
        export_order = fields
