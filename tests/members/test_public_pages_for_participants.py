"""The participants-only layer on the ordinary public pages (issue 17, deliverable 2).

A verified Colombo Process participant reads, on the public directories, detail pages, the
process profile and the directories' exports, the Colombo participants-only records (A_ONLY),
each marked "Participants only"; never the Bali Process's (B_ONLY), never confidential, draft or
under-a-confidential-parent records (SECRET). Visitors, Bali participants and participants still
owing their second factor see none of A_ONLY anywhere. Feeds, public calendars, search, the API
and the sitemap stay public-only for everyone; the page cache never stores a participant's page.
"""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Document
from tests.members.conftest import login_verified
from tests.members.test_participants_never_leak import (
    A_ONLY,
    B_ONLY,
    SECRET,
    build_world,
    public_urls,
    shared_set,
    text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(colombo, bali, sri_lanka, philippines):
    return build_world(colombo, bali, sri_lanka, philippines)


MARK = "Participants only"


def layer_urls(world, colombo):
    """The ordinary pages (and exports) where a Colombo participant reads Colombo's participants-only records."""
    a = world["a"]
    return [
        "/meetings/",
        "/documents/",
        "/recommendations/",
        "/focal-points/",
        colombo.get_absolute_url(),
        a["meeting"].get_absolute_url(),
        a["document"].get_absolute_url(),
        a["recommendation"].get_absolute_url(),
        "/meetings/?format=csv",
        "/meetings/?format=json",
        "/documents/?format=csv",
        "/recommendations/?format=json",
        "/focal-points/?format=csv",
    ]


def public_only_urls(colombo, bali, sri_lanka):
    """Surfaces that stay public-only even for a signed-in participant."""
    layer = {"/meetings/", "/documents/", "/recommendations/", "/focal-points/", colombo.get_absolute_url()}
    return [
        url
        for url in public_urls(colombo, bali, sri_lanka)
        if url not in layer and not url.startswith(("/meetings/?", "/documents/?", "/recommendations/?"))
    ]


def record_urls(world):
    kinds = ("meeting", "document", "recommendation")
    return [world[side][kind].get_absolute_url() for side in ("a", "b") for kind in kinds]


def test_a_colombo_participant_reads_colombo_records_on_the_ordinary_pages_marked(
    client, world, colombo, colombo_participant
):
    login_verified(client, colombo_participant)
    for url in layer_urls(world, colombo):
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        assert A_ONLY in body, url
        assert B_ONLY not in body and SECRET not in body, url
        if "format=" not in url:
            assert MARK in body, url
    meetings = text(client.get("/meetings/"))
    assert f'Meeting {A_ONLY}</a> <span class="badge text-bg-warning participants-only">{MARK}</span>' in meetings
    recommendation = text(client.get(world["a"]["recommendation"].get_absolute_url()))
    assert f"Note {A_ONLY}" in recommendation  # its participants-only follow-up
    profile = text(client.get(colombo.get_absolute_url()))
    for shown in (f"Meeting {A_ONLY}", f"Labour plan {A_ONLY}", f"Recommendation {A_ONLY}", f"Contact {A_ONLY}"):
        assert shown in profile, shown
    focal_points = text(client.get("/focal-points/"))
    assert f"Contact {A_ONLY}" in focal_points and "contact@example.org" in focal_points
    assert f"Contact {A_ONLY}" in text(client.get("/focal-points/?format=csv"))


def test_detail_pages_of_participants_only_records_are_private(client, world, colombo_participant):
    login_verified(client, colombo_participant)
    response = client.get(world["a"]["meeting"].get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]


def test_the_file_of_a_participants_only_document_reaches_its_members_only(
    client, world, colombo_participant, bali_participant
):
    own, other = world["a"]["document"], world["b"]["document"]
    url = reverse("meetings:document_download", args=[own.pk])
    assert client.get(url).status_code == 404
    login_verified(client, bali_participant)
    assert client.get(url).status_code == 404
    login_verified(client, colombo_participant)
    response = client.get(url)
    assert response.status_code == 200 and b"members only" in b"".join(response.streaming_content)
    assert "no-store" in response["Cache-Control"]
    assert client.get(reverse("meetings:document_download", args=[other.pk])).status_code == 404
    for title in ("Under closed", "Confidential", "Draft"):
        secret = Document.objects.get(title__startswith=title)
        assert client.get(reverse("meetings:document_download", args=[secret.pk])).status_code == 404
        assert client.get(secret.get_absolute_url()).status_code == 404


def test_never_another_process_nor_confidential_records(client, world, colombo, bali, sri_lanka, colombo_participant):
    login_verified(client, colombo_participant)
    for url in public_urls(colombo, bali, sri_lanka) + [world["a"]["meeting"].get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        assert B_ONLY not in body and SECRET not in body, url
    for side in ("b",):
        for kind in ("meeting", "document", "recommendation"):
            assert client.get(world[side][kind].get_absolute_url()).status_code == 404


def test_feeds_calendars_search_api_and_sitemap_stay_public_only_for_participants(
    client, world, colombo, bali, sri_lanka, colombo_participant
):
    login_verified(client, colombo_participant)
    for url in public_only_urls(colombo, bali, sri_lanka):
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        for marker in (A_ONLY, B_ONLY, SECRET):
            assert marker not in body, (url, marker)


def assert_sees_no_layer(client, world, colombo, bali, sri_lanka, hidden=(A_ONLY, B_ONLY, SECRET)):
    for url in public_urls(colombo, bali, sri_lanka) + layer_urls(world, colombo)[:5]:
        response = client.get(url)
        # The API refuses a signed-in account still owing its second factor (SecondFactorMiddleware).
        assert response.status_code == 200 or (url.startswith("/api/") and response.status_code == 403), url
        body = text(response)
        for marker in hidden:
            assert marker not in body, (url, marker)


def test_a_visitor_sees_none_of_it(client, world, colombo, bali, sri_lanka):
    assert_sees_no_layer(client, world, colombo, bali, sri_lanka)
    for url in record_urls(world):
        assert client.get(url).status_code == 404, url


def test_a_bali_participant_sees_none_of_colombos(client, world, colombo, bali, sri_lanka, bali_participant):
    login_verified(client, bali_participant)
    assert_sees_no_layer(client, world, colombo, bali, sri_lanka, hidden=(A_ONLY, SECRET))
    for kind in ("meeting", "document", "recommendation"):
        assert client.get(world["a"][kind].get_absolute_url()).status_code == 404
        assert client.get(world["b"][kind].get_absolute_url()).status_code == 200
    assert f"Contact {A_ONLY}" not in text(client.get("/focal-points/?format=csv"))


def test_a_participant_past_the_grace_period_without_a_second_factor_sees_none(
    client, world, colombo, bali, sri_lanka, colombo_participant
):
    colombo_participant.date_joined = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    colombo_participant.save()
    client.force_login(colombo_participant)  # no device: the second factor is due and missing
    assert_sees_no_layer(client, world, colombo, bali, sri_lanka)
    for url in record_urls(world):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("meetings:document_download", args=[world["a"]["document"].pk])).status_code == 404


def test_staff_of_the_process_do_not_get_the_participants_layer_on_public_pages(
    client, world, colombo, colombo_secretariat, sri_lanka
):
    from rcps.models import Membership

    Membership.objects.create(user=colombo_secretariat, process=colombo, country=sri_lanka)
    login_verified(client, colombo_secretariat)
    for url in ("/meetings/", "/documents/", "/recommendations/", "/focal-points/", colombo.get_absolute_url()):
        assert A_ONLY not in text(client.get(url)), url


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_the_page_cache_never_stores_nor_serves_a_participants_page(
    client, world, colombo, colombo_participant, settings, prefix
):
    settings.PAGE_CACHE_ENABLED = True
    pages = [f"{prefix}/meetings/", f"{prefix}/focal-points/", f"{prefix}/processes/{colombo.slug}/"]
    login_verified(client, colombo_participant)
    for url in pages:
        assert A_ONLY in text(client.get(url)), url
    client.logout()
    client.cookies.clear()
    for url in pages:
        first = text(client.get(url))  # stored for visitors now, if it was not before
        assert A_ONLY not in first and MARK not in first, url
    login_verified(client, colombo_participant)
    for url in pages:
        assert A_ONLY in text(client.get(url)), url  # not the visitors' cached copy
    client.logout()
    client.cookies.clear()
    for url in pages:
        assert A_ONLY not in text(client.get(url)), url


def test_the_directory_chart_of_a_participant_is_not_shared(client, world, colombo_participant, settings):
    settings.CHOICE_CACHE_ENABLED = True
    login_verified(client, colombo_participant)
    client.get("/meetings/")
    client.logout()
    chart = client.get("/meetings/").context["meetings_chart"]
    assert sum(bar["count"] for bar in chart["bars"]) == 1  # the open meeting only, not the participant's count


def test_participants_pages_take_a_constant_number_of_queries(
    client, world, colombo, sri_lanka, colombo_participant, django_assert_num_queries
):
    login_verified(client, colombo_participant)
    meeting_url = world["a"]["meeting"].get_absolute_url()
    client.get("/meetings/")
    client.get(meeting_url)
    # session, user, OTP device, memberships + the anonymous page's 9 (filters, count, page, prefetches, chart)
    with django_assert_num_queries(MEETINGS_QUERIES):
        client.get("/meetings/")
    with django_assert_num_queries(MEETING_QUERIES):
        client.get(meeting_url)
    for day in range(10, 20):
        shared_set(colombo, sri_lanka, f"more-{day}", day)
    with django_assert_num_queries(MEETINGS_QUERIES):
        assert A_ONLY in text(client.get("/meetings/"))
    with django_assert_num_queries(MEETING_QUERIES):
        client.get(meeting_url)


MEETINGS_QUERIES = 13
MEETING_QUERIES = 15


def test_the_private_atom_feed_follows_the_rule_and_its_key_can_be_revoked(
    client, world, colombo_participant, bali_participant
):
    from members.models import FeedKey

    url = reverse("members:feed", args=[FeedKey.renew(colombo_participant).key])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert "no-store" in response["Cache-Control"]
    body = text(response)
    assert f"[{MARK}] Meeting: Meeting {A_ONLY}" in body and f"Labour plan {A_ONLY}" in body
    assert "Open labour meeting" in body
    assert B_ONLY not in body and SECRET not in body
    bali_feed = text(client.get(reverse("members:feed", args=[FeedKey.renew(bali_participant).key])))
    assert B_ONLY in bali_feed and A_ONLY not in bali_feed
    FeedKey.renew(colombo_participant)
    assert client.get(url).status_code == 404
    assert client.get(reverse("members:feed", args=["made-up"])).status_code == 404


def test_private_feed_and_calendar_are_withheld_once_the_second_factor_is_overdue(client, world, colombo_participant):
    from members.models import FeedKey

    key = FeedKey.renew(colombo_participant).key
    colombo_participant.date_joined = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    colombo_participant.save()
    assert client.get(reverse("members:feed", args=[key])).status_code == 404
    assert client.get(reverse("members:calendar", args=[key])).status_code == 404
    login_verified(client, colombo_participant)  # a confirmed device: the key works again
    client.logout()
    assert A_ONLY in text(client.get(reverse("members:feed", args=[key])))
    assert A_ONLY in text(client.get(reverse("members:calendar", args=[key])))


def test_filter_options_add_the_participants_own_processes_only(
    client, world, colombo, bali, colombo_participant, settings
):
    settings.CHOICE_CACHE_ENABLED = True  # the rendered filter form is cached for visitors only
    anonymous = text(client.get("/focal-points/"))
    assert f'value="{colombo.slug}"' not in anonymous and f'value="{bali.slug}"' not in anonymous
    login_verified(client, colombo_participant)
    own = text(client.get("/focal-points/"))
    assert f'value="{colombo.slug}"' in own and f'value="{bali.slug}"' not in own
    filtered = text(client.get(f"/focal-points/?process={colombo.slug}"))
    assert f"Contact {A_ONLY}" in filtered and B_ONLY not in filtered
    client.logout()
    again = text(client.get("/focal-points/"))
    assert f'value="{colombo.slug}"' not in again
    assert client.get(f"/focal-points/?process={colombo.slug}").status_code == 200  # an invalid choice, no rows
