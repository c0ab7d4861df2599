"""Atom and RSS feeds: published dispatches (all, per direction, per process, per theme) and a
process's new and changed meetings and recommendations.

Every feed answers conditional GETs: its ETag and Last-Modified come from one cheap aggregate
(count and latest change of everything in the feed), so a reader polling an unchanged feed
gets a 304 without the feed being built.
"""

import hashlib
from dataclasses import dataclass
from itertools import chain

from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, linebreaks
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from core.languages import translated, translated_text
from core.pagecache import cached_value, depends_on, related_models, vocabularies
from meetings.models import Meeting
from rcps.models import Process
from recommendations.models import Recommendation
from reference.models import Theme

from .models import Dispatch

FEED_SIZE = 50
FORMATS = {"atom": Atom1Feed, "rss": Rss201rev2Feed}
DIRECTIONS = {
    "to-gfmd": Dispatch.Direction.TO_GFMD,
    "from-gfmd": Dispatch.Direction.FROM_GFMD,
    "between-rcps": Dispatch.Direction.BETWEEN_RCPS,
}


@dataclass
class Scope:
    """What one feed holds: its title, the page it mirrors, and the querysets of its entries."""

    title: str
    link: str
    description: str
    querysets: tuple


def _exchange_link(**params):
    url = reverse("exchange:dispatch_list")
    return f"{url}?{urlencode(params)}" if params else url


def dispatch_scope(kind, key=None):
    """The scope of a dispatch feed: kind is "all", "direction", "process" or "theme"."""
    dispatches = Dispatch.objects.public()
    if kind == "direction":
        direction = DIRECTIONS[key]
        label = Dispatch.Direction(direction).label
        return Scope(
            _("RCP Portal — dispatches %(direction)s") % {"direction": label},
            _exchange_link(direction=direction),
            _("Published dispatches %(direction)s.") % {"direction": label},
            (dispatches.filter(direction=direction),),
        )
    if kind == "process":
        process = get_object_or_404(Process.objects.public(), slug=key)
        return Scope(
            _("RCP Portal — dispatches of %(process)s") % {"process": process.short_name},
            _exchange_link(process=process.slug),
            _("Published dispatches sent by or addressed to %(process)s.") % {"process": process},
            (dispatches.concerning([process]),),
        )
    if kind == "theme":
        theme = get_object_or_404(Theme, slug=key)
        return Scope(
            _("RCP Portal — dispatches on %(theme)s") % {"theme": theme.name},
            _exchange_link(theme=theme.slug),
            _("Published dispatches on the theme %(theme)s.") % {"theme": theme.name},
            (dispatches.filter(themes=theme),),
        )
    return Scope(
        _("RCP Portal — GFMD–RCP exchange"),
        _exchange_link(),
        _("Dispatches published between the Regional Consultative Processes and the GFMD, both ways."),
        (dispatches,),
    )


def updates_scope(slug):
    """A process's public meetings and recommendations, newest change first."""
    process = get_object_or_404(Process.objects.public(), slug=slug)
    meetings = Meeting.objects.public().organized_by(process)
    recommendations = Recommendation.objects.public().concerning(process)
    return Scope(
        _("RCP Portal — meetings and recommendations of %(process)s") % {"process": process.short_name},
        process.get_absolute_url(),
        _("New and changed meetings and recommendations of %(process)s.") % {"process": process},
        (meetings, recommendations),
    )


def _fingerprint(scope):
    """(ETag, Last-Modified) of a scope: one COUNT + MAX(updated_at) query per queryset."""
    parts, latest = [], None
    for queryset in scope.querysets:
        figures = queryset.order_by().aggregate(n=Count("pk"), latest=Max("updated_at"))
        parts.append(f"{figures['n']}:{figures['latest'].isoformat() if figures['latest'] else ''}")
        if figures["latest"] and (latest is None or figures["latest"] > latest):
            latest = figures["latest"]
    return parts, latest


class DispatchFeed(Feed):
    """RSS 2.0 of published dispatches; `DispatchAtomFeed` is the same in Atom."""

    feed_type = Rss201rev2Feed
    kind = "all"
    depends_on_models = (Dispatch, *related_models(Dispatch))

    def get_object(self, request, key=None):
        return dispatch_scope(self.kind, key)

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def description(self, scope):
        # RSS readers take a channel's description as HTML: a process or theme named with "<" or
        # "&" is text, escaped once more for HTML (Atom's subtitle is declared text, so not there).
        if issubclass(self.feed_type, Rss201rev2Feed):
            return escape(scope.description)
        return scope.description

    def subtitle(self, scope):
        return scope.description

    def items(self, scope):
        return scope.querysets[0].with_public_related().newest_first()[:FEED_SIZE]

    def item_title(self, item):
        title = translated_text(item, "title")
        return f"{item.get_kind_display()}: {title} ({item.sender_display} → {item.addressees_display()})"

    def item_description(self, item):
        # Sanitized by nh3 when saved; the feed generator escapes it once more for XML.
        return translated_text(item, "body_html") if not translated(item, "body").fallback else item.body_html

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.sender_display

    def item_categories(self, item):
        return [item.get_kind_display(), item.get_direction_display(), *(theme.name for theme in item.themes.all())]

    def item_guid(self, item):
        return f"tag:rcp-portal,2026:dispatch:{item.pk}"

    item_guid_is_permalink = False


