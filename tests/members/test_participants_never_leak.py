"""The participants-only layer: a participant reads their processes' participants-only records, and nothing more.

A participants-only record of the Bali Process (B_ONLY) never reaches a Colombo Process
participant or a visitor; confidential records, drafts and records under a confidential parent
(SECRET) never reach any participant; the Colombo participants-only records (A_ONLY) reach
Colombo participants only — through the members' area, the private calendar, the files and,
marked, the ordinary public pages and their exports (tests/members/test_public_pages_for_participants.py)
— and never a visitor's page, a feed, a public calendar, search, the API or the sitemap.
"""

import datetime

import icalendar
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from model_bakery import baker

from meetings.models import Document, Meeting
from members.models import FeedKey
from rcps.models import FocalPoint
from recommendations.models import FollowUp, Recommendation
from tests.members.conftest import login_verified

pytestmark = pytest.mark.django_db

A_ONLY = "ZQX-A-MEMBERS-4410"
B_ONLY = "ZQX-B-MEMBERS-7720"
SECRET = "ZQX-SECRET-9931"


def shared_set(process, country, marker, day):
    meeting = baker.make(
        Meeting,
        title=f"Meeting {marker}",
        start_date=datetime.date(2031, 5, day),
        organizing_processes=[process],
        country=country,
        visibility="participants",
    )
    document = baker.make(
        Document,
        title=f"Labour plan {marker}",
        process=process,
        meeting=meeting,
        visibility="participants",
        year=2031,
        file=ContentFile(b"%PDF-1.4 members only", name="plan.pdf"),
    )
    recommendation = baker.make(
        Recommendation,
        title=f"Recommendation {marker}",
        text=f"labour {marker}",
        issuing_process=process,
        addressed_processes=[process],
        visibility="participants",
        year=2031,
    )
    baker.make(
        FollowUp,
        recommendation=recommendation,
        process=process,
        status="implemented",
        date=datetime.date(2031, 1, 1),
        note=f"Note {marker}",
        visibility="participants",
    )
    baker.make(
        FocalPoint,
        process=process,
        country=country,
        institution="Ministry of Labour",
        name=f"Contact {marker}",
        email="contact@example.org",
        visibility="participants",
    )
    return {"meeting": meeting, "document": document, "recommendation": recommendation}


@pytest.fixture
def world(colombo, bali, sri_lanka, philippines):
    return build_world(colombo, bali, sri_lanka, philippines)


def build_world(colombo, bali, sri_lanka, philippines):
    a = shared_set(colombo, sri_lanka, A_ONLY, 1)
    b = shared_set(bali, philippines, B_ONLY, 2)
    secret_meeting = baker.make(
        Meeting,
        title=f"Closed {SECRET}",
        start_date=datetime.date(2031, 6, 1),
        organizing_processes=[colombo],
        visibility="confidential",
    )
    baker.make(
        Document,
        title=f"Under closed {SECRET}",
        url="https://example.org/s",
        meeting=secret_meeting,
        process=colombo,
        visibility="participants",
        year=2031,
    )
    baker.make(
        Document,
        title=f"Confidential {SECRET}",
        url="https://example.org/c",
        process=colombo,
        visibility="confidential",
        year=2031,
    )
    baker.make(
        Document,
        title=f"Draft {SECRET}",
        url="https://example.org/d",
        process=colombo,
        visibility="participants",
        publication="draft",
        year=2031,
    )
    baker.make(
        FocalPoint, process=colombo, institution="Closed office", name=f"Hidden {SECRET}", visibility="confidential"
    )
    baker.make(
        Meeting,
        title="Open labour meeting",
        start_date=datetime.date(2031, 7, 1),
        organizing_processes=[colombo],
        country=sri_lanka,
    )
    return {"a": a, "b": b}


def public_urls(colombo, bali, sri_lanka):
    urls = [
        "/",
        "/meetings/",
        "/documents/",
        "/recommendations/",
        "/focal-points/",
        colombo.get_absolute_url(),
        bali.get_absolute_url(),
        sri_lanka.get_absolute_url(),
        "/search/?q=labour",
        "/sitemap.xml",
        "/meetings/calendar.ics",
        f"/processes/{colombo.slug}/calendar.ics",
        f"/processes/{bali.slug}/calendar.ics",
        reverse("exchange:process_updates_feed", args=[colombo.slug, "atom"]),
        "/api/v1/meetings/",
        "/api/v1/documents/",
        "/api/v1/recommendations/",
        f"/api/v1/processes/{colombo.slug}/",
    ]
    for directory in ("meetings", "documents", "recommendations"):
        urls += [f"/{directory}/?format=csv", f"/{directory}/?format=json"]
    return urls


