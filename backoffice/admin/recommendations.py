"""Back office for recommendations and the follow-ups processes record."""

from django.contrib import admin
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalTabularInline,
    PublishableAdminMixin,
    SourcedAdminMixin,
    UncertaintyListFilter,
    visibility_fieldset,
    with_translations,
)
from backoffice.imports import PortalImportExportMixin
from backoffice.resources import (
    FollowUpResource,
    RecommendationResource,
)
from core.queries import count_subquery
from rcps import scoping
from recommendations.models import FollowUp, Recommendation


class FollowUpMissingListFilter(admin.SimpleListFilter):
    """Recommendations addressed to the user's processes that none of them has followed up (the start page's link)."""

    title = _("your follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return (
            [("missing", _("Addressed to you, no follow-up yet"))] if scoping.served_process_ids(request.user) else []
        )

    def queryset(self, request, queryset):
        ids = scoping.served_process_ids(request.user)
        if self.value() == "missing" and ids:
            return queryset.filter(pk__in=Recommendation.objects.awaiting_follow_up_from(ids).values("pk"))
        return queryset


class FollowUpInline(PortalTabularInline):
    model = FollowUp
    fields = ("process", "status", "date", "note", "evidence_url", "evidence_document", "visibility")
    autocomplete_fields = ("process", "evidence_document")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("process", "evidence_document")


@admin.register(Recommendation)
class RecommendationAdmin(PublishableAdminMixin, SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [RecommendationResource]
    list_display = (
        "title",
        "kind",
        "year",
        "issued_by",
        "source_meeting",
        "follow_up_count",
        "visibility",
        "uncertain_flag",
    )
    list_filter = (
        FollowUpMissingListFilter,
        "kind",
        "year",
        ("issuing_process", admin.RelatedOnlyFieldListFilter),
        # Short public vocabularies: list them all rather than scan 50,000 rows for the ones in use.
        ("addressee_groups", admin.RelatedFieldListFilter),
        ("themes", admin.RelatedFieldListFilter),
        "is_verbatim",
        "visibility",
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("issuing_process", "source_meeting")
    search_fields = ("title", "text", "issuing_body", "issuing_process__name", "issuing_process__acronym")
    autocomplete_fields = (
        "issuing_process",
        "source_meeting",
        "source_document",
        "addressee_groups",
        "addressed_processes",
        "themes",
    )
    inlines = (FollowUpInline,)
    fieldsets = (
        (_("Text"), {"fields": ("title", "text", "is_verbatim", "kind", "kind_note", "year")}),
        (
            _("Issued by"),
            {
                "fields": ("issuing_process", "issuing_body", "source_meeting", "source_document"),
                "description": _("Choose the issuing process, or name the issuing body where it is not in the portal."),
            },
        ),
        (_("Addressed to"), {"fields": ("addressee_groups", "addressed_processes", "addressees_note")}),
        (_("Themes"), {"fields": ("themes", "stated_themes", "gcm_objectives", "sdg_targets")}),
        (_("Outcome"), {"fields": ("outcome_note",)}),
        SourcedAdminMixin.sources_fieldset,
        visibility_fieldset(),
    )
    fieldsets = with_translations(fieldsets, "title", "text")

    def get_queryset(self, request):
        follow_ups = FollowUp.objects.filter(recommendation=OuterRef("pk"))
        return super().get_queryset(request).annotate(follow_up_count=count_subquery(follow_ups))

    @admin.display(description=_("issued by"), ordering="issuing_process__name")
    def issued_by(self, obj):
        return obj.issuing_process.short_name if obj.issuing_process else obj.issuing_body

    @admin.display(description=_("follow-ups"), ordering="follow_up_count")
    def follow_up_count(self, obj):
        return obj.follow_up_count


@admin.register(FollowUp)
class FollowUpAdmin(PublishableAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [FollowUpResource]
    list_display = ("recommendation", "process", "status", "date", "visibility")
    # A date filter rather than date_hierarchy, whose year links scan the whole table on every page.
    list_filter = ("status", "visibility", "date", ("process", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("recommendation", "process")
    search_fields = ("recommendation__title", "process__name", "process__acronym", "note")
    autocomplete_fields = ("recommendation", "process", "evidence_document")
    fieldsets = (
        (None, {"fields": ("recommendation", "process", "status", "date", "note")}),
        (
            _("Evidence"),
            {
                "fields": ("evidence_url", "evidence_document", "source"),
                "description": _("A web address or a document in the portal showing what was done."),
            },
        ),
        visibility_fieldset(),
    )
