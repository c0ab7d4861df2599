"""Filters of the public directories of processes, focal points and countries."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.directory import SortFilter
from core.pagecache import cached_subset
from core.search import search_filter, search_terms
from reference.models import Country, Region, Theme

from .models import FocalPoint, Participation, Process
from .scoping import participant_process_ids

NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})


def public_processes(request=None):
    return Process.objects.public()


def with_own_processes(options):
    """A process filter's `queryset=` callable: `options(request)` plus a signed-in participant's own
    processes (whose participants-only rows they see listed); nothing of other processes is added."""

    def queryset(request=None):
        rows = options(request)
        own = participant_process_ids(request.user) if request is not None else ()
        return rows | Process.objects.filter(pk__in=own) if own else rows

    return queryset


class ProcessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=search_filter(["name", "acronym", "region_note", "description", "other_names"]),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Process.Kind.choices, empty_label=_("Any kind"))
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.selectable(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("Any region"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=cached_subset(
            "processes.themes",
            Theme,
            lambda: Theme.objects.filter(pk__in=Process.objects.public().values("themes")),
            depends_on=[Process],
        ),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("Any theme"),
    )
    md_stance = django_filters.ChoiceFilter(
        label=_("Migration and development (2007)"), choices=Process.MDStance.choices, empty_label=_("Any")
    )
    member = django_filters.ModelChoiceFilter(
        label=_("Member country"),
        queryset=cached_subset(
            "processes.members",
            Country,
            lambda: Country.objects.filter(
                pk__in=Participation.objects.public().filter(role=Participation.Role.MEMBER).values("country")
            ),
            depends_on=[Participation, Process],
        ),
        to_field_name="code",
        method="filter_member",
        empty_label=_("Any country"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Process.Status.choices, empty_label=_("Any"))
    established_from = django_filters.NumberFilter(
        label=_("Established from (year)"), field_name="year_established", lookup_expr="gte", widget=NUMBER
    )
    established_to = django_filters.NumberFilter(
        label=_("Established until (year)"), field_name="year_established", lookup_expr="lte", widget=NUMBER
    )
    sort = SortFilter(
        fields=(("name", "name"), ("year_established", "established"), ("member_count", "members")),
        field_labels={
            "name": _("Name (A–Z)"),
            "-name": _("Name (Z–A)"),
            "year_established": _("Oldest first"),
            "-year_established": _("Newest first"),
            "-member_count": _("Most members"),
            "member_count": _("Fewest members"),
        },
    )

    class Meta:
        model = Process
        fields = []

    def filter_region(self, queryset, name, region):
        return queryset.filter(
            pk__in=Process.regions.through.objects.filter(region__in=region.with_subregion_ids()).values("process")
        )

    def filter_member(self, queryset, name, country):
        return queryset.filter(
            pk__in=Participation.objects.filter(country=country, role=Participation.Role.MEMBER).values("process")
        )


class FocalPointFilterSet(django_filters.FilterSet):
    # Names are searchable only where their publication is consented to, or a search would reveal them.
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        queryset=with_own_processes(
            cached_subset(
                "focalpoints.processes",
                Process,
                lambda: public_processes().filter(pk__in=FocalPoint.objects.public().values("process")),
                depends_on=[FocalPoint],
            )
        ),
        to_field_name="slug",
        empty_label=_("Any process"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=cached_subset(
            "focalpoints.countries",
            Country,
            lambda: Country.objects.filter(pk__in=FocalPoint.objects.public().values("country")),
            depends_on=[FocalPoint],
        ),
        to_field_name="code",
        empty_label=_("Any country"),
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=FocalPoint.Role.choices, empty_label=_("Any role"))
    sort = SortFilter(
        fields=(("process__name", "process"), ("country__name", "country"), ("institution", "institution")),
        field_labels={
            "process__name": _("Process"),
            "-process__name": _("Process (Z–A)"),
            "country__name": _("Country"),
            "-country__name": _("Country (Z–A)"),
            "institution": _("Institution"),
            "-institution": _("Institution (Z–A)"),
        },
    )

    class Meta:
        model = FocalPoint
        fields = []

    def filter_q(self, queryset, name, value):
        for word in search_terms(value):
            queryset = queryset.filter(
                Q(institution__icontains=word)
                | Q(position__icontains=word)
                | Q(process__name__icontains=word)
                | Q(process__acronym__icontains=word)
                | Q(country__name__icontains=word)
                | Q(consent_to_publish=True, name__icontains=word)
            )
        return queryset


class CountryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=search_filter(["name", "official_name", "code", "alpha3"]))
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.selectable(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("Any region"),
    )
    processes_min = django_filters.NumberFilter(
        label=_("Takes part in at least (processes)"), field_name="process_count", lookup_expr="gte", widget=NUMBER
    )
    processes_max = django_filters.NumberFilter(
        label=_("Takes part in at most (processes)"), field_name="process_count", lookup_expr="lte", widget=NUMBER
    )
    sort = SortFilter(
        fields=(("name", "name"), ("process_count", "processes")),
        field_labels={
            "name": _("Name (A–Z)"),
            "-name": _("Name (Z–A)"),
            "-process_count": _("Most processes"),
            "process_count": _("Fewest processes"),
        },
    )

    class Meta:
        model = Country
        fields = []

    def filter_region(self, queryset, name, region):
        return queryset.filter(region__in=region.with_subregion_ids())
