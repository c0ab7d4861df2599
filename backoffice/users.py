"""Back-office accounts: secretariat users and their one-time set-password links."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.roles import SECRETARIAT
from rcps.models import SecretariatAssignment

from .roles import setup_roles


def set_password_link(user, base_url=None):
    """A link that lets `user` choose a password once; it stops working when the password changes."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("admin:auth_user_set_password", kwargs={"uidb64": uidb64, "token": token})
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{path}"


@transaction.atomic
def secretariat_user_create(*, username, email, processes):
    """Create (or update) a staff user in the RCP secretariat group, serving `processes`; no usable password."""
    setup_roles()
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_unusable_password()
    user.email = email
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    for process in processes:
        SecretariatAssignment.objects.get_or_create(user=user, process=process)
    return user, created
