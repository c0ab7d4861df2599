"""The public repository: the faceted directory and its counts, practice pages, exports, the feed, calls,
the page per GCM objective, the API, search and the sitemap — only published, public practices."""

import csv
import io
import json

import feedparser
import pytest
from django.urls import reverse
from model_bakery import baker

from practices.models import Practice

from .conftest import make_practice, publish

pytestmark = pytest.mark.django_db


def content(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


@pytest.fixture
def published(colombo, bali, colombo_secretariat, bali_secretariat, support_unit, objective_6, objective_10, sri_lanka):
    """Two published practices: Colombo's on objective 6 in Sri Lanka, Bali's on objectives 6 and 10 (global)."""
    meeting = baker.make("meetings.Meeting", title="Colombo ministerial consultation", start_date="2024-05-02")
    colombo_practice = make_practice(
        colombo, objectives=[objective_6], countries=[sri_lanka], title="Pre-departure orientation", start_year=2019
    )
    colombo_practice.source_meetings.set([meeting])
    bali_practice = make_practice(
        bali,
        objectives=[objective_6, objective_10],
        title="Joint victim identification",
        lessons_learned="Shelters were full in the first year.",
        start_year=2021,
    )
    return {
        "colombo": publish(colombo_practice, colombo_secretariat, support_unit),
        "bali": publish(bali_practice, bali_secretariat, support_unit),
        "meeting": meeting,
    }


def facet(response, param):
    return {
        item["label"]: item["count"]
        for item in next(f for f in response.context["facets"] if f["param"] == param)["items"]
    }


def test_the_directory_lists_published_practices_with_facet_counts(client, published):
    response = client.get(reverse("practices:practice_list"))
    assert response.status_code == 200
    assert {p.title for p in response.context["object_list"]} == {
        "Pre-departure orientation",
        "Joint victim identification",
    }
    objectives = facet(response, "gcm")
    assert objectives[f"6. {published['colombo'].gcm_objectives.get().title}"] == 2
    assert sum(objectives.values()) == 3
    assert facet(response, "country") == {"Sri Lanka": 1}
    assert facet(response, "process") == {"CP": 1, "BP": 1}
    assert facet(response, "year") == {"2021": 1, "2019": 1}


def test_filtering_by_objective_narrows_the_list_and_the_counts(client, published):
    response = client.get(reverse("practices:practice_list"), {"gcm": 10})
    assert [p.title for p in response.context["object_list"]] == ["Joint victim identification"]
    assert sum(facet(response, "gcm").values()) == 2  # objectives 6 and 10 of the one practice
    assert facet(response, "process") == {"BP": 1}
    chosen = [item for f in response.context["facets"] for item in f["items"] if item["selected"]]
    assert len(chosen) == 1 and chosen[0]["count"] == 1


def test_the_directory_and_its_facets_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, colombo, sri_lanka, objective_6, colombo_secretariat, support_unit
):
    for i in range(30):
        practice = make_practice(colombo, objectives=[objective_6], countries=[sri_lanka], title=f"Practice {i}")
        publish(practice, colombo_secretariat, support_unit)
    # Count + page rows (process and dispatch joined) + objectives, countries, regions prefetches + the
    # filter form's choices (themes, regions, countries, processes, calls) + seven facets (one count and
    # one label query each, the year facet one) + session: the same with 30 practices as with 3.
    with django_assert_max_num_queries(30) as captured:
        response = client.get(reverse("practices:practice_list"))
    assert len(response.context["object_list"]) == 25
    first = len(captured)
    for i in range(30, 40):
        publish(
            make_practice(colombo, objectives=[objective_6], title=f"Practice {i}"), colombo_secretariat, support_unit
        )
    with django_assert_max_num_queries(first):
        client.get(reverse("practices:practice_list"), {"page": 2})


def test_a_practice_page_shows_lessons_learned_and_the_source_meeting(client, published):
    html = client.get(published["bali"].get_absolute_url()).content.decode()
    assert "Shelters were full in the first year." in html
    html = client.get(published["colombo"].get_absolute_url()).content.decode()
    assert "Colombo ministerial consultation" in html
    assert published["meeting"].get_absolute_url() in html


