"""The additions (rcp_additions.json) in the fixtures: every section, with facts checked against the file itself."""

import json
import os
from pathlib import Path

import pytest

from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Chairmanship, Participation, Process

ADDITIONS_FILE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "rcp_additions.json"
if not ADDITIONS_FILE.exists():
    # CI always has ../shared beside the project: there a missing file is a failure, not a skip.
    if os.environ.get("CI"):
        raise FileNotFoundError(ADDITIONS_FILE)
    pytest.skip(f"shared data not found at {ADDITIONS_FILE}", allow_module_level=True)
ADDITIONS = json.loads(ADDITIONS_FILE.read_text(encoding="utf-8"))

pytestmark = pytest.mark.usefixtures("loaded")


def members(slug, **filters):
    participations = Participation.objects.filter(process__slug=slug, role="member", country__isnull=False, **filters)
    return set(participations.values_list("country__code", flat=True))


# Counts per section ------------------------------------------------------------------------


def test_every_document_of_the_additions_is_a_record():
    references = [d["document_symbol"] or d["citation"] for d in ADDITIONS["documents"]]
    assert len(references) == 34
    assert Document.objects.filter(reference__in=references).count() == 34


def test_the_14_new_member_lists_are_recorded_with_what_the_others_lack():
    statuses = {
        "found": "listed",
        "counts only": "counts_only",
        "not found": "not_found",
        "not applicable": "not_applicable",
    }
    listed = 0
    for membership in ADDITIONS["memberships"]:
        process = Process.objects.get(slug=membership["process_id"])
        expected = next(value for key, value in statuses.items() if membership["status"].startswith(key))
        assert process.member_list == expected, process.slug
        if membership["member_states"]:
            assert members(process.slug, until_year__isnull=True) == set(membership["member_states"]), process.slug
        if membership["member_states"] or membership["member_organizations"]:
            listed += 1
    assert listed == 14


def test_every_chairmanship_of_the_additions_is_recorded():
    for chair in ADDITIONS["chairs"]:
        start = int(chair["from"][:4]) if chair["from"] else None
        assert Chairmanship.objects.filter(
            process__slug=chair["process_id"], country__code=chair["country"], start_year=start
        ).exists(), chair["id"]
    assert len(ADDITIONS["chairs"]) == 59


def test_the_new_meetings_and_the_15th_gfmd_summit_are_recorded_with_their_status():
    for meeting in ADDITIONS["meetings"]:
        record = Meeting.objects.get(title=meeting["name"])
        assert record.status == ("held" if meeting["status"].startswith("held") else "announced"), meeting["id"]
    assert len(ADDITIONS["meetings"]) == 15
    riohacha = Meeting.objects.get(kind=Meeting.Kind.GFMD_SUMMIT, city__startswith="Riohacha")
    assert (riohacha.start_date.isoformat(), riohacha.end_date.isoformat()) == ("2025-09-02", "2025-09-04")
    assert riohacha.title.startswith("15th GFMD Summit")
    assert set(riohacha.chairs.values_list("code", flat=True)) == {"CO"}


def test_the_9_date_corrections_are_applied_and_cite_both_sources():
    for correction in ADDITIONS["meeting_date_corrections"]:
        new = correction["new"]
        meeting = Meeting.objects.get(
            title=next(m["name"] for m in reference()["meetings"] if m["id"] == correction["id"])
        )
        if new.get("date_start"):
            assert meeting.start_date.isoformat() == new["date_start"], correction["id"]
        if new.get("date_end"):
            assert meeting.end_date.isoformat() == new["date_end"], correction["id"]
        notes = [source.get("note") for source in meeting.sources]
        assert correction["sources"][0]["note"] in notes, correction["id"]
    assert len(ADDITIONS["meeting_date_corrections"]) == 9


def test_the_14_corrections_keep_the_old_sources_beside_the_new():
    for correction in ADDITIONS["corrections"]:
        if correction["target_section"] != "processes":
            continue
        process = Process.objects.get(slug=correction["target_id"])
        refs = {source.get("ref") for source in process.sources}
        assert correction["sources"][0]["ref"] in refs, correction["id"]
        original = next(p for p in reference()["processes"] if p["id"] == process.slug)
        assert {s["ref"] for s in original["sources"] if s["ref"].startswith("http")} <= refs, correction["id"]
    assert len(ADDITIONS["corrections"]) == 14


