"""The frameworks shipped as reference data: the 23 GCM objectives and the migration-related SDG targets."""

import pytest

from reference.models import GcmObjective, SdgTarget


def test_the_fixtures_hold_the_23_objectives_and_the_sdg_targets_citing_their_resolutions(loaded):
    assert list(GcmObjective.objects.values_list("number", flat=True)) == list(range(1, 24))
    six = GcmObjective.objects.get(number=6)
    assert six.title == "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"
    assert "A/RES/73/195" in six.source
    codes = list(SdgTarget.objects.values_list("code", flat=True))
    assert codes == ["3.c", "4.b", "5.2", "8.7", "8.8", "10.7", "10.c", "16.2", "16.9", "17.18"]
    assert all("A/RES/70/1" in target.source for target in SdgTarget.objects.all())


@pytest.mark.django_db
def test_a_target_is_ordered_numbers_before_letters_when_saved():
    SdgTarget.objects.create(code="12.b", title="Another lettered target")
    SdgTarget.objects.create(code="12.3", title="Another numbered target")
    assert list(SdgTarget.objects.filter(goal=12).values_list("code", flat=True)) == ["12.3", "12.b"]


def test_only_the_shipped_records_whose_text_names_an_objective_are_tagged(loaded, client):
    from meetings.models import Meeting
    from recommendations.models import Recommendation

    assert Recommendation.objects.filter(gcm_objectives__isnull=False).distinct().count() == 9
    assert Meeting.objects.filter(gcm_objectives__isnull=False).distinct().count() == 7
    abu_dhabi = Recommendation.objects.get(title="Abu Dhabi Declaration")
    assert "preventing illegal recruitment" in abu_dhabi.text
    assert list(abu_dhabi.gcm_objectives.values_list("number", flat=True)) == [6]
    html = client.get("/gcm-objectives/6/").content.decode()
    assert "Abu Dhabi Declaration" in html
