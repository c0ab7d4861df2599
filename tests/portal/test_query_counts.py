"""The public pages' queries, anonymous and uncached: a fixed number, whatever the size of the data.

Each page is read once to fill the cached values (figures, the map's counts, the feeds'
fingerprints), then counted; more rows about the same process, country and meeting must not
change the count (issue 18: the work a page does grows with what it shows, not with the tables).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_pages_with_cached_values(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.CHOICE_CACHE_ENABLED = True


@pytest.fixture
def world(db):
    country = baker.make("reference.Country", code="LK", alpha3="LKA", numeric="144", name="Sri Lanka")
    neighbour = baker.make("reference.Country", code="NP", alpha3="NPL", numeric="524", name="Nepal")
    theme = baker.make("reference.Theme", name="Labour migration", slug="labour-migration")
    process = baker.make("rcps.Process", name="Colombo Process", slug="colombo", kind="rcp", themes=[theme])
    other = baker.make("rcps.Process", name="Bali Process", slug="bali", kind="rcp", themes=[theme])
    for member in (process, other):
        baker.make("rcps.Participation", process=member, country=country, role="member")
        baker.make("rcps.Participation", process=member, country=neighbour, role="member")
    baker.make("rcps.FocalPoint", process=process, country=country)
    meeting = baker.make(
        "meetings.Meeting",
        title="Ministerial consultation",
        start_date=datetime.date(2024, 5, 1),
        country=country,
        organizing_processes=[process],
        themes=[theme],
    )
    world = {"country": country, "theme": theme, "process": process, "other": other, "meeting": meeting}
    add_rows(world, 2)
    world["recommendation"] = baker.make(
        "recommendations.Recommendation",
        title="Recommendation",
        year=2024,
        issuing_process=process,
        source_meeting=meeting,
        addressed_processes=[process, other],
        themes=[theme],
    )
    baker.make("recommendations.FollowUp", recommendation=world["recommendation"], process=process, date="2024-06-01")
    return world


def add_rows(world, count):
    """`count` more meetings, documents, recommendations, follow-ups and dispatches about the same records."""
    process, other, country, theme = world["process"], world["other"], world["country"], world["theme"]
    now = timezone.now()
    for i in range(count):
        meeting = baker.make(
            "meetings.Meeting",
            title=f"Workshop {i}",
            start_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=30 * i),
            country=country,
            organizing_processes=[process, other],
            themes=[theme],
        )
        baker.make("meetings.Meeting", title=f"Session {i}", start_date=meeting.start_date, parent=world["meeting"])
        document = baker.make(
            "meetings.Document", title=f"Report {i}", reference=f"R{i}", meeting=world["meeting"], process=process
        )
        recommendation = baker.make(
            "recommendations.Recommendation",
            title=f"Recommendation {i}",
            year=2000 + i % 20,
            issuing_process=process,
            source_meeting=world["meeting"],
            source_document=document,
            addressed_processes=[process, other],
            themes=[theme],
        )
        for follow_up_process in (process, other):
            baker.make(
                "recommendations.FollowUp",
                recommendation=recommendation,
                process=follow_up_process,
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                evidence_document=document,
            )
        for direction in ("to_gfmd", "from_gfmd", "rcp_to_rcp"):
            baker.make(
                "exchange.Dispatch",
                direction=direction,
                kind="statement",
                state="published",
                published_at=now - datetime.timedelta(hours=i),
                body="x",
                title=f"Dispatch {direction} {i}",
                sender_process=process if direction != "from_gfmd" else None,
                addressed_processes=[other],
                sending_processes=[process],
                themes=[theme],
            )


PAGES = {
    "home": lambda world: reverse("home"),
    "process profile": lambda world: world["process"].get_absolute_url(),
    "country": lambda world: world["country"].get_absolute_url(),
    "meeting": lambda world: world["meeting"].get_absolute_url(),
    "document": lambda world: world["meeting"].documents.order_by("pk").first().get_absolute_url(),
    "recommendation": lambda world: world["recommendation"].get_absolute_url(),
    "dispatch feed": lambda world: reverse("exchange:dispatch_feed", args=["atom"]),
    "dispatch feed, RSS": lambda world: reverse("exchange:dispatch_feed", args=["rss"]),
    "direction feed": lambda world: reverse("exchange:direction_feed", args=["to-gfmd", "atom"]),
    "process feed": lambda world: reverse("exchange:process_feed", args=[world["process"].slug, "atom"]),
    "theme feed": lambda world: reverse("exchange:theme_feed", args=[world["theme"].slug, "atom"]),
    "process updates feed": lambda world: reverse(
        "exchange:process_updates_feed", args=[world["process"].slug, "atom"]
    ),
    "practices feed": lambda world: reverse("practices:practice_feed"),
    "calendar of meetings": lambda world: reverse("meetings:meeting_calendar"),
    "calendar of a process": lambda world: reverse("meetings:process_calendar", args=[world["process"].slug]),
    "calendar of a country": lambda world: reverse("meetings:country_calendar", args=["lk"]),
    "calendar of a meeting": lambda world: reverse("meetings:meeting_event", args=[world["meeting"].pk]),
}

# What each count covers, after the cached values (figures, map counts, feed fingerprints, and the
# sections cached for anonymous readers until a write to what they show) are filled.
QUERY_COUNTS = {
    # featured processes (meetings, dispatches and latest recommendations are cached sections)
    "home": 1,
    # the process (+ regions, themes); released figures (its members, meetings, documents,
    # recommendations, follow-ups, dispatches, practices and related processes are cached sections)
    "process profile": 4,
    # the country; participations; neighbours; focal point count; hosted meetings (+ organizers); figures
    "country": 7,
    # the meeting (+ organizers, themes, chairs, States, organizations, represented and invited
    # processes); its sessions, documents and recommendations are cached sections
    "meeting": 8,
    # the document (+ whether it has translations); what cites it, its recommendations, dispatches and
    # the follow-ups it is evidence for are a cached section
    "document": 1,
    # the recommendation (+ source meeting and document, addressees, themes, groups, follow-ups)
    "recommendation": 6,
    # the feed's scope and its 50 entries (+ addressed and joint senders, themes)
    "dispatch feed": 4,
    "dispatch feed, RSS": 4,
    "direction feed": 4,
    "process feed": 5,
    "theme feed": 5,
    # the process, its newest meetings and recommendations (+ themes each)
    "process updates feed": 5,
    "practices feed": 1,
    # calendars are built once per change of the data (cached values)
    "calendar of meetings": 0,
    "calendar of a process": 0,
    "calendar of a country": 0,
    "calendar of a meeting": 0,
}


def queries_of(client, url):
    assert client.get(url).status_code == 200  # fills the cached values
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_public_page_query_count(client, world, page):
    assert queries_of(client, PAGES[page](world)) == QUERY_COUNTS[page]


@pytest.mark.parametrize("page", PAGES)
def test_public_page_query_count_does_not_grow_with_the_data(client, world, page):
    url = PAGES[page](world)
    before = queries_of(client, url)
    add_rows(world, 30)
    assert queries_of(client, url) == before
