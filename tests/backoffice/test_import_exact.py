"""Imports read each cell exactly: dates in an order the importer chose, headers once, blanks as blanks,
no formulas, one kind of line ending, and every message with its row, column and reason."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from backoffice.imports import records_import
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

HEADER = ["title", "start_date", "end_date", "kind", "organizing_processes", "country", "description", "visibility"]
INTERNAL_WORDS = ("Traceback", "Error:", "Exception", "InvalidDimensions", "IntegrityError", 'File "', "None")


def csv_bytes(rows, header=HEADER):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(rows, header=HEADER, formula_at=None):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    if formula_at:
        book.active[formula_at] = "=1+1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(user, name, data, **kwargs):
    try:
        return records_import(kind="meetings", name=name, data=data, user=user, dry_run=False, **kwargs).errors
    except ValidationError as error:
        return error.messages


def row(title="SOM", start="2024-11-05", end="2024-11-06", description="", process="colombo-process"):
    return [title, start, end, "senior_officials", process, "LK", description, "public"]


@pytest.fixture
def secretariat(colombo_secretariat, sri_lanka):
    return colombo_secretariat


# Dates ---------------------------------------------------------------------------------------


def test_a_day_first_date_without_the_order_chosen_is_refused_naming_row_and_column(secretariat):
    errors = problems(secretariat, "m.csv", csv_bytes([row(), row("TWG", "05/11/2024", "06/11/2024")]))
    assert any(
        line.startswith("Row 2, column 'start_date': '05/11/2024' could be read day first or month first")
        for line in errors
    ), errors
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("order", "expected"), [("dmy", datetime.date(2024, 11, 5)), ("mdy", datetime.date(2024, 5, 11))]
)
def test_the_chosen_date_order_decides_how_a_slashed_date_is_read(secretariat, order, expected):
    assert problems(secretariat, "m.csv", csv_bytes([row(start="05/11/2024", end="")]), date_order=order) == []
    assert Meeting.objects.get().start_date == expected


def test_iso_dates_are_read_whatever_the_order_chosen(secretariat):
    assert problems(secretariat, "m.csv", csv_bytes([row()]), date_order="mdy") == []
    assert Meeting.objects.get().start_date == datetime.date(2024, 11, 5)


@pytest.mark.parametrize("text", ["31/02/2024", "5th of November", "2024-13-01", "05/11/24"])
def test_a_date_that_is_no_date_is_refused_with_its_value(secretariat, text):
    errors = problems(secretariat, "m.csv", csv_bytes([row(start=text, end="")]), date_order="dmy")
    assert errors and errors[0].startswith("Row 1, column 'start_date': ") and text in errors[0]


def test_the_command_takes_the_date_order(tmp_path, secretariat, capsys):
    path = tmp_path / "meetings.csv"
    path.write_bytes(csv_bytes([row(start="05/11/2024", end="06/11/2024")]))
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_records", "meetings", str(path), "--user", "colombo-sec")
    assert "Row 1, column 'start_date'" in capsys.readouterr().err
    call_command("import_records", "meetings", str(path), "--user", "colombo-sec", "--date-order", "dmy")
    assert Meeting.objects.get().start_date == datetime.date(2024, 11, 5)


def test_the_admin_form_takes_the_date_order(client, secretariat):
    client.force_login(secretariat)
    upload = io.BytesIO(csv_bytes([row(start="05/11/2024", end="06/11/2024")]))
    upload.name = "meetings.csv"
    response = client.post(
        reverse("admin:meetings_meeting_import"), {"format": "0", "resource": "0", "import_file": upload}
    )
    assert "Row 1, column &#x27;start_date&#x27;" in response.content.decode()
    upload.seek(0)
    response = client.post(
        reverse("admin:meetings_meeting_import"),
        {"format": "0", "resource": "0", "import_file": upload, "date_order": "dmy"},
    )
    confirm = response.context["confirm_form"]
    assert confirm.initial["date_order"] == "dmy"
    response = client.post(reverse("admin:meetings_meeting_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Meeting.objects.get().start_date == datetime.date(2024, 11, 5)


# Headers, blanks, formulas, line endings ------------------------------------------------------


def test_a_header_named_twice_is_refused(secretariat):
    errors = problems(secretariat, "m.csv", csv_bytes([row() + ["Other"]], header=HEADER + ["title"]))
    assert errors == ["Header: the column 'title' appears twice (columns 1 and 9); remove one."]


def test_an_unknown_column_is_refused_with_the_expected_ones(secretariat):
    errors = problems(secretariat, "m.csv", csv_bytes([row() + ["x"]], header=HEADER + ["titel"]))
    assert errors[0].startswith("Unknown column 'titel'. The columns are: title, start_date")


def test_empty_xlsx_cells_are_blanks(secretariat):
    assert (
        problems(
            secretariat,
            "m.xlsx",
            xlsx_bytes(
                [["SOM", datetime.date(2024, 11, 5), None, "senior_officials", "colombo-process", None, None, "public"]]
            ),
        )
        == []
    )
    meeting = Meeting.objects.get()
    assert (meeting.end_date, meeting.country, meeting.description) == (None, None, "")


def test_a_formula_is_refused_with_a_message_that_says_so(secretariat):
    data = xlsx_bytes([row(description="x")], formula_at="G2")
    assert problems(secretariat, "m.xlsx", data) == [
        "Row 1, column G: the cell holds a formula; type its value instead."
    ]


@pytest.mark.parametrize("path", ["command", "function"])
def test_windows_line_endings_are_stored_as_newlines_on_every_path(tmp_path, secretariat, path):
    data = (
        b"title,start_date,kind,organizing_processes,description,visibility\r\n"
        b'SOM,2024-11-05,technical,colombo-process,"one\r\ntwo\rthree",public\r\n'
    )
    if path == "command":
        (tmp_path / "m.csv").write_bytes(data)
        call_command("import_records", "meetings", str(tmp_path / "m.csv"), "--user", "colombo-sec")
    else:
        assert problems(secretariat, "m.csv", data) == []
    assert Meeting.objects.get().description == "one\ntwo\nthree"


def test_the_admin_stores_the_same_newlines_as_the_command(client, secretariat):
    client.force_login(secretariat)
    upload = io.BytesIO(
        b'title,start_date,kind,organizing_processes,description,visibility\r\nSOM,2024-11-05,technical,colombo-process,"one\r\ntwo",public\r\n'
    )
    upload.name = "m.csv"
    response = client.post(
        reverse("admin:meetings_meeting_import"), {"format": "0", "resource": "0", "import_file": upload}
    )
    client.post(reverse("admin:meetings_meeting_process_import"), response.context["confirm_form"].initial)
    assert Meeting.objects.get().description == "one\ntwo"


# Messages: row, column, reason; never an internal name ------------------------------------------


def broken_zip_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all <<<")
    return out.getvalue()


UNREADABLE = [
    (
        "a row longer than the header",
        "m.csv",
        csv_bytes([row() + ["extra", "cells"]]),
        "Row 1, column 9 (I): a value outside the named columns.",
    ),
    ("a broken workbook", "m.xlsx", broken_zip_workbook(), "The workbook could not be read"),
    ("a blank header", "m.csv", b"title,,start_date\nSOM,x,2024-01-01\n", "Header: column 2 (B) has no name."),
    (
        "a NOT NULL text left empty in XLSX",
        "m.xlsx",
        xlsx_bytes([[None, datetime.date(2024, 1, 1), None, "technical", "colombo-process", None, None, "public"]]),
        "Row 1, column 'title': This field cannot be blank.",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), [u[1:] for u in UNREADABLE], ids=[u[0] for u in UNREADABLE])
def test_every_message_names_the_place_and_the_reason_and_no_internal_error(secretariat, name, data, message):
    errors = problems(secretariat, name, data)
    assert any(message in line for line in errors), errors
    assert not [line for line in errors if any(word in line for word in INTERNAL_WORDS)]
    assert not Meeting.objects.exists()


def test_a_workbook_chosen_as_csv_in_the_admin_is_read_as_what_it_is(client, secretariat):
    client.force_login(secretariat)
    upload = io.BytesIO(xlsx_bytes([row()]))
    upload.name = "meetings.xlsx"
    response = client.post(
        reverse("admin:meetings_meeting_import"), {"format": "0", "resource": "0", "import_file": upload}
    )
    assert response.status_code == 200 and response.context["confirm_form"]
    response = client.post(reverse("admin:meetings_meeting_process_import"), response.context["confirm_form"].initial)
    assert response.status_code == 302 and Meeting.objects.count() == 1


def test_the_admin_shows_errors_without_tracebacks(client, secretariat):
    client.force_login(secretariat)
    upload = io.BytesIO(csv_bytes([row(process="nowhere")]))
    upload.name = "meetings.csv"
    page = client.post(
        reverse("admin:meetings_meeting_import"), {"format": "0", "resource": "0", "import_file": upload}
    ).content.decode()
    assert "Row 1, column &#x27;organizing_processes&#x27;: Unknown process &#x27;nowhere&#x27;." in page
    assert "Traceback" not in page and "/site-packages/" not in page


# Expansion limits --------------------------------------------------------------------------


def test_a_3_mb_workbook_that_expands_to_47_mb_is_refused_quickly(secretariat, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # Eight cells of varied text a row, compressing about 19:1 as a real sheet might.
        cells = "".join(f'<c r="{c}{{n}}" t="inlineStr"><is><t>Meeting {{a}} at {{b}}</t></is></c>' for c in "ABCDEFGH")
        body = "".join(
            f'<row r="{n}">' + cells.format(n=n, a=n * 31 % 99991, b=n * 17 % 9973) + "</row>" for n in range(1, 84_000)
        )
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{body}</sheetData></worksheet>")
    assert len(body) > 46_000_000  # 47 MB unpacked
    data = out.getvalue()
    assert len(data) < 5 * 1024 * 1024
    start = time.monotonic()
    errors = problems(secretariat, "m.xlsx", data)
    assert time.monotonic() - start < 2
    assert errors and "expands to too much data" in errors[0]


# History ---------------------------------------------------------------------------------


def test_an_import_keeps_history_with_the_user_and_the_organizers(secretariat, colombo):
    assert problems(secretariat, "m.csv", csv_bytes([row()])) == []
    meeting = Meeting.objects.get()
    record = meeting.history.get()
    assert (record.history_type, record.history_user, record.title) == ("+", secretariat, "SOM")
    assert list(record.organizing_processes.values_list("process_id", flat=True)) == [colombo.pk]
    assert problems(secretariat, "m.csv", csv_bytes([row(description="Changed")])) == []
    latest = meeting.history.order_by("-history_id").first()
    assert (latest.history_type, latest.description) == ("~", "Changed")
    assert Meeting.objects.get().updated_at > meeting.updated_at


def test_a_large_file_imports_through_the_admin(client, secretariat):
    client.force_login(secretariat)
    rows = [row(title=f"Meeting {n}", start=f"2030-01-{1 + n % 28:02d}", end="") for n in range(1000)]
    upload = io.BytesIO(xlsx_bytes(rows))
    upload.name = "meetings.xlsx"
    response = client.post(
        reverse("admin:meetings_meeting_import"), {"format": "1", "resource": "0", "import_file": upload}
    )
    assert "1000 new, 0 changed, 0 unchanged" in response.content.decode()
    response = client.post(reverse("admin:meetings_meeting_process_import"), response.context["confirm_form"].initial)
    assert response.status_code == 302
    assert Meeting.objects.count() == 1000 and Meeting.history.count() == 1000


def test_what_a_model_fills_in_itself_is_saved_too(colombo_secretariat, colombo):
    from meetings.models import Document

    data = b"title,date,kind,process,url,visibility\nDeclaration,2021-05-06,declaration,colombo-process,https://example.org/d,public\n"
    outcome = records_import(kind="documents", name="d.csv", data=data, user=colombo_secretariat, dry_run=False)
    assert outcome.errors == []
    assert Document.objects.get().year == 2021  # Document.clean() fills the year from the date
