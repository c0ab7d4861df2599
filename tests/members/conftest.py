"""People of the members' area: participants of the Colombo and Bali processes, and a verified sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rcps.models import Membership


def make_participant(email, process, country, role=Membership.Role.NATIONAL):
    user = get_user_model().objects.create_user(email, email, "a-long-test-password-123")
    Membership.objects.create(user=user, process=process, country=country, role=role, ministry="Ministry of Labour")
    return user


def login_verified(client, user):
    """force_login plus a confirmed TOTP device recorded as used for this session (as after the second factor)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def colombo_participant(colombo, sri_lanka):
    return make_participant("focal@example.lk", colombo, sri_lanka)


@pytest.fixture
def philippines(db):
    from reference.models import Country

    return Country.objects.get_or_create(code="PH", defaults={"alpha3": "PHL", "name": "Philippines"})[0]


@pytest.fixture
def bali_participant(bali, philippines):
    return make_participant("focal@example.ph", bali, philippines)
