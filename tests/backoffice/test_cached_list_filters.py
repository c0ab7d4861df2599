"""A changelist's filter sidebar is rendered once per user, language, address and data version.

With the option caches on, as in production: a write shows in the options on the next request,
a user never gets another user's options, and the selected option follows the address.
"""

import re

import pytest
from django.core.cache import caches
from model_bakery import baker

from core.roles import SECRETARIAT
from rcps.models import FocalPoint, Process
from tests.backoffice.test_admin_pages import admin_url
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def option_caches_on(settings):
    settings.CHOICE_CACHE_ENABLED = True
    caches["default"].clear()


def sidebar(client, model, **params):
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return re.search(r'<nav id="changelist-filter".*?</nav>', response.content.decode(), re.S).group(0)


def test_a_new_theme_shows_in_the_filter_on_the_next_request(admin_client, colombo, theme):
    colombo.themes.add(theme)
    assert "Labour migration" in sidebar(admin_client, Process)
    other = baker.make("reference.Theme", name="Return and reintegration", slug="return")
    assert "Return and reintegration" not in sidebar(admin_client, Process)  # used by no process yet
    colombo.themes.add(other)
    assert "Return and reintegration" in sidebar(admin_client, Process)


def test_the_selected_option_follows_the_address(admin_client, colombo):
    unfiltered = sidebar(admin_client, Process)
    filtered = sidebar(admin_client, Process, kind__exact="rcp")
    selected = re.compile(r'<li class="selected">\s*<a href="\?[^"]*"[^>]*>([^<]+)</a>')
    assert [name.strip() for name in selected.findall(unfiltered)][:1] == ["All"]
    assert "Regional consultative process" in selected.findall(filtered)


def test_each_user_gets_the_options_of_their_own_rows(client, superuser, roles, colombo, bali):
    budapest = baker.make(Process, name="Budapest Process", acronym="BuP", slug="budapest-process", kind="rcp")
    for process in (colombo, bali, budapest):
        baker.make(FocalPoint, process=process)
    client.force_login(superuser)
    everything = sidebar(client, FocalPoint)  # fills the cache with the superuser's options first
    assert all(name in everything for name in ("Colombo Process", "Bali Process", "Budapest Process"))
    client.force_login(make_staff("two-processes", SECRETARIAT, [colombo, budapest]))
    own = sidebar(client, FocalPoint)
    assert "Colombo Process" in own and "Budapest Process" in own and "Bali Process" not in own


def test_each_language_gets_its_own_options(admin_client, colombo):
    assert "By kind" in sidebar(admin_client, Process)
    french = admin_client.get(admin_url(Process, "changelist"), headers={"accept-language": "fr"})
    assert "Par type" in french.content.decode() and "By kind" not in french.content.decode()
