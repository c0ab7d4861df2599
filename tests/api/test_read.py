"""The API's public directories: same filters as the pages, public records only, paginated."""

import datetime

import pytest
from django.urls import reverse
from model_bakery import baker

pytestmark = pytest.mark.django_db

MARKER = "HIDDEN-MARKER-4417"


@pytest.fixture
def directory(process, country):
    """A few public records of every kind, each findable by one filter of its directory."""
    region = baker.make("reference.Region", code="034", slug="southern-asia", name="Southern Asia", level="subregion")
    country.region = region
    country.save()
    other_country = baker.make("reference.Country", code="ID", alpha3="IDN", name="Indonesia")
    theme = baker.make("reference.Theme", name="Labour migration", slug="labour-migration")
    other = baker.make("rcps.Process", name="Bali Process", acronym="BP", slug="bali-process", kind="inter_regional")
    process.regions.add(region)
    process.themes.add(theme)
    process.year_established = 2003
    process.save()
    baker.make("rcps.Participation", process=process, country=country, role="member")
    baker.make("rcps.Participation", process=other, country=other_country, role="member")

    colombo = baker.make(
        "meetings.Meeting", title="Colombo ministerial", start_date=datetime.date(2011, 4, 20), country=country
    )
    colombo.organizing_processes.add(process)
    colombo.themes.add(theme)
    bali = baker.make("meetings.Meeting", title="Bali workshop", kind="technical", start_date=datetime.date(2005, 3, 1))
    bali.organizing_processes.add(other)
    session = baker.make("meetings.Meeting", title="Colombo session", parent=colombo, start_date=colombo.start_date)

    declaration = baker.make(
        "meetings.Document", title="Colombo declaration", kind="declaration", process=process, url="https://e.org/d"
    )
    report = baker.make(
        "meetings.Document",
        title="Bali report",
        kind="meeting_report",
        meeting=bali,
        language="fr",
        url="https://e.org/r",
    )

    states = baker.make("reference.AddresseeGroup", name="States", slug="states")
    recommendation = baker.make(
        "recommendations.Recommendation", title="Protect workers", issuing_process=process, year=2011
    )
    recommendation.themes.add(theme)
    recommendation.addressee_groups.add(states)
    baker.make(
        "recommendations.FollowUp",
        recommendation=recommendation,
        process=process,
        status="implemented",
        date="2012-01-01",
    )
    other_recommendation = baker.make(
        "recommendations.Recommendation", title="Share data", issuing_process=other, year=2006
    )

    national = baker.make(
        "rcps.FocalPoint", process=process, country=country, role="national", institution="Ministry of Labour"
    )
    gfmd = baker.make("rcps.FocalPoint", process=other, role="gfmd", institution="Foreign Ministry")
    return {
        "process": process,
        "other": other,
        "country": country,
        "colombo": colombo,
        "bali": bali,
        "session": session,
        "declaration": declaration,
        "report": report,
        "recommendation": recommendation,
        "other_recommendation": other_recommendation,
        "national": national,
        "gfmd": gfmd,
    }


def api_list(client, name, query=""):
    response = client.get(f"{reverse(f'api:{name}-list')}?{query}")
    assert response.status_code == 200, response.content
    return response.json()


