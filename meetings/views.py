"""Public pages about meetings and documents."""

from pathlib import PurePath

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from core.charts import years_chart
from core.dates import date_range
from core.directory import DirectoryView
from core.exports import Cell, DetailUrl, Related, choice, field, or_empty
from core.models import Visibility
from core.pagecache import PageDependenciesMixin, anonymous_value, rows_tag, vocabularies
from core.preview import PreviewableDetailMixin
from core.uploads import checked_file_response
from rcps.models import Process
from rcps.publishing import publish_actions

from .filters import DocumentFilterSet, MeetingFilterSet
from .models import Document, Meeting


class MeetingListView(DirectoryView):
    filterset_class = MeetingFilterSet
    template_name = "meetings/meeting_list.html"
    export_filename = "meetings"
    export_url = DetailUrl("meetings:meeting_detail")
    export_columns = (
        ("title", field("title")),
        ("session_code", field("session_code")),
        ("part_of", Cell(or_empty, "parent__title")),
        ("kind", choice("kind")),
        ("start_date", field("start_date")),
        ("end_date", field("end_date")),
        ("dates", Cell(date_range, "start_date", "end_date", "date_precision")),
        ("status", choice("status")),
        ("city", field("city")),
        ("country", Cell(or_empty, "country__name")),
        (
            "organizing_processes",
            Cell(list, Related("organizing_processes", Process.objects.public, label=lambda p: p.short_name)),
        ),
        ("themes", Cell(list, Related("themes"))),
        ("website", field("website")),
        ("source", field("source")),
    )

    def get_queryset(self):
        return Meeting.objects.public_or_readable_by(self.request.user).with_public_related().prefetch_related("themes")

    def get_context_data(self, **kwargs):
        # The filtered meetings counted per year: one grouped query per filtering, whatever the page.
        chart = None
        if not self.filterset.is_bound or self.filterset.is_valid():
            chart = years_chart(self.cached_for_filters("meetings.per-year", self.object_list.per_year))
        return super().get_context_data(meetings_chart=chart, **kwargs)


class MeetingDetailView(PageDependenciesMixin, PreviewableDetailMixin, DetailView):
    model = Meeting
    depends_on_models = ("recommendations.followup",)  # the statuses of its recommendations
    participants_layer = True
    template_name = "meetings/meeting_detail.html"

    def get_preview_actions(self, obj):
        return publish_actions(self.request, obj)

    def detail_queryset(self, records):
        public_processes = Process.objects.public()
        return records.with_public_related().prefetch_related(
            "themes",
            "chairs",
            "participating_countries",
            "participating_organizations",
            Prefetch("represented_processes", queryset=public_processes),
            Prefetch("invited_processes", queryset=public_processes),
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        user = self.request.user
        # Its sessions, documents and recommendations bump its record; a session's chairs, the session's.
        sessions = anonymous_value(
            self.request,
            f"meeting:{meeting.pk}:sessions",
            lambda: list(
                Meeting.objects.public_or_readable_by(user)
                .filter(parent=meeting)
                .prefetch_related("chairs")
                .order_by("session_code", "start_date", "title")
            ),
            [meeting, *vocabularies(), rows_tag(Meeting)],
        )
        records = anonymous_value(
            self.request,
            f"meeting:{meeting.pk}:records",
            lambda: {
                "documents": list(Document.objects.public_or_readable_by(user).filter(meeting=meeting)),
                # Through the reverse relation: recommendations sit above meetings and are not imported here.
                "recommendations": list(
                    meeting.recommendations.public_or_readable_by(user).with_follow_up_badges(reader=user)
                ),
            },
            [meeting, *vocabularies(), *self.depends_on_models],
        )
        return super().get_context_data(sessions=sessions, **records, **kwargs)


class DocumentListView(DirectoryView):
    filterset_class = DocumentFilterSet
    template_name = "meetings/document_list.html"
    export_filename = "documents"
    export_url = DetailUrl("meetings:document_detail")
    export_columns = (
        ("title", field("title")),
        ("kind", choice("kind")),
        ("language", choice("language")),
        ("date", field("date")),
        ("year", field("year")),
        ("process", Cell(or_empty, "process__name")),
        ("meeting", Cell(or_empty, "meeting__title")),
        ("reference", field("reference")),
        ("author", field("author")),
        ("web_address", field("url")),
        ("source", field("source")),
    )

    def get_queryset(self):
        return Document.objects.public_or_readable_by(self.request.user).with_related()


class DocumentDetailView(PageDependenciesMixin, PreviewableDetailMixin, DetailView):
    model = Document
    participants_layer = True
    template_name = "meetings/document_detail.html"

    def get_preview_actions(self, obj):
        return publish_actions(self.request, obj)

    def detail_queryset(self, records):
        return records.with_related()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("recommendations", self.object.recommendations.public_or_readable_by(self.request.user))
        return super().get_context_data(**kwargs)


def document_download(request, pk):
    """Serve an uploaded file only when its document is public, or participants-only and the reader a
    verified participant of its process; uploads have no public URL of their own."""
    document = get_object_or_404(Document.objects.public_or_readable_by(request.user), pk=pk)
    if not document.file:
        raise Http404("This document has no uploaded file.")
    response = checked_file_response(document.file, PurePath(document.file.name).name)
    if document.visibility == Visibility.PARTICIPANTS:
        response["Cache-Control"] = "private, no-store"
    return response
