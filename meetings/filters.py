"""Filters of the public directories of meetings and documents."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.directory import SortFilter
from core.pagecache import cached_subset, cached_value, rows_tag
from core.search import search_filter
from rcps.filters import public_processes
from reference.filters import GcmObjectiveFilter
from reference.models import Country, Theme

from .models import Document, Meeting

DATE = forms.DateInput(attrs={"type": "date"})
MEETING_NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=search_filter(["title", "city", "host", "description", "session_code"])
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Organizing process"),
        queryset=public_processes,
        to_field_name="slug",
        method="filter_process",
        empty_label=_("Any process"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Meeting.Kind.choices, empty_label=_("Any kind"))
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=cached_subset(
            "meetings.countries",
            Country,
            lambda: Country.objects.filter(pk__in=Meeting.objects.public().values("country")),
            depends_on=[Meeting],
        ),
        to_field_name="code",
        empty_label=_("Any country"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=cached_subset(
            "meetings.themes",
            Theme,
            lambda: Theme.objects.filter(pk__in=Meeting.objects.public().values("themes")),
            depends_on=[Meeting],
        ),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("Any theme"),
    )
    # Good practices (issue 16): records tagged with a GCM objective, ?gcm=6.
    gcm = GcmObjectiveFilter()
    date_from = django_filters.DateFilter(label=_("From (date)"), method="filter_date_from", widget=DATE)
    date_to = django_filters.DateFilter(
        label=_("Until (date)"), field_name="start_date", lookup_expr="lte", widget=DATE
    )
    when = django_filters.ChoiceFilter(
        label=_("Upcoming or past"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("All"),
    )
    sessions = django_filters.BooleanFilter(
        label=_("Include roundtables and sessions"), method="filter_sessions", widget=forms.CheckboxInput
    )
    sort = SortFilter(
        fields=(("start_date", "date"), ("title", "title")),
        field_labels={
            "-start_date": _("Newest first"),
            "start_date": _("Oldest first"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
        },
    )

    class Meta:
        model = Meeting
        fields = []

    @property
    def qs(self):
        # Sessions (e.g. GFMD roundtables) are listed on their meeting's page unless asked for.
        queryset = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sessions")):
            queryset = queryset.top_level()
        return queryset

    def filter_process(self, queryset, name, process):
        return queryset.organized_by(process)

    def filter_date_from(self, queryset, name, value):
        # A meeting still running on the day counts, so compare its last day.
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))

    def filter_when(self, queryset, name, value):
        return queryset.upcoming() if value == "upcoming" else queryset.past()

    def filter_sessions(self, queryset, name, value):
        return queryset


def document_years(request=None):
    def years():
        return list(
            Document.objects.public().exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()
        )

    return [(str(year), year) for year in cached_value("documents.years", years, depends_on=[rows_tag(Document)])]


class DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=search_filter(["title", "reference", "author", "description"])
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        queryset=public_processes,
        to_field_name="slug",
        method="filter_process",
        empty_label=_("Any process"),
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting (number)"),
        queryset=lambda request: Meeting.objects.public().filter(pk__in=Document.objects.public().values("meeting")),
        # A number box, not a select: one option per meeting would be tens of thousands of options
        # rendered on every request. Meeting pages link here with ?meeting=<number>.
        widget=MEETING_NUMBER,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Document.Kind.choices, empty_label=_("Any kind"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Document.Language.choices, empty_label=_("Any language")
    )
    year = django_filters.ChoiceFilter(label=_("Year"), choices=document_years, empty_label=_("Any year"))
    sort = SortFilter(
        fields=(("date", "date"), ("title", "title")),
        field_labels={
            "-date": _("Newest first"),
            "date": _("Oldest first"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
        },
    )

    class Meta:
        model = Document
        fields = []

    def filter_process(self, queryset, name, process):
        # A process's documents: attached to it, or to a meeting it organized.
        return queryset.filter(Q(process=process) | Q(meeting__in=Meeting.objects.organized_by(process).values("pk")))
