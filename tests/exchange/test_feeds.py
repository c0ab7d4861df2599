"""Every feed, read by feedparser: valid, the expected entries, nothing unpublished, 304 when unchanged."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from exchange.models import Dispatch
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db

FORMATS = ["atom", "rss"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def titles(feed):
    return {entry.title for entry in feed.entries}


@pytest.fixture
def world(colombo, bali, theme):
    make_dispatch(title="Colombo report", sender_process=colombo, themes=[theme], body="A *report*.")
    make_dispatch(title="Bali statement", sender_process=bali)
    make_dispatch(title="GFMD to Colombo", direction="from_gfmd", kind="recommendation", addressed_processes=[colombo])
    make_dispatch(title="GFMD to all", direction="from_gfmd", kind="announcement", addressed_to_all=True)
    baker.make("meetings.Meeting", title="Colombo meeting", start_date="2024-01-01", organizing_processes=[colombo])
    for state in ("draft", "submitted", "returned"):
        make_dispatch(title=f"UNPUBLISHED-{state}", sender_process=colombo, themes=[theme], state=state)


def entry_titles(feed):
    # Entry titles read "Kind: title (sender → addressees)"; compare the dispatch titles.
    return {title.split(": ", 1)[1].rsplit(" (", 1)[0] for title in titles(feed)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_feed_of_all_dispatches_has_every_published_one_and_nothing_else(client, world, fmt):
    feed = parse(client, reverse("exchange:dispatch_feed", args=[fmt]))
    assert entry_titles(feed) == {"Colombo report", "Bali statement", "GFMD to Colombo", "GFMD to all"}
    assert "UNPUBLISHED" not in str(feed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_feed_per_direction(client, world, fmt):
    up = parse(client, reverse("exchange:direction_feed", args=["to-gfmd", fmt]))
    down = parse(client, reverse("exchange:direction_feed", args=["from-gfmd", fmt]))
    assert entry_titles(up) == {"Colombo report", "Bali statement"}
    assert entry_titles(down) == {"GFMD to Colombo", "GFMD to all"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_feed_per_process_holds_what_it_sent_and_received(client, world, colombo, fmt):
    feed = parse(client, reverse("exchange:process_feed", args=[colombo.slug, fmt]))
    assert entry_titles(feed) == {"Colombo report", "GFMD to Colombo", "GFMD to all"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_feed_per_theme(client, world, theme, fmt):
    feed = parse(client, reverse("exchange:theme_feed", args=[theme.slug, fmt]))
    assert entry_titles(feed) == {"Colombo report"}


def test_an_atom_entry_carries_the_sanitized_body_sender_categories_and_dates(client, world):
    feed = parse(client, reverse("exchange:theme_feed", args=["labour-migration", "atom"]))
    entry = feed.entries[0]
    assert "<em>report</em>" in entry.summary
    assert entry.author == "CP"
    assert {tag.term for tag in entry.tags} >= {"Statement", "Labour migration"}
    assert entry.link.endswith(Dispatch.objects.get(title="Colombo report").get_absolute_url())
    assert entry.updated_parsed and entry.published_parsed


def test_feeds_of_unknown_or_confidential_processes_are_not_found(client):
    hidden = baker.make("rcps.Process", slug="hidden", visibility="confidential")
    assert client.get(reverse("exchange:process_feed", args=["nope", "atom"])).status_code == 404
    assert client.get(reverse("exchange:process_feed", args=[hidden.slug, "atom"])).status_code == 404
    assert client.get(reverse("exchange:process_updates_feed", args=[hidden.slug, "rss"])).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_updates_feed_of_a_process_has_its_public_meetings_and_recommendations_newest_change_first(
    client, colombo, bali, fmt
):
    old = baker.make("meetings.Meeting", title="Old meeting", start_date="2020-01-01", organizing_processes=[colombo])
    baker.make("meetings.Meeting", title="Bali meeting", start_date="2020-01-01", organizing_processes=[bali])
    baker.make(
        "meetings.Meeting", title="SECRET meeting", start_date="2020-01-01", organizing_processes=[colombo],
        visibility="confidential",
    )  # fmt: skip
    baker.make("recommendations.Recommendation", title="Issued", text="Do it.", issuing_process=colombo)
    addressed = baker.make("recommendations.Recommendation", title="Addressed", text="Do that.")
    addressed.addressed_processes.add(colombo)
    old.title = "Old meeting, moved"
    old.save()  # the most recent change, so the first entry
    feed = parse(client, reverse("exchange:process_updates_feed", args=[colombo.slug, fmt]))
    assert [entry.title.split(" (")[0] for entry in feed.entries][0] == "Meeting: Old meeting, moved"
    assert {entry.title.split(" (")[0] for entry in feed.entries} == {
        "Meeting: Old meeting, moved", "Recommendation: Issued", "Recommendation: Addressed",
    }  # fmt: skip


def test_saving_a_meeting_moves_its_updated_at(colombo):
    meeting = baker.make("meetings.Meeting", start_date="2020-01-01")
    before = meeting.updated_at
    meeting.save()
    assert meeting.updated_at > before


@pytest.mark.parametrize(
    "url",
    [
        reverse("exchange:dispatch_feed", args=["atom"]),
        reverse("exchange:direction_feed", args=["to-gfmd", "rss"]),
        reverse("exchange:process_feed", args=["colombo-process", "atom"]),
        reverse("exchange:theme_feed", args=["labour-migration", "rss"]),
        reverse("exchange:process_updates_feed", args=["colombo-process", "atom"]),
    ],
)
def test_an_unchanged_feed_answers_304_to_its_etag_and_its_date(client, world, url):
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_newly_published_dispatch_changes_the_etag(client, world, colombo):
    url = reverse("exchange:dispatch_feed", args=["atom"])
    etag = client.get(url)["ETag"]
    make_dispatch(title="Later", sender_process=colombo, published_at=timezone.now() + datetime.timedelta(seconds=5))
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_feeds_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, colombo, theme):
    for i in range(20):
        make_dispatch(title=f"D{i}", sender_process=baker.make("rcps.Process"), themes=[theme])
        make_dispatch(title=f"G{i}", direction="from_gfmd", addressed_processes=[colombo])
    # 40 dispatches: the ETag/Last-Modified aggregate, the entries (sender joined), and the
    # addressed-processes and themes prefetches — not one query per entry.
    with django_assert_max_num_queries(5):
        feed = parse(client, reverse("exchange:dispatch_feed", args=["atom"]))
    assert len(feed.entries) == 40
    for _ in range(20):
        baker.make("meetings.Meeting", start_date="2020-01-01", organizing_processes=[colombo], themes=[theme])
        baker.make("recommendations.Recommendation", text="x", issuing_process=colombo, themes=[theme])
    # The process, two aggregates (meetings, recommendations), then the process again for the
    # feed body, and the meetings (country joined) and recommendations with their themes.
    with django_assert_max_num_queries(10):
        feed = parse(client, reverse("exchange:process_updates_feed", args=[colombo.slug, "atom"]))
    assert len(feed.entries) == 40


def test_a_feed_body_is_sent_as_one_chunk(client, colombo, theme):
    # The feed writer produces thousands of fragments; a WSGI server writes each chunk separately.
    response = client.get("/exchange/feed/atom/")
    assert response.status_code == 200
    assert len(list(response)) == 1


@pytest.mark.parametrize(
    ("url_name", "key"),
    [
        ("exchange:process_feed", "process"),
        ("exchange:theme_feed", "theme"),
        ("exchange:process_updates_feed", "process"),
    ],
)
def test_rss_channel_text_escapes_process_and_theme_names(client, url_name, key):
    name = 'Process <script>alert("x")</script> & <b>co</b>'
    process = baker.make("rcps.Process", name=name, acronym="P<b>", slug="odd-process", kind="rcp")
    theme = baker.make("reference.Theme", name=name, slug="odd-theme")
    slug = process.slug if key == "process" else theme.slug
    response = client.get(reverse(url_name, args=[slug, "rss"]))
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    # A reader shows the channel description as HTML: the name must show as typed, never run.
    assert "&lt;script&gt;" in feed.feed.subtitle and "<script" not in feed.feed.subtitle
    assert "&lt;b&gt;co&lt;/b&gt;" in feed.feed.subtitle
    atom = feedparser.parse(client.get(reverse(url_name, args=[slug, "atom"])).content)
    assert "<script>" in atom.feed.subtitle or "&lt;script&gt;" in atom.feed.subtitle  # Atom's subtitle is text
