"""Every public page, export and API answer built from the real data reads as prose: no seed file
name ("002_71cd55064d7c22fc.txt"), no "seed 002", no field name of the data set ("observer_states")."""

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Participation, Process
from recommendations.models import Recommendation

pytestmark = pytest.mark.usefixtures("loaded")

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
SEED_NUMBER = re.compile(r"\b[Ss]eed (?:document )?00\d\b")


def data_field_names():
    """Every key with an underscore in the two data files: the names a page must never print."""
    names = set()

    def walk(value):
        if isinstance(value, dict):
            names.update(key for key in value if "_" in key)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for name in ("rcp_reference.json", "rcp_additions.json"):
        if (DATA / name).exists():
            walk(json.loads((DATA / name).read_text(encoding="utf-8")))
    return names


FIELD_NAMES = re.compile(r"\b(" + "|".join(sorted(map(re.escape, data_field_names()), key=len, reverse=True)) + r")\b")


def visible_text(page):
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def values(data):
    """Every value (never a key) of a JSON answer, as text."""
    if isinstance(data, dict):
        return " ".join(values(value) for value in data.values())
    if isinstance(data, list):
        return " ".join(values(item) for item in data)
    return "" if data is None else str(data)


def problems(text):
    found = SEED_FILE.findall(text) + SEED_NUMBER.findall(text)
    if data_field_names():
        found += FIELD_NAMES.findall(text)
    return found


def page_urls():
    countries = Participation.objects.public().filter(country__isnull=False).values_list("country__code", flat=True)
    return [
        "/",
        "/processes/",
        "/meetings/",
        "/documents/",
        "/recommendations/",
        "/recommendations/?year_from=2008&addressee=rcps",
        "/focal-points/",
        "/countries/",
        "/overlap/",
        "/exchange/",
        "/search/?q=Sri+Lanka",
        "/search/?q=Bangkok",
        *(process.get_absolute_url() for process in Process.objects.public()),
        *(meeting.get_absolute_url() for meeting in Meeting.objects.public()),
        *(document.get_absolute_url() for document in Document.objects.public()),
        *(recommendation.get_absolute_url() for recommendation in Recommendation.objects.public()),
        *(dispatch.get_absolute_url() for dispatch in Dispatch.objects.public()),
        *(f"/countries/{code.lower()}/" for code in sorted(set(countries))),
    ]


def test_no_public_page_shows_a_file_name_a_seed_number_or_a_field_name(client):
    failures = {}
    urls = page_urls()
    assert len(urls) > 500  # every process, meeting, document, recommendation, dispatch and country page
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = problems(visible_text(response.content.decode()))
        if found:
            failures[url] = sorted(set(found))
    assert not failures, failures


@pytest.mark.parametrize(
    "directory", ["processes", "meetings", "documents", "recommendations", "countries", "exchange", "focal-points"]
)
def test_no_export_value_shows_a_file_name_a_seed_number_or_a_field_name(client, directory):
    csv_body = b"".join(client.get(f"/{directory}/?format=csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_body)))[1:]  # the header names the columns: not the data's fields
    assert not problems(" ".join(" ".join(row) for row in rows)), directory
    json_body = b"".join(client.get(f"/{directory}/?format=json").streaming_content)
    assert not problems(values(json.loads(json_body))), directory


@pytest.mark.parametrize("endpoint", ["process", "meeting", "document", "recommendation", "country"])
def test_no_api_answer_shows_a_file_name_a_seed_number_or_a_field_name(client, endpoint):
    url = f"{reverse(f'api:{endpoint}-list')}?page_size=100"
    while url:
        data = client.get(url).json()
        assert not problems(values(data["results"])), url
        url = data["next"]


def test_a_process_without_a_known_member_list_says_so(client):
    page = visible_text(client.get("/processes/apc/").content.decode())
    assert "The list of its members is not known" in page


def test_a_citation_of_a_seed_links_to_its_document_page(client):
    paper = Document.objects.get(title__startswith="Roundtable 3: Policy and Institutional Coherence")
    page = client.get("/processes/colombo-process/").content.decode()
    assert f'href="{paper.get_absolute_url()}"' in page
    document_page = client.get(paper.get_absolute_url()).content.decode()
    assert "Records that cite it" in document_page and "Colombo Process" in document_page


def test_searching_sri_lanka_finds_the_country_and_its_processes(client):
    response = client.get("/search/?q=Sri+Lanka")
    groups = {group["type"].key: group for group in response.context["groups"]}
    assert [country.code for country in groups["countries"]["results"]] == ["LK"]
    assert "/countries/lk/" in response.content.decode()
    country_page = client.get("/countries/lk/").content.decode()
    assert "Colombo Process" in country_page and "Abu Dhabi Dialogue" in country_page


def test_recommendations_to_rcps_since_2008_with_follow_up_and_evidence_export(client):
    url = "/recommendations/?year_from=2008&addressee=rcps"
    response = client.get(url)
    assert response.context["paginator"].count > 0
    assert all(r.year >= 2008 for r in response.context["object_list"])
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get(url + "&format=csv").streaming_content).decode("utf-8-sig")))
    )
    assert rows and all(int(row["year"]) >= 2008 for row in rows)
    assert any(row["follow_ups"] and row["evidence"] for row in rows)


def test_colombo_profile_shows_the_follow_ups_it_recorded(client):
    response = client.get("/processes/colombo-process/")
    assert len(response.context["follow_ups"]) == 2  # the Brussels and Manila calls for a global RCP meeting
    assert (
        "Follow-up recorded by CP" in response.content.decode() or "Follow-up recorded by" in response.content.decode()
    )


def test_the_bangkok_summary_report_s_path_reads_on_the_exchange(client):
    dispatch = Dispatch.objects.get(title__startswith="Bangkok global RCP meeting outcomes")
    page = client.get(dispatch.get_absolute_url()).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip() == f"{dispatch.title} · RCP Portal"
    text = visible_text(page)
    assert "June–November 2009" in text and "Summary Report of the Global Meeting" in text
    assert "GFMD Athens 2009 RT 3.2" in text
    assert page.count('id="sources-title"') == 1
