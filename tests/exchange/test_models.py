"""Dispatch bodies are sanitized Markdown; attachments are checked for size, type and content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.models import render_markdown, validate_attachment


def test_markdown_is_rendered_and_scripts_handlers_and_javascript_links_removed():
    html = render_markdown(
        "**bold** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
        "<iframe src='https://evil.example'></iframe> <p style='color:red'>styled</p>"
    )
    assert "<strong>bold</strong>" in html
    for bad in ("<script", "onerror", "javascript:", "<iframe", "style=", "<img"):
        assert bad not in html


def test_links_keep_their_address_and_get_a_safe_rel():
    html = render_markdown("[GFMD](https://www.gfmd.org)")
    assert 'href="https://www.gfmd.org"' in html and "noopener" in html


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_and_a_docx_are_accepted():
    validate_attachment(SimpleUploadedFile("report.pdf", b"%PDF-1.7 body"))
    validate_attachment(SimpleUploadedFile("report.docx", docx_bytes()))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.exe", b"MZ..."),
        ("report.pdf", b"<html>not a pdf</html>"),
        ("report.docx", b"PK\x03\x04 but not a zip"),
        ("report.html", b"<script>"),
    ],
)
def test_a_file_of_another_type_or_with_false_content_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile(name, content))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 10
    with pytest.raises(ValidationError, match="larger than"):
        validate_attachment(SimpleUploadedFile("report.pdf", b"%PDF-1.7 more than ten bytes"))
