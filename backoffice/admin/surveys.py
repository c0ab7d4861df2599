"""Back office for surveys of processes and their responses."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalTabularInline,
    SourcedAdminMixin,
)
from surveys.models import Survey, SurveyResponse

# Surveys ---------------------------------------------------------------------------


class SurveyResponseInline(PortalTabularInline):
    model = SurveyResponse
    fields = ("list_order", "process", "name_in_survey", "status", "confidence")
    autocomplete_fields = ("process",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("process")


@admin.register(Survey)
class SurveyAdmin(SourcedAdminMixin, PortalHistoryAdmin):
    list_display = ("title", "year", "conducted_by", "response_count")
    list_filter = ("year",)
    search_fields = ("title", "conducted_by", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (SurveyResponseInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "year", "conducted_by", "description")}),
        SourcedAdminMixin.sources_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(response_count=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count


@admin.register(SurveyResponse)
class SurveyResponseAdmin(SourcedAdminMixin, PortalHistoryAdmin):
    list_display = ("process", "survey", "status", "name_in_survey", "list_order")
    list_filter = ("status", ("survey", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("process", "survey")
    search_fields = ("process__name", "process__acronym", "name_in_survey", "survey__title")
    autocomplete_fields = ("survey", "process")
    fieldsets = (
        (None, {"fields": ("survey", "process", "status", "name_in_survey", "list_order")}),
        SourcedAdminMixin.sources_fieldset,
    )