# One query per filter family of each directory: the API answers what the page lists.
SAME_AS_PAGE = [
    ("rcps:process_list", "process", "kind=rcp", "slug"),
    ("rcps:process_list", "process", "region=southern-asia", "slug"),
    ("rcps:process_list", "process", "theme=labour-migration", "slug"),
    ("rcps:process_list", "process", "member=ID", "slug"),
    ("rcps:process_list", "process", "established_from=2000&established_to=2005", "slug"),
    ("rcps:process_list", "process", "q=bali", "slug"),
    ("meetings:meeting_list", "meeting", "process=colombo-process", "pk"),
    ("meetings:meeting_list", "meeting", "kind=technical", "pk"),
    ("meetings:meeting_list", "meeting", "country=LK", "pk"),
    ("meetings:meeting_list", "meeting", "theme=labour-migration", "pk"),
    ("meetings:meeting_list", "meeting", "date_from=2010-01-01&date_to=2012-12-31", "pk"),
    ("meetings:meeting_list", "meeting", "when=past&sessions=on", "pk"),
    ("meetings:document_list", "document", "process=bali-process", "pk"),
    ("meetings:document_list", "document", "kind=declaration", "pk"),
    ("meetings:document_list", "document", "language=fr", "pk"),
    ("recommendations:recommendation_list", "recommendation", "source=colombo-process", "pk"),
    ("recommendations:recommendation_list", "recommendation", "theme=labour-migration", "pk"),
    ("recommendations:recommendation_list", "recommendation", "addressee=states", "pk"),
    ("recommendations:recommendation_list", "recommendation", "follow_up=none", "pk"),
    ("recommendations:recommendation_list", "recommendation", "follow_up=implemented", "pk"),
    ("rcps:focalpoint_list", "focalpoint", "process=bali-process", "pk"),
    ("rcps:focalpoint_list", "focalpoint", "country=LK", "pk"),
    ("rcps:focalpoint_list", "focalpoint", "role=gfmd", "pk"),
    ("rcps:country_list", "country", "region=southern-asia", "code"),
    ("rcps:country_list", "country", "processes_min=1", "code"),
    ("rcps:country_list", "country", "q=indo", "code"),
]

API_KEY = {"slug": "slug", "pk": "id", "code": "code"}


@pytest.mark.parametrize(("page", "endpoint", "query", "key"), SAME_AS_PAGE)
def test_api_lists_the_same_records_as_the_page_for_the_same_filters(client, directory, page, endpoint, query, key):
    page_response = client.get(f"{reverse(page)}?{query}")
    assert page_response.status_code == 200
    on_page = [getattr(item, key) for item in page_response.context["object_list"]]

    in_api = [item[API_KEY[key]] for item in api_list(client, endpoint, query)["results"]]

    assert in_api == on_page
    assert in_api, "each query is chosen to find something"


def test_meeting_list_leaves_out_sessions_unless_asked_like_the_page(client, directory):
    default = {item["id"] for item in api_list(client, "meeting")["results"]}
    with_sessions = {item["id"] for item in api_list(client, "meeting", "sessions=true")["results"]}

    assert directory["session"].pk not in default
    assert directory["session"].pk in with_sessions


def test_meeting_has_its_organizers_themes_country_and_page_address(client, directory):
    colombo = directory["colombo"]

    body = client.get(reverse("api:meeting-detail", args=[colombo.pk])).json()

    assert [p["slug"] for p in body["organizing_processes"]] == ["colombo-process"]
    assert body["themes"] == [{"slug": "labour-migration", "name": "Labour migration"}]
    assert body["country"] == {"code": "LK", "name": "Sri Lanka"}
    assert body["url"] == f"http://testserver/meetings/{colombo.pk}/"


def test_session_can_be_read_on_its_own(client, directory):
    response = client.get(reverse("api:meeting-detail", args=[directory["session"].pk]))

    assert response.status_code == 200
    assert response.json()["parent"] == directory["colombo"].pk


def test_process_is_found_by_slug_with_its_regions_themes_and_members(client, directory):
    body = client.get(reverse("api:process-detail", args=["colombo-process"])).json()

    assert body["regions"][0]["slug"] == "southern-asia"
    assert body["themes"][0]["slug"] == "labour-migration"
    assert body["member_count"] == 1
    assert body["url"] == "http://testserver/processes/colombo-process/"


def test_country_is_found_by_its_code_in_either_case(client, directory):
    assert client.get(reverse("api:country-detail", args=["lk"])).json()["name"] == "Sri Lanka"
    assert client.get(reverse("api:country-detail", args=["LK"])).json()["process_count"] == 1


def test_recommendation_lists_its_public_follow_ups(client, directory):
    body = client.get(reverse("api:recommendation-detail", args=[directory["recommendation"].pk])).json()

    assert [(f["process"]["slug"], f["status"]) for f in body["follow_ups"]] == [("colombo-process", "implemented")]
    assert body["addressee_groups"] == ["states"]


