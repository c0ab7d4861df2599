"""Roles are groups with explicit permissions; secretariat users are created without a usable password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from core.roles import ADMINISTRATOR, SECRETARIAT, SUPPORT_UNIT

pytestmark = pytest.mark.django_db


def permissions():
    return {g.name: sorted(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}


def test_setup_roles_is_idempotent(capsys):
    call_command("setup_roles")
    first = permissions()
    call_command("setup_roles")
    assert permissions() == first and set(first) >= {SECRETARIAT, SUPPORT_UNIT, ADMINISTRATOR}
    assert "add_process" not in first[SECRETARIAT] and "change_process" in first[SECRETARIAT]
    assert "change_country" not in first[SECRETARIAT] and "view_country" in first[SECRETARIAT]


def test_create_secretariat_user_prints_a_one_time_link_and_sets_no_password(client, colombo, capsys):
    call_command("create_secretariat_user", "lanka", "lanka@example.org", "--process", "colombo-process")
    out = capsys.readouterr().out
    user = get_user_model().objects.get(username="lanka")
    assert not user.has_usable_password() and user.is_staff
    assert list(user.secretariat_assignments.values_list("process__slug", flat=True)) == ["colombo-process"]
    link = re.search(r"http://127\.0\.0\.1:8000(/admin/auth/user/set-password/\S+)", out).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "my-own-passphrase-2024", "new_password2": "my-own-passphrase-2024"}
    )
    user.refresh_from_db()
    assert response.status_code == 302 and user.check_password("my-own-passphrase-2024")
    # Told so, logged in, on the start page.
    start = client.get(response["Location"])
    assert start.status_code == 200 and "Your password is set" in start.content.decode()
    assert start.context["user"] == user
    assert client.get(link).status_code == 200 and "invalid" in client.get(link, follow=True).content.decode().lower()


def test_create_secretariat_user_refuses_an_unknown_process(db):
    with pytest.raises(CommandError, match="Unknown process: nowhere"):
        call_command("create_secretariat_user", "x", "x@example.org", "--process", "nowhere")
