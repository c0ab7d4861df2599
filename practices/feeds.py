"""The Atom feed of published practices (all, or those serving one GCM objective)."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _

from core.languages import translated_text
from core.pagecache import depends_on, related_models, vocabularies
from reference.models import GcmObjective

from .models import Practice

FEED_SIZE = 50
# An empty feed still needs an <updated> date: a fixed one, so that its body (and ETag) stay the same.
EMPTY_FEED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class StableAtom1Feed(Atom1Feed):
    """Atom whose empty feed is dated EMPTY_FEED_DATE, not the time of the request (Django's default)."""

    def latest_post_date(self):
        if any(item.get("pubdate") or item.get("updateddate") for item in self.items):
            return super().latest_post_date()
        return EMPTY_FEED_DATE


class PracticeFeed(Feed):
    feed_type = StableAtom1Feed

    def __call__(self, request, *args, **kwargs):
        depends_on(request, Practice, *related_models(Practice), *vocabularies())
        response = super().__call__(request, *args, **kwargs)
        # A reader polling an unchanged feed gets a 304: the ETag is the body's, so it can never be stale.
        set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    def get_object(self, request, number=None):
        return get_object_or_404(GcmObjective, number=number) if number is not None else None

    def title(self, objective):
        if objective is None:
            return _("RCP Portal — good practices")
        return _("RCP Portal — good practices for GCM objective %(number)s") % {"number": objective.number}

    def link(self, objective):
        url = reverse("practices:practice_list")
        return f"{url}?gcm={objective.number}" if objective else url

    def subtitle(self, objective):
        return _("Practices of the Regional Consultative Processes, published by the GFMD Support Unit.")

    def items(self, objective):
        practices = Practice.objects.public()
        if objective is not None:
            practices = practices.filter(gcm_objectives=objective)
        return practices.with_related().prefetch_related("themes").newest_first()[:FEED_SIZE]

    def item_title(self, item):
        return translated_text(item, "title")

    def item_description(self, item):
        parts = [translated_text(item, "summary")]
        if item.lessons_learned:
            lessons = translated_text(item, "lessons_learned")
            parts.append(_("Lessons learned and pitfalls: %(text)s") % {"text": lessons})
        return linebreaks(escape("\n\n".join(parts)))

    def item_pubdate(self, item):
        return item.dispatch.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.process.short_name

    def item_categories(self, item):
        return [*(str(o.short_label) for o in item.gcm_objectives.all()), *(t.name for t in item.themes.all())]

    def item_guid(self, item):
        return f"tag:rcp-portal,2026:practice:{item.pk}"

    item_guid_is_permalink = False


practice_feed = PracticeFeed()
