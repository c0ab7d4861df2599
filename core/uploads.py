"""Checks of uploaded files, and the one way they are served back.

Every file the portal accepts (a document, a dispatch attachment, and later survey materials,
practices or data files) goes through `UploadValidator`: the size limit is checked before
anything is saved, the type is decided from the file's bytes (the `filetype` library, plus a
look inside ZIP containers for office formats) against an allow-list, and the extension must
name that same type. `checked_file_response` serves a stored file with the type found in its
bytes (`application/octet-stream` when they do not match the allow-list any more), always as
an attachment and with `X-Content-Type-Options: nosniff`, so a browser never runs a disguised file.
"""

import codecs
import logging
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# How many bytes the type is decided from (filetype reads at most 8 KB).
HEAD_SIZE = 8192
# A container whose parts expand beyond this many times the upload limit is refused unread.
MAX_EXPANSION = 20


@dataclass(frozen=True)
class FileType:
    """One accepted type: its MIME type, the extensions that name it and a label for messages."""

    mime: str
    extensions: tuple
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",), "PowerPoint")
DOC = FileType("application/msword", (".doc",), "Word 97–2003")
XLS = FileType("application/vnd.ms-excel", (".xls",), "Excel 97–2003")
PPT = FileType("application/vnd.ms-powerpoint", (".ppt",), "PowerPoint 97–2003")
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument text")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", (".ods",), "OpenDocument spreadsheet")
ODP = FileType("application/vnd.oasis.opendocument.presentation", (".odp",), "OpenDocument presentation")
PNG = FileType("image/png", (".png",), "PNG")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
GIF = FileType("image/gif", (".gif",), "GIF")
WEBP = FileType("image/webp", (".webp",), "WebP")
CSV = FileType("text/csv", (".csv",), "CSV")

OFFICE_TYPES = (DOCX, XLSX, PPTX, DOC, XLS, PPT, ODT, ODS, ODP)
IMAGE_TYPES = (PNG, JPEG, GIF, WEBP)
# What the portal accepts by default: documents, spreadsheets, slides, images and CSV data.
DOCUMENT_TYPES = (PDF, *OFFICE_TYPES, *IMAGE_TYPES, CSV)
# ZIP-based formats whose parts are looked at, not only their first bytes.
OOXML_PARTS = {DOCX: "word/", XLSX: "xl/", PPTX: "ppt/"}
ZIP_TYPES = (*OOXML_PARTS, ODT, ODS, ODP)


def _read_head(file):
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return file.read(HEAD_SIZE)
    finally:
        file.seek(position)


def _is_text(file):
    """UTF-8 text without NUL bytes, read in chunks (a CSV is judged by all of its bytes)."""
    position = file.tell() if hasattr(file, "tell") else 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        file.seek(0)
        while chunk := file.read(64 * 1024):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(position)
    return True


def _zip_type(file, limit):
    """The office type of a ZIP container, from its parts; None if it is none or expands too far."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_EXPANSION * limit:
                return None  # a ZIP bomb is refused before anything reads it further
            names = {member.filename for member in members}
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return next((kind for kind in (ODT, ODS, ODP) if kind.mime == declared), None)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(position)
    if "[Content_Types].xml" not in names:
        return None
    found = [kind for kind, folder in OOXML_PARTS.items() if any(name.startswith(folder) for name in names)]
    return found[0] if len(found) == 1 else None


def detect_type(file, allowed=DOCUMENT_TYPES, limit=None):
    """The allowed FileType the bytes of `file` are, whatever its name says; None if none of them."""
    head = _read_head(file)
    guess = filetype.guess_mime(head)
    if head.startswith(b"PK\x03\x04"):
        # filetype looks at the first few ZIP entries only; the directory of parts decides.
        kind = _zip_type(file, limit or settings.DOCUMENT_MAX_UPLOAD_SIZE)
        return kind if kind in allowed else None
    if guess is None:
        return CSV if CSV in allowed and head and _is_text(file) else None
    return next((kind for kind in allowed if kind.mime == guess and kind not in ZIP_TYPES), None)


def _allowed_labels(allowed):
    return ", ".join(f"{kind.label} ({', '.join(kind.extensions)})" for kind in allowed)


@deconstructible
class UploadValidator:
    """A model-field validator: size limit, type from the content against `allowed`, extension agreeing.

    `max_size_setting` names the setting that holds the limit in bytes, read when a file is
    checked (so tests and deployments can change it). Reuse it for every new upload field:

        file = models.FileField(validators=[UploadValidator()])
        data = models.FileField(validators=[UploadValidator(allowed=("csv", "xlsx"))])
    """

    def __init__(self, allowed=None, max_size_setting="DOCUMENT_MAX_UPLOAD_SIZE"):
        # Stored as extensions (plain strings), so migrations can write the validator down.
        self.allowed = tuple(allowed) if allowed else None
        self.max_size_setting = max_size_setting

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.allowed == other.allowed
            and self.max_size_setting == other.max_size_setting
        )

    def types(self):
        if self.allowed is None:
            return DOCUMENT_TYPES
        return tuple(kind for kind in DOCUMENT_TYPES if any(ext.lstrip(".") in self.allowed for ext in kind.extensions))

    def __call__(self, file):
        limit = getattr(settings, self.max_size_setting)
        if file.size > limit:
            raise ValidationError(
                _("The file is larger than %(limit)s (it is %(size)s)."),
                code="file_too_large",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            )
        types = self.types()
        extension = PurePath(file.name).suffix.lower()
        named = next((kind for kind in types if extension in kind.extensions), None)
        if named is None:
            raise ValidationError(
                _("Files ending in “%(ext)s” are not accepted. Accepted: %(allowed)s."),
                code="file_extension",
                params={"ext": extension or _("(no extension)"), "allowed": _allowed_labels(types)},
            )
        found = detect_type(file, types, limit)
        if found is not named:
            raise ValidationError(
                _("The file's content is not %(label)s, as its name “%(ext)s” says%(found)s."),
                code="file_content",
                params={
                    "label": named.label,
                    "ext": extension,
                    "found": _(" (it is %(label)s)") % {"label": found.label} if found else "",
                },
            )


validate_upload = UploadValidator()
# Dispatch attachments: documents, spreadsheets and slides (the name the first migration uses).
validate_attachment = UploadValidator(allowed=("pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp"))


def checked_content_type(fieldfile):
    """The MIME type a stored file is served with: the one its bytes and its name agree on, else octet-stream."""
    extension = PurePath(fieldfile.name).suffix.lower()
    named = next((kind for kind in DOCUMENT_TYPES if extension in kind.extensions), None)
    with fieldfile.open("rb") as handle:
        found = detect_type(handle) if named else None
    if named is not None and found is named:
        return named.mime
    logger.warning("Stored file %s does not match an accepted type; served as octet-stream.", fieldfile.name)
    return "application/octet-stream"


def checked_file_response(fieldfile, filename):
    """Serve a stored upload: the checked type, as an attachment, never sniffed by the browser."""
    content_type = checked_content_type(fieldfile)
    response = FileResponse(fieldfile.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened in a tab, an upload runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
