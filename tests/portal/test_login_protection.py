"""Login protection: lockout after failures, strong passwords, an absolute limit on staff sessions."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.middleware import LOGIN_TIME_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", password="a-long-enough-passphrase-42", is_staff=True)


def login(client, password):
    return client.post(reverse("admin:login"), {"username": "officer", "password": password}, REMOTE_ADDR="10.0.0.1")


def test_five_failures_lock_the_account_even_for_the_right_password(client, officer):
    for _attempt in range(5):
        login(client, "wrong-password")
    response = login(client, "a-long-enough-passphrase-42")
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_failures_do_not_lock_and_success_logs_in(client, officer):
    for _attempt in range(3):
        login(client, "wrong-password")
    assert login(client, "a-long-enough-passphrase-42").status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_lockout_is_temporary():
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_short_passwords_are_refused():
    with pytest.raises(ValidationError):
        validate_password("Short-pass1")
    validate_password("a-long-enough-passphrase-42")


def test_argon2_is_the_production_hasher():
    from portal.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_staff_session_ends_after_eight_hours_however_active(client, officer):
    client.force_login(officer)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[LOGIN_TIME_KEY] = time.time() - settings.STAFF_SESSION_MAX_AGE - 1
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_lockouts_and_limits_key_on_the_visitor_not_the_proxy(settings, rf):
    from core.clientip import client_ip

    settings.AXES_IPWARE_PROXY_COUNT = 1
    # nginx appends the address it saw; anything further left was sent by the visitor.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160")
    assert client_ip(request) == "81.2.69.160"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")) == "10.0.0.2"
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
