"""The home page shows what is new: the exchange both ways and between processes, upcoming meetings,
the latest recommendations with their follow-up, and a map."""

import datetime

import pytest
from django.utils import timezone
from model_bakery import baker

pytestmark = pytest.mark.django_db

ROWS = 6


@pytest.fixture
def news(db):
    countries = [
        baker.make("reference.Country", code=code, alpha3=f"{code}X", numeric=numeric, name=name)
        for code, numeric, name in [("LK", "144", "Sri Lanka"), ("NP", "524", "Nepal"), ("IN", "356", "India")]
    ]
    processes = [baker.make("rcps.Process", name=f"Process {i}", slug=f"p{i}", kind="rcp") for i in range(ROWS)]
    for process in processes:
        for country in countries:
            baker.make("rcps.Participation", process=process, country=country, role="member")
    now = timezone.now()
    for i, process in enumerate(processes):
        published = {"state": "published", "published_at": now - datetime.timedelta(days=i), "body": "x"}
        baker.make(
            "exchange.Dispatch",
            direction="to_gfmd",
            kind="statement",
            sender_process=process,
            title=f"To {i}",
            **published,
        )
        baker.make(
            "exchange.Dispatch",
            direction="from_gfmd",
            kind="announcement",
            title=f"From {i}",
            addressed_processes=[process],
            **published,
        )
        baker.make(
            "exchange.Dispatch",
            direction="rcp_to_rcp",
            kind="report_of_proceedings",
            sender_process=process,
            addressed_processes=processes[:2],
            title=f"Between {i}",
            **published,
        )
        recommendation = baker.make("recommendations.Recommendation", title=f"Recommendation {i}", year=2020 + i)
        baker.make(
            "recommendations.FollowUp",
            recommendation=recommendation,
            process=process,
            status="implemented",
            date="2024-01-01",
        )
        baker.make(
            "meetings.Meeting",
            title=f"Meeting {i}",
            start_date=timezone.localdate() + datetime.timedelta(days=10 + i),
            organizing_processes=[process],
        )
    # Known only to its year: not over until the year is.
    baker.make(
        "meetings.Meeting",
        title="Forum of this year",
        start_date=timezone.localdate().replace(month=1, day=1),
        date_precision="year",
        status="announced",
    )
    return processes


def test_home_shows_the_exchange_in_three_directions_recommendations_with_follow_up_and_a_map(client, news):
    response = client.get("/")
    assert [d.title for d in response.context["dispatches_between_rcps"]][:2] == ["Between 0", "Between 1"]
    assert response.context["dispatches_to_gfmd"] and response.context["dispatches_from_gfmd"]
    latest = response.context["latest_recommendations"]
    assert latest[0].title == "Recommendation 5" and latest[0].public_follow_ups[0].status == "implemented"
    assert {shape["label"] for shape in response.context["processes_map"]["shapes"]} >= {"Sri Lanka: 6 processes"}
    page = response.content.decode()
    assert 'class="world-map-svg"' in page and "Announced" in page


def test_a_meeting_known_only_to_its_year_is_upcoming_until_the_year_ends(client, news):
    titles = [meeting.title for meeting in client.get("/").context["upcoming_meetings"]]
    assert "Forum of this year" in titles


def test_home_query_count(client, news, django_assert_max_num_queries):
    # upcoming and recent meetings (+ organizers each); featured processes (+ regions, themes); the
    # dispatches of three directions (+ addressed and joint senders and themes each); latest
    # recommendations (+ 7 prefetches and evidence documents); the 4 figures and the map's counts
    # (cached in production, computed here)
    with django_assert_max_num_queries(30):
        client.get("/")
