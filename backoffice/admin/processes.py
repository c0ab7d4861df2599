"""Back office for processes, their participants, chairs and focal points."""

from django.contrib import admin
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    CurrentListFilter,
    PortalHistoryAdmin,
    PortalTabularInline,
    SourcedAdminMixin,
    UncertaintyListFilter,
    visibility_fieldset,
    with_translations,
)
from backoffice.imports import PortalImportExportMixin
from backoffice.resources import (
    ChairmanshipResource,
    FocalPointResource,
    ParticipationResource,
    ProcessResource,
)
from core.queries import count_subquery
from meetings.models import profile_gap_condition, with_profile_gaps
from rcps.models import Chairmanship, FocalPoint, Participation, Process


class ProfileGapListFilter(admin.SimpleListFilter):
    """Processes whose profile lacks a member list, a chair, or a meeting in the last 12 months."""

    title = _("profile")
    parameter_name = "profile"

    def lookups(self, request, model_admin):
        return [("stale", _("Something missing"))]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            stale = with_profile_gaps(Process.objects.all()).filter(profile_gap_condition())
            return queryset.filter(pk__in=stale.values("pk"))
        return queryset


class ChairmanshipCurrentListFilter(CurrentListFilter):
    end_field = "end_year"


# Reference data -------------------------------------------------------------------


class ParticipationInline(PortalTabularInline):
    model = Participation
    fields = ("country", "organization", "role", "since_year", "until_year", "confidence")
    autocomplete_fields = ("country", "organization")
    verbose_name = _("participant")
    verbose_name_plural = _("participants (name a country or an organization in each row, not both)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country", "organization")


class ChairmanshipInline(PortalTabularInline):
    model = Chairmanship
    fields = ("country", "start_year", "end_year", "is_co_chair", "title", "period_note", "confidence")
    autocomplete_fields = ("country",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class FocalPointInline(PortalTabularInline):
    model = FocalPoint
    fields = ("role", "country", "institution", "position", "name", "consent_to_publish", "visibility")
    autocomplete_fields = ("country",)
    classes = ("collapse",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


@admin.register(Process)
class ProcessAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [ProcessResource]
    list_display = (
        "name",
        "acronym",
        "kind",
        "year_established",
        "md_stance",
        "status",
        "member_count",
        "secretariat",
        "visibility",
        "uncertain_flag",
    )
    list_filter = (
        ProfileGapListFilter,
        "kind",
        "status",
        "md_stance",
        "level",
        ("regions", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        "visibility",
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("secretariat",)
    search_fields = ("name", "acronym", "other_names", "slug", "secretariat__name", "secretariat__acronym")
    autocomplete_fields = ("secretariat", "regions", "themes")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ParticipationInline, ChairmanshipInline, FocalPointInline)
    fieldsets = (
        (
            _("Identity"),
            {"fields": ("name", "acronym", "slug", "other_names", "kind", "kind_note", "status", "level")},
        ),
        (
            _("History and description"),
            {"fields": ("year_established", "established_note", "description", "website", "website_note")},
        ),
        (_("Scope"), {"fields": ("regions", "region_note")}),
        (_("Members"), {"fields": ("member_list", "member_list_note")}),
        (_("Secretariat and chair"), {"fields": ("secretariat", "secretariat_note", "chair_note")}),
        (_("Themes"), {"fields": ("md_stance", "themes", "stated_priorities")}),
        SourcedAdminMixin.sources_fieldset,
        visibility_fieldset(),
    )
    fieldsets = with_translations(fieldsets, "name", "acronym", "description")

    def get_queryset(self, request):
        # Counted for the page's rows only (a correlated subquery), not by joining and grouping
        # every participation of the table before the page is cut.
        current_members = Participation.objects.filter(
            process=OuterRef("pk"), role=Participation.Role.MEMBER, until_year__isnull=True
        )
        return super().get_queryset(request).annotate(member_count=count_subquery(current_members))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Participation)
class ParticipationAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [ParticipationResource]
    list_display = ("__str__", "process", "role", "since_year", "until_year", "uncertain_flag")
    list_display_links = ("__str__",)
    list_filter = (
        "role",
        CurrentListFilter,
        "process__kind",
        ("process", admin.RelatedOnlyFieldListFilter),
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("process", "country", "organization")
    search_fields = (
        "process__name",
        "process__acronym",
        "country__name",
        "country__code",
        "organization__name",
        "organization__acronym",
    )
    autocomplete_fields = ("process", "country", "organization")
    fieldsets = (
        (
            _("Who takes part"),
            {
                "fields": ("process", "country", "organization", "role"),
                "description": _("Name either a country or an organization, not both."),
            },
        ),
        (_("Period"), {"fields": ("since_year", "until_year")}),
        SourcedAdminMixin.sources_fieldset,
    )


@admin.register(Chairmanship)
class ChairmanshipAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [ChairmanshipResource]
    list_display = ("country", "process", "start_year", "end_year", "is_co_chair", "uncertain_flag")
    list_filter = (
        ChairmanshipCurrentListFilter,
        "is_co_chair",
        ("process", admin.RelatedOnlyFieldListFilter),
        "confidence",
    )
    list_select_related = ("process", "country")
    search_fields = ("process__name", "process__acronym", "country__name", "country__code")
    autocomplete_fields = ("process", "country")
    fieldsets = (
        (None, {"fields": ("process", "country", "is_co_chair", "title", "start_year", "end_year", "period_note")}),
        SourcedAdminMixin.sources_fieldset,
    )


@admin.register(FocalPoint)
class FocalPointAdmin(PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [FocalPointResource]
    list_display = ("institution", "role", "country", "process", "position", "name", "consent_to_publish", "visibility")
    list_filter = ("role", "consent_to_publish", "visibility", ("process", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("process", "country")
    # By its first column, which an index serves: the model's order (process, role, country names)
    # sorts every focal point of the table through two joins for each page.
    ordering = ("institution", "id")
    search_fields = ("institution", "position", "name", "email", "country__name", "process__name", "process__acronym")
    autocomplete_fields = ("process", "country")
    fieldsets = (
        (_("Role"), {"fields": ("process", "role", "country")}),
        (_("Contact"), {"fields": ("institution", "position", "name", "email", "phone")}),
        (
            _("Consent"),
            {
                "fields": ("consent_to_publish", "consent_date"),
                "description": _(
                    "Name, e-mail and phone are personal data. The public sees them only when the person's "
                    "consent to publication is recorded here, with its date."
                ),
            },
        ),
        visibility_fieldset(),
    )


# Recommendations and follow-up ------------------------------------------------------
