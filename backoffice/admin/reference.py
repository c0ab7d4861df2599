"""Back office for reference data: regions, countries, organizations, themes, addressee groups."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
)
from reference.models import AddresseeGroup, Country, Organization, Region, Theme


@admin.register(Region)
class RegionAdmin(PortalHistoryAdmin):
    list_display = ("name", "code", "level", "parent", "country_count")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "code", "level", "parent")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(country_count=Count("countries"))

    @admin.display(description=_("countries"), ordering="country_count")
    def country_count(self, obj):
        return obj.country_count


@admin.register(Country)
class CountryAdmin(PortalHistoryAdmin):
    list_display = ("name", "code", "alpha3", "region", "process_count")
    list_filter = (("region", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("region",)
    search_fields = ("name", "official_name", "code", "alpha3")
    autocomplete_fields = ("region",)
    fieldsets = (
        (None, {"fields": ("name", "official_name", "region")}),
        (_("Codes"), {"fields": ("code", "alpha3", "numeric")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(process_count=Count("participations__process", distinct=True))

    @admin.display(description=_("processes"), ordering="process_count")
    def process_count(self, obj):
        return obj.process_count


@admin.register(Organization)
class OrganizationAdmin(PortalHistoryAdmin):
    list_display = ("name", "acronym", "kind", "website", "secretariat_count", "participation_count")
    list_filter = ("kind",)
    search_fields = ("name", "acronym")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "acronym", "slug", "kind", "website")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                secretariat_count=Count("secretariat_of", distinct=True),
                participation_count=Count("participations", distinct=True),
            )
        )

    @admin.display(description=_("secretariat of"), ordering="secretariat_count")
    def secretariat_count(self, obj):
        return obj.secretariat_count

    @admin.display(description=_("participations"), ordering="participation_count")
    def participation_count(self, obj):
        return obj.participation_count


@admin.register(Theme)
class ThemeAdmin(PortalHistoryAdmin):
    list_display = ("name", "slug", "process_count")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(process_count=Count("processes"))

    @admin.display(description=_("processes"), ordering="process_count")
    def process_count(self, obj):
        return obj.process_count


@admin.register(AddresseeGroup)
class AddresseeGroupAdmin(PortalHistoryAdmin):
    list_display = ("name", "slug", "recommendation_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recommendation_count=Count("recommendations"))

    @admin.display(description=_("recommendations"), ordering="recommendation_count")
    def recommendation_count(self, obj):
        return obj.recommendation_count


# Processes ------------------------------------------------------------------------