def text(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode(errors="replace")


def test_no_public_surface_serves_participants_only_records_to_the_wrong_reader(
    client, world, colombo, bali, sri_lanka, colombo_participant
):
    # A visitor sees none of them; a Colombo participant never Bali's nor a confidential, draft or
    # hidden-parent record (Colombo's own appear marked on the ordinary pages: the next test module).
    for who, hidden in ((None, (A_ONLY, B_ONLY, SECRET)), (colombo_participant, (B_ONLY, SECRET))):
        if who:
            login_verified(client, who)
        for url in public_urls(colombo, bali, sri_lanka):
            response = client.get(url)
            assert response.status_code == 200, url
            body = text(response)
            for marker in hidden:
                assert marker not in body, (who, url, marker)


def test_a_participant_reads_their_process_and_nothing_else(client, world, colombo, bali, colombo_participant):
    login_verified(client, colombo_participant)
    home = text(client.get(reverse("members:home")))
    assert colombo.name in home and bali.name not in home
    page = text(client.get(reverse("members:process", args=[colombo.slug])))
    for shown in (
        f"Meeting {A_ONLY}",
        f"Labour plan {A_ONLY}",
        f"Recommendation {A_ONLY}",
        f"Note {A_ONLY}",
        f"Contact {A_ONLY}",
    ):
        assert shown in page, shown
    assert "contact@example.org" in page and "Participants only" in page
    assert B_ONLY not in page and SECRET not in page
    assert client.get(reverse("members:process", args=[bali.slug])).status_code == 404


def test_files_reach_members_of_their_process_only(client, world, colombo_participant, bali_participant):
    own, other = world["a"]["document"], world["b"]["document"]
    assert client.get(reverse("members:document_file", args=[own.pk])).status_code == 302  # sign in first
    login_verified(client, colombo_participant)
    response = client.get(reverse("members:document_file", args=[own.pk]))
    assert response.status_code == 200 and b"members only" in b"".join(response.streaming_content)
    assert client.get(reverse("members:document_file", args=[other.pk])).status_code == 404
    assert client.get(reverse("meetings:document_download", args=[own.pk])).status_code == 200  # the page's link
    assert client.get(reverse("meetings:document_download", args=[other.pk])).status_code == 404
    secret = Document.objects.get(title__startswith="Confidential")
    assert client.get(reverse("members:document_file", args=[secret.pk])).status_code == 404


def test_the_private_calendar_follows_the_same_rule_and_its_key_can_be_revoked(client, world, colombo_participant):
    key = FeedKey.renew(colombo_participant).key
    url = reverse("members:calendar", args=[key])
    calendar = icalendar.Calendar.from_ical(client.get(url).content)
    titles = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert f"Meeting {A_ONLY}" in titles and "Open labour meeting" in titles
    assert not any(B_ONLY in title or SECRET in title for title in titles)
    login_verified(client, colombo_participant)
    client.post(reverse("members:feed_key"))
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("members:calendar", args=["made-up"])).status_code == 404


def test_a_participant_of_another_process_sees_none_of_it(client, world, bali_participant):
    login_verified(client, bali_participant)
    page = text(client.get(reverse("members:process", args=["bali-process"])))
    assert B_ONLY in page and A_ONLY not in page
    key = FeedKey.renew(bali_participant).key
    assert A_ONLY not in text(client.get(reverse("members:calendar", args=[key])))


@pytest.mark.parametrize("model", [Meeting, Document, Recommendation, FollowUp, FocalPoint])
def test_readable_by_adds_only_the_participants_own_processes(world, model, colombo_participant, bali_participant):
    def names(user):
        return " ".join(
            str(obj) + " " + getattr(obj, "note", "") + getattr(obj, "name", "")
            for obj in model.objects.readable_by(user)
        )

    assert A_ONLY in names(colombo_participant) and B_ONLY not in names(colombo_participant)
    assert B_ONLY in names(bali_participant) and A_ONLY not in names(bali_participant)
    assert SECRET not in names(colombo_participant)


def test_staff_are_not_participants(world, colombo_secretariat, colombo, sri_lanka):
    from rcps.models import Membership

    Membership.objects.create(user=colombo_secretariat, process=colombo, country=sri_lanka)
    assert A_ONLY not in " ".join(str(m) for m in Meeting.objects.readable_by(colombo_secretariat))


def test_pages_of_signed_in_users_are_never_cached(client, world, colombo_participant, settings):
    settings.PAGE_CACHE_ENABLED = True
    login_verified(client, colombo_participant)
    first = client.get(reverse("members:process", args=["colombo-process"]))
    assert A_ONLY in text(first)
    client.logout()
    assert client.get(reverse("members:process", args=["colombo-process"])).status_code == 302
    client.get("/meetings/")  # an anonymous page may be cached; a signed-in one is neither served from nor stored
    login_verified(client, colombo_participant)
    assert client.get("/meetings/").status_code == 200


def test_members_pages_take_a_constant_number_of_queries(
    client, world, colombo, sri_lanka, colombo_participant, django_assert_num_queries
):
    login_verified(client, colombo_participant)
    url = reverse("members:process", args=[colombo.slug])
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)
    for day in range(10, 20):
        shared_set(colombo, sri_lanka, f"more-{day}", day)
    with django_assert_num_queries(11):
        client.get(url)


def test_the_public_profile_points_a_member_to_the_shared_records(
    client, world, colombo, colombo_participant, bali_participant
):
    assert "Participants only" not in text(client.get(colombo.get_absolute_url()))
    login_verified(client, bali_participant)
    assert "Participants only" not in text(client.get(colombo.get_absolute_url()))
    login_verified(client, colombo_participant)
    page = text(client.get(colombo.get_absolute_url()))
    assert "Participants only" in page and reverse("members:process", args=[colombo.slug]) in page
    assert "4 participants-only records" in page  # meeting, document, recommendation, follow-up
    assert A_ONLY in page  # and the records themselves, marked, in the profile's sections
    assert B_ONLY not in page and SECRET not in page
