"""A signed-in session's idle timeout is renewed at most once a minute, not written on every page."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.middleware import RENEWED_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", password="a-long-enough-passphrase-42", is_staff=True)


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def renewed_at(client, when):
    session = client.session
    session[RENEWED_KEY] = when
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )


def test_a_request_a_minute_after_the_last_renewal_pushes_the_expiry_and_the_cookie_forward(client, officer):
    client.force_login(officer)
    renewed_at(client, int(time.time()) - settings.SESSION_RENEW_INTERVAL)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    remaining = (stored_expiry(client) - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE


def test_a_request_soon_after_a_renewal_writes_nothing(client, officer):
    client.force_login(officer)
    assert client.get(reverse("admin:index")).status_code == 200  # renews, and notes the login time
    renewed_at(client, int(time.time()))
    before = stored_expiry(client)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert stored_expiry(client) == before


def test_a_session_idle_for_longer_than_its_age_is_signed_out(client, officer):
    client.force_login(officer)
    assert client.get(reverse("admin:index")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_visitor_without_a_session_is_given_none(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_stale_session_cookie_makes_no_session(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789abcdef"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert not Session.objects.exists()