def test_a_contact_is_shown_only_with_consent(client, published):
    practice = published["colombo"]
    Practice.objects.filter(pk=practice.pk).update(contact_name="Ms Perera", contact_email="perera@example.org")
    assert "perera@example.org" not in client.get(practice.get_absolute_url()).content.decode()
    assert "perera@example.org" not in content(client.get(reverse("practices:practice_list"), {"format": "csv"}))
    assert "perera@example.org" not in client.get(f"/api/v1/practices/{practice.pk}/").content.decode()
    Practice.objects.filter(pk=practice.pk).update(contact_consent=True)
    assert "perera@example.org" in client.get(practice.get_absolute_url()).content.decode()
    assert "perera@example.org" in client.get(f"/api/v1/practices/{practice.pk}/").content.decode()


def test_the_export_follows_the_filters_in_csv_and_json(client, published):
    rows = list(
        csv.DictReader(io.StringIO(content(client.get("/practices/", {"gcm": 6, "format": "csv"})).lstrip("\ufeff")))
    )
    assert {row["title"] for row in rows} == {"Pre-departure orientation", "Joint victim identification"}
    assert {row["lessons_learned_and_pitfalls"] for row in rows} >= {"Shelters were full in the first year."}
    data = json.loads(content(client.get("/practices/", {"gcm": 10, "format": "json"})))
    assert [row["title"] for row in data] == ["Joint victim identification"]
    assert data[0]["gcm_objectives"] == [6, 10]


