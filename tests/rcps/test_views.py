"""Directory and detail pages of processes, recommendations, focal points, countries and the overlap view."""

import datetime

import pytest
from model_bakery import baker

from rcps.models import Process

pytestmark = pytest.mark.django_db

ROWS = 30  # more than a page of 25, so pagination is exercised too
PAGE = 25


@pytest.fixture
def crowd(db):
    """ROWS processes sharing members, themes, regions, meetings, documents, recommendations and focal points."""
    countries = [
        baker.make(
            "reference.Country",
            code=f"{chr(65 + i // 26)}{chr(65 + i % 26)}",
            alpha3=f"X{chr(65 + i // 26)}{chr(65 + i % 26)}",
            name=f"Country {i:02}",
            region=baker.make("reference.Region", code=f"{i:03}", slug=f"region-{i}", level="region"),
        )
        for i in range(ROWS)
    ]
    themes = baker.make("reference.Theme", _quantity=3, _fill_optional=False, slug=iter(["t1", "t2", "t3"]))
    group = baker.make("reference.AddresseeGroup", slug="states")
    secretariat = baker.make("reference.Organization", slug="iom", name="IOM")
    processes = []
    for i in range(ROWS):
        process = baker.make(
            "rcps.Process",
            name=f"Process {i:02}",
            slug=f"process-{i:02}",
            acronym=f"P{i:02}",
            secretariat=secretariat,
            themes=themes,
            regions=[countries[i].region],
        )
        for country in countries[i : i + 5]:
            baker.make("rcps.Participation", process=process, country=country, role="member", since_year=2000)
        baker.make("rcps.Participation", process=process, organization=secretariat, role="observer")
        baker.make("rcps.Chairmanship", process=process, country=countries[i], start_year=2010)
        baker.make("rcps.FocalPoint", process=process, country=countries[i], institution=f"Ministry {i}")
        meeting = baker.make(
            "meetings.Meeting",
            title=f"Meeting {i:02}",
            start_date=datetime.date(2000 + i % 20, 1, 1),
            organizing_processes=[process, processes[-1]] if processes else [process],
            country=countries[i],
            themes=themes,
            participating_countries=countries[:5],
        )
        baker.make(
            "meetings.Meeting",
            title=f"Session {i:02}",
            start_date=meeting.start_date,
            parent=meeting,
            chairs=countries[:2],
        )
        baker.make(
            "meetings.Document",
            title=f"Document {i:02}",
            url="https://example.org",
            meeting=meeting,
            process=process,
            year=2000 + i % 20,
        )
        recommendation = baker.make(
            "recommendations.Recommendation",
            title=f"Recommendation {i:02}",
            text="Do it",
            issuing_process=process,
            source_meeting=meeting,
            themes=themes,
            addressee_groups=[group],
            addressed_processes=processes[-3:] + [process],
        )
        for j, other in enumerate(processes[-3:]):
            baker.make(
                "recommendations.FollowUp",
                recommendation=recommendation,
                process=other,
                status="implemented",
                date=datetime.date(2012, 1, 1 + j),
            )
        processes.append(process)
    return {"processes": processes, "countries": countries}


# Query-count guards: each bound names what it covers; an N+1 over ROWS rows would break it.


def test_process_directory_query_count(client, crowd, django_assert_max_num_queries):
    # 3 filter choice lists (regions, themes, member countries) + count + page + prefetch regions + themes
    with django_assert_max_num_queries(7):
        response = client.get("/processes/")
    assert len(response.context["object_list"]) == PAGE


def test_filtered_process_directory_query_count(client, crowd, django_assert_max_num_queries):
    # as above + validating the theme and member choices (one query each), less the empty second themes list
    with django_assert_max_num_queries(9):
        response = client.get("/processes/?theme=t1&member=AA&sort=-members")
    assert response.status_code == 200


def test_recommendation_directory_query_count(client, crowd, django_assert_max_num_queries):
    # 6 filter choice lists (source, meeting, theme, addressee group, addressed process, follow-up process)
    # + count + page + 7 prefetches (issuer, meeting, document, addressed processes, themes, groups,
    # follow-ups) + their public evidence documents (when a follow-up has one) + the follow-up status
    # chart of the filtered result (one grouped query, cached in production)
    with django_assert_max_num_queries(16):
        response = client.get("/recommendations/")
    assert len(response.context["object_list"]) == PAGE


def test_focal_point_directory_query_count(client, crowd, django_assert_max_num_queries):
    # 2 filter choice lists (process, country) + count + page (process and country joined)
    with django_assert_max_num_queries(4):
        response = client.get("/focal-points/")
    assert len(response.context["object_list"]) == PAGE


def test_country_directory_query_count(client, crowd, django_assert_max_num_queries):
    # 1 filter choice list (regions) + count + page (region joined, process count as a subquery)
    # + every country's process count for the map (one grouped query, cached in production)
    with django_assert_max_num_queries(4):
        response = client.get("/countries/")
    assert len(response.context["object_list"]) == ROWS


def test_process_profile_query_count(client, crowd, django_assert_max_num_queries):
    process = crowd["processes"][10]
    # process + regions + themes; participations; chairs; meetings + their organizers; documents;
    # issued and addressed recommendations with 7 prefetches each (less empty ones); focal points;
    # related processes (one annotated query); dispatches sent or received (+ 2 prefetches when any);
    # open calls for practices addressed to it and its published practices (one query each), the
    # figures its member States released to the public (members app, one query)
    with django_assert_max_num_queries(30):
        response = client.get(process.get_absolute_url())
    assert len(response.context["related_processes"]) == 12


