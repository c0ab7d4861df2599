"""The data exchange: who may submit a country's figures and change their release, and the row-by-row upload.

A figure belongs to (process, country). Only a national focal point of that country in that
process (a Membership with the NATIONAL role) submits it, changes its value or its release
level, or withdraws it; every change is kept by django-simple-history.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.uploads import CSV, XLSX, UploadValidator, detect_type
from rcps.models import Membership

from .models import Figure, Indicator, Release

UPLOAD_COLUMNS = ("indicator", "year", "breakdown", "value", "release", "note")
MAX_UPLOAD_ROWS = 2000
MAX_VALUE = Decimal("1e15")
validate_figure_upload = UploadValidator(allowed=("csv", "xlsx"))


def submitting_countries(user, process):
    """The countries `user` submits figures for in `process` (as a national focal point)."""
    return [
        membership.country
        for membership in Membership.objects.filter(
            user=user, process=process, role=Membership.Role.NATIONAL, user__is_active=True
        ).select_related("country")
    ]


def may_submit(user, process, country):
    return Membership.objects.filter(
        user=user, process=process, country=country, role=Membership.Role.NATIONAL, user__is_active=True
    ).exists()


def check_value(raw):
    """A figure's value from text: a number, not negative, not absurdly large."""
    text = str(raw).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": str(raw)[:40]}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": str(raw)[:40]})
    if value < 0:
        raise ValidationError(_("A figure cannot be negative."))
    if value >= MAX_VALUE:
        raise ValidationError(_("This figure is too large to be right."))
    return value.quantize(Decimal("0.01"))


def check_year(raw):
    try:
        year = int(str(raw).strip().removesuffix(".0"))
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a year.") % {"value": str(raw)[:20]}) from None
    if not 1950 <= year <= 2100:
        raise ValidationError(_("The year must be between 1950 and 2100."))
    return year


def save_figure(*, user, process, country, indicator, year, disaggregation, value, release, note=""):
    """Create or update the country's figure for this key; history records the change."""
    figure, _created = Figure.objects.update_or_create(
        process=process,
        indicator=indicator,
        country=country,
        year=year,
        disaggregation=disaggregation,
        defaults={"value": value, "release": release, "note": note, "submitted_by": user},
    )
    return figure


def read_rows(upload):
    """The rows of an uploaded CSV or XLSX as dictionaries of text, after the type check on its bytes."""
    validate_figure_upload(upload)
    kind = detect_type(upload, (CSV, XLSX))
    upload.seek(0)
    if kind is CSV:
        text = upload.read().decode("utf-8-sig", errors="strict")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(upload.read()))
        rows = [
            ["" if cell is None else str(cell) for cell in row] for row in workbook.get_sheet_by_index(0).to_python()
        ]
    if not rows:
        raise ValidationError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in ("indicator", "year", "value") if column not in header]
    if missing:
        raise ValidationError(
            _("Columns missing: %(missing)s. Expected: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(UPLOAD_COLUMNS)}
        )
    body = [row for row in rows[1:] if any(str(cell).strip() for cell in row)]
    if len(body) > MAX_UPLOAD_ROWS:
        raise ValidationError(_("At most %(count)d rows at a time.") % {"count": MAX_UPLOAD_ROWS})
    return [dict(zip(header, [str(cell).strip() for cell in row], strict=False)) for row in body]


def import_rows(rows, *, user, process, country):
    """Check every row, then save all of them or none: returns (saved count, [(row number, message)])."""
    catalogue = {indicator.slug: indicator for indicator in Indicator.objects.filter(processes=process)}
    releases = {choice.value for choice in Release} - {Release.WITHDRAWN}
    checked, problems, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        try:
            indicator = catalogue.get(row.get("indicator", ""))
            if indicator is None:
                raise ValidationError(
                    _("“%(code)s” is not in this process's catalogue.") % {"code": row.get("indicator", "")[:80]}
                )
            year = check_year(row.get("year", ""))
            value = check_value(row.get("value", ""))
            breakdown = row.get("breakdown", "") or ""
            if breakdown not in dict(indicator.disaggregation_choices()):
                raise ValidationError(
                    _("“%(value)s” is not a breakdown of this indicator.") % {"value": breakdown[:40]}
                )
            release = (row.get("release", "") or Release.MEMBERS).lower()
            if release not in releases:
                raise ValidationError(_("The release must be “members” or “public”."))
            key = (indicator.pk, year, breakdown)
            if key in seen:
                raise ValidationError(_("This indicator, year and breakdown appear twice in the file."))
            seen.add(key)
        except ValidationError as error:
            problems.append((number, " ".join(error.messages)))
            continue
        checked.append(
            {
                "indicator": indicator,
                "year": year,
                "disaggregation": breakdown,
                "value": value,
                "release": release,
                "note": row.get("note", "")[:300],
            }
        )
    if problems:
        return 0, problems
    with transaction.atomic():
        for values in checked:
            save_figure(user=user, process=process, country=country, **values)
    return len(checked), []
