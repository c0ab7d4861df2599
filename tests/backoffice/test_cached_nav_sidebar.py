"""The admin's navigation sidebar is rendered once per set of permissions, language and section.

With the option caches on, as in production: a user is never shown models their permissions
do not give them, a new permission shows on the next request, the highlighted model follows
the page, and a sidebar served from the cache costs no app list.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.cache import caches
from model_bakery import baker

from core.roles import SECRETARIAT
from meetings.models import Document, Meeting
from rcps.models import Process
from reference.models import Country, Theme
from tests.backoffice.test_admin_pages import admin_url
from tests.backoffice.test_cached_list_filters import option_caches_on  # noqa: F401  (autouse: caches on, cleared)
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def nav_sidebar(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return re.search(r'<nav class="sticky" id="nav-sidebar".*?</nav>', response.content.decode(), re.S).group(0)


def current_models(sidebar):
    return re.findall(r'class="model-(\w+) current-model"', sidebar)


def view_permission(model):
    return Permission.objects.get(
        content_type__app_label=model._meta.app_label, codename=f"view_{model._meta.model_name}"
    )


def test_each_set_of_permissions_gets_its_own_sidebar(client, superuser, roles, colombo):
    url = admin_url(Process, "changelist")
    client.force_login(superuser)
    everything = nav_sidebar(client, url)  # fills the cache with the superuser's sidebar first
    assert 'href="/admin/auth/user/"' in everything and 'href="/admin/rcps/process/"' in everything
    client.force_login(make_staff("colombo-sec", SECRETARIAT, [colombo]))
    own = nav_sidebar(client, url)
    assert 'href="/admin/rcps/process/"' in own and 'href="/admin/auth/user/"' not in own


def test_a_new_permission_shows_on_the_next_request(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    reader.user_permissions.add(view_permission(Theme))
    client.force_login(reader)
    url = admin_url(Theme, "changelist")
    before = nav_sidebar(client, url)
    assert 'href="/admin/reference/theme/"' in before and 'href="/admin/reference/country/"' not in before
    reader.user_permissions.add(view_permission(Country))
    assert 'href="/admin/reference/country/"' in nav_sidebar(client, url)


def test_the_highlighted_model_follows_the_page(admin_client):
    meeting = baker.make(Meeting, title="Sixth Ministerial Consultation")
    assert current_models(nav_sidebar(admin_client, admin_url(Document, "changelist"))) == ["document"]
    assert current_models(nav_sidebar(admin_client, admin_url(Meeting, "changelist"))) == ["meeting"]
    assert current_models(nav_sidebar(admin_client, admin_url(Meeting, "change", meeting.pk))) == ["meeting"]
    assert current_models(nav_sidebar(admin_client, admin_url(Document, "changelist"))) == ["document"]


def test_each_language_gets_its_own_sidebar(admin_client):
    url = admin_url(Process, "changelist")
    assert "Start typing to filter" in nav_sidebar(admin_client, url)
    french = nav_sidebar(admin_client, url, accept_language="fr")
    assert "Écrivez ici pour filtrer" in french and "Start typing to filter" not in french


def test_a_sidebar_from_the_cache_builds_no_app_list(admin_client, monkeypatch):
    url = admin_url(Process, "changelist")
    first = nav_sidebar(admin_client, url)
    built = []
    original = admin.site._build_app_dict
    monkeypatch.setattr(
        admin.site, "_build_app_dict", lambda *args, **kwargs: built.append(1) or original(*args, **kwargs)
    )
    assert nav_sidebar(admin_client, url) == first
    assert built == []
    caches["default"].clear()
    assert nav_sidebar(admin_client, url) == first  # built again, the same
    assert built == [1]
