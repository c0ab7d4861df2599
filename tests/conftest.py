"""The people and records shared by the whole suite: small, explicit, built with model-bakery.

Every role of the back office has one user here (one secretariat for the Colombo Process, one
for the Bali Process, the GFMD Support Unit, an administrator); app folders add only what is
particular to them.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from model_bakery import baker

from backoffice.roles import setup_roles
from core.roles import ADMINISTRATOR, SECRETARIAT, SUPPORT_UNIT
from rcps.models import Process, SecretariatAssignment
from reference.models import Country


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate limits, API throttling and cached values live in the caches: each test starts with none."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in English: a request in French or Spanish leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The real data ------------------------------------------------------------------------------

FIXTURE_FILES = sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"))


@pytest.fixture(scope="module")
def fixture_data(django_db_setup, django_db_blocker):
    """The real-data fixtures, loaded once per test module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *[str(path) for path in FIXTURE_FILES], verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(fixture_data, db):
    """Each test runs in its own savepoint on top of the loaded fixtures."""


# Records ------------------------------------------------------------------------------------


@pytest.fixture
def colombo(db):
    return Process.objects.get_or_create(
        slug="colombo-process", defaults={"name": "Colombo Process", "acronym": "CP", "kind": "rcp"}
    )[0]


@pytest.fixture
def process(colombo):
    """Any one process, when which does not matter: the Colombo Process."""
    return colombo


@pytest.fixture
def bali(db):
    return baker.make(Process, name="Bali Process", acronym="BP", slug="bali-process", kind="rcp")


@pytest.fixture
def gfmd(db):
    return baker.make(
        Process, name="Global Forum on Migration and Development", acronym="GFMD", slug="gfmd", kind="global"
    )


@pytest.fixture
def sri_lanka(db):
    return Country.objects.get_or_create(code="LK", defaults={"alpha3": "LKA", "name": "Sri Lanka"})[0]


@pytest.fixture
def country(sri_lanka):
    """Any one country, when which does not matter: Sri Lanka."""
    return sri_lanka


@pytest.fixture
def theme(db):
    return baker.make("reference.Theme", name="Labour migration", slug="labour-migration")


# People -------------------------------------------------------------------------------------


@pytest.fixture
def roles(db):
    setup_roles()


def make_staff(username, group, processes=()):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for process in processes:
        SecretariatAssignment.objects.create(user=user, process=process)
    return user


@pytest.fixture
def colombo_secretariat(roles, colombo):
    return make_staff("colombo-sec", SECRETARIAT, [colombo])


@pytest.fixture
def bali_secretariat(roles, bali):
    return make_staff("bali-sec", SECRETARIAT, [bali])


@pytest.fixture
def support_unit(roles, gfmd):
    return make_staff("gfmd-su", SUPPORT_UNIT)


@pytest.fixture
def administrator(roles):
    return make_staff("site-admin", ADMINISTRATOR)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
