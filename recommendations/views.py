"""The public directory of recommendations and their pages, with each process's follow-up."""

from django.db.models import Count
from django.views.generic import DetailView

from core.charts import status_chart
from core.directory import DirectoryView
from core.exports import choice_label, names
from core.pagecache import PageDependenciesMixin, depends_on
from core.preview import PreviewableDetailMixin
from rcps.publishing import publish_actions

from .filters import RecommendationFilterSet
from .models import FollowUp, Recommendation


def follow_up_chart(counts):
    """The status chart of follow-ups: `counts` is {status: number}."""
    return status_chart([(status, label, counts.get(status, 0)) for status, label in FollowUp.Status.choices])


class RecommendationListView(DirectoryView):
    filterset_class = RecommendationFilterSet
    depends_on_models = (FollowUp,)
    template_name = "recommendations/recommendation_list.html"
    export_filename = "recommendations"
    export_columns = (
        ("title", "title"),
        ("text", "text"),
        ("kind", choice_label("kind")),
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
        user = self.request.user
        return Recommendation.objects.public_or_readable_by(user).with_public_related(reader=user)

    def get_context_data(self, **kwargs):
        chart = None
        if not self.filterset.is_bound or self.filterset.is_valid():
            chart = follow_up_chart(self.cached_for_filters("recommendations.follow-up-statuses", self.status_counts))
        return super().get_context_data(follow_up_chart=chart, **kwargs)

    def status_counts(self):
        """{status: number} of the public follow-ups of the filtered recommendations: one grouped query."""
        rows = (
            FollowUp.objects.public_or_readable_by(self.request.user)
            .filter(recommendation__in=self.object_list.values("pk"))
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        return dict(rows)


class RecommendationDetailView(PageDependenciesMixin, PreviewableDetailMixin, DetailView):
    model = Recommendation
    template_name = "recommendations/recommendation_detail.html"
    participants_layer = True

    def detail_queryset(self, records):
        return records.with_public_related(reader=self.request.user)

    def previewed_follow_up(self):
        """A follow-up not yet public that this user may see, named by ?follow_up=<id>: previewed on this page."""
        wanted = self.request.GET.get("follow_up", "")
        user = self.request.user
        if not wanted.isdigit() or not (user.is_authenticated and user.is_staff):
            return None
        candidates = FollowUp.objects.visible_to(user).exclude(pk__in=FollowUp.objects.public().values("pk"))
        return candidates.filter(pk=wanted, recommendation=self.object).with_public_related().first()

    def get_preview_actions(self, obj):
        follow_up = self.previewed_follow_up()
        return publish_actions(self.request, follow_up if follow_up else obj)

    def get_context_data(self, **kwargs):
        follow_up = self.previewed_follow_up()
        if follow_up is not None:
            self.preview = True
            self.object.public_follow_ups = sorted(
                [*self.object.public_follow_ups, follow_up], key=lambda f: (f.date, f.pk)
            )
        # The evidence documents of its follow-ups, by number: one made public appears.
        evidence = {f.evidence_document_id for f in self.object.public_follow_ups} - {None}
        depends_on(self.request, *(f"meetings.document:{pk}" for pk in evidence))
        counts = {}
        for follow_up in self.object.public_follow_ups:
            counts[follow_up.status] = counts.get(follow_up.status, 0) + 1
        return super().get_context_data(follow_up_chart=follow_up_chart(counts), **kwargs)
