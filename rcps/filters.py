"""Filters of the public directories of processes, recommendations, focal points and countries."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from portal.directory import SortFilter, search_terms
from portal.pagecache import cached_subset

from .models import (
    AddresseeGroup,
    Country,
    FocalPoint,
    FollowUp,
    Participation,
    Process,
    Recommendation,
    Region,
    Theme,
    Visibility,
)

NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})


def search_filter(fields):
    """A `q` method: every word must appear in one of `fields` (case-insensitive)."""

    def method(queryset, name, value):
        for word in search_terms(value):
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    return method


def region_and_subregions(region):
    """The ids of a region and every region inside it (one query over the small M49 tree)."""
    children = {}
    for pk, parent_id in Region.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [region.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo.extend(children.get(pk, []))
    return ids


def public_processes(request=None):
    return Process.objects.public()


def region_choices(request=None):
    return Region.objects.exclude(level=Region.Level.WORLD)


class ProcessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=search_filter(["name", "acronym", "region_note", "description", "other_names"]),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Process.Kind.choices, empty_label=_("Any kind"))
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=region_choices,
        to_field_name="slug",
        method="filter_region",
        empty_label=_("Any region"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=cached_subset(
            "processes.themes", Theme, lambda: Theme.objects.filter(processes__visibility=Visibility.PUBLIC).distinct()
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
            pk__in=Process.regions.through.objects.filter(region__in=region_and_subregions(region)).values("process")
        )

    def filter_member(self, queryset, name, country):
        return queryset.filter(
            pk__in=Participation.objects.filter(country=country, role=Participation.Role.MEMBER).values("process")
        )


class RecommendationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=search_filter(["title", "text", "addressees_note", "issuing_body"])
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Issued by"),
        queryset=cached_subset(
            "recommendations.sources",
            Process,
            lambda: public_processes().filter(pk__in=Recommendation.objects.public().values("issuing_process")),
        ),
        to_field_name="slug",
        field_name="issuing_process",
        empty_label=_("Any process or the GFMD"),
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Source meeting (number)"),
        queryset=lambda request: Meeting.objects.public().filter(
            pk__in=Recommendation.objects.public().values("source_meeting")
        ),
        field_name="source_meeting",
        # A number box, not a select of every meeting (see meetings.filters.DocumentFilterSet).
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=cached_subset(
            "recommendations.themes",
            Theme,
            lambda: Theme.objects.filter(recommendations__visibility=Visibility.PUBLIC).distinct(),
        ),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("Any theme"),
    )
    addressee = django_filters.ModelChoiceFilter(
        label=_("Addressed to"),
        queryset=AddresseeGroup.objects.all(),
        to_field_name="slug",
        field_name="addressee_groups",
        empty_label=_("Anyone"),
    )
    addressed_process = django_filters.ModelChoiceFilter(
        label=_("Addressed to process"),
        queryset=public_processes,
        to_field_name="slug",
        field_name="addressed_processes",
        empty_label=_("Any process"),
    )
    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up status"),
        choices=[*FollowUp.Status.choices, ("none", _("No follow-up recorded"))],
        method="filter_follow_up",
        empty_label=_("Any"),
    )
    sort = SortFilter(
        fields=(("year", "year"), ("title", "title")),
        field_labels={
            "-year": _("Newest first"),
            "year": _("Oldest first"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
        },
    )

    class Meta:
        model = Recommendation
        fields = []

    def filter_follow_up(self, queryset, name, value):
        follow_ups = FollowUp.objects.public()
        if value == "none":
            return queryset.exclude(pk__in=follow_ups.values("recommendation"))
        return queryset.filter(pk__in=follow_ups.filter(status=value).values("recommendation"))


class FocalPointFilterSet(django_filters.FilterSet):
    # Names are searchable only where their publication is consented to, or a search would reveal them.
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        queryset=cached_subset(
            "focalpoints.processes",
            Process,
            lambda: public_processes().filter(pk__in=FocalPoint.objects.public().values("process")),
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
        queryset=region_choices,
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
        return queryset.filter(region__in=region_and_subregions(region))
