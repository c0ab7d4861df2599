"""Export → unchanged re-import changes nothing: every list, CSV and XLSX, every role; formula-like data survives."""

import datetime
import io

import openpyxl
import pytest
from django.apps import apps
from model_bakery import baker

from backoffice.imports import RESOURCES, records_import
from backoffice.spreadsheets import write_csv, write_xlsx
from meetings.models import Document, Meeting
from rcps.models import Chairmanship, FocalPoint, Participation
from recommendations.models import FollowUp, Recommendation
from reference.models import Organization

pytestmark = pytest.mark.django_db

# Data a spreadsheet would run, or an export could break on: each must come back as it was.
TRICKY = [
    '=HYPERLINK("http://evil.example","click")',
    "==double",
    "+44 20 7946 0000",
    "-5 degrees",
    "@SUM(A1)",
    "\tleading tab",
    "'already quoted",
    "line one\nline two",
    "control \x0b character",
    "literal _x0041_ escape",
    "Bakı, Ελλάδα, 中国, ශ්‍රී ලංකාව",
]


@pytest.fixture
def world(colombo, bali, gfmd, sri_lanka, theme):
    """Records of every list for three processes, with blanks, joint meetings, sessions and tricky text."""
    ngo = baker.make(Organization, name="IOM", slug="iom")
    meetings = []
    for index, process in enumerate([colombo, bali, gfmd]):
        baker.make(
            Participation, process=process, country=sri_lanka, role="member", since_year=2003 + index, source=TRICKY[0]
        )
        baker.make(Participation, process=process, organization=ngo, role="observer", since_year=None)
        baker.make(Chairmanship, process=process, country=sri_lanka, start_year=2010 + index, end_year=None)
        baker.make(
            FocalPoint,
            process=process,
            role="gfmd",
            country=sri_lanka,
            institution=TRICKY[2 + index],
            name="",
            email="",
            consent_to_publish=index == 0,
            consent_date=datetime.date(2020, 1, 1) if index == 0 else None,
        )
        for number, text in enumerate(TRICKY if index == 0 else TRICKY[:2]):
            meeting = baker.make(
                Meeting,
                title=f"{text} {process.acronym} {number}",
                start_date=datetime.date(2020 + number % 5, 1 + number, 1 + index),
                end_date=None if number % 2 else datetime.date(2020 + number % 5, 1 + number, 3 + index),
                kind="technical",
                city=text,
                host="" if number % 3 else text,
                description=text,
                session_code="",
            )
            meeting.organizing_processes.set([process])
            meeting.themes.set([theme] if number % 2 else [])
            meetings.append(meeting)
        recommendation = baker.make(
            Recommendation,
            title=f"{TRICKY[index]} recommendation",
            text=TRICKY[7],
            year=None if index else 2019,
            issuing_process=process,
            source_meeting=meetings[-1],
            outcome_note="",
        )
        recommendation.themes.set([theme])
        baker.make(
            FollowUp,
            recommendation=recommendation,
            process=process,
            status="implemented",
            date=datetime.date(2021, 5, 6),
            note=TRICKY[4],
        )
        baker.make(
            Document,
            title=f"{TRICKY[index]} document",
            date=None,
            meeting=meetings[-1],
            process=process,
            url="https://example.org/d",
            reference="",
        )
    joint = baker.make(
        Meeting, title="Joint Bali–Colombo meeting", start_date=datetime.date(2024, 11, 5), kind="ministerial"
    )
    joint.organizing_processes.set([colombo, bali])
    session = baker.make(
        Meeting, title="Roundtable 1.1", start_date=datetime.date(2024, 11, 5), parent=joint, session_code="RT 1.1"
    )
    session.themes.set([theme])
    return meetings


def snapshot():
    """Every row (and history row) an import of any list could touch."""
    labels = [
        "rcps.Process", "rcps.Participation", "rcps.Chairmanship", "rcps.FocalPoint", "meetings.Meeting",
        "meetings.Document", "recommendations.Recommendation", "recommendations.FollowUp",
    ]  # fmt: skip
    state = {}
    for label in labels:
        model = apps.get_model(label)
        state[label] = list(model._default_manager.order_by("pk").values())
        state[f"{label} history"] = model.history.count()
    for through in (Meeting.organizing_processes.through, Meeting.themes.through, Recommendation.themes.through):
        state[through._meta.label] = list(through.objects.order_by("pk").values())
    return state


