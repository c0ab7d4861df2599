"""Back-office people: one user per role, and the processes they serve."""

import pytest
from django.contrib.auth.models import Group
from model_bakery import baker

from rcps.access import ADMINISTRATOR, SECRETARIAT, SUPPORT_UNIT, setup_roles
from rcps.models import Country, Process, SecretariatAssignment


@pytest.fixture
def roles(db):
    setup_roles()


@pytest.fixture
def colombo(db):
    return Process.objects.get_or_create(
        slug="colombo-process", defaults={"name": "Colombo Process", "acronym": "CP", "kind": "rcp"}
    )[0]


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


def make_staff(username, group, processes=()):
    from django.contrib.auth import get_user_model

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
