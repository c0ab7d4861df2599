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
    assert counts == {
        "processes": 3,
        "countries": 0,
        "meetings": 1,
        "documents": 1,
        "recommendations": 1,
        "dispatches": 0,
        "practices": 0,
        "focal-points": 0,
        "surveys": 0,
    }
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
    # per type (9, surveys and practices included): the ranked matches + the first results of the
    # types that have any (processes, meetings, documents, recommendations here): 9 + 4 = 13
    with django_assert_max_num_queries(13):
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


# One test per type the search added: countries, dispatches, public focal points -----------------


def test_search_finds_a_country_by_its_name(client, db):
    baker.make("reference.Country", code="LK", alpha3="LKA", name="Sri Lanka")
    baker.make("reference.Country", code="LR", alpha3="LBR", name="Liberia")
    response = client.get("/search/?q=Sri+Lanka")
    group = next(group for group in response.context["groups"] if group["type"].key == "countries")
    assert [country.name for country in group["results"]] == ["Sri Lanka"]
    assert "/countries/lk/" in response.content.decode()


def test_search_finds_published_dispatches_only(client, db):
    sender = baker.make("rcps.Process", name="Colombo Process", acronym="CP", slug="cp")
    common = {"direction": "to_gfmd", "kind": "statement", "sender_process": sender, "body": "On remittances."}
    baker.make(
        "exchange.Dispatch",
        title="Remittances statement",
        state="published",
        published_at="2020-01-01T00:00Z",
        **common,
    )
    baker.make("exchange.Dispatch", title="Remittances draft", state="draft", **common)
    response = client.get("/search/?q=remittances&type=dispatches")
    assert [dispatch.title for dispatch in response.context["groups"][0]["results"]] == ["Remittances statement"]
    assert "Remittances draft" not in response.content.decode()


def test_search_finds_public_focal_points_by_institution_never_by_a_person_s_name(client, db):
    process = baker.make("rcps.Process", name="Colombo Process", acronym="CP", slug="cp")
    baker.make("rcps.FocalPoint", process=process, institution="Ministry of Foreign Employment", name="Perera")
    baker.make("rcps.FocalPoint", process=process, institution="Ministry of Labour Secrets", visibility="confidential")
    by_institution = client.get("/search/?q=foreign+employment&type=focal-points")
    assert [f.institution for f in by_institution.context["groups"][0]["results"]] == ["Ministry of Foreign Employment"]
    assert client.get("/search/?q=Perera&type=focal-points").context["total"] == 0
    assert client.get("/search/?q=secrets&type=focal-points").context["total"] == 0


def test_search_finds_focal_points_by_their_country_and_process_words_across_both(client, db):
    """Their country's and process's names are matched in those small tables, then by key."""
    process = baker.make("rcps.Process", name="Colombo Process", acronym="CP", slug="cp")
    sri_lanka = baker.make("reference.Country", code="LK", alpha3="LKA", name="Sri Lanka")
    nepal = baker.make("reference.Country", code="NP", alpha3="NPL", name="Nepal")
    baker.make("rcps.FocalPoint", process=process, country=sri_lanka, institution="Ministry of Foreign Employment")
    baker.make("rcps.FocalPoint", process=process, country=nepal, institution="Department of Foreign Employment")
    baker.make("rcps.FocalPoint", process=process, country=None, institution="Regional Office")

    def found(text):
        response = client.get("/search/", {"q": text, "type": "focal-points"})
        return sorted(f.institution for f in response.context["groups"][0]["results"])

    assert found("lanka") == ["Ministry of Foreign Employment"]
    assert found("lanka ministry") == ["Ministry of Foreign Employment"]  # one word in each table
    assert found("CP nepal") == ["Department of Foreign Employment"]
    assert found("colombo") == ["Department of Foreign Employment", "Ministry of Foreign Employment", "Regional Office"]
    assert found("lanka department") == []
