"""The filters of /exchange/: direction, process, kind, theme, dates and a search."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.directory import SortFilter
from core.pagecache import cached_subset
from core.search import search_filter
from rcps.models import Process
from reference.filters import GcmObjectiveFilter
from reference.models import Theme

from .models import Dispatch

DATE = forms.DateInput(attrs={"type": "date"})


def processes_with_dispatches(request=None):
    public = Dispatch.objects.public()
    return Process.objects.public().filter(
        Q(pk__in=public.values("sender_process"))
        | Q(pk__in=Dispatch.addressed_processes.through.objects.filter(dispatch__in=public).values("process"))
        | Q(pk__in=Dispatch.sending_processes.through.objects.filter(dispatch__in=public).values("process"))
    )


def themes_with_dispatches(request=None):
    return Theme.objects.filter(pk__in=Dispatch.objects.public().values("themes"))


class DispatchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=search_filter(["title", "body"]))
    direction = django_filters.ChoiceFilter(
        label=_("Direction"), choices=Dispatch.Direction.choices, empty_label=_("Every direction")
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        queryset=cached_subset("exchange.processes", Process, processes_with_dispatches, depends_on=[Dispatch]),
        to_field_name="slug",
        method="filter_process",
        empty_label=_("Any process"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Dispatch.Kind.choices, empty_label=_("Any kind"))
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=cached_subset("exchange.themes", Theme, themes_with_dispatches, depends_on=[Dispatch]),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("Any theme"),
    )
    # Good practices (issue 16): records tagged with a GCM objective, ?gcm=6.
    gcm = GcmObjectiveFilter()
    date_from = django_filters.DateFilter(
        label=_("Dated from"), field_name="published_at", lookup_expr="date__gte", widget=DATE
    )
    date_to = django_filters.DateFilter(
        label=_("Dated until"), field_name="published_at", lookup_expr="date__lte", widget=DATE
    )
    sort = SortFilter(
        fields=(("published_at", "date"), ("title", "title")),
        field_labels={
            "-published_at": _("Newest first"),
            "published_at": _("Oldest first"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
        },
    )

    class Meta:
        model = Dispatch
        fields = []

    def filter_process(self, queryset, name, process):
        """Sent by the process, addressed to it, or addressed to every process."""
        return queryset.concerning([process])
