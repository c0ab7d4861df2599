"""Two-factor sign-in with django-otp: who must use it, and when.

Every account that can sign in — staff and participants — must confirm a TOTP device after
settings.MFA_GRACE_DAYS days from the account's creation. Once a device is confirmed the
second factor is asked at every sign-in, grace period or not. Recovery codes are django-otp's
static tokens, each usable once.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rcps.scoping import is_participant

RECOVERY_CODES = 10
SETUP = "setup"
VERIFY = "verify"


def required_for(user):
    """Whether `user` must sign in with a second factor (once their grace period is over)."""
    return user.is_authenticated and user.is_active and (user.is_staff or is_participant(user))


def grace_ends(user):
    return user.date_joined + datetime.timedelta(days=settings.MFA_GRACE_DAYS)


def in_grace(user):
    return timezone.now() < grace_ends(user)


def missing_step(user):
    """What `user` must do before reaching protected pages: VERIFY, SETUP, or None."""
    if not required_for(user) or user.is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return VERIFY
    if in_grace(user):
        return None
    return SETUP


def pending_totp_device(user):
    """The device being set up: an unconfirmed TOTP device, created on first visit and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones, returned once for the user to keep."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
