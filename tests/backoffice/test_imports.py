"""Spreadsheet imports: a file with any error saves nothing and says which row, column and why."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from model_bakery import baker

from backoffice.imports import records_import
from meetings.models import Meeting
from rcps.models import Participation

pytestmark = pytest.mark.django_db

HEADER = "title,start_date,end_date,kind,organizing_processes,country,city,visibility\n"
GOOD_ROW = "Colombo Process SOM,2024-03-04,2024-03-05,senior_officials,colombo-process,LK,Colombo,public\n"


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * (60 * 1024 * 1024) + "</a>")
    return out.getvalue()


def snapshot():
    """Counts and content of what an import could touch."""
    return (
        list(Meeting.objects.order_by("pk").values()),
        list(Meeting.organizing_processes.through.objects.order_by("pk").values()),
        Meeting.history.count(),
        list(Participation.objects.order_by("pk").values()),
    )


@pytest.fixture
def existing(colombo, bali, sri_lanka):
    meeting = baker.make(Meeting, title="Bali Process ministerial", start_date=datetime.date(2023, 2, 10))
    meeting.organizing_processes.set([bali])
    return meeting


MALFORMED = [
    (
        "csv-unknown-country",
        "m.csv",
        (HEADER + GOOD_ROW.replace(",LK,", ",XX,")).encode(),
        "Row 1, column 'country': Unknown country code 'XX'.",
    ),
    (
        "csv-bad-date",
        "m.csv",
        (HEADER + GOOD_ROW.replace("2024-03-04", "4th of March")).encode(),
        "Row 1, column 'start_date'",
    ),
    (
        "csv-end-before-start",
        "m.csv",
        (HEADER + GOOD_ROW.replace("2024-03-05", "2024-03-01")).encode(),
        "Row 1, column 'end_date': The end date cannot be before the start date.",
    ),
    (
        "csv-unknown-process",
        "m.csv",
        (HEADER + GOOD_ROW.replace("colombo-process", "nowhere-process")).encode(),
        "Row 1, column 'organizing_processes': Unknown process 'nowhere-process'.",
    ),
    (
        "csv-another-process",
        "m.csv",
        (HEADER + GOOD_ROW.replace("colombo-process", "bali-process")).encode(),
        "Row 1, column 'organizing_processes': Process 'bali-process' is not one of yours.",
    ),
    (
        "csv-duplicate-row",
        "m.csv",
        (HEADER + GOOD_ROW + GOOD_ROW).encode(),
        "Row 2, column 'title': Duplicate of row 1",
    ),
    (
        "csv-another-process-record",
        "m.csv",
        (HEADER + "Bali Process ministerial,2023-02-10,,ministerial,colombo-process,LK,Bali,public\n").encode(),
        "Row 1: This row matches a record of another process",
    ),
    (
        "csv-bad-choice-second-row-only",
        "m.csv",
        (HEADER + GOOD_ROW + GOOD_ROW.replace("SOM", "TWG").replace("senior_officials", "picnic")).encode(),
        "Row 2, column 'kind'",
    ),
    (
        "xlsx-end-before-start",
        "m.xlsx",
        xlsx(
            [
                HEADER.strip().split(","),
                [
                    "Colombo SOM",
                    datetime.date(2024, 3, 4),
                    datetime.date(2024, 3, 1),
                    "senior_officials",
                    "colombo-process",
                    "LK",
                    "Colombo",
                    "public",
                ],
            ]
        ),
        "Row 1, column 'end_date': The end date cannot be before the start date.",
    ),
    (
        "xlsx-unknown-country",
        "m.xlsx",
        xlsx(
            [
                HEADER.strip().split(","),
                [
                    "Colombo SOM",
                    datetime.date(2024, 3, 4),
                    None,
                    "senior_officials",
                    "colombo-process",
                    "ZZ",
                    "Colombo",
                    "public",
                ],
            ]
        ),
        "Row 1, column 'country': Unknown country code 'ZZ'.",
    ),
    ("xlsx-disguised-text", "m.xlsx", b"title,start_date\nnot really a workbook\n", "This is not an XLSX workbook."),
    ("xlsx-zip-bomb", "m.xlsx", zip_bomb(), "The workbook expands to too much data"),
    ("wrong-extension", "m.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
    (
        "csv-not-utf8",
        "m.csv",
        (HEADER + GOOD_ROW.replace("Colombo,", "Colômbo,")).encode("latin-1"),
        "Save the CSV file as UTF-8.",
    ),
]


def run_import(user, name, data, dry_run=False):
    from django.core.exceptions import ValidationError

    try:
        return records_import(kind="meetings", name=name, data=data, user=user, dry_run=dry_run).errors
    except ValidationError as error:
        return error.messages


@pytest.mark.parametrize(("name", "data", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_import_changes_nothing_and_says_why(colombo_secretariat, existing, name, data, message):
    before = snapshot()
    errors = run_import(colombo_secretariat, name, data)
    assert any(message in line for line in errors), errors
    assert snapshot() == before


def test_oversized_upload_is_refused_before_parsing(colombo_secretariat, settings, existing):
    settings.IMPORT_MAX_UPLOAD_SIZE = 100
    before = snapshot()
    errors = run_import(colombo_secretariat, "m.csv", (HEADER + GOOD_ROW * 5).encode())
    assert "too large" in errors[0] and snapshot() == before


def test_clean_import_creates_rows_with_history_and_reimport_changes_nothing(colombo_secretariat, existing):
    data = (HEADER + GOOD_ROW).encode()
    assert run_import(colombo_secretariat, "m.csv", data) == []
    meeting = Meeting.objects.get(title="Colombo Process SOM")
    assert list(meeting.organizing_processes.values_list("slug", flat=True)) == ["colombo-process"]
    assert {record.history_user for record in meeting.history.all()} == {colombo_secretariat}
    before = snapshot()
    assert run_import(colombo_secretariat, "m.csv", data) == []
    assert snapshot() == before


def test_dry_run_saves_nothing(colombo_secretariat, existing):
    before = snapshot()
    assert run_import(colombo_secretariat, "m.csv", (HEADER + GOOD_ROW).encode(), dry_run=True) == []
    assert snapshot() == before


def test_export_then_reimport_changes_nothing(colombo_secretariat, existing):
    from backoffice.resources import MeetingResource

    run_import(colombo_secretariat, "m.csv", (HEADER + GOOD_ROW).encode())
    exported = MeetingResource(user=colombo_secretariat).export().csv.encode()
    before = snapshot()
    assert run_import(colombo_secretariat, "m.csv", exported) == []
    assert snapshot() == before and b"Bali" not in exported


# Command line ------------------------------------------------------------------------------


def test_command_reports_errors_and_saves_nothing(tmp_path, colombo_secretariat, existing, capsys):
    path = tmp_path / "meetings.csv"
    path.write_text(HEADER + GOOD_ROW.replace(",LK,", ",XX,"))
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_records", "meetings", str(path), "--user", "colombo-sec")
    assert "Row 1, column 'country': Unknown country code 'XX'." in capsys.readouterr().err
    assert snapshot() == before


def test_command_imports_with_a_progress_line(tmp_path, colombo_secretariat, existing, capsys):
    path = tmp_path / "meetings.csv"
    path.write_text(HEADER + GOOD_ROW)
    call_command("import_records", "meetings", str(path), "--user", "colombo-sec")
    out = capsys.readouterr().out
    assert "Row 1/1: new" in out and "Imported: 1 new" in out
    assert Meeting.objects.filter(title="Colombo Process SOM").exists()


def test_command_refuses_a_user_without_import_permission(tmp_path, colombo_secretariat):
    path = tmp_path / "p.csv"
    path.write_text("slug,name,kind\nnew-process,New,rcp\n")
    with pytest.raises(CommandError, match="may not import processes"):
        call_command("import_records", "processes", str(path), "--user", "colombo-sec")


# The admin, as a secretariat user would use it ----------------------------------------------


def test_secretariat_imports_meetings_xlsx_in_the_admin(client, colombo_secretariat, existing):
    """Dry run shows the error with row and column; the corrected file imports; importing it again changes nothing."""
    client.force_login(colombo_secretariat)
    url = reverse("admin:meetings_meeting_import")
    header = HEADER.strip().split(",")
    row = [
        "Colombo SOM 2024",
        datetime.date(2024, 3, 4),
        datetime.date(2024, 3, 1),
        "senior_officials",
        "colombo-process",
        "LK",
        "Colombo",
        "public",
    ]
    bad = io.BytesIO(xlsx([header, row]))
    bad.name = "meetings.xlsx"
    before = snapshot()
    response = client.post(url, {"format": "1", "resource": "0", "import_file": bad})
    page = response.content.decode()
    assert "end_date" in page and "The end date cannot be before the start date." in page
    assert "confirm" not in response.context or not response.context.get("confirm_form")
    assert snapshot() == before

    row[2] = datetime.date(2024, 3, 5)
    snapshots = []
    for _attempt in range(2):
        good = io.BytesIO(xlsx([header, row]))
        good.name = "meetings.xlsx"
        response = client.post(url, {"format": "1", "resource": "0", "import_file": good})
        confirm = response.context["confirm_form"]
        response = client.post(reverse("admin:meetings_meeting_process_import"), confirm.initial)
        assert response.status_code == 302
        assert Meeting.objects.filter(title="Colombo SOM 2024").count() == 1
        snapshots.append(snapshot())
    assert snapshots[0] == snapshots[1]  # the second import of the same file changed nothing
