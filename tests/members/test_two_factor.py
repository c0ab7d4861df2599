"""Two-factor sign-in: TOTP set-up with recovery codes; enforced for staff and participants after the grace period."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.members.conftest import login_verified

pytestmark = pytest.mark.django_db


def age(user, days):
    user.date_joined = timezone.now() - datetime.timedelta(days=days)
    user.save(update_fields=["date_joined"])


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_within_the_grace_period_staff_reach_the_admin(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    assert client.get(reverse("admin:index")).status_code == 200


def test_after_the_grace_period_staff_without_a_device_are_sent_to_set_one_up(client, colombo_secretariat, settings):
    age(colombo_secretariat, settings.MFA_GRACE_DAYS + 1)
    client.force_login(colombo_secretariat)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("members:two_factor_setup"))
    assert client.get("/admin/meetings/meeting/").status_code == 302
    assert client.get(reverse("members:two_factor_setup")).status_code == 200


def test_a_confirmed_device_is_asked_for_even_within_the_grace_period(client, colombo_secretariat):
    TOTPDevice.objects.create(user=colombo_secretariat, name="phone", confirmed=True)
    client.force_login(colombo_secretariat)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("members:two_factor_verify"))


def test_staff_with_the_second_factor_reach_the_admin(client, colombo_secretariat, settings):
    age(colombo_secretariat, settings.MFA_GRACE_DAYS + 1)
    login_verified(client, colombo_secretariat)
    assert client.get(reverse("admin:index")).status_code == 200


def test_participants_after_the_grace_period_cannot_reach_members_pages(client, colombo_participant, settings):
    age(colombo_participant, settings.MFA_GRACE_DAYS + 1)
    client.force_login(colombo_participant)
    response = client.get(reverse("members:process", args=["colombo-process"]))
    assert response.status_code == 302 and response.url.startswith(reverse("members:two_factor_setup"))


def test_setting_up_a_device_shows_a_qr_code_and_gives_recovery_codes(client, colombo_participant, settings):
    age(colombo_participant, settings.MFA_GRACE_DAYS + 1)
    client.force_login(colombo_participant)
    page = client.get(reverse("members:two_factor_setup")).content.decode()
    assert "<svg" in page and "otpauth" not in page.split("<svg", 1)[0]
    device = TOTPDevice.objects.get(user=colombo_participant, confirmed=False)
    assert client.post(reverse("members:two_factor_setup"), {"token": "000000"}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows guessing down
    device.throttle_reset()
    response = client.post(reverse("members:two_factor_setup"), {"token": current_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("members:home")).status_code == 200  # verified in this session

    # A new session asks for the second factor; a recovery code works once.
    client.logout()
    client.force_login(colombo_participant)
    assert client.get(reverse("members:home")).status_code == 302
    verify = reverse("members:two_factor_verify")
    assert client.post(verify, {"token": "12345678"}).status_code == 400
    for each in devices_for_user(colombo_participant):
        each.throttle_reset()  # a wrong code throttles every device for a while
    assert client.post(verify, {"token": codes[0], "next": "https://evil.example/"}).url == reverse("members:home")
    assert client.get(reverse("members:home")).status_code == 200
    client.logout()
    client.force_login(colombo_participant)
    assert client.post(verify, {"token": codes[0]}).status_code == 400


def test_a_device_cannot_be_replaced_without_the_current_one(client, colombo_participant):
    TOTPDevice.objects.create(user=colombo_participant, name="phone", confirmed=True)
    client.force_login(colombo_participant)
    response = client.post(reverse("members:two_factor_setup"), {"token": "123456"})
    assert response.status_code == 302 and response.url.startswith(reverse("members:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=colombo_participant, confirmed=True).count() == 1


def test_a_participant_without_the_due_second_factor_sees_no_participants_only_record(
    client, colombo_participant, colombo, settings
):
    from model_bakery import baker

    baker.make(
        "meetings.Document",
        title="Members-only plan",
        url="https://example.org/p",
        process=colombo,
        visibility="participants",
    )
    age(colombo_participant, settings.MFA_GRACE_DAYS + 1)
    client.force_login(colombo_participant)
    calendar_and_pages = [client.get(url) for url in ("/documents/", "/search/?q=plan")]
    assert all("Members-only plan" not in r.content.decode() for r in calendar_and_pages)


def test_participants_sign_in_on_the_public_site(client, colombo_participant):
    response = client.post(
        reverse("members:sign_in"), {"username": colombo_participant.username, "password": "a-long-test-password-123"}
    )
    assert response.status_code == 302 and response.url == reverse("members:home")
    assert client.get(reverse("members:home")).status_code == 200


def test_wrong_passwords_lock_the_account_out_as_on_the_admin(client, colombo_participant, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("members:sign_in"), {"username": colombo_participant.username, "password": "wrong"})
    response = client.post(
        reverse("members:sign_in"), {"username": colombo_participant.username, "password": "a-long-test-password-123"}
    )
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
