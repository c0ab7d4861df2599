"""Reading and writing the back office's spreadsheets exactly, in CSV and XLSX.

Reading (imports): a file is checked before it is parsed (size, extension, the bytes a real
CSV or XLSX starts with; for XLSX the uncompressed size of the ZIP inside, against ZIP bombs,
and the sheet's size before its cells are read, so a workbook that expands too far is refused
at once; calamine, a Rust reader without XML entity expansion, reads the cells). Then every
cell becomes what it says:

- a header named twice is refused; an empty XLSX cell is a blank, never "None";
- an XLSX formula is refused with a message naming its row and column (its cached value may
  be stale or absent, and an import must not guess);
- line endings become "\\n" on every path (the command line and the admin read the same bytes);
- a CSV cell that an export protected with a leading apostrophe gets its data back
  (`unprotect_text`), and an XLSX string gets back the control characters that XLSX can only
  store escaped (`_x000B_`, decoded by the reader).

Writing (exports): every text that a spreadsheet would run as a formula (`= + - @`, tab, CR)
is neutralised without losing a character: in CSV by a leading apostrophe that the import
removes again; in XLSX by being a text cell (never a formula) marked "quote prefix", as Excel
marks a typed `'=`. Control characters that XLSX cannot store are written in its own escape,
so one odd character cannot break the export for everyone. Dates are date cells, numbers numbers.
"""

import csv
import datetime
import io
import re
import zipfile

import openpyxl
from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from tablib import Dataset

# Cells a spreadsheet would read as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Largest total size of the files inside an XLSX, and largest compression ratio of any of them:
# a 10,000-row export of meetings is about 6 MB unpacked; a workbook that would unpack to tens
# of megabytes is refused before one row is parsed.
XLSX_MAX_UNCOMPRESSED = 32 * 1024 * 1024
XLSX_MAX_RATIO = 100
MAX_COLUMNS = 100
# Characters XML 1.0 cannot hold; XLSX stores them as _xHHHH_.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class SpreadsheetError(ValidationError):
    """A file that cannot be imported as it is: each message says where and why."""


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", 50_000)


def column_label(index, header=None):
    """'column 3 (C)' or "column 'title'", for messages; index is 0-based."""
    if header:
        return _("column '%(name)s'") % {"name": header}
    return _("column %(number)s (%(letter)s)") % {"number": index + 1, "letter": get_column_letter(index + 1)}


def normalise_newlines(text):
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Formula protection -----------------------------------------------------------------------


def protect_text(text):
    """A CSV cell for `text`: an apostrophe before a formula prefix, or before an apostrophe (so it is lossless)."""
    if text and (text.startswith(FORMULA_PREFIXES) or text.startswith("'")):
        return "'" + text
    return text


def unprotect_text(text):
    """Undo `protect_text`: remove one apostrophe that stands before a formula prefix or another apostrophe."""
    if len(text) > 1 and text[0] == "'" and (text[1] in "=+-@\t\r'" or text[1] == "\n"):
        return text[1:]
    return text


def escape_xlsx_text(text):
    """Text as an XLSX cell can hold it: control characters as _xHHHH_, a literal _xHHHH_ kept literal."""
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


# Reading ----------------------------------------------------------------------------------


