"""Filters of the public directory of recommendations."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.directory import SortFilter
from core.pagecache import cached_subset
from core.search import search_filter
from meetings.models import Meeting
from rcps.filters import public_processes, with_own_processes
from rcps.models import Process
from reference.filters import GcmObjectiveFilter
from reference.models import AddresseeGroup, Theme

from .models import FollowUp, Recommendation


class RecommendationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=search_filter(["title", "text", "addressees_note", "issuing_body"])
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Issued by"),
        queryset=with_own_processes(
            cached_subset(
                "recommendations.sources",
                Process,
                lambda: public_processes().filter(pk__in=Recommendation.objects.public().values("issuing_process")),
                depends_on=[Recommendation],
            )
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
            lambda: Theme.objects.filter(pk__in=Recommendation.objects.public().values("themes")),
            depends_on=[Recommendation],
        ),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("Any theme"),
    )
    # Good practices (issue 16): records tagged with a GCM objective, ?gcm=6.
    gcm = GcmObjectiveFilter()
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
    year_from = django_filters.NumberFilter(
        label=_("From the year"),
        field_name="year",
        lookup_expr="gte",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900, "max": 2100}),
    )
    year_to = django_filters.NumberFilter(
        label=_("Until the year"),
        field_name="year",
        lookup_expr="lte",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900, "max": 2100}),
    )
    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up status"),
        choices=[*FollowUp.Status.choices, ("none", _("No follow-up recorded"))],
        method="filter_follow_up",
        empty_label=_("Any"),
    )
    follow_up_by = django_filters.ModelChoiceFilter(
        label=_("Follow-up recorded by"),
        queryset=cached_subset(
            "recommendations.follow-up-processes",
            Process,
            lambda: public_processes().filter(pk__in=FollowUp.objects.public().values("process")),
            depends_on=[FollowUp],
        ),
        to_field_name="slug",
        method="filter_follow_up_by",
        empty_label=_("Any process"),
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

    def _follow_ups(self):
        """Public follow-ups, of the process chosen in `follow_up_by` when there is one."""
        follow_ups = FollowUp.objects.public()
        process = self.form.cleaned_data.get("follow_up_by")
        return follow_ups.filter(process=process) if process else follow_ups

    def filter_follow_up(self, queryset, name, value):
        # With `follow_up_by`, the status is that process's: "implemented by the Colombo Process".
        follow_ups = self._follow_ups()
        if value == "none":
            return queryset.exclude(pk__in=follow_ups.values("recommendation"))
        return queryset.filter(pk__in=follow_ups.filter(status=value).values("recommendation"))

    def filter_follow_up_by(self, queryset, name, process):
        return queryset.filter(pk__in=FollowUp.objects.public().filter(process=process).values("recommendation"))
