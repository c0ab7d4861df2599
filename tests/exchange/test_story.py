"""The issue's "done when", end to end, and a sweep for unpublished dispatches on every public surface."""

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.digest import send_digests
from exchange.models import Dispatch, Subscription
from tests.backoffice.test_admin_exchange import CHANGELIST, INLINES, action, step_url
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db


def test_a_report_travels_from_a_secretariat_to_a_feed_reader_and_a_subscriber_and_a_gfmd_recommendation_is_answered(
    client, colombo, bali, colombo_secretariat, support_unit, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = Subscription.objects.create(
        email="reader@example.org", frequency="weekly", confirmed_at=timezone.now()
    )
    # 1. The Colombo Process secretariat drafts a report and submits it.
    client.force_login(colombo_secretariat)
    client.post(
        reverse("admin:exchange_dispatch_add"),
        {
            "direction": "to_gfmd", "kind": "report_of_proceedings", "sender_process": colombo.pk,
            "title": "Report of the Colombo Process ministerial", "body": "Ministers **agreed**.", **INLINES,
        },
    )  # fmt: skip
    report = Dispatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        action(client, "submit_dispatches", [report])
    assert client.get(reverse("exchange:dispatch_list")).context["paginator"].count == 0
    # 2. The Support Unit publishes it; the secretariat is told.
    client.force_login(support_unit)
    with django_capture_on_commit_callbacks(execute=True):
        action(client, "publish_dispatches", [report])
    assert mailoutbox[-1].to == [colombo_secretariat.email]
    client.logout()
    # 3. It is on /exchange/, in the Atom feed a reader fetches, and in the subscriber's digest.
    assert "Report of the Colombo Process ministerial" in client.get(reverse("exchange:dispatch_list")).content.decode()
    feed = feedparser.parse(client.get(reverse("exchange:dispatch_feed", args=["atom"])).content)
    assert not feed.bozo and "Report of the Colombo Process ministerial" in feed.entries[0].title
    send_digests(frequency="weekly")
    assert (
        mailoutbox[-1].to == [subscriber.email] and "Report of the Colombo Process ministerial" in mailoutbox[-1].body
    )
    # 4. The Support Unit sends a recommendation to Colombo and Bali; both see it; Colombo replies.
    client.force_login(support_unit)
    client.post(
        reverse("admin:exchange_dispatch_add"),
        {
            "direction": "from_gfmd", "kind": "recommendation", "title": "Share good practice on recruitment",
            "body": "Please share.", "addressed_processes": [colombo.pk, bali.pk], **INLINES,
        },
    )  # fmt: skip
    recommendation = Dispatch.objects.get(direction="from_gfmd")
    action(client, "publish_dispatches", [recommendation])
    for process in (colombo, bali):
        feed = feedparser.parse(client.get(reverse("exchange:process_feed", args=[process.slug, "atom"])).content)
        assert any("Share good practice on recruitment" in entry.title for entry in feed.entries)
    client.force_login(colombo_secretariat)
    action(client, "acknowledge_dispatches", [recommendation])
    client.post(
        step_url(recommendation, "reply"),
        {"process": colombo.pk, "title": "Our recruitment practice", "body": "See the annex.", "submit_now": "on"},
    )
    reply = Dispatch.objects.get(in_reply_to=recommendation)
    client.force_login(support_unit)
    action(client, "publish_dispatches", [reply])
    client.logout()
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Our recruitment practice" in page and "Acknowledged by" in page


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_an_unpublished_dispatch_appears_on_no_public_surface(client, colombo, theme, state, mailoutbox):
    marker = f"ZQXMARKER{state}"
    hidden = make_dispatch(
        title=marker, body=marker, sender_process=colombo, themes=[theme], state=state, published_at=None
    )
    make_dispatch(title="Visible", sender_process=colombo, themes=[theme])
    Subscription.objects.create(email="reader@example.org", confirmed_at=timezone.now().replace(year=2000))
    urls = [
        "/",
        colombo.get_absolute_url(),
        reverse("exchange:dispatch_list"),
        reverse("exchange:dispatch_list") + "?format=csv",
        reverse("exchange:dispatch_list") + "?format=json",
        "/sitemap.xml",
        *[
            reverse(name, args=args)
            for fmt in ("atom", "rss")
            for name, args in (
                ("exchange:dispatch_feed", [fmt]),
                ("exchange:direction_feed", ["to-gfmd", fmt]),
                ("exchange:process_feed", [colombo.slug, fmt]),
                ("exchange:theme_feed", [theme.slug, fmt]),
            )
        ],
    ]
    for url in urls:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert marker.encode() not in content, url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    # Searches echo the words searched for, so these are checked by their result counts.
    assert client.get(reverse("exchange:dispatch_list"), {"q": marker}).context["paginator"].count == 0
    assert client.get("/search/", {"q": marker}).context["total"] == 0
    send_digests(frequency="weekly")
    assert all(marker not in message.body for message in mailoutbox)
    assert mailoutbox and "Visible" in mailoutbox[0].body


def test_changelist_is_reachable_for_the_story(client, superuser):
    client.force_login(superuser)
    assert client.get(CHANGELIST).status_code == 200