class ProcessUpdatesFeed(Feed):
    """New and changed public meetings and recommendations of one process."""

    feed_type = Rss201rev2Feed
    depends_on_models = ("meetings.meeting", "recommendations.recommendation")

    def get_object(self, request, key=None):
        return updates_scope(key)

    title = DispatchFeed.title
    link = DispatchFeed.link
    description = DispatchFeed.description
    subtitle = DispatchFeed.subtitle

    def items(self, scope):
        meetings, recommendations = scope.querysets
        meetings = meetings.select_related("country").prefetch_related("themes").order_by("-updated_at", "-pk")
        recommendations = recommendations.prefetch_related("themes").order_by("-updated_at", "-pk")
        merged = chain(meetings[:FEED_SIZE], recommendations[:FEED_SIZE])
        return sorted(merged, key=lambda obj: (obj.updated_at, obj.pk), reverse=True)[:FEED_SIZE]

    def item_title(self, item):
        if isinstance(item, Meeting):
            title = translated_text(item, "title")
            return _("Meeting: %(title)s (%(dates)s)") % {"title": title, "dates": item.date_display}
        return _("Recommendation: %(title)s") % {"title": translated_text(item, "title")}

    def item_description(self, item):
        if isinstance(item, Meeting):
            lines = [item.date_display, item.place_display, translated_text(item, "description")]
        else:
            lines = [translated_text(item, "text")]
        return linebreaks(escape("\n\n".join(line for line in lines if line)))

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        kind = _("Meeting") if isinstance(item, Meeting) else _("Recommendation")
        return [kind, *(theme.name for theme in item.themes.all())]

    def item_guid(self, item):
        return f"tag:rcp-portal,2026:{item._meta.model_name}:{item.pk}"

    item_guid_is_permalink = False


def _variant(feed_class, fmt, kind=None):
    attrs = {"feed_type": FORMATS[fmt]}
    if kind:
        attrs["kind"] = kind
    return type(f"{feed_class.__name__}_{fmt}", (feed_class,), attrs)


def conditional_feed(feed_class, scope_of, kind=None):
    """A view serving `feed_class` in Atom or RSS (the URL's `fmt`), answering 304 when unchanged."""
    variants = {fmt: _variant(feed_class, fmt, kind)() for fmt in FORMATS}

    dependencies = [*feed_class.depends_on_models, *vocabularies()]

    def fingerprint(request, fmt, key=None):
        cache = request.__dict__.setdefault("_feed_fingerprint", {})
        depends_on(request, *dependencies)
        if "value" not in cache:
            # COUNT + MAX over every published dispatch: computed once per change of the data.
            name = f"exchange.feed-fingerprint:{feed_class.__name__}:{kind}:{key}"
            cache["value"] = cached_value(name, lambda: _fingerprint(scope_of(key)), dependencies)
        return cache["value"]

    def etag(request, fmt, key=None):
        parts, _latest = fingerprint(request, fmt, key)
        return hashlib.sha256("|".join([request.path, fmt, *parts]).encode()).hexdigest()[:32]

    def last_modified(request, fmt, key=None):
        return fingerprint(request, fmt, key)[1]

    @condition(etag_func=etag, last_modified_func=last_modified)
    def view(request, fmt, key=None):
        response = variants[fmt](request, key=key)
        # The feed writer adds each XML fragment as a separate chunk (thousands per feed), and the
        # WSGI server sends every chunk with its own system call: join them into one body.
        response.content = response.content
        # The feed framework stamps the newest entry's date; the whole feed's latest change is
        # what If-Modified-Since is compared with, so that is the one sent.
        latest = last_modified(request, fmt, key)
        if latest:
            response.headers["Last-Modified"] = http_date(latest.timestamp())
        else:
            response.headers.pop("Last-Modified", None)  # an empty feed has no date; its ETag still answers
        return response

    return view


dispatch_feed = conditional_feed(DispatchFeed, lambda key: dispatch_scope("all"))
direction_feed = conditional_feed(DispatchFeed, lambda key: dispatch_scope("direction", key), kind="direction")
process_feed = conditional_feed(DispatchFeed, lambda key: dispatch_scope("process", key), kind="process")
theme_feed = conditional_feed(DispatchFeed, lambda key: dispatch_scope("theme", key), kind="theme")
process_updates_feed = conditional_feed(ProcessUpdatesFeed, updates_scope)


def feed_links(process=None, theme=None):
    """The feeds a page offers (autodiscovery links in its head, visible links in its body)."""
    links = [
        {"fmt": "atom", "url": reverse("exchange:dispatch_feed", args=["atom"]), "label": _("Atom"),
         "title": _("All dispatches (Atom)")},
        {"fmt": "rss", "url": reverse("exchange:dispatch_feed", args=["rss"]), "label": _("RSS"),
         "title": _("All dispatches (RSS)")},
    ]  # fmt: skip
    for key, direction in DIRECTIONS.items():
        label = Dispatch.Direction(direction).label
        links.append(
            {"fmt": "atom", "url": reverse("exchange:direction_feed", args=[key, "atom"]), "label": label,
             "title": _("Dispatches %(direction)s (Atom)") % {"direction": label}}
        )  # fmt: skip
    if process is not None:
        links = [
            {"fmt": "atom", "url": reverse("exchange:process_feed", args=[process.slug, "atom"]),
             "label": _("Dispatches of %(process)s") % {"process": process.short_name},
             "title": _("Dispatches of %(process)s (Atom)") % {"process": process.short_name}},
            {"fmt": "atom", "url": reverse("exchange:process_updates_feed", args=[process.slug, "atom"]),
             "label": _("New and changed meetings and recommendations"),
             "title": _("Meetings and recommendations of %(process)s (Atom)") % {"process": process.short_name}},
            *links[:1],
        ]  # fmt: skip
    if theme is not None:
        links.insert(
            0,
            {"fmt": "atom", "url": reverse("exchange:theme_feed", args=[theme.slug, "atom"]),
             "label": _("Dispatches on %(theme)s") % {"theme": theme.name},
             "title": _("Dispatches on %(theme)s (Atom)") % {"theme": theme.name}},
        )  # fmt: skip
    return links
