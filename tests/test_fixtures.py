"""The real-data fixtures: they load, hold the sourced facts, satisfy every constraint and rebuild identically."""

import importlib.util
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from core.models import SourcedModel
from meetings.models import Document, Meeting
from rcps.models import Chairmanship, FocalPoint, Participation, Process
from recommendations.models import FollowUp, Recommendation
from reference.models import Country, Organization, Region, Theme
from surveys.models import Survey, SurveyResponse

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"
FIXTURE_FILES = sorted(FIXTURES_DIR.glob("*.json"))
REFERENCE = REPO_ROOT.parent / "shared" / "data" / "rcp_reference.json"


def load_fixtures():
    call_command("loaddata", *[str(path) for path in FIXTURE_FILES], verbosity=0)


def data_models():
    """Every concrete model of the two data apps, without simple-history's shadow models."""
    return [
        model
        for app in ("rcps", "meetings")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def snapshot():
    return {model._meta.label: serializers.serialize("python", model.objects.order_by("pk")) for model in data_models()}


def test_fixture_files_are_numbered_in_load_order():
    names = [path.name for path in FIXTURE_FILES]
    assert names == [
        "01_regions.json",
        "02_countries.json",
        "03_themes.json",
        "04_organizations.json",
        "05_addressee_groups.json",
        "06_frameworks.json",
        "10_processes.json",
        "20_meetings.json",
        "30_recommendations.json",
        "40_surveys.json",
        "50_exchange.json",
    ]


def test_fixtures_hold_every_process_country_recommendation_and_survey_response(loaded):
    assert Process.objects.count() == 67
    assert Country.objects.count() == 249
    assert Region.objects.count() == 31
    assert Theme.objects.count() >= 20
    assert Recommendation.objects.count() == 53
    assert SurveyResponse.objects.count() == 12
    assert Survey.objects.get().slug == "gfmd-2007-rcp-questionnaire"
    # 14 summits of the reference set and the 15th (Riohacha 2025) of the additions, with their RCP sessions.
    assert Meeting.objects.filter(kind=Meeting.Kind.GFMD_SUMMIT).count() == 15
    assert Meeting.objects.filter(parent__isnull=False, kind=Meeting.Kind.ROUNDTABLE).count() == 6
    # 99 reference meetings less 4 still without a year, 15 new ones, 15 GFMD summits and 6 sessions.
    assert Meeting.objects.count() == 131
    assert Document.objects.count() >= 41
    assert Participation.objects.count() >= 450
    assert Organization.objects.count() >= 25
    # One chair per summit, Colombia (2024–2025) included.
    assert Chairmanship.objects.filter(process__slug="gfmd").count() == 15
    assert FollowUp.objects.count() >= 1


def test_every_country_has_iso_codes_and_an_m49_area(loaded):
    assert not Country.objects.filter(region__isnull=True).exists()
    assert not Country.objects.filter(alpha3="").exists()
    assert not Country.objects.filter(numeric="").exists()
    assert Country.objects.get(code="LK").region.code == "034"
    assert Country.objects.get(code="NG").region.name == "Western Africa"
    assert [r.code for r in Country.objects.get(code="NG").region.ancestors()] == ["011", "202", "002", "001"]


def test_colombo_process_was_established_in_2003_with_sri_lanka_as_member(loaded):
    colombo = Process.objects.get(slug="colombo-process")
    assert colombo.year_established == 2003
    assert colombo.kind == Process.Kind.RCP
    assert colombo.participations.filter(country__code="LK", role=Participation.Role.MEMBER).exists()
    assert colombo.secretariat.acronym == "IOM"


def test_md_stances_follow_seed_004(loaded):
    stances = dict(Process.objects.exclude(md_stance="").values_list("slug", "md_stance"))
    assert stances["bali-process"] == Process.MDStance.NOT_ADDRESSED
    assert stances["sacm"] == Process.MDStance.THEMATIC_PRIORITY
    assert stances["soderkoping-process"] == Process.MDStance.AD_HOC
    assert len(stances) == 12


def test_statuses_come_from_the_data(loaded):
    assert Process.objects.get(slug="soderkoping-process").status == Process.Status.TRANSFORMED
    assert Process.objects.get(slug="apc").status == Process.Status.UNKNOWN
    assert Process.objects.get(slug="midcas").status == Process.Status.DORMANT
    assert Process.objects.get(slug="colombo-process").status == Process.Status.ACTIVE


def test_gfmd_is_a_global_process(loaded):
    gfmd = Process.objects.get(slug="gfmd")
    assert gfmd.kind == Process.Kind.GLOBAL
    assert list(gfmd.regions.values_list("code", flat=True)) == ["001"]


def test_five_plus_five_did_not_answer_the_2007_questionnaire(loaded):
    responses = SurveyResponse.objects.filter(survey__slug="gfmd-2007-rcp-questionnaire")
    assert responses.get(process__slug="five-plus-five-migration").status == SurveyResponse.Status.NO_RESPONSE
    assert responses.filter(status=SurveyResponse.Status.COMPLETED).count() == 9
    assert set(
        responses.filter(status=SurveyResponse.Status.MATERIALS_ONLY).values_list("process__slug", flat=True)
    ) == {"rcm-puebla-process", "midwa"}
    assert list(responses.values_list("list_order", flat=True)) == list(range(1, 13))


def test_bangkok_global_meeting_had_13_processes_and_invited_five_plus_five(loaded):
    bangkok = Meeting.objects.get(
        title__startswith="Global Meeting of Chairs and Secretariats", start_date="2009-06-04"
    )
    assert bangkok.kind == Meeting.Kind.GLOBAL_RCP
    assert str(bangkok.end_date) == "2009-06-05"
    assert bangkok.represented_processes.count() == 13
    assert bangkok.invited_processes.filter(slug="five-plus-five-migration").exists()
    assert not bangkok.represented_processes.filter(slug="five-plus-five-migration").exists()


def test_athens_rt_3_2_is_a_session_of_the_summit_co_chaired_by_australia_and_thailand(loaded):
    session = Meeting.objects.get(session_code="RT 3.2", parent__city="Athens")
    assert session.kind == Meeting.Kind.ROUNDTABLE
    assert session.parent.kind == Meeting.Kind.GFMD_SUMMIT
    assert session.start_date == session.parent.start_date
    assert set(session.chairs.values_list("code", flat=True)) == {"AU", "TH"}
    assert session.documents.filter(kind=Document.Kind.BACKGROUND_PAPER).exists()


def test_gfmd_chairs_are_chairmanships_and_summit_chairs(loaded):
    berlin = Meeting.objects.get(kind=Meeting.Kind.GFMD_SUMMIT, city="Berlin")
    assert set(berlin.chairs.values_list("code", flat=True)) == {"DE", "MA"}
    co_chairs = Chairmanship.objects.filter(process__slug="gfmd", start_year=2017)
    assert set(co_chairs.values_list("country__code", flat=True)) == {"DE", "MA"}
    assert all(c.is_co_chair and c.end_year == 2018 for c in co_chairs)


def test_joint_bali_budapest_workshops_have_both_organizers(loaded):
    for meeting in Meeting.objects.filter(title__contains="Bali Process / Budapest Process"):
        assert set(meeting.organizing_processes.values_list("slug", flat=True)) == {
            "bali-process",
            "budapest-process",
        }
        assert meeting.date_precision == Meeting.DatePrecision.YEAR
        assert meeting.start_date.month == meeting.start_date.day == 1


def test_meetings_without_a_year_are_left_out(loaded):
    assert not Meeting.objects.filter(city="Algeciras").exists()
    # The additions date the Cádiz conference (13–14 December 2022): it is in now.
    assert Meeting.objects.get(city="Cádiz").start_date.isoformat() == "2022-12-13"


def test_gcim_recommendations_name_their_issuing_body(loaded):
    gcim = Recommendation.objects.filter(issuing_body__startswith="Global Commission on International Migration")
    assert gcim.count() == 11
    assert all(r.issuing_process is None and r.source_document is not None for r in gcim)
    assert all(len(r.title) <= 300 for r in Recommendation.objects.all())


def test_every_sourced_record_has_a_source(loaded):
    for model in data_models():
        if issubclass(model, SourcedModel) or model is FollowUp:
            assert not model.objects.filter(source="").exists(), model._meta.label


def test_fixtures_name_no_people(loaded):
    assert not FocalPoint.objects.exists()


def test_fixtures_load_twice_without_changes(loaded):
    before = snapshot()
    load_fixtures()
    assert snapshot() == before


def test_every_loaded_object_passes_full_clean(loaded):
    for model in data_models():
        for instance in model.objects.all():
            instance.full_clean()


def test_build_script_reproduces_the_committed_fixtures_byte_for_byte(tmp_path):
    if not REFERENCE.exists():
        # CI always has ../shared beside the project: there a missing file is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail(f"shared reference data not found at {REFERENCE}")
        pytest.skip(f"shared reference data not found at {REFERENCE}")
    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES_DIR / "build_fixtures.py")
    build_fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_fixtures)
    build_fixtures.main(["--reference", str(REFERENCE), "--output", str(tmp_path)])
    built = sorted(path.name for path in tmp_path.glob("*.json"))
    assert built == [path.name for path in FIXTURE_FILES]
    for name in built:
        assert (tmp_path / name).read_bytes() == (FIXTURES_DIR / name).read_bytes(), name