def test_recommendation_detail_query_count(client, crowd, django_assert_max_num_queries):
    recommendation = crowd["processes"][20].issued_recommendations.get()
    # recommendation + 6 prefetches (no source document, so one prefetch is skipped)
    with django_assert_max_num_queries(7):
        response = client.get(recommendation.get_absolute_url())
    assert len(response.context["recommendation"].public_follow_ups) == 3


def test_country_detail_query_count(client, crowd, django_assert_max_num_queries):
    country = crowd["countries"][10]
    # country with its region chain; participations; meetings hosted + organizers; focal point count;
    # the States sharing its processes, for the map (one grouped query); its public figures (members app)
    with django_assert_max_num_queries(7):
        response = client.get(country.get_absolute_url())
    assert len(response.context["participations"]) == 5


def test_overlap_query_count(client, crowd, django_assert_max_num_queries):
    # member pairs once + the processes; the matrix is computed in Python
    with django_assert_max_num_queries(2):
        response = client.get("/overlap/")
    assert len(response.context["rows"]) == ROWS


# Behaviour ---------------------------------------------------------------------------


def test_process_directory_shows_total_and_paginates(client, crowd):
    response = client.get("/processes/?page=2")
    assert response.context["paginator"].count == ROWS
    assert "<title>Processes — page 2" in response.content.decode()


def test_active_filter_chip_removes_only_its_filter(client, crowd):
    response = client.get("/processes/?kind=rcp&theme=t1&sort=name")
    chips = {label: url for label, _value, url in response.context["active_filters"]}
    assert set(chips) == {"Kind", "Theme"}
    assert chips["Kind"] == "/processes/?theme=t1&sort=name"


def test_directory_empty_state_offers_a_way_out(client, crowd):
    content = client.get("/processes/?q=nothing-like-this").content.decode()
    assert "Nothing matches these filters" in content
    assert 'href="/processes/">Show everything' in content


def test_invalid_filter_value_shows_the_error_not_a_crash(client, crowd):
    response = client.get("/processes/?member=ZZ")
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    assert "Select a valid choice" in response.content.decode()


def test_canonical_url_drops_filters_and_paging(client, crowd):
    content = client.get("/processes/?sort=name&page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/processes/">' in content


def test_process_profile_lists_members_by_role_and_related_processes_with_counts(client, crowd):
    process = crowd["processes"][10]
    response = client.get(process.get_absolute_url())
    content = response.content.decode()
    assert "Country 10" in content and "Member" in content and "Observer" in content
    neighbour = next(p for p in response.context["related_processes"] if p.slug == "process-11")
    assert (neighbour.shared_members, neighbour.shared_themes) == (4, 3)
    assert "/overlap/process-10/process-11/" in content


def test_process_profile_shows_follow_up_status_of_addressed_recommendations(client, crowd):
    process = crowd["processes"][10]
    response = client.get(process.get_absolute_url())
    addressed = response.context["addressed_recommendations"]
    assert any(r.public_follow_ups for r in addressed)
    assert "Implemented" in response.content.decode()


def test_country_page_lists_all_memberships(client, crowd):
    response = client.get(crowd["countries"][10].get_absolute_url())
    names = {p.process.name for p in response.context["participations"]}
    assert names == {f"Process {i:02}" for i in range(6, 11)}


def test_country_page_is_found_by_lowercase_code(client, crowd):
    assert client.get("/countries/aa/").status_code == 200
    assert client.get("/countries/zz/").status_code == 404


def test_overlap_pair_lists_shared_members_and_jaccard(client, crowd):
    response = client.get("/overlap/process-10/process-12/")
    assert [c.name for c in response.context["shared"]] == ["Country 12", "Country 13", "Country 14"]
    assert response.context["jaccard"] == pytest.approx(3 / 7)


def test_overlap_matrix_cell_carries_count_and_jaccard(client, crowd):
    response = client.get("/overlap/")
    row = next(r for r in response.context["rows"] if r["process"].slug == "process-10")
    cell = next(c for c in row["cells"] if c["process"].slug == "process-11")
    assert cell["count"] == 4 and cell["jaccard"] == pytest.approx(4 / 6)


def test_focal_point_contact_details_shown_only_with_consent(client):
    process = baker.make(Process, slug="colombo")
    baker.make(
        "rcps.FocalPoint",
        process=process,
        institution="A",
        name="Published Person",
        email="pub@example.org",
        consent_to_publish=True,
        consent_date=datetime.date(2020, 1, 1),
    )
    baker.make("rcps.FocalPoint", process=process, institution="B", name="Private Person", email="priv@example.org")
    content = client.get("/focal-points/").content.decode()
    assert "Published Person" in content and "pub@example.org" in content
    assert "Private Person" not in content and "priv@example.org" not in content


def test_directory_pages_have_their_own_title_and_description(client, crowd):
    for url, title in [
        ("/processes/", "Processes"),
        ("/recommendations/", "Recommendations"),
        ("/focal-points/", "Focal points"),
        ("/countries/", "Countries"),
    ]:
        content = client.get(url).content.decode()
        assert f"<title>{title} · RCP Portal</title>" in content
        assert '<meta name="description" content="' in content
