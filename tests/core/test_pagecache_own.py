"""Own tags: a list shows the records its rows point to by their own fields, so a write to another
row pointing to those records (a meeting of the same process) leaves the list cached."""

import datetime

import pytest
from django.urls import reverse
from model_bakery import baker

from core import pagecache
from meetings.models import Document, Meeting
from rcps.models import Process

from ..exchange.factories import make_dispatch
from .test_pagecache import commit
from .test_pagecache_rows import page_cache_on, retitle  # noqa: F401 (page_cache_on: autouse fixture)

DOCUMENTS = reverse("meetings:document_list")
PROCESSES = reverse("rcps:process_list")


@pytest.fixture
def organized(process, theme):
    """A meeting of `process` on `theme`, and a document of `process` from another meeting."""
    process.themes.add(theme)
    meeting = baker.make(
        Meeting,
        title="Dhaka 2011",
        start_date=datetime.date(2011, 4, 1),
        organizing_processes=[process],
        themes=[theme],
    )
    other = baker.make(Meeting, title="Bali 2012", start_date=datetime.date(2012, 3, 1))
    baker.make(Document, title="Bali Declaration", url="https://example.org/b.pdf", meeting=other, process=process)
    commit()
    return meeting


def rename(process, name):
    process = Process.objects.get(pk=process.pk)
    process.name = name
    process.save()
    commit()


def test_a_write_moves_the_own_tag_of_its_row_only(organized, process, theme):
    tags = [
        pagecache.own_tag(Meeting, organized.pk),
        pagecache.own_tag(Process, process.pk),
        pagecache.own_tag(type(theme), theme.pk),
        pagecache.record_tag(Process, process.pk),
    ]
    before = pagecache.current_versions(tags)
    retitle(organized, "Dhaka 2011 (revised)")
    after = pagecache.current_versions(tags)
    moved = [tag for tag in tags if after[tag] != before[tag]]
    # The process's record (its profile lists the meeting) moves; its own row and the theme's do not.
    assert moved == [pagecache.own_tag(Meeting, organized.pk), pagecache.record_tag(Process, process.pk)]


def test_a_meeting_retitle_leaves_the_lists_naming_its_process_and_theme_cached(
    client, organized, process, theme, django_assert_num_queries
):
    urls = [DOCUMENTS, f"{DOCUMENTS}?process={process.slug}", f"{PROCESSES}?theme={theme.slug}"]
    for url in urls:
        assert process.name in client.get(url).text
    retitle(organized, "Dhaka 2011 (revised)")
    with django_assert_num_queries(0):
        for url in urls:
            assert client.get(url).status_code == 200
    rename(process, "Colombo Process on Overseas Employment")
    for url in urls:
        assert "Colombo Process on Overseas Employment" in client.get(url).text


def test_a_linked_meeting_changes_the_documents_list_showing_it(client, organized):
    document = baker.make(Document, title="Dhaka Declaration", url="https://example.org/d.pdf", meeting=organized)
    commit()
    assert "Dhaka 2011" in client.get(DOCUMENTS).text
    retitle(organized, "Dhaka Summit 2011")
    assert "Dhaka Summit 2011" in client.get(DOCUMENTS).text
    document.meeting.themes.clear()  # a many-to-many change of a row shown moves its own tag too
    commit()
    assert "Dhaka Summit 2011" in client.get(DOCUMENTS).text


def test_a_dispatch_page_stays_cached_when_another_row_of_its_sender_changes(
    client, organized, process, django_assert_num_queries
):
    dispatch = make_dispatch(title="Colombo statement", sender_process=process)
    commit()
    url = dispatch.get_absolute_url()
    assert process.name in client.get(url).text
    retitle(organized, "Dhaka 2011 (revised)")
    with django_assert_num_queries(0):
        client.get(url)
    rename(process, "Colombo Process on Overseas Employment")
    assert "Colombo Process on Overseas Employment" in client.get(url).text
    reply = make_dispatch(title="A reply from Colombo", sender_process=process, in_reply_to=dispatch)
    commit()
    assert reply.title in client.get(url).text
