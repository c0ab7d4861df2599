"""Rows tags: a title edit re-renders the pages that show the row, not every list of its kind."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from model_bakery import baker

from core import pagecache
from meetings.models import Document, Meeting
from recommendations.models import FollowUp, Recommendation

from .test_pagecache import commit, meeting_url

MEETINGS = reverse("meetings:meeting_list")
DOCUMENTS = reverse("meetings:document_list")


@pytest.fixture(autouse=True)
def page_cache_on(settings, tmp_path):
    settings.PAGE_CACHE_ENABLED = True
    settings.CHOICE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_DIR = str(tmp_path / "versions")
    cache.clear()
    yield
    cache.clear()


def make_meeting(title, start_date=datetime.date(2010, 5, 1), **kwargs):
    return baker.make(Meeting, title=title, start_date=start_date, **kwargs)


def meeting_with_declaration():
    meeting = make_meeting("Dhaka 2011")
    baker.make(Document, title="Dhaka Declaration", url="https://example.org/d.pdf", meeting=meeting)
    return meeting


def versions(*tags):
    return pagecache.current_versions(list(tags))


def retitle(record, title):
    record = type(record).objects.get(pk=record.pk)  # as the admin and the API load it
    record.title = title
    record.save()
    commit()
    return record


def test_a_title_edit_moves_the_record_and_not_the_rows(db):
    meeting = make_meeting("Dhaka 2011")
    commit()
    rows = pagecache.rows_tag(Meeting)
    record = pagecache.record_tag(Meeting, meeting.pk)
    before = versions(rows, record)
    retitle(meeting, "Dhaka 2011 (revised)")
    after = versions(rows, record)
    assert after[record] != before[record]
    assert after[rows] == before[rows]


@pytest.mark.parametrize(
    "change",
    [
        {"start_date": datetime.date(2012, 1, 1)},
        {"kind": Meeting.Kind.MINISTERIAL},
        {"visibility": "confidential"},
    ],
)
def test_a_change_to_what_lists_filter_sort_or_hide_on_moves_the_rows(db, change):
    meeting = make_meeting("Dhaka 2011")
    rows = pagecache.rows_tag(Meeting)
    before = versions(rows)
    loaded = Meeting.objects.get(pk=meeting.pk)
    for field, value in change.items():
        setattr(loaded, field, value)
    loaded.save()
    assert versions(rows) != before


def test_creating_and_deleting_move_the_rows(db):
    rows = pagecache.rows_tag(Meeting)
    before = versions(rows)
    meeting = make_meeting("Dhaka 2011")
    created = versions(rows)
    assert created != before
    meeting.delete()
    assert versions(rows) != created


def test_a_second_save_of_one_instance_compares_with_the_first(db):
    """Made confidential and public again through one instance: each save is a change of visibility."""
    meeting = Meeting.objects.get(pk=make_meeting("Dhaka 2011").pk)
    rows = pagecache.rows_tag(Meeting)
    meeting.visibility = "confidential"
    meeting.save()
    hidden = versions(rows)
    meeting.visibility = "public"
    meeting.save()
    assert versions(rows) != hidden


def test_the_rows_of_a_meeting_move_the_rows_whose_public_rule_reads_it():
    assert pagecache.rows_tags_of_write(Meeting) >= {
        pagecache.rows_tag(Meeting),  # its sessions
        pagecache.rows_tag(Document),  # its documents
    }
    assert pagecache.rows_tag(FollowUp) in pagecache.rows_tags_of_write(Recommendation)
    assert pagecache.rows_tag(Meeting) not in pagecache.rows_tags_of_write(Document)


def test_a_title_edit_leaves_lists_that_do_not_show_the_meeting_cached(client, process, django_assert_num_queries):
    shown = make_meeting("Dhaka 2011", organizing_processes=[process], kind=Meeting.Kind.TECHNICAL)
    elsewhere = make_meeting("Bali 2012", kind=Meeting.Kind.MINISTERIAL, start_date=datetime.date(2012, 3, 1))
    commit()
    technical, ministerial = f"{MEETINGS}?kind=technical", f"{MEETINGS}?kind=ministerial"
    for url in (technical, ministerial, DOCUMENTS):
        client.get(url)
    retitle(elsewhere, "Bali 2012 (revised)")
    with django_assert_num_queries(0):
        assert "Dhaka 2011" in client.get(technical).text
        client.get(DOCUMENTS)
    assert "Bali 2012 (revised)" in client.get(ministerial).text
    retitle(shown, "Dhaka 2011 (revised)")
    assert "Dhaka 2011 (revised)" in client.get(technical).text


def test_a_document_list_shows_its_meetings_new_title(client, db):
    meeting = meeting_with_declaration()
    assert "Dhaka 2011" in client.get(DOCUMENTS).text
    retitle(meeting, "Dhaka Summit 2011")
    assert "Dhaka Summit 2011" in client.get(DOCUMENTS).text


def test_a_meeting_made_confidential_takes_its_documents_off_the_document_list(client, db):
    meeting = meeting_with_declaration()
    assert "Dhaka Declaration" in client.get(DOCUMENTS).text
    loaded = Meeting.objects.get(pk=meeting.pk)
    loaded.visibility = "confidential"
    loaded.save()
    commit()
    assert "Dhaka Declaration" not in client.get(DOCUMENTS).text


def test_a_retitled_meeting_moving_to_the_next_page_shows_there(client, db):
    """Same date, ordered by title: a meeting retitled past the page's end appears on the next page."""
    day = datetime.date(2015, 6, 1)
    meetings = [make_meeting(f"Meeting {index:02}", start_date=day) for index in range(26)]
    first_page, second_page = MEETINGS, f"{MEETINGS}?page=2"
    assert "Meeting 00" in client.get(first_page).text
    assert "Meeting 25" in client.get(second_page).text
    retitle(meetings[0], "Meeting 99")
    assert "Meeting 99" in client.get(second_page).text
    assert "Meeting 99" not in client.get(first_page).text


