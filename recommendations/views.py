"""The public directory of recommendations and their pages, with each process's follow-up."""

from django.db.models import Count
from django.views.generic import DetailView

from core.charts import status_chart
from core.directory import DirectoryView
from core.exports import names

from .filters import RecommendationFilterSet
from .models import FollowUp, Recommendation


def follow_up_chart(counts):
    """The status chart of follow-ups: `counts` is {status: number}."""
    return status_chart([(status, label, counts.get(status, 0)) for status, label in FollowUp.Status.choices])


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
        ("source_document", lambda r: r.source_document.title if r.source_document else ""),
        ("addressed_to", lambda r: r.addressees() or [r.addressees_note]),
        ("themes", lambda r: names(r.themes.all())),
        (
            "follow_ups",
            lambda r: [f"{f.process.short_name}: {f.get_status_display()} ({f.date})" for f in r.public_follow_ups],
        ),
        (
            "evidence",
            lambda r: list(
                dict.fromkeys(
                    f.evidence_document.title if f.evidence_document else f.evidence_url
                    for f in r.public_follow_ups
                    if f.evidence_document or f.evidence_url
                )
            ),
        ),
        ("source", "source"),
    )

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()

    def get_context_data(self, **kwargs):
        chart = None
        if not self.filterset.is_bound or self.filterset.is_valid():
            chart = follow_up_chart(self.cached_for_filters("recommendations.follow-up-statuses", self.status_counts))
        return super().get_context_data(follow_up_chart=chart, **kwargs)

    def status_counts(self):
        """{status: number} of the public follow-ups of the filtered recommendations: one grouped query."""
        rows = (
            FollowUp.objects.public()
            .filter(recommendation__in=self.object_list.values("pk"))
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        return dict(rows)


class RecommendationDetailView(DetailView):
    template_name = "recommendations/recommendation_detail.html"

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()

    def get_context_data(self, **kwargs):
        counts = {}
        for follow_up in self.object.public_follow_ups:
            counts[follow_up.status] = counts.get(follow_up.status, 0) + 1
        return super().get_context_data(follow_up_chart=follow_up_chart(counts), **kwargs)
