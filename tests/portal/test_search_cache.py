"""The site search's ranked matches are kept until what they depend on changes, and never outlive a change."""

import datetime

import pytest
from django.core.cache import cache
from model_bakery import baker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_cache_on(settings, tmp_path):
    settings.CHOICE_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False  # the page itself renders on every request: the matches are cached
    settings.PAGE_CACHE_VERSION_DIR = str(tmp_path / "versions")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting(db):
    process = baker.make("rcps.Process", name="Colombo Process", slug="colombo")
    return baker.make(
        "meetings.Meeting",
        title="Labour ministers meeting",
        start_date=datetime.date(2011, 4, 19),
        organizing_processes=[process],
    )


def counts(client, text):
    response = client.get("/search/", {"q": text})
    return {group["type"].key: group["count"] for group in response.context["groups"] if group["count"]}


def test_a_repeated_search_reads_only_the_rows_it_shows(client, meeting, django_assert_num_queries):
    assert counts(client, "labour") == {"meetings": 1}
    # The matches of all nine types come from the cache: one query, the meeting shown (its
    # organizers are prefetched only for a meeting page, not a result line).
    with django_assert_num_queries(1):
        response = client.get("/search/", {"q": "labour"})
    assert "Labour ministers meeting" in response.text


def test_a_new_record_is_found_on_the_next_search(client, meeting):
    counts(client, "labour")
    baker.make("meetings.Document", title="Declaration on labour", url="https://example.org/d.pdf", meeting=meeting)
    assert counts(client, "labour") == {"meetings": 1, "documents": 1}


def test_a_record_made_confidential_is_not_found_on_the_next_search(client, meeting):
    assert counts(client, "labour") == {"meetings": 1}
    meeting.visibility = "confidential"
    meeting.save()
    assert counts(client, "labour") == {}


def test_a_hidden_parent_hides_its_documents_on_the_next_search(client, meeting):
    baker.make("meetings.Document", title="Declaration on labour", url="https://example.org/d.pdf", meeting=meeting)
    assert counts(client, "declaration") == {"documents": 1}
    meeting.visibility = "confidential"
    meeting.save()
    assert counts(client, "declaration") == {}


def test_a_retitled_record_ranks_by_its_new_title(client, meeting):
    assert counts(client, "ministers") == {"meetings": 1}
    meeting.title = "Dhaka meeting"
    meeting.save()
    assert counts(client, "ministers") == {}
    assert counts(client, "dhaka") == {"meetings": 1}


def test_each_language_keeps_its_own_matches(client, meeting):
    meeting.title_fr = "Réunion des ministres du travail"
    meeting.save()
    assert counts(client, "travail") == {}
    response = client.get("/fr/search/", {"q": "travail"})
    assert {group["type"].key: group["count"] for group in response.context["groups"] if group["count"]} == {
        "meetings": 1
    }


def test_a_record_hidden_without_signals_is_not_shown_from_cached_matches(client, meeting):
    assert counts(client, "labour") == {"meetings": 1}
    type(meeting).objects.filter(pk=meeting.pk).update(visibility="confidential")  # no signal, no bump
    response = client.get("/search/", {"q": "labour"})
    assert "Labour ministers meeting" not in response.text
