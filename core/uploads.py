"""Checks of uploaded files: size, extension, and bytes that match the extension."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ATTACHMENT_EXTENSIONS = {".pdf": "pdf", ".docx": "ooxml", ".xlsx": "ooxml", ".pptx": "ooxml"}


def validate_attachment(file):
    """Refuse files too large, with another extension, or whose bytes do not match their extension."""
    if file.size > settings.DOCUMENT_MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is larger than %(limit)s."), params={"limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_SIZE)}
        )
    extension = PurePath(file.name).suffix.lower()
    kind = ATTACHMENT_EXTENSIONS.get(extension)
    if kind is None:
        raise ValidationError(
            _("Attach a PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file."), code="extension"
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(5)
        if kind == "pdf":
            ok = head == b"%PDF-"
        else:
            file.seek(0)
            ok = head[:4] == b"PK\x03\x04" and _is_office_zip(file)
    finally:
        file.seek(position)
    if not ok:
        raise ValidationError(_("The file's content does not match its extension %(ext)s."), params={"ext": extension})


def _is_office_zip(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            # A ZIP bomb is refused before anything reads it further.
            if sum(info.file_size for info in archive.infolist()) > 20 * settings.DOCUMENT_MAX_UPLOAD_SIZE:
                return False
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names
