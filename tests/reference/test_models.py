"""Reference data: the M49 tree and what a visitor can filter by."""

import pytest
from model_bakery import baker

from reference.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    world = baker.make(Region, code="001", slug="world", name="World", level="world")
    asia = baker.make(Region, code="142", slug="asia", name="Asia", level="region", parent=world)
    south = baker.make(Region, code="034", slug="southern-asia", name="Southern Asia", level="subregion", parent=asia)
    africa = baker.make(Region, code="002", slug="africa", name="Africa", level="region", parent=world)
    return {"world": world, "asia": asia, "south": south, "africa": africa}


def test_a_region_includes_its_subregions_and_nothing_else(tree):
    assert sorted(tree["asia"].with_subregion_ids()) == sorted([tree["asia"].pk, tree["south"].pk])


def test_the_world_is_not_offered_as_a_filter(tree):
    assert set(Region.objects.selectable()) == {tree["asia"], tree["south"], tree["africa"]}


def test_ancestors_run_from_the_region_up_to_the_world(tree):
    assert tree["south"].ancestors() == [tree["south"], tree["asia"], tree["world"]]
