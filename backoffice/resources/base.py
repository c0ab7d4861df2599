"""Spreadsheet columns of the records secretariats keep, for import and export (django-import-export).

Every resource validates each row as a form would (`full_clean`), finds existing records by a
natural key so that importing the same file twice changes nothing, names the row and column
of every error, and checks with `rcps.scoping` that each row belongs to the importing user's
processes. The import itself (`backoffice.resources.bulk`) reads every lookup once, writes in
bulk with the change history, and saves nothing when any row fails.

Each cell is read exactly (the widgets below): a date is ISO 8601 (YYYY-MM-DD), or day-first /
month-first only when the importer chose that order; a blank is a blank; a number is a whole
number or an error; a list of slugs names only records that exist.
"""

import datetime
import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from rcps import scoping
from rcps.models import Process
from reference.models import Country

from ..spreadsheets import normalise_newlines

# How the importer says non-ISO dates are written: chosen in the admin form and on the command line.
DATE_ORDERS = {
    "iso": "YYYY-MM-DD only",
    "dmy": "day first (DD/MM/YYYY)",
    "mdy": "month first (MM/DD/YYYY)",
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
TRUE_WORDS = {"true", "yes", "1", "y", "x"}
FALSE_WORDS = {"false", "no", "0", "n"}


def cell_text(value):
    """What a cell holds, as text: a blank is "", a whole number has no ".0"."""
    if type(value) is str:  # the common case, first
        return normalise_newlines(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return normalise_newlines(str(value))


class TextWidget(widgets.Widget):
    """Text as it is (line endings normalised); an empty cell is an empty text, never None."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    """A date: a spreadsheet date cell, YYYY-MM-DD, or D/M/YYYY and M/D/YYYY only in the order the importer chose."""

    def clean(self, value, row=None, date_order="iso", **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            if value.time() != datetime.time(0):
                raise ValueError(_("'%(value)s' has a time of day; give only the date.") % {"value": value})
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float):
            raise ValueError(
                _("%(value)s is a number, not a date: format the cell as a date or write YYYY-MM-DD.")
                % {"value": cell_text(value)}
            )
        text = str(value).strip()
        if midnight := _ISO_MIDNIGHT.match(text):
            text = midnight.group(1)
        if match := _ISO_DATE.match(text):
            return self._date(text, *map(int, match.groups()))
        match = _NUMERIC_DATE.match(text)
        if match is None:
            raise ValueError(_("'%(value)s' is not a date: write it as YYYY-MM-DD.") % {"value": text})
        first, second, year = map(int, match.groups())
        if date_order == "dmy":
            return self._date(text, year, second, first)
        if date_order == "mdy":
            return self._date(text, year, first, second)
        raise ValueError(
            _(
                "'%(value)s' could be read day first or month first: write it as YYYY-MM-DD, or choose "
                "the date order (day first or month first) for the import."
            )
            % {"value": text}
        )

    def _date(self, text, year, month, day):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a valid date.") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return value  # a date cell in XLSX, YYYY-MM-DD in CSV


class IntegerWidget(widgets.Widget):
    """A whole number, or a blank."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValueError(_("'%(value)s' is not a whole number.") % {"value": cell_text(value)})
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        if _WHOLE_NUMBER.match(text):
            return int(text)
        raise ValueError(_("'%(value)s' is not a whole number.") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return value


class BooleanWidget(widgets.Widget):
    """TRUE/FALSE (also yes/no, 1/0); a blank is false."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).strip().lower()
        if text == "" or text in FALSE_WORDS:
            return False
        if text in TRUE_WORDS:
            return True
        raise ValueError(_("'%(value)s' is not TRUE or FALSE.") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return bool(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key given by its code or slug, with an error that says what was not found.

    The import reads every value of the column at once (`preload`), then each row looks its
    value up in memory.
    """

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or str(model._meta.verbose_name)
        self.cache = None

    def key(self, value):
        """The lookup value of a cell, or None for a blank."""
        if value is None:
            return None
        text = cell_text(value).strip()
        if text == "":
            return None
        if self.field == "code":
            return text.upper()
        if self.field == "pk":
            if not _WHOLE_NUMBER.match(text):
                raise ValueError(_("Unknown %(label)s '%(value)s'.") % {"label": self.label, "value": text})
            return int(text)
        return text

    def preload(self, values):
        keys = set()
        for value in values:
            try:
                key = self.key(value)
            except ValueError:
                continue
            if key is not None:
                keys.add(key)
        self.cache = {}
        keys = sorted(keys, key=str)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            for obj in self.model._default_manager.filter(**{f"{self.field}__in": chunk}):
                self.cache[getattr(obj, self.field)] = obj

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if key is None:
            return None
        if self.cache is not None:
            obj = self.cache.get(key)
        else:
            obj = self.model._default_manager.filter(**{self.field: key}).first()
        if obj is None:
            raise ValueError(_("Unknown %(label)s '%(value)s'.") % {"label": self.label, "value": key})
        return obj

    def render(self, value, obj=None, **kwargs):
        return None if value is None else getattr(value, self.field)


class LookupManyWidget(widgets.ManyToManyWidget):
    """Several records given by slug, separated by commas; an unknown one is an error, not dropped."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)
        self.label = label or str(model._meta.verbose_name)
        self.cache = None

    def keys(self, value):
        text = cell_text(value)
        return [item.strip() for item in text.split(self.separator) if item.strip()]

    def preload(self, values):
        wanted = sorted({key for value in values for key in self.keys(value)})
        self.cache = {}
        for start in range(0, len(wanted), 500):
            for obj in self.model._default_manager.filter(**{f"{self.field}__in": wanted[start : start + 500]}):
                self.cache[str(getattr(obj, self.field))] = obj

    def clean(self, value, row=None, **kwargs):
        wanted = list(dict.fromkeys(self.keys(value)))
        if self.cache is None:
            self.preload([value])
        found = [self.cache[key] for key in wanted if key in self.cache]
        missing = [key for key in wanted if key not in self.cache]
        if missing:
            raise ValueError(_("Unknown %(label)s '%(value)s'.") % {"label": self.label, "value": "', '".join(missing)})
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(str(getattr(item, self.field)) for item in value.all())


def process_field(attribute="process", column_name=None):
    return fields.Field(
        attribute=attribute,
        column_name=column_name or attribute,
        widget=LookupWidget(Process, "slug", label=_("process")),
    )


def country_field(attribute="country"):
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=LookupWidget(Country, "code", _("country code"))
    )


class PortalResource(resources.ModelResource):
    """What every import and export of the portal shares: validation, scoping, atomicity, history."""

    def __init__(self, user=None, date_order="iso", **kwargs):
        super().__init__()
        self.user = user
        self.date_order = date_order if date_order in DATE_ORDERS else "iso"

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.BooleanField):
            return BooleanWidget
        if isinstance(f, models.DateTimeField):
            return widgets.DateTimeWidget
        if isinstance(f, models.DateField):
            return DateWidget
        if isinstance(f, models.IntegerField):
            return IntegerWidget
        if isinstance(f, models.CharField | models.TextField):
            return TextWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        return {}

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """Import every row or none: a dry run, or any row with an error, saves nothing, whoever calls."""
        from .bulk import BulkImport  # the machinery below the resources

        user = kwargs.get("user") or self.user
        bulk = BulkImport(
            self,
            user=user,
            date_order=self.date_order,
            progress=kwargs.get("progress"),
            file_name=kwargs.get("file_name", ""),
        )
        return bulk.run(dataset, dry_run=dry_run)

    def get_queryset(self):
        # Existing records are looked up among the rows the user may see (their own, public ones,
        # everything for the Support Unit): a match with another process's public record is
        # reported rather than silently duplicated, while a hidden record of another process is
        # not there for this user — a row matching it neither reveals it nor touches it.
        manager = self._meta.model._default_manager
        if self.user is None or not scoping.is_scoped(self._meta.model):
            return manager.all()
        seen = Q(pk__in=manager.visible_to(self.user).values("pk")) | Q(pk__in=manager.public().values("pk"))
        return manager.filter(seen)

    def filter_export(self, queryset, **kwargs):
        user = kwargs.get("user") or self.user
        if user is None:
            return queryset.none()
        queryset = queryset.visible_to(user) if scoping.is_scoped(queryset.model) else queryset
        # Every related value a row shows, read with the rows rather than once per row.
        related = [f.attribute for f in self.get_export_fields() if isinstance(f.widget, LookupWidget)]
        many = [f.attribute for f in self.get_export_fields() if isinstance(f.widget, LookupManyWidget)]
        return queryset.select_related(*related).prefetch_related(*many)

    def check_owners(self, bulk, plan, values, errors):
        """Checks of a planned record's links to processes particular to the resource (a meeting's organizers)."""

    def validate_record(self, instance):
        """Further validation of a record before it is saved; raise ValidationError."""
