"""The focal-point network: lists by process, messages e-mailed and archived, one-click unsubscribe, bounces skipped."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from model_bakery import baker

from members.models import Bounce, ListMessage, MailingList, OptOut
from rcps.models import FocalPoint
from tests.members.conftest import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(colombo, bali, sri_lanka):
    def focal(email, institution, process=colombo, visibility="public"):
        return baker.make(
            FocalPoint, process=process, country=sri_lanka, institution=institution, email=email, visibility=visibility
        )

    focal("labour@example.lk", "Ministry of Labour")
    focal("foreign@example.lk", "Ministry of Foreign Affairs")
    focal("closed@example.lk", "Ministry of Labour", visibility="confidential")
    focal("bali@example.org", "Ministry of Labour", process=bali)
    return MailingList.objects.create(process=colombo, name="Whole network")


def test_a_list_reaches_its_process_network_only(network, colombo):
    assert network.recipients() == ["foreign@example.lk", "labour@example.lk"]
    labour = MailingList.objects.create(process=colombo, name="Labour", scope="ministry", ministry="labour")
    assert labour.recipients() == ["labour@example.lk"]


def test_a_message_is_mailed_with_one_click_unsubscribe_and_archived(
    client, network, colombo_secretariat, colombo_participant
):
    client.force_login(colombo_secretariat)
    response = client.post(
        reverse("members:list_send", args=["colombo-process", network.pk]),
        {"subject": "Senior officials' meeting", "body": "Dates are confirmed."},
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["foreign@example.lk", "labour@example.lk"]
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert ListMessage.objects.get().recipient_count == 2

    login_verified(client, colombo_participant)
    assert "Dates are confirmed." in client.get(reverse("members:process", args=["colombo-process"])).content.decode()

    client.logout()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200 and not OptOut.objects.exists()  # a GET changes nothing
    assert client.post(path).status_code == 200  # the mail program's one-click POST, no CSRF token
    assert OptOut.objects.get().email == message.to[0]
    assert message.to[0] not in network.recipients()


def test_a_forged_unsubscribe_link_changes_nothing(client, network):
    assert client.post(reverse("members:unsubscribe", args=["forged:token"])).status_code == 404
    assert client.get(reverse("members:unsubscribe", args=["x" * 600])).status_code == 404
    assert not OptOut.objects.exists()


def test_a_bounce_recorded_by_command_stops_mail_to_it(network):
    call_command("record_bounce", "Labour@example.lk", "--reason", "550 no such user")
    assert Bounce.objects.get().email == "labour@example.lk"
    assert network.recipients() == ["foreign@example.lk"]
    with pytest.raises(CommandError):
        call_command("record_bounce", "not-an-address")


def test_lists_are_kept_by_the_process_own_secretariat(client, network, bali_secretariat, colombo_participant):
    for user, status in ((bali_secretariat, 404), (colombo_participant, 403)):
        client.force_login(user)
        assert client.get(reverse("members:lists", args=["colombo-process"])).status_code == status
        response = client.post(
            reverse("members:list_send", args=["colombo-process", network.pk]), {"subject": "x", "body": "y"}
        )
        assert response.status_code == status
    assert not mail.outbox and not ListMessage.objects.exists()


def test_a_secretariat_creates_a_list_of_chosen_focal_points(client, network, colombo, colombo_secretariat):
    chosen = FocalPoint.objects.get(email="foreign@example.lk")
    other = FocalPoint.objects.get(email="bali@example.org")
    client.force_login(colombo_secretariat)
    url = reverse("members:lists", args=["colombo-process"])
    assert client.post(url, {"name": "Activity", "scope": "chosen", "focal_points": [other.pk]}).status_code == 400
    assert client.post(url, {"name": "Activity", "scope": "chosen", "focal_points": [chosen.pk]}).status_code == 302
    assert MailingList.objects.get(name="Activity").recipients() == ["foreign@example.lk"]
    assert client.get(url).status_code == 200


def test_the_lists_page_costs_one_query_per_list(
    client, network, colombo, colombo_secretariat, django_assert_max_num_queries, django_assert_num_queries
):
    """Opt-outs prefetched and bounces read once: each list adds only the query of its focal points."""
    client.force_login(colombo_secretariat)
    url = reverse("members:lists", args=["colombo-process"])
    Bounce.objects.create(email="labour@example.lk")
    client.get(url)  # renews the session (a write the next requests, within the minute, do not repeat)
    with django_assert_max_num_queries(30) as one_list:
        assert "1 recipient" in client.get(url).content.decode()
    for number in range(3):
        MailingList.objects.create(process=colombo, name=f"Activity {number}", scope="ministry", ministry="labour")
    with django_assert_num_queries(len(one_list) + 3):
        client.get(url)