def test_the_feed_parses_and_holds_only_published_practices(client, published, colombo, objective_6):
    make_practice(colombo, objectives=[objective_6], title="Unsubmitted draft")
    feed = feedparser.parse(client.get(reverse("practices:practice_feed")).content)
    assert not feed.bozo
    assert {entry.title for entry in feed.entries} == {"Pre-departure orientation", "Joint victim identification"}
    feed = feedparser.parse(client.get(reverse("practices:gcm_objective_feed", args=[10])).content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Joint victim identification"]


def test_an_objective_page_lists_everything_tagged_with_it(client, published, objective_6, colombo):
    recommendation = baker.make("recommendations.Recommendation", title="Regulate recruitment agencies", year=2020)
    recommendation.gcm_objectives.set([objective_6])
    hidden = baker.make("recommendations.Recommendation", title="Draft on recruitment", year=2020, publication="draft")
    hidden.gcm_objectives.set([objective_6])
    published["meeting"].gcm_objectives.set([objective_6])
    response = client.get(objective_6.get_absolute_url())
    html = response.content.decode()
    sections = {s["key"]: s["count"] for s in response.context["sections"]}
    assert sections == {
        "practices": 2,
        "recommendations": 1,
        "meetings": 1,
        "dispatches": 2,
    }  # the practices' dispatches
    assert "Regulate recruitment agencies" in html and "Draft on recruitment" not in html
    assert client.get(reverse("practices:gcm_objective_detail", args=[24])).status_code == 404


def test_the_directories_filter_by_gcm_objective(client, published, objective_6):
    recommendation = baker.make("recommendations.Recommendation", title="Regulate recruitment agencies", year=2020)
    recommendation.gcm_objectives.set([objective_6])
    baker.make("recommendations.Recommendation", title="Untagged one", year=2020)
    published["meeting"].gcm_objectives.set([objective_6])
    baker.make("meetings.Meeting", title="Untagged meeting", start_date="2024-06-01")
    response = client.get("/recommendations/", {"gcm": 6})
    assert [r.title for r in response.context["object_list"]] == ["Regulate recruitment agencies"]
    response = client.get("/meetings/", {"gcm": 6, "when": "all"})
    assert "Untagged meeting" not in response.content.decode()
    response = client.get("/exchange/", {"gcm": 10})
    assert [d.title for d in response.context["object_list"]] == ["Joint victim identification"]
    assert client.get("/recommendations/", {"gcm": 99}).status_code == 200  # an unknown objective: a form error


def test_a_closed_call_lists_what_it_gathered(
    client, open_call, colombo, colombo_secretariat, support_unit, objective_6
):
    practice = make_practice(colombo, objectives=[objective_6], call=open_call, title="Answer to the call")
    publish(practice, colombo_secretariat, support_unit)
    make_practice(colombo, objectives=[objective_6], call=open_call, title="Draft answer")
    type(open_call).objects.filter(pk=open_call.pk).update(deadline="2020-01-01")
    html = client.get(open_call.get_absolute_url()).content.decode()
    assert "What the call gathered" in html
    assert "Answer to the call" in html and "Draft answer" not in html
    assert "1 practice published" in client.get(reverse("practices:call_list")).content.decode()


def test_the_call_is_announced_on_the_exchange_and_the_addressed_process_page(client, open_call, colombo):
    assert open_call.announcement.title in client.get("/exchange/").content.decode()
    assert open_call.announcement.title in client.get(colombo.get_absolute_url()).content.decode()


def test_the_api_lists_published_practices_and_the_objectives(client, published, colombo, objective_6):
    make_practice(colombo, objectives=[objective_6], title="Unsubmitted draft")
    data = client.get("/api/v1/practices/", {"gcm": 6}).json()
    assert {row["title"] for row in data["results"]} == {"Pre-departure orientation", "Joint victim identification"}
    assert client.get("/api/v1/practices/", {"nope": 1}).status_code == 400
    assert client.get("/api/v1/gcm-objectives/6/").json()["number"] == 6


def test_site_search_and_sitemap_find_published_practices(client, published, colombo, objective_6):
    make_practice(colombo, objectives=[objective_6], title="Orientation draft unpublished")
    response = client.get("/search/", {"q": "orientation"})
    html = response.content.decode()
    assert "Pre-departure orientation" in html and "Orientation draft unpublished" not in html
    sitemap = client.get("/sitemap.xml").content.decode()
    assert published["colombo"].get_absolute_url() in sitemap


def test_bad_filter_values_are_form_errors_and_refused_exports(client, published):
    response = client.get("/practices/", {"gcm": "abc", "year": "1700"})
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert list(response.context["object_list"]) == []
    assert client.get("/practices/", {"gcm": "abc", "format": "csv"}).status_code == 400
    assert client.get("/practices/", {"sort": "nonsense"}).status_code == 200
    assert client.get("/practices/999999/").status_code == 404
    assert client.get("/practices/calls/999999/").status_code == 404


def test_a_practice_page_and_an_objective_page_run_a_fixed_number_of_queries(
    client, published, objective_6, colombo, colombo_secretariat, support_unit, django_assert_max_num_queries
):
    for i in range(10):
        publish(make_practice(colombo, objectives=[objective_6], title=f"More {i}"), colombo_secretariat, support_unit)
        baker.make("recommendations.Recommendation", title=f"Rec {i}", year=2020).gcm_objectives.set([objective_6])
    # practice + process, dispatch and call joined; 13 prefetches (processes, partners, themes, objectives,
    # targets, countries, regions, links, meetings, recommendations, dispatches, documents) + session
    with django_assert_max_num_queries(16):
        client.get(published["colombo"].get_absolute_url())
    # the objective; a count and a short list for each of the four kinds of record
    with django_assert_max_num_queries(10):
        response = client.get(objective_6.get_absolute_url())
    assert {s["key"]: s["count"] for s in response.context["sections"]}["practices"] == 12


def test_a_survey_answer_is_cited_as_source_only_once_published_with_the_process_consent(client, published, colombo):
    """The practice page cites the survey answer it came from only where anyone may read that answer."""
    survey = baker.make("surveys.Survey", title="Survey of RCPs 2027", year=2027)
    answer = baker.make(
        "surveys.SurveyResponse", survey=survey, process=colombo, status="completed", consent_to_publish=False
    )
    practice = published["colombo"]
    practice.source_survey_responses.set([answer])
    url = practice.get_absolute_url()
    assert "Survey of RCPs 2027" not in content(client.get(url))  # results unpublished, no consent

    answer.consent_to_publish = True
    answer.save()
    assert "Survey of RCPs 2027" not in content(client.get(url))  # consent, but results unpublished

    survey.results_published_at = "2027-06-01T10:00Z"
    survey.save()
    assert "Survey of RCPs 2027" in content(client.get(url))

    answer.consent_to_publish = False
    answer.save()
    assert "Survey of RCPs 2027" not in content(client.get(url))  # published results, consent withdrawn


def test_the_feed_answers_304_to_a_reader_polling_it_unchanged_and_200_once_it_changes(client, published):
    url = reverse("practices:practice_feed")
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    practice = published["colombo"]
    practice.title = "Pre-departure orientation, revised"
    practice.save()
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert any("revised" in entry.title for entry in feedparser.parse(changed.content).entries)


def test_an_empty_feed_keeps_its_date_and_answers_304(client, db):
    url = reverse("practices:practice_feed")
    first = client.get(url)
    assert feedparser.parse(first.content).entries == []
    assert first["Last-Modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
