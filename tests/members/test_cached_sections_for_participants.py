"""The sections of public pages cached for anonymous readers (issue 18) never reach a participant,
and a participant's rows never reach the cache: each reader sees their own, whatever was read first."""

import pytest

from tests.members.conftest import login_verified
from tests.members.test_participants_never_leak import A_ONLY, SECRET, build_world, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached_values(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.CHOICE_CACHE_ENABLED = True


def section_pages(world, colombo):
    a = world["a"]
    return [colombo.get_absolute_url(), a["meeting"].get_absolute_url(), a["document"].get_absolute_url(), "/"]


def test_a_participant_reads_the_layer_after_anonymous_filled_the_sections(
    client, colombo, bali, sri_lanka, philippines, colombo_participant
):
    world = build_world(colombo, bali, sri_lanka, philippines)
    for url in section_pages(world, colombo):
        assert A_ONLY not in text(client.get(url)), url
    login_verified(client, colombo_participant)
    assert A_ONLY in text(client.get(colombo.get_absolute_url()))
    for url in section_pages(world, colombo):
        assert SECRET not in text(client.get(url)), url


def test_anonymous_never_reads_the_layer_after_a_participant(
    client, colombo, bali, sri_lanka, philippines, colombo_participant
):
    world = build_world(colombo, bali, sri_lanka, philippines)
    login_verified(client, colombo_participant)
    for url in section_pages(world, colombo):
        client.get(url)
    client.logout()
    for url in section_pages(world, colombo):
        page = text(client.get(url))
        assert A_ONLY not in page, url
        assert SECRET not in page, url