def test_the_31_documented_exchanges_are_published_in_three_directions_each_citing_its_sources():
    dispatches = Dispatch.objects.public().filter(recorded_from_sources=True)
    assert dispatches.count() == 31
    by_direction = {d: dispatches.filter(direction=d).count() for d in Dispatch.Direction.values}
    assert by_direction == {"to_gfmd": 9, "from_gfmd": 7, "rcp_to_rcp": 15}
    assert all(dispatch.sources for dispatch in dispatches)


# Facts checked against the file ---------------------------------------------------------------


def reference():
    return json.loads(ADDITIONS_FILE.with_name("rcp_reference.json").read_text(encoding="utf-8"))


def test_prague_process_members_with_belarus_joining_in_2010():
    assert len(members("prague-process")) == 48
    assert Participation.objects.get(process__slug="prague-process", country__code="BY").since_year == 2010


def test_budapest_process_lists_australia_as_observer_not_member():
    assert "AU" not in members("budapest-process")
    observers = Participation.objects.filter(process__slug="budapest-process", role="observer")
    assert set(observers.values_list("country__code", flat=True)) == {"AU", "BD", "CA", "CN", "IR", "US"}


def test_abu_dhabi_dialogue_has_the_16_members_of_2024():
    assert len(members("abu-dhabi-dialogue")) == 16
    assert not members("abu-dhabi-dialogue") & {"AF", "CN"}


def test_colombo_process_chair_history_includes_the_2013_handover():
    chairs = Chairmanship.objects.filter(process__slug="colombo-process")
    assert [(c.country.code, c.start_year, c.end_year) for c in chairs] == [
        ("IN", 2024, 2026),
        ("NP", 2017, None),
        ("LK", 2013, 2017),
        ("BD", None, 2013),
    ]


def test_ecowas_members_that_left_in_2025_are_former_members():
    former = Participation.objects.filter(process__slug="ro-ecowas", until_year=2025)
    assert set(former.values_list("country__code", flat=True)) == {"BF", "ML", "NE"}


def test_bali_process_gives_only_numbers_and_says_so():
    bali = Process.objects.get(slug="bali-process")
    assert bali.member_list == Process.MemberList.COUNTS_ONLY
    assert not members("bali-process")
    assert "45 member States" in bali.member_list_note


def test_the_second_imrf_is_announced_for_2026_known_only_to_the_year():
    imrf = Meeting.objects.get(title="Second International Migration Review Forum (IMRF)")
    assert imrf.status == Meeting.Status.ANNOUNCED
    assert (imrf.date_precision, imrf.start_date.year) == (Meeting.DatePrecision.YEAR, 2026)


def test_the_bangkok_summary_report_s_path_into_gfmd_athens_is_one_dispatch():
    dispatch = Dispatch.objects.get(title__startswith="Bangkok global RCP meeting outcomes")
    assert dispatch.direction == Dispatch.Direction.TO_GFMD
    assert dispatch.sending_processes.count() == 13
    assert dispatch.documents.filter(title__startswith="Summary Report of the Global Meeting").exists()
    assert dispatch.meetings.filter(session_code="RT 3.2", parent__city="Athens").exists()
    assert dispatch.date_text == "June–November 2009"


def test_citations_of_seeds_point_at_document_records():
    cited = {
        source["document"]
        for model in (Process, Participation, Chairmanship, Meeting, Document, Dispatch)
        for sources in model.objects.values_list("sources", flat=True)
        for source in sources
        if "document" in source
    }
    assert cited and cited <= set(Document.objects.values_list("pk", flat=True))
    for model in (Process, Participation, Chairmanship, Meeting, Document, Dispatch):
        for sources in model.objects.values_list("sources", flat=True):
            assert not any(str(source.get("ref", "")).endswith(".txt") for source in sources)
