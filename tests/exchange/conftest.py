"""People and records of the exchange tests: two processes, one secretariat each, the Support Unit."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from model_bakery import baker

from portal.exchange.models import Dispatch
from rcps.access import SECRETARIAT, SUPPORT_UNIT, setup_roles
from rcps.models import Process, SecretariatAssignment


@pytest.fixture
def roles(db):
    setup_roles()


@pytest.fixture
def colombo(db):
    return baker.make(Process, name="Colombo Process", acronym="CP", slug="colombo-process", kind="rcp")


@pytest.fixture
def bali(db):
    return baker.make(Process, name="Bali Process", acronym="BP", slug="bali-process", kind="rcp")


@pytest.fixture
def theme(db):
    return baker.make("rcps.Theme", name="Labour migration", slug="labour-migration")


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
def support_unit(roles):
    return make_staff("gfmd-su", SUPPORT_UNIT)


def make_dispatch(state=Dispatch.State.PUBLISHED, **fields):
    """A dispatch saved as is (no workflow): RCP → GFMD unless told otherwise."""
    fields.setdefault("direction", Dispatch.Direction.TO_GFMD)
    fields.setdefault("kind", Dispatch.Kind.STATEMENT)
    fields.setdefault("body", "Some **text**.")
    if fields["direction"] == Dispatch.Direction.TO_GFMD and "sender_process" not in fields:
        fields["sender_process"] = baker.make(Process, kind="rcp")
    if state == Dispatch.State.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    addressed = fields.pop("addressed_processes", ())
    themes = fields.pop("themes", ())
    dispatch = baker.prepare(Dispatch, state=state, **fields)
    dispatch.full_clean()
    dispatch.save()
    dispatch.addressed_processes.set(addressed)
    dispatch.themes.set(themes)
    return dispatch


@pytest.fixture(autouse=True)
def clear_cache():
    """The subscription rate limit counts in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
