"""Spreadsheet columns of processes, their participations, chairmanships and focal points."""

from django.utils.translation import gettext as _
from import_export import fields

from rcps.models import Chairmanship, FocalPoint, Participation, Process
from reference.models import Organization, Theme

from .base import LookupManyWidget, LookupWidget, PortalResource, country_field, process_field


class ProcessResource(PortalResource):
    secretariat = fields.Field(
        attribute="secretariat",
        column_name="secretariat",
        widget=LookupWidget(Organization, "slug", _("organization")),
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=LookupManyWidget(Theme, "slug", _("theme")))

    class Meta(PortalResource.Meta):
        model = Process
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "acronym",
            "kind",
            "status",
            "level",
            "year_established",
            "website",
            "description",
            "md_stance",
            "secretariat",
            "themes",
            "visibility",
        )
        export_order = fields


class ParticipationResource(PortalResource):
    process = process_field()
    country = country_field()
    organization = fields.Field(
        attribute="organization", column_name="organization", widget=LookupWidget(Organization, "slug")
    )

    class Meta(PortalResource.Meta):
        model = Participation
        import_id_fields = ("process", "country", "organization", "role", "since_year")
        fields = ("process", "country", "organization", "role", "since_year", "until_year", "confidence", "source")
        export_order = fields


class ChairmanshipResource(PortalResource):
    process = process_field()
    country = country_field()

    class Meta(PortalResource.Meta):
        model = Chairmanship
        import_id_fields = ("process", "country", "start_year")
        fields = ("process", "country", "start_year", "end_year", "is_co_chair", "confidence", "source")
        export_order = fields


class FocalPointResource(PortalResource):
    process = process_field()
    country = country_field()

    class Meta(PortalResource.Meta):
        model = FocalPoint
        import_id_fields = ("process", "role", "country", "institution")
        fields = (
            "process",
            "role",
            "country",
            "institution",
            "position",
            "name",
            "email",
            "phone",
            "consent_to_publish",
            "consent_date",
            "visibility",
        )
        export_order = fields