ROLES = ["colombo_secretariat", "support_unit", "administrator", "superuser"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", sorted(RESOURCES))
@pytest.mark.parametrize("role", ROLES)
def test_unchanged_export_reimports_without_changing_anything(request, world, role, kind, fmt):
    user = request.getfixturevalue(role)
    resource = RESOURCES[kind](user=user)
    dataset = resource.export(queryset=resource._meta.model._default_manager.all())
    assert len(dataset) > 0
    data = write_csv(dataset).encode() if fmt == "csv" else write_xlsx(dataset)
    before = snapshot()
    outcome = records_import(kind=kind, name=f"export.{fmt}", data=data, user=user, dry_run=False)
    assert outcome.errors == []
    assert outcome.counts["new"] == outcome.counts["update"] == 0
    assert outcome.counts["skip"] == len(dataset)
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_survives_an_export_and_an_import_into_an_empty_list(world, superuser, fmt):
    resource = RESOURCES["meetings"](user=superuser)
    originals = {m.title: (m.city, m.host, m.description) for m in Meeting.objects.all()}
    dataset = resource.export(queryset=Meeting.objects.all())
    data = write_csv(dataset).encode() if fmt == "csv" else write_xlsx(dataset)
    Document.objects.all().delete()
    Recommendation.objects.all().delete()
    Meeting.objects.filter(parent__isnull=False).delete()
    Meeting.objects.all().delete()
    dataset_without_parents = data  # sessions name their parent by id, which is gone: import the others
    outcome = records_import(
        kind="meetings", name=f"export.{fmt}", data=dataset_without_parents, user=superuser, dry_run=True
    )
    assert all("Unknown meeting" in line and "'parent'" in line for line in outcome.errors), outcome.errors
    keep = [row for row in dataset.dict if not row["parent"]]
    dataset.wipe()
    dataset.headers = list(keep[0])
    for row in keep:
        dataset.append(list(row.values()))
    data = write_csv(dataset).encode() if fmt == "csv" else write_xlsx(dataset)
    outcome = records_import(kind="meetings", name=f"export.{fmt}", data=data, user=superuser, dry_run=False)
    assert outcome.errors == []
    restored = {m.title: (m.city, m.host, m.description) for m in Meeting.objects.all()}
    assert restored == {title: values for title, values in originals.items() if title in restored}
    assert len(restored) == len(originals) - 1  # all but the session


def test_csv_export_neutralises_formulas_with_an_apostrophe_and_xlsx_writes_them_as_text(world, superuser):
    dataset = RESOURCES["meetings"](user=superuser).export(queryset=Meeting.objects.all())
    text = write_csv(dataset)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and ",+44" not in text and ",@SUM" not in text
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(dataset)))
    cells = [cell for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    formula_like = [cell for cell in cells if cell.value.startswith(("=", "+", "-", "@", "\t"))]
    assert formula_like and all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert not [cell for row in book.active.iter_rows() for cell in row if cell.value == "None"]


def test_one_control_character_does_not_break_the_xlsx_export(world, superuser):
    Meeting.objects.filter(pk=world[0].pk).update(title="Bell \x07 and escape \x1b in a title")
    data = write_xlsx(RESOURCES["meetings"](user=superuser).export(queryset=Meeting.objects.all()))
    assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row == Meeting.objects.count() + 1


@pytest.mark.parametrize(("fmt", "index"), [("csv", "0"), ("xlsx", "1")])
def test_the_admin_export_button_writes_a_safe_file_that_reimports_unchanged(
    client, world, colombo_secretariat, fmt, index
):
    from meetings.models import Meeting as M  # noqa: N814

    fields = {f"meetingresource_{name}": "on" for name in RESOURCES["meetings"]().get_export_order()}
    client.force_login(colombo_secretariat)
    response = client.post("/admin/meetings/meeting/export/", {"format": index, "resource": "0", **fields})
    assert response.status_code == 200
    data = response.content
    if fmt == "csv":
        assert b"'=HYPERLINK" in data and b",=HYPERLINK" not in data
    else:
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert not [c for r in book.active.iter_rows() for c in r if c.data_type == "f"]
    before = snapshot()
    outcome = records_import(kind="meetings", name=f"m.{fmt}", data=data, user=colombo_secretariat, dry_run=False)
    assert outcome.errors == [] and outcome.counts["skip"] == M.objects.managed_by(colombo_secretariat).count()
    assert snapshot() == before
