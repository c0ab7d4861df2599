"""The anonymous page cache: served from the cache, invalidated by what changed, never shared with staff."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from model_bakery import baker

from core import pagecache
from meetings.models import Meeting


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


# Invalidation by dependency ----------------------------------------------------------------


def commit():
    """Run what committing the test's transaction would: the page cache's bump at commit, if due."""
    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        if isinstance(callback, pagecache._PendingBump) and not callback.done:
            callback()


def meeting_url(meeting):
    return reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk})


def test_a_write_to_one_meeting_leaves_the_other_meetings_pages_cached(client, process, django_assert_num_queries):
    written = make_meeting("Dhaka 2011", organizing_processes=[process])
    other = make_meeting("Bali 2012", organizing_processes=[process])
    commit()
    pages = {
        "written": meeting_url(written),
        "other": meeting_url(other),
        "directory": reverse("meetings:meeting_list"),
        "profile": reverse("rcps:process_detail", kwargs={"slug": process.slug}),
        "home": reverse("home"),
    }
    for url in pages.values():
        client.get(url)
    written.title = "Dhaka 2011 (revised)"
    written.save()
    commit()  # the records of its processes are bumped at commit
    with django_assert_num_queries(0):
        assert "Bali 2012" in client.get(pages["other"]).text
    for name in ("written", "directory", "profile", "home"):
        assert "Dhaka 2011 (revised)" in client.get(pages[name]).text, name


def test_a_document_write_shows_on_its_meetings_page_and_a_meeting_write_on_its_documents(client, db):
    meeting = make_meeting("Dhaka 2011")
    document = baker.make(
        "meetings.Document", title="Dhaka Declaration", url="https://example.org/d.pdf", meeting=meeting
    )
    document_url = reverse("meetings:document_detail", kwargs={"pk": document.pk})
    assert "Dhaka Declaration" in client.get(meeting_url(meeting)).text
    assert "Dhaka 2011" in client.get(document_url).text
    document.title = "Dhaka Declaration (final)"
    document.save()
    assert "Dhaka Declaration (final)" in client.get(meeting_url(meeting)).text
    meeting.title = "Dhaka 2012"
    meeting.save()
    assert "Dhaka 2012" in client.get(document_url).text


def test_a_document_moved_to_another_meeting_leaves_the_first_meetings_page(client, db):
    first, second = make_meeting("Dhaka 2011"), make_meeting("Bali 2012")
    document = baker.make(
        "meetings.Document", title="Dhaka Declaration", url="https://example.org/d.pdf", meeting=first
    )
    assert "Dhaka Declaration" in client.get(meeting_url(first)).text
    document = type(document).objects.get(pk=document.pk)  # loaded as a page or the admin would load it
    document.meeting = second
    document.save()
    assert "Dhaka Declaration" not in client.get(meeting_url(first)).text
    assert "Dhaka Declaration" in client.get(meeting_url(second)).text


def test_a_page_read_before_its_write_commits_is_not_served_after_the_commit(
    client, db, django_capture_on_commit_callbacks
):
    meeting = make_meeting("Dhaka 2011")
    commit()  # an earlier transaction
    url = meeting_url(meeting)
    model = type(meeting)
    with django_capture_on_commit_callbacks() as callbacks:
        meeting.title = "Dhaka 2012"
        meeting.save()  # bumps its tags at once...
        # ...while another connection still reads the old row and caches it under the new versions.
        model.objects.filter(pk=meeting.pk).update(title="Dhaka 2011")
        assert "Dhaka 2011" in client.get(url).text
        model.objects.filter(pk=meeting.pk).update(title="Dhaka 2012")  # the commit makes the write visible
    for callback in callbacks:
        callback()
    assert "Dhaka 2012" in client.get(url).text


def test_logged_in_users_never_get_a_cached_detail_page(admin_client, client, db):
    url = meeting_url(make_meeting("Dhaka 2011"))
    client.get(url)
    client.get(url)
    response = admin_client.get(url)
    assert response.context is not None
    assert response.wsgi_request.user.is_authenticated


def test_the_versions_of_a_local_memory_page_cache_are_shared_through_files(settings, client, db):
    url = meeting_url(make_meeting("Dhaka 2011"))
    client.get(url)
    tag = pagecache.record_tag(Meeting, Meeting.objects.get().pk)
    versions = pagecache.current_versions([tag, pagecache.EVERYTHING])
    another_worker = pagecache.VersionFiles(settings.PAGE_CACHE_VERSION_DIR)
    assert another_worker.get_many(list(versions)) == versions
    cache.clear()  # another worker's local memory holds no page...
    Meeting.objects.get().save()  # ...and the write is handled there
    assert another_worker.get(tag) != versions[tag]
    assert pagecache.current_versions([tag]) == {tag: another_worker.get(tag)}


def test_a_page_that_declares_nothing_is_invalidated_by_any_write(client, db, django_assert_num_queries):
    url = reverse("rcps:overlap")
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)
    baker.make("rcps.FocalPoint")  # shown nowhere on that page
    assert client.get(url).context is not None  # rendered again


def test_a_bulk_write_invalidates_everything(client, db):
    url = meeting_url(make_meeting("Dhaka 2011"))
    client.get(url)
    Meeting.objects.update(title="Dhaka 2012")  # no signals
    pagecache.bump_generation()
    assert "Dhaka 2012" in client.get(url).text


def test_a_cached_value_follows_only_what_it_reads(settings, process, django_assert_num_queries):
    settings.CHOICE_CACHE_ENABLED = True
    count = lambda: Meeting.objects.count()  # noqa: E731
    assert pagecache.cached_value("test.meetings", count, [Meeting]) == 0
    baker.make("rcps.FocalPoint", process=process)
    with django_assert_num_queries(0):
        assert pagecache.cached_value("test.meetings", count, [Meeting]) == 0
    make_meeting("Dhaka 2011")
    assert pagecache.cached_value("test.meetings", count, [Meeting]) == 1
