"""Site-wide search: ranked, grouped by type, public records only, on PostgreSQL and SQLite alike."""

import datetime

import pytest
from model_bakery import baker

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    colombo = baker.make(
        "rcps.Process", name="Colombo Process", slug="colombo", description="Labour migration from Asia"
    )
    baker.make("rcps.Process", name="Budapest Process", slug="budapest", description="Cooperation on labour mobility")
    baker.make("rcps.Process", name="Labour Forum", slug="labour-forum", description="Dialogue")
    baker.make("rcps.Process", name="Secret labour forum", slug="secret", visibility="confidential")
    meeting = baker.make(
        "meetings.Meeting",
        title="Labour ministers meeting",
        start_date=datetime.date(2011, 4, 19),
        organizing_processes=[colombo],
    )
    baker.make("meetings.Document", title="Dhaka declaration on labour", url="https://example.org", meeting=meeting)
    baker.make(
        "recommendations.Recommendation", title="Protect migrant workers", text="Labour standards for migrant workers"
    )


def test_search_groups_results_by_type_with_counts(client, records):
    response = client.get("/search/?q=labour")
    counts = {group["type"].key: group["count"] for group in response.context["groups"]}
    assert counts == {"processes": 3, "meetings": 1, "documents": 1, "recommendations": 1}
    assert response.context["total"] == 6


def test_search_ranks_title_matches_first(client, records):
    response = client.get("/search/?q=labour&type=processes")
    assert response.context["groups"][0]["results"][0].name == "Labour Forum"


def test_search_leaves_out_non_public_records(client, records):
    content = client.get("/search/?q=labour&type=processes").content.decode()
    assert "Secret labour forum" not in content


def test_search_of_one_type_is_paginated(client, records):
    baker.make("rcps.Process", name="Labour", _quantity=25, description="labour")
    response = client.get("/search/?q=labour&type=processes&page=2")
    assert response.context["page_obj"].number == 2
    assert response.context["paginator"].count == 28


def test_search_without_results_says_so_and_suggests_directories(client, records):
    content = client.get("/search/?q=zzzzunfindable").content.decode()
    assert "Nothing found" in content and 'href="/processes/"' in content


def test_empty_search_shows_the_form_only(client, records):
    response = client.get("/search/")
    assert response.status_code == 200 and response.context["groups"] == []


def test_search_query_count_is_bounded(client, records, django_assert_max_num_queries):
    baker.make("rcps.Process", name="Labour", _quantity=25, description="labour")
    # per type: count + first results (meetings + organizers prefetch)
    with django_assert_max_num_queries(9):
        client.get("/search/?q=labour")


def test_a_very_common_word_ranks_the_most_recently_added_matches_and_says_there_are_more(client, monkeypatch):
    # At scale a common word matches tens of thousands of records; the bound keeps the cost fixed.
    monkeypatch.setattr("portal.search.RANKED_MATCHES", 3)
    meetings = [
        baker.make("meetings.Meeting", title=f"Labour meeting {number}", start_date=datetime.date(2010 + number, 1, 1))
        for number in range(5)
    ]
    response = client.get("/search/?q=labour")
    group = next(group for group in response.context["groups"] if group["type"].key == "meetings")
    assert (group["count"], group["more"]) == (3, True)
    assert {meeting.pk for meeting in group["results"]} == {meeting.pk for meeting in meetings[2:]}
    assert "More than 3 results" in response.content.decode()
    assert "Meetings (3+)" in response.content.decode()


def test_search_of_one_type_pages_through_the_ranked_matches_in_order(client, records):
    for number in range(25):
        baker.make("recommendations.Recommendation", title=f"Labour recommendation {number:02d}", text="Labour")
    first = client.get("/search/?q=labour&type=recommendations")
    second = client.get("/search/?q=labour&type=recommendations&page=2")
    titles = [r.title for r in first.context["page_obj"]] + [r.title for r in second.context["page_obj"]]
    assert len(titles) == 26 and len(set(titles)) == 26
    assert first.context["paginator"].count == 26
