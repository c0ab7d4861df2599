"""Directory and detail pages of meetings and documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from model_bakery import baker

pytestmark = pytest.mark.django_db

ROWS = 30
PAGE = 25


@pytest.fixture
def meetings(db):
    """ROWS meetings, each jointly organized, with themes, participants, sessions, documents and recommendations."""
    countries = [baker.make("reference.Country", code=f"M{chr(65 + i % 26)}", alpha3=f"M{i:02}") for i in range(5)]
    themes = [baker.make("reference.Theme", slug=f"theme-{i}") for i in range(3)]
    processes = [baker.make("rcps.Process", slug=f"process-{i}") for i in range(3)]
    organization = baker.make("reference.Organization", slug="iom")
    result = []
    for i in range(ROWS):
        meeting = baker.make(
            "meetings.Meeting",
            title=f"Meeting {i:02}",
            start_date=datetime.date(2000 + i % 20, 1, 1),
            country=countries[i % 5],
            organizing_processes=processes[:2],
            themes=themes,
            chairs=countries[:2],
            participating_countries=countries,
            participating_organizations=[organization],
            represented_processes=processes,
            invited_processes=processes,
        )
        for n in range(2):
            baker.make(
                "meetings.Meeting",
                title=f"Session {i}.{n}",
                parent=meeting,
                start_date=meeting.start_date,
                chairs=countries[:2],
            )
        for n in range(2):
            document = baker.make(
                "meetings.Document",
                title=f"Document {i}.{n}",
                url="https://example.org",
                meeting=meeting,
                process=processes[0],
                year=2000 + i % 20,
            )
        baker.make(
            "recommendations.Recommendation",
            _quantity=2,
            source_meeting=meeting,
            source_document=document,
            issuing_process=processes[0],
            addressed_processes=processes,
            themes=themes,
        )
        result.append(meeting)
    return result


def test_meeting_directory_query_count(client, meetings, django_assert_max_num_queries):
    # 4 filter choice lists (process, country, theme, GCM objective) + count + page + prefetch organizers
    # + themes + the meetings-per-year chart of the filtered result (one grouped query, cached in production)
    with django_assert_max_num_queries(9):
        response = client.get("/meetings/")
    assert len(response.context["object_list"]) == PAGE
    assert response.context["paginator"].count == ROWS  # sessions are left out by default


def test_meeting_directory_with_sessions_query_count(client, meetings, django_assert_max_num_queries):
    # as above + validating the process choice
    with django_assert_max_num_queries(10):
        response = client.get("/meetings/?sessions=on&process=process-0")
    assert response.context["paginator"].count == ROWS  # sessions have no organizer of their own, so only meetings


def test_document_directory_query_count(client, meetings, django_assert_max_num_queries):
    # 2 filter choice lists (process, year; the meeting filter is a number box) + bounded count
    # + page (meeting and process joined)
    with django_assert_max_num_queries(4):
        response = client.get("/documents/")
    assert len(response.context["object_list"]) == PAGE


def test_document_directory_asks_for_a_meeting_number_instead_of_listing_every_meeting(client, meetings):
    response = client.get("/documents/")
    assert '<select name="meeting"' not in response.text
    assert 'name="meeting"' in response.text
    assert 'type="number"' in response.text


def test_document_directory_meeting_filter_shows_the_meeting_title_as_a_chip(client, meetings):
    response = client.get(f"/documents/?meeting={meetings[0].pk}")
    assert [str(value) for _label, value, _url in response.context["active_filters"]] == [str(meetings[0])]


def test_directory_total_is_bounded_above_the_count_bound(client, meetings, monkeypatch):
    monkeypatch.setattr("core.directory.BoundedCountPaginator.count_bound", 20)
    response = client.get("/meetings/")
    assert response.context["paginator"].count_is_bounded
    assert "of 20+" in response.text


def test_directory_total_is_exact_below_the_count_bound(client, meetings):
    response = client.get("/meetings/")
    assert not response.context["paginator"].count_is_bounded
    assert f"of {ROWS}" in response.text


def test_meeting_detail_query_count(client, meetings, django_assert_max_num_queries):
    meeting = meetings[5]
    # meeting (country, parent joined) + 7 prefetches (organizers, themes, chairs, countries, organizations,
    # represented, invited); sessions + their chairs; documents; recommendations + 6 prefetches
    with django_assert_max_num_queries(19):
        response = client.get(meeting.get_absolute_url())
    assert len(response.context["sessions"]) == 2
    assert len(response.context["recommendations"]) == 2


def test_document_detail_query_count(client, meetings, django_assert_max_num_queries):
    document = meetings[5].documents.last()
    # document with its meeting and process joined; the recommendations it contains; the dispatches that
    # carried it; the follow-ups it is evidence for; the records citing it (processes — with their member
    # lists and chairs as subqueries —, meetings, documents, recommendations, dispatches: one query each)
    with django_assert_max_num_queries(9):
        response = client.get(document.get_absolute_url())
    assert len(response.context["recommendations"]) == 2


def test_meeting_detail_lists_sessions_documents_outcomes_and_participants(client, meetings):
    content = client.get(meetings[5].get_absolute_url()).content.decode()
    for text in ("Session 5.0", "Document 5.1", "Outcomes and recommendations", "Participants", "5 States"):
        assert text in content


def test_meeting_directory_shows_active_filters_and_keeps_them_in_export_links(client, meetings):
    response = client.get("/meetings/?theme=theme-1&when=past")
    content = response.content.decode()
    assert [label for label, _value, _url in response.context["active_filters"]] == ["Theme", "Upcoming or past"]
    assert "?theme=theme-1&amp;when=past&amp;format=csv" in content


def test_meeting_directory_empty_state_without_data(client, db):
    content = client.get("/meetings/").content.decode()
    assert "No meetings have been recorded yet." in content


def test_document_page_has_meaningful_title(client, meetings):
    document = meetings[0].documents.first()
    assert f"<title>{document.title} · RCP Portal</title>" in client.get(document.get_absolute_url()).content.decode()


def test_public_document_file_downloads_as_attachment(client, process, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = baker.make(
        "meetings.Document",
        title="Declaration",
        process=process,
        file=SimpleUploadedFile("declaration.pdf", b"%PDF-1.4 x"),
    )
    response = client.get(reverse("meetings:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="declaration.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


@pytest.mark.parametrize("visibility", ["participants", "confidential"])
def test_non_public_document_file_cannot_be_downloaded(client, process, settings, tmp_path, visibility):
    settings.MEDIA_ROOT = tmp_path
    document = baker.make(
        "meetings.Document",
        title="Internal note",
        process=process,
        visibility=visibility,
        file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 secret"),
    )
    response = client.get(reverse("meetings:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 404


def test_document_without_file_has_no_download(client, process):
    document = baker.make("meetings.Document", title="Cited report", process=process, reference="A/61/515")
    assert client.get(reverse("meetings:document_download", kwargs={"pk": document.pk})).status_code == 404