def test_a_searched_or_sorted_list_follows_a_title_edit(client, db):
    meeting = make_meeting("Dhaka 2011")
    make_meeting("Colombo 2012", start_date=datetime.date(2012, 1, 1))
    searched, sorted_by_title = f"{MEETINGS}?q=Dhaka", f"{MEETINGS}?sort=title"
    assert "Dhaka 2011" in client.get(searched).text
    assert client.get(sorted_by_title).text.index("Colombo") < client.get(sorted_by_title).text.index("Dhaka")
    retitle(meeting, "Almaty 2011")
    assert "Almaty 2011" not in client.get(searched).text
    text = client.get(sorted_by_title).text
    assert text.index("Almaty") < text.index("Colombo")


def test_a_list_filtered_by_a_meeting_shows_its_new_title_in_the_filter_chip(client, db):
    meeting = meeting_with_declaration()
    url = f"{DOCUMENTS}?meeting={meeting.pk}"
    assert "Dhaka 2011" in client.get(url).text
    retitle(meeting, "Dhaka Summit 2011")
    assert "Dhaka Summit 2011" in client.get(url).text


def test_a_meeting_page_and_its_process_profile_follow_a_title_edit(client, process, django_assert_num_queries):
    meeting = make_meeting("Dhaka 2011", organizing_processes=[process])
    other = make_meeting("Bali 2012", start_date=datetime.date(2012, 3, 1))
    commit()
    profile = reverse("rcps:process_detail", kwargs={"slug": process.slug})
    for url in (profile, meeting_url(meeting), meeting_url(other)):
        client.get(url)
    retitle(meeting, "Dhaka 2011 (revised)")
    with django_assert_num_queries(0):
        client.get(meeting_url(other))
    assert "Dhaka 2011 (revised)" in client.get(profile).text
    assert "Dhaka 2011 (revised)" in client.get(meeting_url(meeting)).text