def check_spreadsheet(name, data):
    """Raise SpreadsheetError unless `data` is a CSV or XLSX file of acceptable size; return "csv" or "xlsx"."""
    limit = settings.IMPORT_MAX_UPLOAD_SIZE
    if len(data) > limit:
        raise SpreadsheetError(
            _("The file is too large (%(size)s bytes); the limit is %(limit)s bytes.")
            % {"size": len(data), "limit": limit}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "csv":
        if data.startswith(b"PK\x03\x04"):
            raise SpreadsheetError(_("This file is a workbook, not a CSV text file: save it as .xlsx."))
        if b"\x00" in data:
            raise SpreadsheetError(_("This is not a CSV text file."))
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetError(_("Save the CSV file as UTF-8.")) from None
        return "csv"
    if extension == "xlsx":
        check_workbook(data)
        return "xlsx"
    raise SpreadsheetError(_("Upload a .csv or .xlsx file."))


def check_workbook(data):
    if not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(_("This is not an XLSX workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise SpreadsheetError(_("This is not an XLSX workbook.")) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("This is not an XLSX workbook."))
    total = sum(member.file_size for member in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if total > XLSX_MAX_UNCOMPRESSED or ratio > XLSX_MAX_RATIO:
        raise SpreadsheetError(
            _("The workbook expands to too much data to be read safely (%(size)s MB; the limit is %(limit)s MB).")
            % {"size": round(total / 1024 / 1024), "limit": XLSX_MAX_UNCOMPRESSED // 1024 // 1024}
        )


def read_spreadsheet(name, data):
    """The rows of a checked file as a tablib Dataset (header row first), exactly as the cells say."""
    kind = check_spreadsheet(name, data)
    return read_csv(data) if kind == "csv" else read_xlsx(data)


def _dataset(header, rows):
    """A Dataset from a header and rows, refusing duplicate or missing column names and overlong rows."""
    problems = []
    while header and header[-1] == "" and all(_blank(row, len(header) - 1) for row in rows):
        header.pop()  # a trailing column without a name or a value
    if not header:
        raise SpreadsheetError(_("The file has no header row: the first row names the columns."))
    seen = {}
    for index, name in enumerate(header):
        if name == "":
            problems.append(_("Header: %(column)s has no name.") % {"column": column_label(index)})
        elif name in seen:
            problems.append(
                _("Header: the column '%(name)s' appears twice (columns %(first)s and %(second)s); remove one.")
                % {"name": name, "first": seen[name] + 1, "second": index + 1}
            )
        else:
            seen[name] = index
    width = len(header)
    fitted = []
    for number, row in enumerate(rows, 1):
        if len(row) > width:
            extra = next((i for i in range(width, len(row)) if row[i] not in ("", None)), None)
            if extra is not None:
                problems.append(
                    _("Row %(row)s, %(column)s: a value outside the named columns.")
                    % {"row": number, "column": column_label(extra)}
                )
                continue
            row = row[:width]
        fitted.append(tuple(row) + ("",) * (width - len(row)))
    if problems:
        raise SpreadsheetError(problems[:50] + _more(problems, 50))
    return Dataset(*fitted, headers=header)


def _blank(row, index):
    return index >= len(row) or row[index] in ("", None)


def _more(problems, shown):
    if len(problems) <= shown:
        return []
    return [_("… and %(count)s more problems.") % {"count": len(problems) - shown}]


def read_csv(data):
    text = normalise_newlines(data.decode("utf-8-sig"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        rows = []
        limit = max_rows()
        for row in reader:
            rows.append([unprotect_text(cell) for cell in row])
            if len(rows) > limit:
                raise SpreadsheetError(_("The file has more than %(limit)s rows; split it.") % {"limit": limit})
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)s of the CSV file cannot be read (%(reason)s).") % {"line": reader.line_num, "reason": error}
        ) from None
    if len(header) > MAX_COLUMNS:
        raise SpreadsheetError(_("The file has more than %(limit)s columns.") % {"limit": MAX_COLUMNS})
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return _dataset(header, rows)


_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)/?>\s*(<(?:\w+:)?f[\s>/])?")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')


def _first_sheet(archive):
    """The path of the workbook's first sheet inside the ZIP (the one that is imported)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        sheet = next(node for node in workbook.iter() if node.tag.endswith("}sheet") or node.tag == "sheet")
        rel_id = next(value for key, value in sheet.attrib.items() if key.endswith("}id"))
        target = next(node.get("Target") for node in rels.iter() if node.get("Id") == rel_id)
    except (KeyError, StopIteration, ElementTree.ParseError):
        return "xl/worksheets/sheet1.xml"
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def formula_problems(data, header_row):
    """Cells of the first sheet that hold a formula or an error value (the reader returns their cached value, or
    nothing): their row numbers count from the header, as every other message does."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read(_first_sheet(archive))
        except KeyError:
            return []
    if b"<f" not in xml and b'"e"' not in xml:
        return []  # the common case: one pass of a fast substring search
    problems = []
    for match in _CELL.finditer(xml):
        attributes, formula = match.group(1), match.group(2)
        is_error = _ERROR_TYPE.search(attributes)
        if not (formula or is_error):
            continue
        ref = _REF.search(attributes)
        letters, number = (ref.group(1).decode(), int(ref.group(2))) if ref else ("?", 0)
        where = _("Header") if number == header_row else _("Row %(row)s") % {"row": number - header_row}
        column = _("column %(letter)s") % {"letter": letters}
        if formula:
            problems.append(
                _("%(where)s, %(column)s: the cell holds a formula; type its value instead.")
                % {"where": where, "column": column}
            )
        else:
            problems.append(
                _("%(where)s, %(column)s: the cell holds an error value (like #N/A); type a value instead.")
                % {"where": where, "column": column}
            )
        if len(problems) > 50:
            break
    return problems


def read_xlsx(data):
    """The first sheet of a workbook, read by calamine (fast, and no XML entity expansion)."""
    check_workbook(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        if sheet.total_height > max_rows() + 1_000 or sheet.total_width > MAX_COLUMNS * 10:
            raise SpreadsheetError(
                _("The sheet has more than %(limit)s rows or %(columns)s columns; split it.")
                % {"limit": max_rows(), "columns": MAX_COLUMNS}
            )
        table = sheet.to_python(skip_empty_area=False)
    except SpreadsheetError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure is the file's fault; its class name means nothing to a user
        raise SpreadsheetError(_("The workbook could not be read: open it and save it again as .xlsx.")) from None
    start = next((i for i, row in enumerate(table) if any(v not in ("", None) for v in row)), None)
    if start is None:
        raise SpreadsheetError(_("The file has no header row: the first row names the columns."))
    problems = formula_problems(data, start + 1)
    if problems:
        raise SpreadsheetError(problems[:50] + _more(problems, 50))
    header = [cell_header(value) for value in table[start][: MAX_COLUMNS + 1]]
    if len(header) > MAX_COLUMNS and header[MAX_COLUMNS]:
        raise SpreadsheetError(_("The sheet has more than %(limit)s columns.") % {"limit": MAX_COLUMNS})
    rows = [[_cell(value) for value in row] for row in table[start + 1 :]]
    while rows and not any(value not in ("", None) for value in rows[-1]):
        rows.pop()
    if len(rows) > max_rows():
        raise SpreadsheetError(_("The sheet has more than %(limit)s rows; split it.") % {"limit": max_rows()})
    return _dataset(header[:MAX_COLUMNS], rows)


def cell_header(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def _cell(value):
    if isinstance(value, str):
        return normalise_newlines(value)
    return value


# Writing ----------------------------------------------------------------------------------


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return protect_text(value)
    return str(value)


def write_csv(dataset):
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet programs read UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.headers or [])
    for row in dataset:
        writer.writerow([csv_text(value) for value in row])
    return out.getvalue()


def write_xlsx(dataset):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=(getattr(dataset, "title", None) or "Sheet1")[:31])
    bold = Font(bold=True)

    def cell(value):
        if isinstance(value, str):
            if not value.startswith(FORMULA_PREFIXES):
                return escape_xlsx_text(value)  # plain text: the writer makes it a text cell
            written = WriteOnlyCell(sheet, value=escape_xlsx_text(value))
            written.data_type = "s"  # text, even when it starts with "=": never a formula
            written.quotePrefix = True  # as Excel marks a typed '=: text, also after the cell is edited
            return written
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, datetime.datetime):
            value = value.replace(tzinfo=None)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            written.number_format = "yyyy-mm-dd"
        return written

    header = []
    for name in dataset.headers or []:
        written = WriteOnlyCell(sheet, value=escape_xlsx_text(str(name)))
        written.data_type = "s"
        written.font = bold
        header.append(written)
    sheet.append(header)
    for row in dataset:
        sheet.append([cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Formats for django-import-export's admin -----------------------------------------------------


class _PortalFormat:
    """Both formats read either kind of file (its bytes decide) and refuse what cannot be read exactly."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        if data.startswith(b"PK\x03\x04"):
            return read_xlsx(data)
        check_spreadsheet("import.csv", data)
        return read_csv(data)


class PortalCSV(_PortalFormat, base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return write_csv(dataset)

    def is_binary(self):
        return True


class PortalXLSX(_PortalFormat, base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset)
