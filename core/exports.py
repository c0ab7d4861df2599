"""Streamed CSV and JSON exports of a directory's filtered result (public fields only), and table downloads."""

import csv
import io
import json

import openpyxl
from django.http import HttpResponse, StreamingHttpResponse

EXPORT_FORMATS = ("csv", "json")
CHUNK_SIZE = 500
# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def names(items):
    """The names of related records, as an export cell's list (`str` of each)."""
    return [str(item) for item in items]


def column_value(obj, getter):
    """Read one exported field: `getter` is a dotted attribute path or a function of the object."""
    if callable(getter):
        return getter(obj)
    for part in getter.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def escape_formula(text):
    """Prefix a cell with ' when a spreadsheet would read it as a formula."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item) for item in value)
    return escape_formula(str(value))


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer feeds a generator."""

    def write(self, value):
        return value


def _rows(queryset, columns, request):
    """Each object as a dict: its public web address, then the directory's columns."""
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        row = {"url": request.build_absolute_uri(obj.get_absolute_url())} if hasattr(obj, "get_absolute_url") else {}
        row.update((key, column_value(obj, getter)) for key, getter in columns)
        yield row


def _csv_stream(queryset, columns, request):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM so spreadsheet programs read UTF-8
    header = ["url"] if hasattr(queryset.model, "get_absolute_url") else []
    yield writer.writerow(header + [key for key, _getter in columns])
    for row in _rows(queryset, columns, request):
        yield writer.writerow([csv_cell(value) for value in row.values()])


def _json_stream(queryset, columns, request):
    yield "["
    separator = "\n"
    for row in _rows(queryset, columns, request):
        yield separator + json.dumps(row, ensure_ascii=False, default=str)
        separator = ",\n"
    yield "\n]\n"


def export_response(fmt, queryset, columns, request, filename):
    """A StreamingHttpResponse with the queryset as CSV or JSON, read from the database in chunks.

    `columns` is a sequence of (key, getter) pairs; only public fields belong in it.
    """
    if fmt == "csv":
        stream, content_type = _csv_stream(queryset, columns, request), "text/csv; charset=utf-8"
    else:
        stream, content_type = _json_stream(queryset, columns, request), "application/json; charset=utf-8"
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# Tables: a header and rows already computed (a survey's answers, one row per process and question) --


def table_csv_response(header, rows, filename):
    """A CSV download of `rows` under `header`, cells escaped as in the directories' exports."""
    writer = csv.writer(_Echo())
    lines = ["\ufeff", writer.writerow(header), *(writer.writerow([csv_cell(v) for v in row]) for row in rows)]
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_xlsx_response(header, rows, filename, sheet_title="Data"):
    """An XLSX download of `rows` under `header`; text cells a spreadsheet would run as formulas are escaped."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([escape_formula(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
