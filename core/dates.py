"""Dates and date ranges written the active language's way, in one style per language.

    date_range(4 June 2009, 5 June 2009)   en "4–5 June 2009"  fr "4–5 juin 2009"  es "4–5 de junio de 2009"
    across months                          en "30 June – 2 July 2009"  es "30 de junio – 2 de julio de 2009"
    across years                           "30 December 2009 – 2 January 2010"

The formats are the locale's DATE_FORMAT, MONTH_DAY_FORMAT and YEAR_MONTH_FORMAT (portal/formats/en
puts English's day first, as French and Spanish already do), so a new language needs no code here.
"""

from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language

EN_DASH = "\u2013"


@lru_cache(maxsize=20_000)
def _formatted(value, format_name, language):
    # `language` is the active one, passed to be part of the key.
    return date_format(value, format_name)


def _format(value, format_name):
    """date_format(), remembered: Django's formatter looks each month name up anew, and a list or an
    export of thousands of meetings writes the same few thousand days again and again."""
    return _formatted(value, format_name, get_language())


def date_range(start, end=None, precision="day"):
    """The dates from `start` to `end` as precisely as known ('day', 'month' or 'year')."""
    if start is None:
        return ""
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return _format(start, "YEAR_MONTH_FORMAT")
    if not end or end == start:
        return _format(start, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        return f"{_format(start, 'MONTH_DAY_FORMAT')} {EN_DASH} {_format(end, 'DATE_FORMAT')}"
    return f"{_format(start, 'DATE_FORMAT')} {EN_DASH} {_format(end, 'DATE_FORMAT')}"
