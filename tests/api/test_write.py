"""Token-authenticated writes: a secretariat submits and changes meetings of its own processes only."""

import datetime

import pytest
from django.urls import reverse
from model_bakery import baker
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


def new_meeting(**fields):
    return {
        "title": "Sixth Ministerial Consultation",
        "kind": "ministerial",
        "organizing_processes": ["colombo-process"],
        "start_date": "2026-11-10",
        "end_date": "2026-11-12",
        "city": "Colombo",
        "country": "LK",
        **fields,
    }


@pytest.fixture
def bali(db):
    return baker.make("rcps.Process", name="Bali Process", acronym="BP", slug="bali-process", kind="inter_regional")


def test_anonymous_submission_is_refused_as_unauthenticated(api_client, process):
    response = api_client.post(MEETINGS, new_meeting(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Meeting.objects.exists()


def test_invalid_token_is_refused_even_for_reading(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api_client.get(MEETINGS).status_code == 401


def test_user_serving_no_process_is_forbidden_to_submit(api_client, process, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password-123")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = api_client.post(MEETINGS, new_meeting(), format="json")

    assert response.status_code == 403
    assert "does not serve any process" in response.json()["detail"]


def test_secretariat_submits_a_meeting_of_its_process_with_history(token_client, secretariat_user, country):
    response = token_client.post(MEETINGS, new_meeting(), format="json")

    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert [p.slug for p in meeting.organizing_processes.all()] == ["colombo-process"]
    assert (meeting.country, meeting.end_date) == (country, datetime.date(2026, 11, 12))
    assert meeting.history.filter(history_type="+", history_user=secretariat_user).exists()
    assert response.json()["url"] == f"http://testserver/meetings/{meeting.pk}/"


def test_submitted_public_meeting_appears_in_the_public_api(token_client, api_client, country):
    created = token_client.post(MEETINGS, new_meeting(), format="json").json()

    assert api_client.get(f"{MEETINGS}{created['id']}/").json()["title"] == "Sixth Ministerial Consultation"


def test_secretariat_cannot_submit_a_meeting_of_another_process(token_client, bali, country):
    response = token_client.post(MEETINGS, new_meeting(organizing_processes=["bali-process"]), format="json")

    assert response.status_code == 400
    assert "not yours: bali-process" in response.json()["organizing_processes"][0]
    assert not Meeting.objects.exists()


def test_joint_meeting_needs_every_organizer_to_be_the_secretariats_own(token_client, bali, country):
    response = token_client.post(
        MEETINGS, new_meeting(organizing_processes=["colombo-process", "bali-process"]), format="json"
    )

    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_non_public_process_of_someone_else_does_not_exist_for_the_secretariat(token_client, country):
    baker.make("rcps.Process", slug="closed-forum", kind="rcp", visibility="confidential")

    response = token_client.post(MEETINGS, new_meeting(organizing_processes=["closed-forum"]), format="json")

    assert response.status_code == 400
    assert "does not exist" in response.json()["organizing_processes"][0]


def test_invalid_meeting_is_refused_with_a_message_per_field(token_client, country):
    response = token_client.post(
        MEETINGS, new_meeting(title="", end_date="2026-11-01", kind="banquet", organizing_processes=[]), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"title", "kind", "organizing_processes"}
    assert not Meeting.objects.exists()


def test_meeting_ending_before_it_starts_is_refused_on_the_end_date(token_client, country):
    response = token_client.post(MEETINGS, new_meeting(end_date="2026-11-01"), format="json")

    assert response.status_code == 400
    assert response.json()["end_date"] == ["The end date cannot be before the start date."]


@pytest.fixture
def own_meeting(process):
    meeting = baker.make("meetings.Meeting", title="Senior officials", start_date=datetime.date(2026, 5, 1))
    meeting.organizing_processes.add(process)
    return meeting


def test_secretariat_changes_a_meeting_of_its_process(token_client, own_meeting, secretariat_user):
    response = token_client.patch(f"{MEETINGS}{own_meeting.pk}/", {"city": "Kandy"}, format="json")

    assert response.status_code == 200, response.content
    own_meeting.refresh_from_db()
    assert own_meeting.city == "Kandy"
    assert own_meeting.history.filter(history_type="~", history_user=secretariat_user).exists()


def test_meeting_of_another_process_is_not_found_for_change(token_client, bali):
    theirs = baker.make("meetings.Meeting", title="Bali workshop", start_date=datetime.date(2026, 5, 1))
    theirs.organizing_processes.add(bali)

    response = token_client.patch(f"{MEETINGS}{theirs.pk}/", {"city": "Elsewhere"}, format="json")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.city != "Elsewhere"


def test_secretariat_cannot_hand_its_meeting_to_another_process(token_client, own_meeting, bali):
    response = token_client.patch(
        f"{MEETINGS}{own_meeting.pk}/", {"organizing_processes": ["bali-process"]}, format="json"
    )

    assert response.status_code == 400
    assert list(own_meeting.organizing_processes.values_list("slug", flat=True)) == ["colombo-process"]


def test_anonymous_change_is_refused_as_unauthenticated(api_client, own_meeting):
    assert api_client.patch(f"{MEETINGS}{own_meeting.pk}/", {"city": "X"}, format="json").status_code == 401


def test_meetings_cannot_be_deleted_or_replaced_through_the_api(token_client, own_meeting):
    assert token_client.delete(f"{MEETINGS}{own_meeting.pk}/").status_code == 405
    assert token_client.put(f"{MEETINGS}{own_meeting.pk}/", new_meeting(), format="json").status_code == 405


def test_read_only_directories_refuse_writes(token_client):
    assert token_client.post(reverse("api:process-list"), {"name": "X"}, format="json").status_code == 405


def test_administrator_creates_a_token_for_a_user_in_the_back_office(admin_client, secretariat_user):
    response = admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": secretariat_user.pk})

    assert response.status_code == 302
    token = Token.objects.get(user=secretariat_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(MEETINGS).status_code == 200
