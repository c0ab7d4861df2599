"""The home page and the site-wide search."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.languages import language_codes, path_in_language, set_language_cookie
from core.pagecache import PageDependenciesMixin, cached_value, vocabularies
from core.queries import fetch_together
from exchange.models import Dispatch, NotificationPreference
from meetings.models import Meeting
from rcps.models import Participation, Process, countries_taking_part
from rcps.views import cached_process_counts, processes_map
from recommendations.models import FollowUp, Recommendation

from .search import SEARCH_TYPES, SEARCH_TYPES_BY_KEY, records, search

SEARCH_PREVIEW = 5
SEARCH_PAGE_SIZE = 20
HOME_DIRECTIONS = (Dispatch.Direction.TO_GFMD, Dispatch.Direction.FROM_GFMD, Dispatch.Direction.BETWEEN_RCPS)


def home_figures():
    return {
        "processes": Process.objects.public().count(),
        "meetings": Meeting.objects.public().count(),
        "recommendations": Recommendation.objects.public().count(),
        "countries": countries_taking_part().count(),
    }


class HomeView(PageDependenciesMixin, TemplateView):
    template_name = "portal/home.html"
    depends_on_models = (Meeting, Dispatch, Recommendation, Participation)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            **cached_value(
                f"home.meetings:{today.isoformat()}", lambda: home_meetings(today), [Meeting, *vocabularies()]
            ),
            **cached_value("home.dispatches", home_dispatches, [Dispatch, *vocabularies()]),
            featured_processes=Process.objects.public().rcps()[:12],
            latest_recommendations=cached_value(
                "home.recommendations", latest_recommendations, [Recommendation, FollowUp, *vocabularies()]
            ),
            # Every country's count of processes, as on /countries/: computed once per change of the data.
            processes_map=processes_map(cached_process_counts()),
            # Four COUNT(*)s over the large tables: computed once per change of the data.
            figures=cached_value("home.figures", home_figures, [Process, Meeting, Recommendation, Participation]),
            **kwargs,
        )


def home_meetings(today):
    meetings = Meeting.objects.public().top_level().with_public_related()
    upcoming_meetings, recent_meetings = fetch_together(meetings.upcoming(today)[:5], meetings.past(today)[:6])
    return {"upcoming_meetings": upcoming_meetings, "recent_meetings": recent_meetings}


def home_dispatches():
    dispatches = Dispatch.objects.public().with_public_related().newest_first()
    to_gfmd, from_gfmd, between_rcps = fetch_together(
        *(dispatches.filter(direction=direction)[:4] for direction in HOME_DIRECTIONS)
    )
    return {"dispatches_to_gfmd": to_gfmd, "dispatches_from_gfmd": from_gfmd, "dispatches_between_rcps": between_rcps}


def latest_recommendations():
    return list(
        Recommendation.objects.public()
        .select_public("issuing_process")
        .with_follow_up_badges()
        .order_by("-year", "-pk")[:5]
    )


class SearchView(TemplateView):
    """Results grouped by type with their counts; `?type=` pages through one type."""

    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").strip()[:200]
        selected = SEARCH_TYPES_BY_KEY.get(self.request.GET.get("type", ""))
        groups, page_obj = [], None
        if text:
            for search_type in [selected] if selected else SEARCH_TYPES:
                keys, more = search(search_type, text)
                group = {"type": search_type, "count": len(keys), "more": more}
                if selected:
                    page_obj = Paginator(keys, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
                    page_obj.object_list = records(search_type, page_obj.object_list)
                    group["results"] = page_obj
                else:
                    group["results"] = records(search_type, keys[:SEARCH_PREVIEW])
                groups.append(group)
        return super().get_context_data(
            q=text,
            selected=selected,
            groups=groups,
            total=sum(group["count"] for group in groups),
            more=any(group["more"] for group in groups),
            page_obj=page_obj,
            is_paginated=bool(page_obj and page_obj.has_other_pages()),
            paginator=page_obj.paginator if page_obj else None,
            search_types=SEARCH_TYPES,
            **kwargs,
        )


@never_cache
def switch_language(request, code):
    """The language switcher's link: remember `code` (cookie, and the user's preference) and show
    the same page in it (`next`, query string kept; the admin and API keep their address)."""
    if code not in language_codes():
        raise Http404
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    if not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(path_in_language(target, code))
    set_language_cookie(response, code)
    if request.user.is_authenticated:
        NotificationPreference.objects.update_or_create(user=request.user, defaults={"language": code})
    return response
