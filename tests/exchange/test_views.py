"""/exchange/, a dispatch's page, its files, the process profile and the home page."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from exchange.models import Dispatch, DispatchAttachment
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [Dispatch.State.DRAFT, Dispatch.State.SUBMITTED, Dispatch.State.RETURNED]


def test_the_directory_lists_published_dispatches_with_filters(client, colombo, bali, theme):
    make_dispatch(title="Colombo report", sender_process=colombo, themes=[theme])
    make_dispatch(title="Bali statement", sender_process=bali)
    make_dispatch(title="GFMD announcement", direction="from_gfmd", kind="announcement", addressed_processes=[bali])
    assert client.get(reverse("exchange:dispatch_list")).context["paginator"].count == 3
    by_process = client.get(reverse("exchange:dispatch_list"), {"process": "bali-process"})
    assert {d.title for d in by_process.context["object_list"]} == {"Bali statement", "GFMD announcement"}
    by_theme = client.get(reverse("exchange:dispatch_list"), {"theme": theme.slug})
    assert [d.title for d in by_theme.context["object_list"]] == ["Colombo report"]
    by_direction = client.get(reverse("exchange:dispatch_list"), {"direction": "from_gfmd"})
    assert [d.title for d in by_direction.context["object_list"]] == ["GFMD announcement"]
    by_kind = client.get(reverse("exchange:dispatch_list"), {"kind": "announcement", "q": "gfmd"})
    assert [d.title for d in by_kind.context["object_list"]] == ["GFMD announcement"]


def test_the_directory_filters_by_publication_dates(client):
    make_dispatch(title="Old", published_at=timezone.now() - datetime.timedelta(days=400))
    make_dispatch(title="New")
    since = (timezone.now() - datetime.timedelta(days=30)).date().isoformat()
    response = client.get(reverse("exchange:dispatch_list"), {"date_from": since})
    assert [d.title for d in response.context["object_list"]] == ["New"]


def test_the_directory_exports_csv(client, colombo):
    make_dispatch(title="Colombo report", sender_process=colombo)
    response = client.get(reverse("exchange:dispatch_list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(row["title"], row["sender"]) for row in rows] == [("Colombo report", "CP")]


def test_the_directory_offers_feed_autodiscovery(client):
    html = client.get(reverse("exchange:dispatch_list")).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert reverse("exchange:dispatch_feed", args=["atom"]) in html


def test_the_directory_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, colombo, theme):
    for i in range(20):
        make_dispatch(
            title=f"Dispatch {i}", sender_process=colombo if i % 2 else baker.make("rcps.Process"), themes=[theme]
        )
        make_dispatch(title=f"From GFMD {i}", direction="from_gfmd", addressed_processes=[colombo])
    # 40 dispatches on two pages: count + page rows (sender joined) + addressed processes + themes
    # prefetches + the filter form's process and theme choices (a few each) + session/messages.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("exchange:dispatch_list"))
    assert len(response.context["object_list"]) == 25


def test_a_dispatch_page_shows_the_sanitized_body_links_and_replies(client, colombo):
    meeting = baker.make("meetings.Meeting", title="Ministerial consultation", start_date="2024-05-02")
    secret_meeting = baker.make(
        "meetings.Meeting", title="Closed session", start_date="2024-05-02", visibility="confidential"
    )
    original = make_dispatch(
        title="GFMD call", direction="from_gfmd", addressed_processes=[colombo], body="Hello <script>x()</script>"
    )
    original.meetings.set([meeting, secret_meeting])
    make_dispatch(title="Our answer", sender_process=colombo, kind="reply", in_reply_to=original)
    make_dispatch(title="Draft answer", sender_process=colombo, kind="reply", in_reply_to=original, state="draft")
    html = client.get(original.get_absolute_url()).content.decode()
    assert "<p>Hello </p>" in html and "<script>x()" not in html
    assert "Ministerial consultation" in html and "Closed session" not in html
    assert "Our answer" in html and "Draft answer" not in html


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_an_unpublished_dispatch_has_no_page(client, state):
    dispatch = make_dispatch(state=state)
    assert client.get(dispatch.get_absolute_url()).status_code == 404


def test_a_published_dispatch_of_a_confidential_process_is_not_shown(client):
    process = baker.make("rcps.Process", visibility="confidential")
    dispatch = make_dispatch(sender_process=process)
    assert client.get(dispatch.get_absolute_url()).status_code == 404


@pytest.fixture
def attachment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(state):
        dispatch = make_dispatch(state=state)
        return DispatchAttachment.objects.create(
            dispatch=dispatch, title="Annex", file=SimpleUploadedFile("annex.pdf", b"%PDF-1.4 annex")
        )

    return make


def test_an_attachment_of_a_published_dispatch_is_downloaded_through_the_view(client, attachment):
    file = attachment(Dispatch.State.PUBLISHED)
    response = client.get(file.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 annex"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_an_attachment_of_an_unpublished_dispatch_is_not_served(client, attachment, state):
    assert client.get(attachment(state).get_absolute_url()).status_code == 404


def test_the_process_profile_lists_the_dispatches_it_sent_and_received_with_its_feeds(client, colombo, bali):
    make_dispatch(title="Sent by Colombo", sender_process=colombo)
    make_dispatch(title="Sent by Bali", sender_process=bali)
    make_dispatch(title="To everyone", direction="from_gfmd", addressed_to_all=True)
    make_dispatch(title="To Colombo", direction="from_gfmd", addressed_processes=[colombo])
    response = client.get(colombo.get_absolute_url())
    assert {d.title for d in response.context["dispatches"]} == {"Sent by Colombo", "To everyone", "To Colombo"}
    html = response.content.decode()
    assert reverse("exchange:process_feed", args=[colombo.slug, "atom"]) in html
    assert reverse("exchange:process_updates_feed", args=[colombo.slug, "atom"]) in html


def test_the_home_page_shows_the_latest_dispatches_both_ways(client, colombo):
    make_dispatch(title="Up to the GFMD", sender_process=colombo)
    make_dispatch(title="Down to the RCPs", direction="from_gfmd", addressed_to_all=True)
    make_dispatch(title="Not yet", sender_process=colombo, state="submitted")
    html = client.get("/").content.decode()
    assert "Up to the GFMD" in html and "Down to the RCPs" in html and "Not yet" not in html
