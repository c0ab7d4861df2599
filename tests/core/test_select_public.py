"""select_public(): a foreign key joined in the same query reads None when its target is not public."""

import pytest
from model_bakery import baker

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


def test_a_confidential_issuer_reads_none_and_a_public_one_is_joined(django_assert_num_queries):
    public = baker.make("rcps.Process", name="Public process", slug="public")
    confidential = baker.make("rcps.Process", name="Secret process", slug="secret", visibility="confidential")
    baker.make("recommendations.Recommendation", title="Open", year=2024, issuing_process=public)
    baker.make("recommendations.Recommendation", title="Hidden issuer", year=2023, issuing_process=confidential)
    with django_assert_num_queries(1):
        issuers = {r.title: r.issuing_process for r in Recommendation.objects.select_public("issuing_process")}
    assert issuers == {"Open": public, "Hidden issuer": None}


def test_a_target_with_a_public_rule_of_its_own_must_be_prefetched():
    with pytest.raises(ValueError):
        Recommendation.objects.select_public("source_document")
