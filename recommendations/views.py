"""The public directory of recommendations and their pages, with each process's follow-up."""

from django.views.generic import DetailView

from core.directory import DirectoryView
from core.exports import names

from .filters import RecommendationFilterSet
from .models import Recommendation


class RecommendationListView(DirectoryView):
    filterset_class = RecommendationFilterSet
    template_name = "recommendations/recommendation_list.html"
    export_filename = "recommendations"
    export_columns = (
        ("title", "title"),
        ("text", "text"),
        ("kind", lambda r: r.get_kind_display()),
        ("year", "year"),
        ("issued_by", lambda r: r.issuing_process.name if r.issuing_process else r.issuing_body),
        ("source_meeting", lambda r: r.source_meeting.title if r.source_meeting else ""),
        ("addressed_to", lambda r: names(r.addressee_groups.all()) or [r.addressees_note]),
        ("addressed_processes", lambda r: [p.short_name for p in r.addressed_processes.all()]),
        ("themes", lambda r: names(r.themes.all())),
        (
            "follow_ups",
            lambda r: [f"{f.process.short_name}: {f.get_status_display()} ({f.date})" for f in r.public_follow_ups],
        ),
        ("source", "source"),
    )

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()


class RecommendationDetailView(DetailView):
    template_name = "recommendations/recommendation_detail.html"

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()