def test_document_links_to_its_meeting_and_its_web_address(client, directory):
    body = client.get(reverse("api:document-detail", args=[directory["report"].pk])).json()

    assert body["meeting"]["id"] == directory["bali"].pk
    assert body["download_url"] == "https://e.org/r"


def test_focal_point_contact_details_are_hidden_without_consent(client, process):
    baker.make(
        "rcps.FocalPoint", process=process, institution="Ministry", name="A. Person", email="a@example.org", phone="1"
    )

    item = api_list(client, "focalpoint")["results"][0]

    assert (item["name"], item["email"], item["phone"]) == ("", "", "")
    assert b"a@example.org" not in client.get(reverse("api:focalpoint-list")).content


def test_focal_point_contact_details_are_shown_with_consent(client, process):
    baker.make(
        "rcps.FocalPoint",
        process=process,
        institution="Ministry",
        name="A. Person",
        email="a@example.org",
        consent_to_publish=True,
        consent_date=datetime.date(2024, 1, 1),
    )

    item = api_list(client, "focalpoint")["results"][0]

    assert (item["name"], item["email"]) == ("A. Person", "a@example.org")


def test_focal_point_names_without_consent_cannot_be_found_by_search(client, process):
    baker.make("rcps.FocalPoint", process=process, institution="Ministry", name="Zebedee Quux")

    assert api_list(client, "focalpoint", "q=zebedee")["count"] == 0


@pytest.fixture
def hidden_records(process, country):
    """Non-public records with MARKER in their text, and public records that point at them."""
    hidden_process = baker.make(
        "rcps.Process",
        name=f"{MARKER} forum",
        acronym="HIDDEN",
        slug="hidden-forum",
        kind="rcp",
        visibility="confidential",
    )
    hidden_meeting = baker.make(
        "meetings.Meeting", title=f"{MARKER} meeting", start_date=datetime.date(2020, 1, 1), visibility="participants"
    )
    hidden_meeting.organizing_processes.add(process)
    baker.make(
        "meetings.Meeting", title=f"{MARKER} session", parent=hidden_meeting, start_date=datetime.date(2020, 1, 1)
    )
    hidden_document = baker.make(
        "meetings.Document", title=f"{MARKER} paper", process=process, url="https://e.org/x", visibility="confidential"
    )
    baker.make("meetings.Document", title=f"Paper of a {MARKER} meeting", meeting=hidden_meeting, url="https://e.org/y")
    baker.make("recommendations.Recommendation", title=f"{MARKER} recommendation", visibility="confidential")
    public_recommendation = baker.make(
        "recommendations.Recommendation",
        title="Public recommendation",
        issuing_process=hidden_process,
        source_meeting=hidden_meeting,
        source_document=hidden_document,
    )
    public_recommendation.addressed_processes.add(hidden_process)
    baker.make(
        "recommendations.FollowUp",
        recommendation=public_recommendation,
        process=process,
        status="implemented",
        date="2021-01-01",
        note=MARKER,
        visibility="confidential",
    )
    baker.make("rcps.FocalPoint", process=process, institution=f"{MARKER} ministry", visibility="confidential")
    baker.make("rcps.FocalPoint", process=hidden_process, institution=f"Ministry of the {MARKER} forum")
    joint = baker.make("meetings.Meeting", title="Joint meeting", start_date=datetime.date(2019, 1, 1))
    joint.organizing_processes.add(process, hidden_process)
    return {"process": hidden_process, "meeting": hidden_meeting, "document": hidden_document}


