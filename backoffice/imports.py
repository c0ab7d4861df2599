"""Spreadsheet import and export of back-office records, shared by the admin and `manage.py import_records`.

A file is checked and read exactly by `backoffice.spreadsheets` (size, type, ZIP bombs,
duplicate headers, formulas, blanks, line endings); the rows are imported by
`backoffice.resources.bulk` in one transaction: a dry run, or any row with an error, saves
nothing. Dates are ISO 8601 unless the importer chooses day-first or month-first order.
Every message names its row, its column and the reason.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm

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
from backoffice.resources.base import DATE_ORDERS
from backoffice.spreadsheets import PortalCSV, PortalXLSX, SpreadsheetError, check_spreadsheet, read_spreadsheet

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

DATE_ORDER_CHOICES = [
    ("iso", gettext_lazy("YYYY-MM-DD only (e.g. 2024-11-05)")),
    ("dmy", gettext_lazy("Day first: DD/MM/YYYY (e.g. 05/11/2024 is 5 November)")),
    ("mdy", gettext_lazy("Month first: MM/DD/YYYY (e.g. 11/05/2024 is 5 November)")),
]
assert [key for key, _label in DATE_ORDER_CHOICES] == list(DATE_ORDERS)


def describe_errors(result, resource=None):
    """One line per problem: "Row 2, column 'end_date': The end date cannot be before the start date."."""
    lines = [str(error.error) for error in result.base_errors]
    for number, row_errors in result.row_errors():
        for _error in row_errors:
            lines.append(_("Row %(row)s: the row could not be imported.") % {"row": number})
    keys = ""
    if resource is not None:
        keys = ", ".join(f"'{resource.fields[name].column_name}'" for name in resource.get_import_id_fields())
    for invalid in result.invalid_rows:
        for column, texts in invalid.error_dict.items():
            for text in texts:
                if column == NON_FIELD_ERRORS:
                    suffix = f" ({_('columns %(names)s') % {'names': keys}})" if keys else ""
                    lines.append(_("Row %(row)s: %(message)s") % {"row": invalid.number, "message": text} + suffix)
                else:
                    lines.append(
                        _("Row %(row)s, column '%(column)s': %(message)s")
                        % {"row": invalid.number, "column": column, "message": text}
                    )
    return lines


@dataclass
class ImportOutcome:
    result: object
    errors: list
    counts: dict


def records_import(*, kind, name, data, user, dry_run, date_order="iso", progress=None):
    """Import a spreadsheet of `kind` as `user`; nothing is saved on a dry run or when any row fails.

    Raises ValidationError (with every problem as a message) when the file itself cannot be read.
    """
    dataset = read_spreadsheet(name, data)
    resource = RESOURCES[kind](user=user, date_order=date_order)
    result = resource.import_data(dataset, dry_run=dry_run, user=user, progress=progress)
    return ImportOutcome(result=result, errors=describe_errors(result, resource), counts=dict(result.totals))


# Rows and error lines shown on the admin's import page; the counts cover the whole file.
PREVIEW_LIMIT = 200


class SpreadsheetImportForm(ImportForm):
    """The admin's upload form: the date order, and oversized, disguised or explosive files refused before parsing."""

    date_order = forms.ChoiceField(
        label=gettext_lazy("Dates written as"),
        choices=DATE_ORDER_CHOICES,
        initial="iso",
        required=False,
        help_text=gettext_lazy(
            "Date cells of an XLSX file are read as dates whatever you choose. A date typed as text like 05/11/2024 "
            "is refused unless you say which comes first."
        ),
    )

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


class SpreadsheetConfirmForm(ConfirmImportForm):
    date_order = forms.ChoiceField(choices=DATE_ORDER_CHOICES, widget=forms.HiddenInput(), required=False)


class PortalImportExportMixin(ImportExportMixin):
    """Import (dry run first, then confirm) and export in CSV and XLSX, scoped like the changelist."""

    formats = [PortalCSV, PortalXLSX]
    import_form_class = SpreadsheetImportForm
    confirm_form_class = SpreadsheetConfirmForm
    import_template_name = "admin/backoffice/import.html"
    skip_admin_log = False

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        date_order = "iso"
        if form is not None and form.is_bound and form.is_valid():
            date_order = form.cleaned_data.get("date_order") or "iso"
        return {"user": request.user, "date_order": date_order}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["date_order"] = import_form.cleaned_data.get("date_order") or "iso"
        return initial

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's own words (row, column, reason), never an exception's class name.
        if isinstance(e, ValidationError):
            for message in e.messages:
                form.add_error("import_file", message)
        else:
            form.add_error("import_file", _("The file could not be read: open it and save it again as CSV or XLSX."))

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The confirmed import failed after all (the data changed since the dry run): say
            # why, with nothing saved, instead of the library's "Import finished".
            resource = self.get_import_resource_classes(request)[0](user=request.user)
            for line in describe_errors(result, resource)[:20]:
                messages.error(request, line)
            return redirect(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_import")
        return super().process_result(result, request)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        result = context.get("result") if context else None
        if result is not None:
            # Every problem as one line naming row, column and reason (never a traceback), and a
            # preview that stays light for a file of 10,000 rows.
            resource = self.get_import_resource_classes(request)[0](user=request.user)
            lines = describe_errors(result, resource)
            context["error_lines"] = lines[:PREVIEW_LIMIT]
            context["more_errors"] = max(0, len(lines) - PREVIEW_LIMIT)
            valid = result.valid_rows()
            context["preview_rows"] = valid[:PREVIEW_LIMIT]
            context["more_rows"] = max(0, len(valid) - PREVIEW_LIMIT)
            context["totals"] = result.totals
        return response


__all__ = ["RESOURCES", "SpreadsheetError", "describe_errors", "records_import"]
