"""The public directory of recommendations and their pages, with each process's follow-up."""

from django.db.models import Count
from django.views.generic import DetailView

from core.charts import status_chart
from core.directory import DirectoryView
from core.exports import Cell, Chunked, DetailUrl, Related, among, choice, choice_labels, field
from core.pagecache import PageDependenciesMixin, depends_on
from core.preview import PreviewableDetailMixin
from meetings.models import Document, Meeting
from rcps.models import Process
from rcps.publishing import publish_actions

from .filters import RecommendationFilterSet
from .models import FollowUp, Recommendation


def follow_up_chart(counts):
    """The status chart of follow-ups: `counts` is {status: number}."""
    return status_chart([(status, label, counts.get(status, 0)) for status, label in FollowUp.Status.choices])


class PublicTitles:
    """{pk: title} of the rows `queryset()` (a public rule) holds, read once per export when first asked.

    A to-one relation's target is named only where public; applied to every chunk of rows, the rule's
    subqueries re-read every public row a thousand rows at a time.
    """

    def __init__(self, queryset, field_name="title"):
        self.queryset, self.field_name, self._titles = queryset, field_name, None

    def titles(self):
        if self._titles is None:
            self._titles = dict(self.queryset().values_list("pk", self.field_name))
        return self._titles

    def title_of(self, pk):
        return "" if pk is None else self.titles().get(pk, "")


FOLLOW_UP_FIELDS = (
    "recommendation",
    "process__acronym",
    "process__name",
    "status",
    "date",
    "evidence_document",
    "evidence_url",
)


def follow_ups_read_by(reader, public_documents):
    """Per recommendation, the follow-ups `reader` sees: [(in words, whether it has evidence, the evidence)]."""
    status_label = choice_labels(FollowUp, "status")

    def read(pks):
        rows = list(
            FollowUp.objects.public_or_readable_by(reader)
            .filter(recommendation__in=among(FollowUp, pks))
            .order_by("date", "pk")
            .values_list(*FOLLOW_UP_FIELDS)
        )
        documents = {pk for *_row, pk, _url in rows if pk is not None}
        # Evidence documents only where public (as on the pages): a confidential one is never named.
        public_titles = public_documents.titles()
        titles = {pk: public_titles[pk] for pk in documents if pk in public_titles}
        follow_ups = {}
        for recommendation, acronym, name, status, date, document, url in rows:
            evidence = titles[document] if document in titles else url
            has_evidence = document in titles or bool(url)
            text = f"{acronym or name}: {status_label(status)} ({date})"
            follow_ups.setdefault(recommendation, []).append((text, has_evidence, evidence))
        return follow_ups

    return Chunked(read, ())


def addressed_to(groups, processes, addressees_note):
    """As Recommendation.addressees(), or the addressees as stated: `processes` are (short name, name) pairs."""
    names = list(groups)
    seen = {name.casefold() for name in names}
    for short_name, name in processes:
        if short_name.casefold() in seen or name.casefold() in seen:
            continue
        names.append(short_name)
        seen.add(short_name.casefold())
    return names or [addressees_note]


def recommendation_columns(reader):
    public_documents = PublicTitles(Document.objects.public)
    follow_ups = follow_ups_read_by(reader, public_documents)
    public_issuers = PublicTitles(Process.objects.public, "name")
    return (
        ("title", field("title")),
        ("text", field("text")),
        ("kind", choice("kind")),
        ("year", field("year")),
        (
            "issued_by",
            Cell(lambda process, body: public_issuers.title_of(process) or body, "issuing_process", "issuing_body"),
        ),
        ("source_meeting", Cell(PublicTitles(Meeting.objects.public).title_of, "source_meeting")),
        ("source_document", Cell(public_documents.title_of, "source_document")),
        (
            "addressed_to",
            Cell(
                addressed_to,
                Related("addressee_groups", label=lambda group: group.name),
                Related("addressed_processes", Process.objects.public, label=lambda p: (p.short_name, p.name)),
                "addressees_note",
            ),
        ),
        ("themes", Cell(list, Related("themes"))),
        ("follow_ups", Cell(lambda rows: [text for text, _has, _evidence in rows], follow_ups)),
        (
            "evidence",
            Cell(lambda rows: list(dict.fromkeys(evidence for _text, has, evidence in rows if has)), follow_ups),
        ),
        ("source", field("source")),
    )


class RecommendationListView(DirectoryView):
    filterset_class = RecommendationFilterSet
    depends_on_models = (FollowUp,)
    template_name = "recommendations/recommendation_list.html"
    export_filename = "recommendations"
    export_url = DetailUrl("recommendations:recommendation_detail")

    def get_export_columns(self):
        return recommendation_columns(self.request.user)

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
