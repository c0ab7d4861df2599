"""CSV and JSON exports of every directory: the filtered result, public fields only, streamed, formula-safe."""

import csv
import datetime
import io
import json

import pytest
from model_bakery import baker

from core.exports import CHUNK_SIZE, escape_formula

pytestmark = pytest.mark.django_db

DIRECTORIES = ["processes", "meetings", "documents", "recommendations", "focal-points", "countries"]


def read(response):
    assert response.streaming, "exports are streamed, not built in memory"
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(read(response))))


@pytest.fixture
def records(db):
    colombo = baker.make("rcps.Process", name="Colombo Process", slug="colombo", kind="rcp")
    bali = baker.make("rcps.Process", name='=HYPERLINK("http://evil")', slug="bali", kind="inter_regional")
    country = baker.make("reference.Country", code="LK", alpha3="LKA", name="Sri Lanka")
    baker.make("rcps.Participation", process=colombo, country=country, role="member")
    meeting = baker.make(
        "meetings.Meeting", title="Dhaka 2011", start_date=datetime.date(2011, 4, 19), organizing_processes=[colombo]
    )
    baker.make("meetings.Document", title="Dhaka declaration", url="https://example.org", meeting=meeting)
    baker.make("recommendations.Recommendation", title="Cheaper remittances", issuing_process=colombo)
    baker.make(
        "rcps.FocalPoint",
        process=colombo,
        institution="Ministry",
        name="Private Person",
        email="private@example.org",
        phone="+94 1",
    )
    baker.make(
        "rcps.FocalPoint",
        process=bali,
        institution="Office",
        name="Public Person",
        email="public@example.org",
        consent_to_publish=True,
        consent_date=datetime.date(2020, 1, 1),
    )
    return {"colombo": colombo, "bali": bali}


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_csv_export_of_every_directory_is_an_attachment_with_a_header(client, records, directory):
    response = client.get(f"/{directory}/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{directory}.csv"'
    assert len(csv_rows(response)) >= 1


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_json_export_of_every_directory_parses(client, records, directory):
    response = client.get(f"/{directory}/?format=json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = json.loads(read(response))
    assert isinstance(rows, list) and rows


def test_export_applies_the_current_filters_and_sort_to_all_rows_not_just_a_page(client, records):
    baker.make("rcps.Process", kind="rcp", _quantity=40)
    rows = json.loads(read(client.get("/processes/?kind=rcp&sort=-name&format=json&page=2")))
    assert len(rows) == 41
    assert [row["name"] for row in rows] == sorted((row["name"] for row in rows), reverse=True)


def test_export_rows_carry_absolute_public_urls(client, records):
    rows = json.loads(read(client.get("/processes/?kind=rcp&format=json")))
    assert rows[0]["url"] == "http://testserver/processes/colombo/"


def test_csv_export_escapes_formulas(client, records):
    names = [row["name"] for row in csv_rows(client.get("/processes/?format=csv"))]
    assert '\'=HYPERLINK("http://evil")' in names


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_escape_formula_prefixes_dangerous_cells(text):
    assert escape_formula(text) == "'" + text


def test_escape_formula_leaves_plain_text():
    assert escape_formula("Colombo Process") == "Colombo Process"


def test_focal_point_export_has_personal_data_only_with_consent(client, records):
    rows = {row["institution"]: row for row in csv_rows(client.get("/focal-points/?format=csv"))}
    assert (rows["Office"]["name"], rows["Office"]["email"]) == ("Public Person", "public@example.org")
    assert (rows["Ministry"]["name"], rows["Ministry"]["email"], rows["Ministry"]["phone"]) == ("", "", "")


def test_export_leaves_out_confidential_records(client, records):
    baker.make("rcps.Process", name="Secret forum", slug="secret", visibility="confidential")
    assert "Secret forum" not in read(client.get("/processes/?format=json"))


def test_export_with_an_invalid_filter_is_a_bad_request(client, records):
    assert client.get("/processes/?member=ZZ&format=csv").status_code == 400


def test_export_reads_the_database_in_chunks(client, records, django_assert_max_num_queries):
    baker.make("rcps.Process", _quantity=CHUNK_SIZE + 10)
    response = client.get("/processes/?format=csv")
    # two chunks, each: the processes + regions + themes prefetched for that chunk
    with django_assert_max_num_queries(6):
        assert len(csv_rows(response)) == CHUNK_SIZE + 12


@pytest.mark.parametrize("path", ["/documents/?sort=,", "/meetings/?sort=-", "/api/v1/documents/?sort=,"])
def test_empty_sort_parameters_fall_back_to_the_default_order(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/processes/?theme=%00", "/meetings/?q=a%00b", "/api/v1/processes/?kind=%00"])
def test_null_characters_in_the_address_get_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert b"Null characters" in response.content


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_public_csv_neutralises_every_formula_prefix_without_losing_the_text(client, prefix):
    baker.make("rcps.Process", name=f"{prefix}cmd|' /C calc'!A0", slug="risky", kind="rcp")
    rows = csv_rows(client.get("/processes/?format=csv"))
    assert [row["name"] for row in rows] == [f"'{prefix}cmd|' /C calc'!A0"]


def test_a_control_character_does_not_break_the_public_exports(client):
    baker.make("rcps.Process", name="Bell \x07 and escape \x1b", slug="odd", kind="rcp")
    assert [row["name"] for row in csv_rows(client.get("/processes/?format=csv"))] == ["Bell \x07 and escape \x1b"]
    assert json.loads(read(client.get("/processes/?format=json")))[0]["name"] == "Bell \x07 and escape \x1b"
