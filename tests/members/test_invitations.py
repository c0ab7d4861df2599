"""Invitations: a secretariat invites for its own processes; the link works once, before it expires."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation
from rcps.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "a-very-long-password-for-tests-42"


def invite(client, secretariat, process, country, email="new.focal@example.lk"):
    client.force_login(secretariat)
    return client.post(
        reverse("members:invite"),
        {
            "email": email,
            "process": process.pk,
            "country": country.pk,
            "ministry": "Ministry of Foreign Employment",
            "role": "national",
        },
    )


def link_from_mail():
    return re.search(r"https?://\S+/members/invitation/\S+/", mail.outbox[-1].body).group(0)


def path_of(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_secretariat_invites_by_email_and_only_the_hash_is_stored(client, colombo_secretariat, colombo, sri_lanka):
    response = invite(client, colombo_secretariat, colombo, sri_lanka)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.process, invitation.country, invitation.invited_by) == (colombo, sri_lanka, colombo_secretariat)
    assert mail.outbox[-1].to == ["new.focal@example.lk"]
    token = link_from_mail().rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_a_secretariat_cannot_invite_to_another_process(client, colombo_secretariat, bali, sri_lanka):
    response = invite(client, colombo_secretariat, bali, sri_lanka)
    assert response.status_code == 200
    assert "process" in response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


def test_participants_and_visitors_cannot_invite(client, colombo_participant, colombo, sri_lanka):
    assert client.get(reverse("members:invite")).status_code == 302  # to the sign-in page
    client.force_login(colombo_participant)
    assert client.get(reverse("members:invite")).status_code == 403
    assert client.post(reverse("members:invite"), {"email": "x@example.org"}).status_code == 403
    assert not Invitation.objects.exists()


def test_the_link_creates_a_participant_who_never_reaches_the_admin(client, colombo_secretariat, colombo, sri_lanka):
    invite(client, colombo_secretariat, colombo, sri_lanka)
    client.logout()
    url = path_of(link_from_mail())
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("members:two_factor_setup")
    user = get_user_model().objects.get(email="new.focal@example.lk")
    assert not user.is_staff and user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.process, membership.country, membership.ministry) == (
        colombo,
        sri_lanka,
        "Ministry of Foreign Employment",
    )
    assert client.get(reverse("admin:index")).status_code == 302  # the admin's login page, not the admin
    assert Invitation.objects.get().accepted is not None


def test_a_link_used_twice_changes_nothing(client, colombo_secretariat, colombo, sri_lanka):
    invite(client, colombo_secretariat, colombo, sri_lanka)
    client.logout()
    url = path_of(link_from_mail())
    client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    response = client.post(url, {"password1": "another-long-password-77", "password2": "another-long-password-77"})
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert get_user_model().objects.get(email="new.focal@example.lk").check_password(PASSWORD)
    assert Membership.objects.count() == 1


def test_an_expired_link_changes_nothing(client, colombo_secretariat, colombo, sri_lanka):
    invite(client, colombo_secretariat, colombo, sri_lanka)
    client.logout()
    Invitation.objects.update(expires=timezone.now() - datetime.timedelta(minutes=1))
    url = path_of(link_from_mail())
    assert client.get(url).status_code == 410
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not get_user_model().objects.filter(email="new.focal@example.lk").exists()


def test_a_made_up_link_is_not_found(client):
    response = client.get(reverse("members:accept", args=["not-a-real-token"]))
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert client.get(reverse("members:accept", args=["x" * 500])).status_code == 404


def test_a_weak_or_mismatched_password_is_refused(client, colombo_secretariat, colombo, sri_lanka):
    invite(client, colombo_secretariat, colombo, sri_lanka)
    client.logout()
    url = path_of(link_from_mail())
    assert client.post(url, {"password1": "password", "password2": "password"}).status_code == 400
    assert client.post(url, {"password1": PASSWORD, "password2": PASSWORD + "x"}).status_code == 400
    assert not get_user_model().objects.filter(email="new.focal@example.lk").exists()
    assert Invitation.objects.get().accepted is None


def test_an_existing_participant_accepts_a_second_seat_signed_in(
    client, colombo_participant, bali_secretariat, bali, sri_lanka
):
    invite(client, bali_secretariat, bali, sri_lanka, email=colombo_participant.email)
    client.logout()
    url = path_of(link_from_mail())
    assert client.post(url).status_code == 403  # not signed in as that person: nothing changes
    assert colombo_participant.memberships.count() == 1
    client.force_login(colombo_participant)
    assert client.post(url).status_code == 302
    assert set(colombo_participant.memberships.values_list("process__slug", flat=True)) == {
        "colombo-process",
        "bali-process",
    }


def test_a_staff_address_cannot_be_invited(client, colombo_secretariat, colombo, sri_lanka):
    response = invite(client, colombo_secretariat, colombo, sri_lanka, email=colombo_secretariat.email)
    assert "email" in response.context["form"].errors
