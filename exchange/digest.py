"""The periodic e-mail digest: what each confirmed subscriber gets, and sending it once."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Dispatch, Subscription

# A subscriber who never got a digest is sent at most this far back (from their confirmation).
UNCONFIRMED_KEPT_FOR = datetime.timedelta(days=7)


def digest_dispatches(subscription, until):
    """Public dispatches published since the subscriber's last digest (or confirmation) that match their choices."""
    since = subscription.last_sent_at or subscription.confirmed_at
    dispatches = Dispatch.objects.public().filter(published_at__gt=since, published_at__lte=until)
    if subscription.directions:
        dispatches = dispatches.filter(direction__in=subscription.directions)
    process_ids = [p.pk for p in subscription.processes.all()]
    theme_ids = [t.pk for t in subscription.themes.all()]
    if process_ids or theme_ids:
        matches = Q(pk__in=Dispatch.themes.through.objects.filter(theme__in=theme_ids).values("dispatch"))
        if process_ids:
            # The same "concerning these processes" as the exchange's filter and feeds.
            matches |= Q(pk__in=Dispatch.objects.concerning(process_ids).values("pk"))
        dispatches = dispatches.filter(matches)
    return list(dispatches.with_public_related().order_by("published_at", "pk"))


def digest_message(subscription, dispatches, connection=None):
    """The digest e-mail, in the subscriber's language (links to that language's pages)."""
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        return _digest_message(subscription, dispatches, connection)


def _digest_message(subscription, dispatches, connection):
    base_url = settings.SITE_URL
    unsubscribe_url = base_url + reverse("exchange:unsubscribe", kwargs={"token": subscription.token})
    context = {
        "subscription": subscription,
        "dispatches": dispatches,
        "base_url": base_url,
        "unsubscribe_url": unsubscribe_url,
    }
    return EmailMessage(
        subject=render_to_string("exchange/email/digest_subject.txt", context).strip(),
        body=render_to_string("exchange/email/digest.txt", context),
        to=[subscription.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_digests(*, frequency, dry_run=False, now=None):
    """Send each confirmed subscriber of `frequency` the dispatches published since their last digest.

    Idempotent: a subscriber's `last_sent_at` moves to `now` once their digest is sent, so a
    second run sends nothing new. Unconfirmed addresses get nothing, and are forgotten after a week.
    Returns [(subscription, number of dispatches)] for the digests sent (or that would be sent).
    """
    now = now or timezone.now()
    sent = []
    subscriptions = Subscription.objects.confirmed().filter(frequency=frequency).prefetch_related("processes", "themes")
    connection = None if dry_run else get_connection()
    for subscription in subscriptions:
        dispatches = digest_dispatches(subscription, now)
        if not dispatches:
            continue
        sent.append((subscription, len(dispatches)))
        if dry_run:
            continue
        digest_message(subscription, dispatches, connection).send()
        Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
    if not dry_run:
        Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT_FOR).delete()
    return sent
