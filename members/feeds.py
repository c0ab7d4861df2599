"""A participant's private Atom feed: new and changed meetings and documents of their processes.

For feed readers that cannot sign in, behind the same revocable key as the private calendar
(`FeedKey`): public records and the participants-only records of the key holder's processes
(`rcps.scoping.readable_by`), each participants-only entry marked in its title. The public feeds
stay public-only.
"""

import datetime
from itertools import chain

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django_otp import user_has_device

from core.languages import translated_text
from core.models import Visibility
from meetings.models import Document, Meeting
from rcps import scoping

from . import mfa
from .models import FeedKey

FEED_SIZE = 50


def item_date(item):
    """Newest first: a meeting by its last change, a document by its date (or year)."""
    if isinstance(item, Meeting):
        return item.updated_at.date()
    return item.date or datetime.date(item.year or 1, 1, 1)


def key_holder(key):
    """The participant holding private feed key `key`, or None (unknown key, no longer a participant,
    or a second factor overdue: the participants-only layer is withheld as on the pages)."""
    feed_key = FeedKey.objects.select_related("user").filter(key=key).first() if len(key) <= 64 else None
    if feed_key is None or not feed_key.user.is_active or not scoping.is_participant(feed_key.user):
        return None
    user = feed_key.user
    if not mfa.in_grace(user) and not user_has_device(user, confirmed=True):
        return None
    return user


class PrivateFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, key):
        user = key_holder(key)
        if user is None:
            raise Http404
        return user

    def title(self, user):
        return _("RCP Portal — my processes")

    def link(self, user):
        return reverse("members:home")

    def subtitle(self, user):
        return _("New and changed meetings and documents of your processes, participants-only ones included.")

    def items(self, user):
        ids = scoping.participant_process_ids(user)
        meetings = (
            Meeting.objects.readable_by(user)
            .belonging_to(ids)
            .select_related("country")
            .order_by("-updated_at", "-pk")[:FEED_SIZE]
        )
        documents = (
            Document.objects.readable_by(user)
            .belonging_to(ids)
            .order_by(F("date").desc(nulls_last=True), F("year").desc(nulls_last=True), "-pk")[:FEED_SIZE]
        )
        return sorted(chain(meetings, documents), key=item_date, reverse=True)[:FEED_SIZE]

    def item_title(self, item):
        title = translated_text(item, "title")
        if isinstance(item, Meeting):
            text = _("Meeting: %(title)s (%(dates)s)") % {"title": title, "dates": item.date_display}
        else:
            text = _("Document: %(title)s") % {"title": title}
        if item.visibility == Visibility.PARTICIPANTS:
            text = _("[Participants only] %(title)s") % {"title": text}
        return text

    def item_description(self, item):
        if isinstance(item, Meeting):
            lines = [item.date_display, item.place_display, translated_text(item, "description")]
        else:
            lines = [item.get_kind_display(), str(item.year or "")]
        return linebreaks(escape("\n\n".join(line for line in lines if line)))

    def item_pubdate(self, item):
        return getattr(item, "created_at", None)  # documents keep no timestamps: the feed's date stands

    def item_updateddate(self, item):
        return getattr(item, "updated_at", None)

    def item_guid(self, item):
        return f"tag:rcp-portal,2026:{item._meta.model_name}:{item.pk}"

    item_guid_is_permalink = False


def private_feed(request, key):
    response = PrivateFeed()(request, key=key)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
