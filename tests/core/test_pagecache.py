"""The anonymous page cache: served from the cache, invalidated by what changed, never shared with staff."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from model_bakery import baker

from core import pagecache


@pytest.fixture(autouse=True)
def page_cache_on(settings, tmp_path):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_DIR = str(tmp_path / "versions")
    cache.clear()
    yield
    cache.clear()


def make_meeting(title, **kwargs):
    return baker.make("meetings.Meeting", title=title, start_date=datetime.date(2010, 5, 1), **kwargs)


def test_anonymous_repeat_request_is_served_without_queries(client, db, django_assert_num_queries):
    make_meeting("Dhaka 2011")
    client.get(reverse("meetings:meeting_list"))
    # 0: the page comes from the cache; the versions of its tags are read from files, not the database.
    with django_assert_num_queries(0):
        response = client.get(reverse("meetings:meeting_list"))
    assert "Dhaka 2011" in response.text


def test_a_back_office_change_shows_on_the_next_request(admin_client, client, db):
    meeting = make_meeting("Dhaka 2011")
    client.get(reverse("meetings:meeting_list"))
    meeting.title = "Dhaka 2012"
    meeting.save()
    response = client.get(reverse("meetings:meeting_list"))
    assert "Dhaka 2012" in response.text
    assert "Dhaka 2011" not in response.text


def test_a_deleted_row_disappears_on_the_next_request(client, db):
    meeting = make_meeting("Dhaka 2011")
    assert "Dhaka 2011" in client.get(reverse("meetings:meeting_list")).text
    meeting.delete()
    assert "Dhaka 2011" not in client.get(reverse("meetings:meeting_list")).text


def test_a_many_to_many_change_shows_on_the_next_request(client, process, db):
    meeting = make_meeting("Dhaka 2011")
    url = reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk})
    assert "Colombo Process" not in client.get(url).text
    meeting.organizing_processes.add(process)
    assert "Colombo Process" in client.get(url).text


def test_logged_in_users_never_read_cached_pages(admin_client, client, db):
    make_meeting("Dhaka 2011")
    url = reverse("meetings:meeting_list")
    client.get(url)  # an anonymous visit fills the cache...
    response = admin_client.get(url)  # ...which a logged-in user does not read
    assert response.context is not None  # rendered by the view, not a cached copy
    assert response.wsgi_request.user.is_authenticated


def test_logged_in_users_never_fill_the_cache(admin_client, client, db):
    make_meeting("Dhaka 2011")
    url = reverse("meetings:meeting_list")
    admin_client.get(url)
    response = client.get(url)
    assert response.context is not None  # the anonymous visitor's page was rendered, not the staff copy


def test_responses_setting_a_cookie_are_not_cached(client, db):
    url = reverse("exchange:subscribe")
    assert client.get(url).cookies  # the form's CSRF cookie
    client.cookies.clear()
    second = client.get(url)
    assert second.context is not None  # rendered again, not served from the cache


def test_a_write_bumps_its_model_its_record_and_the_records_it_points_to(db, country):
    meeting = make_meeting("Dhaka 2011", country=country)
    tags = [
        pagecache.model_tag(type(meeting)),
        pagecache.record_tag(type(meeting), meeting.pk),
        pagecache.record_tag(type(country), country.pk),
    ]
    before = pagecache.current_versions(tags)
    meeting.save()
    after = pagecache.current_versions(tags)
    assert all(after[tag] != before[tag] for tag in tags)


def test_writes_to_sessions_do_not_invalidate(admin_client, db):
    before = pagecache.current_versions([pagecache.ANY_WRITE])
    admin_client.get(reverse("admin:index"))  # saves the session on every request
    assert pagecache.current_versions([pagecache.ANY_WRITE]) == before


def test_cached_calendar_answers_not_modified_to_its_etag(client, db):
    make_meeting("Dhaka 2011")
    url = reverse("meetings:meeting_calendar")
    etag = client.get(url)["ETag"]
    client.get(url)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_filter_form_is_rendered_once_per_data_change(client, settings, country, django_assert_num_queries):
    settings.CHOICE_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    theme = baker.make("reference.Theme", name="Remittances", slug="remittances")
    make_meeting("Dhaka 2011", themes=[theme], country=country)
    client.get(reverse("meetings:meeting_list"))
    # bounded count + page + prefetch organizers + themes; the form with its three option
    # lists (process, country, theme) comes from the fragment cache, so none of them is read.
    with django_assert_num_queries(4):
        response = client.get(reverse("meetings:meeting_list") + "?page=1")
    assert 'value="remittances"' in response.text
    other = baker.make("reference.Theme", name="Diaspora", slug="diaspora")
    make_meeting("Bali 2012", themes=[other])
    assert 'value="diaspora"' in client.get(reverse("meetings:meeting_list")).text


def test_option_list_subset_is_cached_until_data_changes(settings, country, django_assert_num_queries):
    settings.CHOICE_CACHE_ENABLED = True
    choices = pagecache.cached_subset("test.countries", type(country), lambda: type(country).objects.all())
    assert list(choices()) == [country]
    with django_assert_num_queries(1):  # the countries by primary key; the subset query is cached
        assert list(choices()) == [country]
    other = baker.make("reference.Country", code="NP", alpha3="NPL", name="Nepal")
    assert set(choices()) == {country, other}


def test_home_figures_follow_a_change_on_the_next_request(client, settings, db):
    settings.CHOICE_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    make_meeting("Dhaka 2011")
    assert client.get(reverse("home")).context["figures"]["meetings"] == 1
    make_meeting("Bali 2012")
    assert client.get(reverse("home")).context["figures"]["meetings"] == 2


def test_a_write_bumps_its_tags_again_when_its_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        meeting = make_meeting("Dhaka 2011")
        make_meeting("Bali 2012")
    assert len(callbacks) == 1  # one per transaction, however many rows
    tag = pagecache.record_tag(type(meeting), meeting.pk)
    before = pagecache.current_versions([tag])
    callbacks[0]()
    assert pagecache.current_versions([tag]) != before


def test_calendar_is_built_once_per_data_change(client, settings, db, django_assert_num_queries):
    settings.CHOICE_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    baker.make("meetings.Meeting", title="Dhaka 2011", start_date=datetime.date(2011, 5, 1))
    url = reverse("meetings:meeting_calendar")
    first = client.get(url)
    with django_assert_num_queries(0):  # body, ETag and Last-Modified from the cache
        assert client.get(url).content == first.content
    baker.make("meetings.Meeting", title="Bali 2012", start_date=datetime.date(2012, 5, 1))
    assert b"Bali 2012" in client.get(url).content


def test_a_page_cached_for_one_host_is_not_served_for_another(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    factory = RequestFactory()
    first = factory.get("/processes/", HTTP_HOST="127.0.0.1")
    second = factory.get("/processes/", HTTP_HOST="localhost")
    assert pagecache.cache_key(first) != pagecache.cache_key(second)
