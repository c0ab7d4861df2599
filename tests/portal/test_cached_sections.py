"""The sections of public pages cached for anonymous readers (issue 18): a change to any row they
show is on the very next request, in each language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from tests.portal import test_query_counts

world = test_query_counts.world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached_values(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.CHOICE_CACHE_ENABLED = True


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_profile_shows_a_changed_participation_chair_and_focal_point(client, world):
    process, url = world["process"], world["process"].get_absolute_url()
    page(client, url)
    india = baker.make("reference.Country", code="IN", alpha3="IND", numeric="356", name="India")
    baker.make("rcps.Participation", process=process, country=india, role="observer")
    baker.make("rcps.Chairmanship", process=process, country=india, start_year=2019, title="Rotating chair")
    focal_point = process.focal_points.get()
    focal_point.institution = "Bureau of Foreign Employment"
    focal_point.save()
    shown = page(client, url)
    assert "India" in shown
    assert "Rotating chair" in shown
    assert "Bureau of Foreign Employment" in shown


def test_profile_shows_a_changed_meeting_document_follow_up_and_dispatch(client, world):
    process, url = world["process"], world["process"].get_absolute_url()
    page(client, url)
    meeting = world["meeting"]
    meeting.title = "Renamed consultation"
    meeting.save()
    document = process.documents.order_by("pk").first()
    document.title = "Renamed report"
    document.save()
    follow_up = process.follow_ups.order_by("-date").first()
    follow_up.note = "Pilot scheme extended"
    follow_up.save()
    baker.make(
        "exchange.Dispatch",
        direction="rcp_to_rcp",
        kind="statement",
        state="published",
        published_at=timezone.now(),
        body="x",
        title="Fresh dispatch",
        sender_process=process,
    )
    shown = page(client, url)
    for text in ("Renamed consultation", "Renamed report", "Pilot scheme extended", "Fresh dispatch"):
        assert text in shown


def test_profile_drops_a_meeting_made_confidential(client, world):
    url = world["process"].get_absolute_url()
    assert "Ministerial consultation" in page(client, url)
    meeting = world["meeting"]
    meeting.visibility = "confidential"
    meeting.save()
    assert "Ministerial consultation" not in page(client, url)


def test_profile_drops_a_document_whose_meeting_another_process_made_confidential(client, world):
    elsewhere = baker.make("meetings.Meeting", title="Elsewhere", start_date=datetime.date(2024, 2, 1))
    baker.make("meetings.Document", title="Side report", reference="S1", meeting=elsewhere, process=world["process"])
    url = world["process"].get_absolute_url()
    assert "Side report" in page(client, url)
    elsewhere.visibility = "confidential"
    elsewhere.save()
    assert "Side report" not in page(client, url)


def test_meeting_shows_a_new_session_document_and_recommendation(client, world):
    meeting, url = world["meeting"], world["meeting"].get_absolute_url()
    page(client, url)
    baker.make("meetings.Meeting", title="Closing plenary", start_date=meeting.start_date, parent=meeting)
    baker.make("meetings.Document", title="Chair summary", reference="CS1", meeting=meeting, process=world["process"])
    baker.make("recommendations.Recommendation", title="Fair recruitment", year=2024, source_meeting=meeting)
    shown = page(client, url)
    for text in ("Closing plenary", "Chair summary", "Fair recruitment"):
        assert text in shown


def test_meeting_shows_a_session_chair(client, world):
    meeting = world["meeting"]
    session = meeting.sessions.order_by("pk").first() if hasattr(meeting, "sessions") else None
    session = session or type(meeting).objects.filter(parent=meeting).order_by("pk").first()
    page(client, meeting.get_absolute_url())
    session.chairs.add(baker.make("reference.Country", code="NZ", alpha3="NZL", numeric="554", name="New Zealand"))
    assert "New Zealand" in page(client, meeting.get_absolute_url())


def test_document_shows_a_new_citation_and_evidence(client, world):
    document = world["process"].documents.order_by("pk").first()
    url = document.get_absolute_url()
    page(client, url)
    baker.make(
        "meetings.Meeting",
        title="Citing workshop",
        start_date=datetime.date(2024, 9, 1),
        sources=[{"document": document.pk, "page": "3"}],
    )
    baker.make(
        "recommendations.FollowUp",
        recommendation=world["recommendation"],
        process=world["other"],
        date="2024-10-01",
        evidence_document=document,
    )
    shown = page(client, url)
    assert "Citing workshop" in shown
    assert "Bali Process" in shown


def test_home_shows_a_new_meeting_dispatch_and_recommendation(client, world):
    page(client, reverse("home"))
    baker.make(
        "meetings.Meeting",
        title="Upcoming summit",
        start_date=timezone.localdate() + datetime.timedelta(days=10),
        organizing_processes=[world["process"]],
    )
    baker.make(
        "exchange.Dispatch",
        direction="to_gfmd",
        kind="statement",
        state="published",
        published_at=timezone.now(),
        body="x",
        title="Newest statement",
        sender_process=world["process"],
    )
    baker.make("recommendations.Recommendation", title="Newest recommendation", year=2099)
    shown = page(client, reverse("home"))
    for text in ("Upcoming summit", "Newest statement", "Newest recommendation"):
        assert text in shown


def test_profile_sections_follow_the_language(client, world):
    url = world["process"].get_absolute_url()
    english = page(client, url)
    french = page(client, "/fr" + url)
    assert "Member" in english
    assert "Membre" in french
