"""The filters of /practices/: the facets (GCM objective, SDG target, theme, region, country, process, year)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.directory import SortFilter
from core.pagecache import cached_subset
from core.search import search_filter
from rcps.models import Process
from reference.filters import GcmObjectiveFilter
from reference.models import Country, Region, SdgTarget, Theme

from .models import CallForPractices, Practice


def _used(model, field):
    """Rows of `model` that public practices use through `field` (a filter's choices)."""

    def subset(request=None):
        return model.objects.filter(pk__in=Practice.objects.public().values(field))

    return cached_subset(f"practices.{field}", model, subset, depends_on=[Practice])


class PracticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=search_filter(["title", "summary", "what_was_done", "results", "lessons_learned"])
    )
    gcm = GcmObjectiveFilter()
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG target"),
        queryset=SdgTarget.objects.all(),
        to_field_name="code",
        field_name="sdg_targets",
        empty_label=_("Any target"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=_used(Theme, "themes"), to_field_name="slug", field_name="themes",
        empty_label=_("Any theme"),
    )  # fmt: skip
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=_used(Region, "regions"), to_field_name="slug", field_name="regions",
        empty_label=_("Any region"),
    )  # fmt: skip
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=_used(Country, "countries"), to_field_name="code", field_name="countries",
        empty_label=_("Any country"),
    )  # fmt: skip
    process = django_filters.ModelChoiceFilter(
        label=_("Implementing process"),
        queryset=_used(Process, "implementing_processes"),
        to_field_name="slug",
        field_name="implementing_processes",
        empty_label=_("Any process"),
    )
    year = django_filters.NumberFilter(
        label=_("Started in (year)"), field_name="start_year", min_value=1900, max_value=2100
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Call for practices"), queryset=CallForPractices.objects.public(), empty_label=_("Any call")
    )
    sort = SortFilter(
        fields=(("dispatch__published_at", "published"), ("title", "title"), ("start_year", "year")),
        field_labels={
            "-dispatch__published_at": _("Newest first"),
            "dispatch__published_at": _("Oldest first"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
            "-start_year": _("Started most recently"),
            "start_year": _("Started longest ago"),
        },
    )

    class Meta:
        model = Practice
        fields = []
