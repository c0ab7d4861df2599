"""The mixed scenario's URLs: public detail pages and filtered lists spread over the whole site.

wrk picks one of these paths at random for every request (bench/mixed.lua), so the page cache
holds many pages at once and a write invalidates only some of them, as under real use.
"""

from django.urls import reverse

from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Process
from recommendations.models import Recommendation
from reference.models import Country, Theme

# How many detail pages of each kind, and filtered lists of each filter, at most.
DETAIL_PAGES = {"meetings": 150, "documents": 100, "recommendations": 80, "processes": 40, "countries": 40}
DISPATCH_PAGES = 40
FILTERED_LISTS = 30
YEARS = 20


def public_process_slugs(limit):
    return list(Process.objects.public().order_by("pk").values_list("slug", flat=True)[:limit])


def meeting_ids(limit, process=None):
    """Public meetings, newest first; those of `process` first when given (the writer edits them)."""
    meetings = Meeting.objects.public()
    chosen = []
    if process is not None:
        chosen = list(meetings.organized_by(process).order_by("-start_date", "pk").values_list("pk", flat=True)[:limit])
    rest = meetings.exclude(pk__in=chosen).order_by("-start_date", "pk").values_list("pk", flat=True)
    return chosen + list(rest[: max(0, limit - len(chosen))])


def detail_paths(writer_process=None):
    """Public detail pages: meetings (the writer's first), documents, recommendations, processes, countries."""
    paths = [
        reverse("meetings:meeting_detail", args=[pk]) for pk in meeting_ids(DETAIL_PAGES["meetings"], writer_process)
    ]
    paths += [
        document.get_absolute_url()
        for document in Document.objects.public().order_by("pk")[: DETAIL_PAGES["documents"]]
    ]
    paths += [
        recommendation.get_absolute_url()
        for recommendation in Recommendation.objects.public().order_by("pk")[: DETAIL_PAGES["recommendations"]]
    ]
    paths += [
        reverse("rcps:process_detail", kwargs={"slug": slug})
        for slug in public_process_slugs(DETAIL_PAGES["processes"])
    ]
    countries = Country.objects.filter(participations__process__in=Process.objects.public()).distinct().order_by("pk")
    paths += [country.get_absolute_url() for country in countries[: DETAIL_PAGES["countries"]]]
    paths += [dispatch.get_absolute_url() for dispatch in Dispatch.objects.public().newest_first()[:DISPATCH_PAGES]]
    return paths


def filtered_list_paths():
    """Directory pages filtered as visitors filter them: by process, country, year, kind, theme, member."""
    meetings, documents = reverse("meetings:meeting_list"), reverse("meetings:document_list")
    processes, recommendations = reverse("rcps:process_list"), reverse("recommendations:recommendation_list")
    slugs = public_process_slugs(FILTERED_LISTS)
    meeting_countries = (
        Country.objects.filter(pk__in=Meeting.objects.public().values("country"))
        .order_by("pk")
        .values_list("code", flat=True)
    )
    member_countries = (
        Country.objects.filter(participations__process__in=Process.objects.public(), participations__role="member")
        .distinct()
        .order_by("pk")
        .values_list("code", flat=True)
    )
    years = sorted({date.year for date in Meeting.objects.public().dates("start_date", "year")}, reverse=True)[:YEARS]
    themes = list(Theme.objects.order_by("pk").values_list("slug", flat=True))
    paths = [f"{meetings}?process={slug}" for slug in slugs]
    paths += [f"{meetings}?country={code}" for code in meeting_countries[:FILTERED_LISTS]]
    paths += [f"{meetings}?date_from={year}-01-01&date_to={year}-12-31" for year in years]
    paths += [f"{meetings}?kind={kind}" for kind in Meeting.Kind.values]
    paths += [f"{documents}?kind={kind}" for kind in Document.Kind.values]
    paths += [f"{documents}?process={slug}" for slug in slugs]
    paths += [f"{recommendations}?source={slug}" for slug in slugs if slug in recommendation_sources()]
    paths += [f"{recommendations}?theme={slug}" for slug in themes if slug in recommendation_themes()]
    paths += [f"{processes}?theme={slug}" for slug in themes if slug in process_themes()]
    paths += [f"{processes}?member={code}" for code in member_countries[:FILTERED_LISTS]]
    return paths


def recommendation_sources():
    issuing = Recommendation.objects.public().values("issuing_process")
    return set(Process.objects.public().filter(pk__in=issuing).values_list("slug", flat=True))


def recommendation_themes():
    return set(
        Theme.objects.filter(pk__in=Recommendation.objects.public().values("themes")).values_list("slug", flat=True)
    )


def process_themes():
    return set(Theme.objects.filter(pk__in=Process.objects.public().values("themes")).values_list("slug", flat=True))


def writer_process():
    """The public process with the most public meetings: the mixed scenario's writer edits its meetings."""
    organized = Meeting.organizing_processes.through.objects.filter(meeting__in=Meeting.objects.public())
    counts = {}
    for process_id in organized.values_list("process", flat=True):
        counts[process_id] = counts.get(process_id, 0) + 1
    public = set(Process.objects.public().values_list("pk", flat=True))
    candidates = [(count, -pk) for pk, count in counts.items() if pk in public]
    return Process.objects.get(pk=-max(candidates)[1]) if candidates else None


def mixed_paths(process=None):
    """Distinct public paths, in a stable order: detail pages, then filtered lists."""
    return list(dict.fromkeys(detail_paths(process) + filtered_list_paths()))
