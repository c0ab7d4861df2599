"""Public pages of the good-practice repository: the faceted directory, a practice, calls, a page per GCM objective."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.directory import DirectoryView
from core.exports import names
from core.pagecache import PageDependenciesMixin
from core.preview import PreviewableDetailMixin
from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Process
from recommendations.models import Recommendation
from reference.models import Country, GcmObjective, Region, SdgTarget, Theme
from surveys.models import SurveyResponse

from .filters import PracticeFilterSet
from .models import CallForPractices, Practice

# (query parameter, label, field counted, model of the values, the value's parameter, its label)
FACETS = (
    ("gcm", _("GCM objective"), "gcm_objectives", GcmObjective, "number", lambda o: f"{o.number}. {o.title}"),
    ("sdg", _("SDG target"), "sdg_targets", SdgTarget, "code", lambda o: str(o)),
    ("theme", _("Theme"), "themes", Theme, "slug", str),
    ("region", _("Region"), "regions", Region, "slug", str),
    ("country", _("Country"), "countries", Country, "code", str),
    ("process", _("Implementing process"), "implementing_processes", Process, "slug", lambda p: p.short_name),
)


def facets(queryset, request):
    """Each facet with its values and the number of the filtered practices that have each (two queries a facet)."""
    result = []
    for param, label, field, model, key, display in FACETS:
        counts = queryset.facet_counts(field)
        rows = model.objects.filter(pk__in=list(counts)) if counts else []
        chosen = request.GET.get(param, "")
        items = [
            {
                "label": display(row),
                "count": counts[row.pk],
                "url": _with(request, param, getattr(row, key)),
                "selected": str(getattr(row, key)) == chosen,
            }
            for row in rows
        ]
        if param not in ("gcm", "sdg"):  # the frameworks keep their own order; the rest, most used first
            items.sort(key=lambda item: -item["count"])
        result.append({"param": param, "label": label, "items": items})
    years = queryset.facet_counts("start_year")
    result.append(
        {
            "param": "year",
            "label": _("Started in"),
            "items": [
                {
                    "label": str(y),
                    "count": n,
                    "url": _with(request, "year", y),
                    "selected": str(y) == request.GET.get("year"),
                }
                for y, n in sorted(years.items(), reverse=True)
            ],
        }
    )
    return result


def _with(request, param, value):
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    query[param] = value
    return f"{request.path}?{query.urlencode()}"


class PracticeListView(DirectoryView):
    filterset_class = PracticeFilterSet
    template_name = "practices/practice_list.html"
    export_filename = "practices"
    export_columns = (
        ("title", "title"),
        ("summary", "summary"),
        ("what_was_done", "what_was_done"),
        ("results", "results"),
        ("lessons_learned_and_pitfalls", "lessons_learned"),
        ("submitted_by", lambda p: p.process.short_name),
        ("implementing_processes", lambda p: [x.short_name for x in p.implementing_processes.all()]),
        ("partners", lambda p: names(p.partners.all())),
        ("global", "is_global"),
        ("countries", lambda p: names(p.countries.all())),
        ("regions", lambda p: names(p.regions.all())),
        ("from_year", "start_year"),
        ("until_year", "end_year"),
        ("themes", lambda p: names(p.themes.all())),
        ("gcm_objectives", lambda p: [o.number for o in p.gcm_objectives.all()]),
        ("sdg_targets", lambda p: [t.code for t in p.sdg_targets.all()]),
        ("source_meetings", lambda p: names(p.source_meetings.all())),
        ("call_for_practices", lambda p: p.call.title if p.call_id else ""),
        ("published_at", lambda p: p.dispatch.published_at),
        # The contact only where the person agreed to be shown.
        ("contact", lambda p: p.contact_name if p.contact_public else ""),
        ("contact_email", lambda p: p.contact_email if p.contact_public else ""),
    )

    def get_queryset(self):
        return Practice.objects.public().with_export_related().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.object_list  # the filtered practices (none when the filters are invalid), every page
        context["facets"] = self.cached_for_filters("practice-facets", lambda: facets(filtered, self.request))
        return context


class PracticeDetailView(PageDependenciesMixin, PreviewableDetailMixin, DetailView):
    model = Practice
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def detail_queryset(self, records):
        public_processes = Process.objects.public()
        return records.select_related("process", "dispatch", "call").prefetch_related(
            Prefetch("implementing_processes", queryset=public_processes),
            "partners",
            "themes",
            "gcm_objectives",
            "sdg_targets",
            "countries",
            "regions",
            "links",
            Prefetch("source_meetings", queryset=Meeting.objects.public()),
            Prefetch("source_recommendations", queryset=Recommendation.objects.public()),
            Prefetch("source_dispatches", queryset=Dispatch.objects.public()),
            Prefetch(
                "source_survey_responses",
                queryset=SurveyResponse.objects.public().select_related("survey", "process"),
            ),
            Prefetch("documents", queryset=Document.objects.public()),
        )


class CallListView(ListView):
    template_name = "practices/call_list.html"
    context_object_name = "calls"
    paginate_by = 25

    def get_queryset(self):
        return (
            CallForPractices.objects.public()
            .prefetch_related("gcm_objectives", "themes")
            .annotate(gathered=Count("practices", filter=Q(practices__in=Practice.objects.public())))
            .order_by("-deadline", "-pk")
        )


class CallDetailView(DetailView):
    template_name = "practices/call_detail.html"
    context_object_name = "call"

    def get_queryset(self):
        return (
            CallForPractices.objects.public()
            .select_related("announcement")
            .prefetch_related(
                "gcm_objectives", "themes", Prefetch("addressed_processes", queryset=Process.objects.public())
            )
        )

    def get_context_data(self, **kwargs):
        gathered = Practice.objects.public().filter(call=self.object).with_related().newest_first()
        return super().get_context_data(gathered=gathered, **kwargs)


class GcmObjectiveListView(ListView):
    template_name = "practices/gcm_objective_list.html"
    context_object_name = "objectives"

    def get_queryset(self):
        return GcmObjective.objects.annotate(
            practice_count=Count("practices", filter=Q(practices__in=Practice.objects.public()), distinct=True)
        ).order_by("number")


LISTED = 20  # records of each kind on an objective's page; the count and a link lead to the rest


class GcmObjectiveDetailView(DetailView):
    """Everything public tagged with one objective: practices, recommendations, meetings, dispatches."""

    template_name = "practices/gcm_objective_detail.html"
    context_object_name = "objective"

    def get_object(self, queryset=None):
        return get_object_or_404(GcmObjective, number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        objective = self.object
        meetings = Meeting.objects.public().select_related("country").order_by("-start_date", "pk")
        groups = [
            ("practices", _("Practices"), Practice.objects.public().newest_first(), "practices:practice_list"),
            ("recommendations", _("Recommendations"), Recommendation.objects.public().order_by("-year", "title"),
             "recommendations:recommendation_list"),
            ("meetings", _("Meetings"), meetings, "meetings:meeting_list"),
            ("dispatches", _("Dispatches"), Dispatch.objects.public().newest_first(), "exchange:dispatch_list"),
        ]  # fmt: skip
        sections = []
        for key, label, queryset, list_url in groups:
            tagged = queryset.filter(gcm_objectives=objective)
            sections.append(
                {
                    "key": key,
                    "label": label,
                    "count": tagged.count(),
                    "items": list(tagged[:LISTED]),
                    "list_url": list_url,
                }
            )
        return super().get_context_data(sections=sections, **kwargs)
