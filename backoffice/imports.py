"""Spreadsheet import and export of back-office records, shared by the admin and `manage.py import_records`.

A file is checked before it is parsed (size, extension, the bytes a real CSV or XLSX starts
with, and for XLSX the uncompressed size of the ZIP inside, against ZIP bombs; openpyxl
parses the XML through defusedxml). The import itself is one transaction: a dry run, or any
row with an error, saves nothing.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from backoffice.resources import (
    ChairmanshipResource,
    DocumentResource,
    FocalPointResource,
    FollowUpResource,
    MeetingResource,
    ParticipationResource,
    ProcessResource,
    RecommendationResource,
)

# `import_records <kind>` names.
RESOURCES = {
    "processes": ProcessResource,
    "participations": ParticipationResource,
    "chairmanships": ChairmanshipResource,
    "meetings": MeetingResource,
    "documents": DocumentResource,
    "focal-points": FocalPointResource,
    "recommendations": RecommendationResource,
    "follow-ups": FollowUpResource,
}

# Largest total size of the files inside an XLSX, and largest compression ratio of any of them.
XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
XLSX_MAX_RATIO = 200


def check_spreadsheet(name, data):
    """Raise ValidationError unless `data` is a CSV or XLSX file of acceptable size; return "csv" or "xlsx"."""
    limit = settings.IMPORT_MAX_UPLOAD_SIZE
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large (%(size)s bytes); the limit is %(limit)s bytes.")
            % {"size": len(data), "limit": limit}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "csv":
        if b"\x00" in data:
            raise ValidationError(_("This is not a CSV text file."))
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the CSV file as UTF-8.")) from None
        return "csv"
    if extension == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise ValidationError(_("This is not an XLSX workbook."))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.infolist()
        except zipfile.BadZipFile:
            raise ValidationError(_("This is not an XLSX workbook.")) from None
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ValidationError(_("This is not an XLSX workbook."))
        total = sum(member.file_size for member in members)
        ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
        if total > XLSX_MAX_UNCOMPRESSED or ratio > XLSX_MAX_RATIO:
            raise ValidationError(_("The workbook expands to too much data to be read safely."))
        return "xlsx"
    raise ValidationError(_("Upload a .csv or .xlsx file."))


def read_spreadsheet(name, data):
    """The rows of a checked file as a tablib Dataset."""
    kind = check_spreadsheet(name, data)
    try:
        if kind == "csv":
            return base_formats.CSV().create_dataset(data.decode("utf-8-sig"))
        return base_formats.XLSX().create_dataset(data)
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's fault
        raise ValidationError(_("The file could not be read: %(error)s") % {"error": error}) from None


def describe_errors(result):
    """One line per problem: 'Row 2, column 'end_date': The end date cannot be before the start date.'"""
    lines = [_("File: %(error)s") % {"error": error.error} for error in result.base_errors]
    for number, row_errors in result.row_errors():
        for error in row_errors:
            lines.append(_("Row %(row)s: %(error)s") % {"row": number, "error": error.error})
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            for message in messages:
                if field == NON_FIELD_ERRORS:
                    lines.append(_("Row %(row)s: %(message)s") % {"row": invalid.number, "message": message})
                else:
                    lines.append(
                        _("Row %(row)s, column '%(column)s': %(message)s")
                        % {"row": invalid.number, "column": field, "message": message}
                    )
    return lines


@dataclass
class ImportOutcome:
    result: object
    errors: list
    counts: dict


def records_import(*, kind, name, data, user, dry_run, progress=None):
    """Import a spreadsheet of `kind` as `user`; nothing is saved on a dry run or when any row fails."""
    dataset = read_spreadsheet(name, data)
    resource = RESOURCES[kind](user=user)
    if progress is not None:
        total = len(dataset)
        original = resource.after_import_row

        def after_import_row(row, row_result, **kwargs):
            original(row, row_result, **kwargs)
            progress(kwargs.get("row_number"), total, row_result)

        resource.after_import_row = after_import_row
    result = resource.import_data(dataset, dry_run=dry_run, user=user, file_name=name)
    return ImportOutcome(result=result, errors=describe_errors(result), counts=dict(result.totals))


class SpreadsheetImportForm(ImportForm):
    """The admin's upload form, refusing oversized, disguised or explosive files before they are parsed."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s bytes); the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": limit}
            )
        check_spreadsheet(upload.name, b"".join(upload.chunks()))
        upload.seek(0)
        return upload


class PortalImportExportMixin(ImportExportMixin):
    """Import (dry run first, then confirm) and export in CSV and XLSX, scoped like the changelist."""

    formats = [base_formats.CSV, base_formats.XLSX]
    import_form_class = SpreadsheetImportForm
    skip_admin_log = False

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}