LISTS = ["process", "meeting", "document", "recommendation", "focalpoint", "country"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_no_list_shows_anything_that_is_not_public(client, hidden_records, endpoint):
    # `sessions` is a filter of meetings only: other lists refuse it as an unknown parameter (see test_filters).
    queries = ("", "sessions=true", "page_size=100") if endpoint == "meeting" else ("", "page_size=100")
    for query in queries:
        response = client.get(f"{reverse(f'api:{endpoint}-list')}?{query}")
        assert response.status_code == 200
        assert MARKER.encode() not in response.content
        assert b"HIDDEN" not in response.content


def test_non_public_records_are_not_found_one_by_one(client, hidden_records):
    assert client.get(reverse("api:process-detail", args=["hidden-forum"])).status_code == 404
    assert client.get(reverse("api:meeting-detail", args=[hidden_records["meeting"].pk])).status_code == 404
    assert client.get(reverse("api:document-detail", args=[hidden_records["document"].pk])).status_code == 404


def test_public_recommendation_does_not_name_its_non_public_sources(client, hidden_records):
    item = api_list(client, "recommendation")["results"][0]

    assert item["issuing_process"] is None
    assert item["source_meeting"] is None
    assert item["source_document"] is None
    assert item["addressed_processes"] == []
    assert item["follow_ups"] == []


def test_lists_are_paginated(client):
    baker.make("rcps.Process", kind="rcp", _quantity=30)

    first = api_list(client, "process")
    second = client.get(first["next"]).json()

    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_page_past_the_end_is_not_found(client):
    assert client.get(f"{reverse('api:process-list')}?page=9").status_code == 404


def test_invalid_filter_value_is_a_bad_request_naming_the_filter(client):
    response = client.get(f"{reverse('api:meeting-list')}?kind=banquet&date_from=yesterday")

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "date_from"}


def test_list_queries_do_not_grow_with_the_number_of_meetings(client, process, django_assert_max_num_queries):
    themes = baker.make("reference.Theme", _quantity=3)
    for item in baker.make("meetings.Meeting", start_date=datetime.date(2015, 1, 1), _quantity=20):
        item.themes.set(themes)
        item.organizing_processes.add(process)

    # Count, page of meetings (with country and parent), their public organizers, their themes.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api:meeting-list"))

    assert response.json()["count"] == 20


def test_anonymous_requests_are_throttled(client, settings):
    from rest_framework.throttling import AnonRateThrottle

    rates = {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"}
    url = reverse("api:country-list")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
        statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_recommendations_are_filtered_by_a_year_range(client):
    for year in (2005, 2008, 2012):
        baker.make("recommendations.Recommendation", title=f"Of {year}", year=year)
    response = client.get(reverse("api:recommendation-list"), {"year_from": 2008})
    assert response.status_code == 200
    assert {r["title"] for r in response.json()["results"]} == {"Of 2008", "Of 2012"}
    response = client.get(reverse("api:recommendation-list"), {"year_from": 2006, "year_to": 2010})
    assert {r["title"] for r in response.json()["results"]} == {"Of 2008"}


@pytest.mark.parametrize("endpoint", LISTS)
def test_an_unknown_query_parameter_is_a_bad_request_naming_it(client, endpoint):
    response = client.get(reverse(f"api:{endpoint}-list"), {"year": 2008})
    assert response.status_code == 400
    assert "year" in response.json()


def test_recommendation_follow_ups_name_their_public_evidence_only(client, process):
    recommendation = baker.make("recommendations.Recommendation", title="Hold a global meeting")
    public_paper = baker.make("meetings.Document", title="Athens paper", reference="RT 3.2", process=process)
    hidden_paper = baker.make(
        "meetings.Document", title=f"Paper {MARKER}", reference="x", process=process, visibility="confidential"
    )
    for evidence, day in ((public_paper, "2009-06-04"), (hidden_paper, "2010-01-01")):
        baker.make(
            "recommendations.FollowUp",
            recommendation=recommendation,
            process=process,
            status="implemented",
            date=day,
            evidence_document=evidence,
        )
    response = client.get(reverse("api:recommendation-detail", args=[recommendation.pk]))
    follow_ups = response.json()["follow_ups"]
    assert [f["evidence_document"]["title"] if f["evidence_document"] else None for f in follow_ups] == [
        "Athens paper",
        None,
    ]
    assert MARKER.encode() not in response.content
