"""Every uploaded file is checked (size, type from its bytes, extension agreeing) and served with the checked type."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from model_bakery import baker

from core.uploads import UploadValidator, validate_attachment, validate_upload
from meetings.models import Document

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 120 + b"PE\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


def ooxml(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def xlsx():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


ACCEPTED = [
    ("report.pdf", PDF),
    ("report.docx", ooxml("word/")),
    ("figures.xlsx", xlsx()),
    ("slides.pptx", ooxml("ppt/")),
    ("report.odt", odt()),
    ("photo.png", PNG),
    ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40),
    ("figures.csv", "country,year,value\nSri Lanka,2024,12\nCôte d'Ivoire,2024,3\n".encode()),
]


@pytest.mark.parametrize(("name", "content"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_documents_office_files_images_and_csv_are_accepted(name, content):
    validate_upload(SimpleUploadedFile(name, content))


REFUSED = [
    ("an-exe-named-pdf", "report.pdf", EXE, "is not PDF"),
    ("an-exe", "setup.exe", EXE, "are not accepted"),
    ("html-named-pdf", "report.pdf", b"<html><script>alert(1)</script></html>", "is not PDF"),
    ("a-docx-named-xlsx", "figures.xlsx", ooxml("word/"), "it is Word"),
    ("a-zip-that-is-no-office-file", "report.docx", ooxml("other/"), "is not Word"),
    ("broken-zip", "report.docx", b"PK\x03\x04 but not a zip", "is not Word"),
    ("png-named-csv", "data.csv", PNG, "is not CSV"),
    ("binary-csv", "data.csv", b"a,b\n\x00\x01\x02", "is not CSV"),
    ("svg-image", "logo.svg", b"<svg onload='alert(1)'/>", "are not accepted"),
    ("no-extension", "README", PDF, "are not accepted"),
]


@pytest.mark.parametrize(("name", "content", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_file_whose_bytes_do_not_match_an_accepted_type_is_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.messages)


def test_a_file_over_the_limit_is_refused_before_its_content_is_read(settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
    big = SimpleUploadedFile("report.pdf", PDF + b"\x00" * (21 * 1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 20.0"):
        validate_upload(big)


def test_a_validator_can_be_narrowed_to_some_types_for_later_upload_fields():
    data_files = UploadValidator(allowed=("csv", "xlsx"))
    data_files(SimpleUploadedFile("figures.csv", b"a,b\n1,2\n"))
    with pytest.raises(ValidationError, match="Accepted: Excel"):
        data_files(SimpleUploadedFile("report.pdf", PDF))
    assert data_files.deconstruct() == ("core.uploads.UploadValidator", (), {"allowed": ("csv", "xlsx")})


def test_dispatch_attachments_accept_documents_but_not_images():
    validate_attachment(SimpleUploadedFile("report.pdf", PDF))
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile("photo.png", PNG))


# The back office, as a secretariat uses it ----------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def document_form(colombo, upload):
    return {
        "title": "Declaration",
        "kind": "declaration",
        "language": "en",
        "process": colombo.pk,
        "visibility": "public",
        "confidence": "high",
        "sources": "[]",
        "low_confidence_fields": "",
        "file": upload,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("declaration.pdf", EXE), ("declaration.pdf", PDF + b"\x00" * (21 * 1024 * 1024))],
    ids=["an-exe-renamed-pdf", "21-mb-over-the-20-mb-limit"],
)
def test_secretariat_cannot_upload_a_disguised_or_oversized_document(
    client, colombo_secretariat, colombo, media, name, content
):
    client.force_login(colombo_secretariat)
    response = client.post(
        reverse("admin:meetings_document_add"), document_form(colombo, SimpleUploadedFile(name, content))
    )
    assert response.status_code == 200  # the form again, with the error on the file
    assert response.context["adminform"].form.errors["file"]
    assert not Document.objects.exists()
    assert not any(media.rglob("*.pdf"))  # nothing was saved


@pytest.mark.django_db
def test_secretariat_uploads_a_real_pdf(client, colombo_secretariat, colombo, media):
    client.force_login(colombo_secretariat)
    response = client.post(
        reverse("admin:meetings_document_add"), document_form(colombo, SimpleUploadedFile("declaration.pdf", PDF))
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Document.objects.get().file.read() == PDF


# Serving -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_is_served_with_its_checked_type_as_an_attachment_never_sniffed(client, process, media):
    document = baker.make(
        "meetings.Document", title="Figures", process=process, file=SimpleUploadedFile("f.xlsx", xlsx())
    )
    response = client.get(reverse("meetings:document_download", kwargs={"pk": document.pk}))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="f.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_disguised_file_stored_before_the_checks_is_served_as_bytes_not_as_pdf(client, process, media):
    # Saved without validation, as the .exe was before uploads were checked.
    document = baker.make("meetings.Document", title="Old", process=process, file=SimpleUploadedFile("old.pdf", EXE))
    response = client.get(reverse("meetings:document_download", kwargs={"pk": document.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
