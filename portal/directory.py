"""What every public directory shares: a FilterView with exports, stable sorting and active-filter chips."""

import django_filters
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from .exports import EXPORT_FORMATS, export_response

# Query parameters that are not filters: never shown as chips, dropped when a filter changes.
NON_FILTER_PARAMS = {"page", "sort", "format"}


class SortFilter(django_filters.OrderingFilter):
    """`?sort=` ordering that always ends on the primary key, so pages never shuffle."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # "?sort=," gives empty parameters: ignore them rather than order by a field named "".
        fields = [self.get_ordering_value(param) for param in value if param.strip("-")]
        return qs.order_by(*fields, "pk") if fields else qs


def search_terms(value):
    """The words of a free-text query (at most ten, so a pasted essay stays cheap)."""
    return value.split()[:10]


def active_filters(filterset, request):
    """(label, value, removal URL) for each filter the visitor applied; the URL keeps the others."""
    query_dict = request.GET
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chips = []
    form = filterset.form
    for name, value in form.cleaned_data.items():
        if name in NON_FILTER_PARAMS or value is None or value is False or value == "" or value == []:
            continue
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            display = dict((str(k), v) for k, v in field.choices).get(str(value), value)
        else:
            display = value
        remaining = query_dict.copy()
        for key in [name, "page", "format"] + [key for key, values in query_dict.lists() if values == [""]]:
            remaining.pop(key, None)
        chips.append((field.label, display, f"{request.path}?{remaining.urlencode()}" if remaining else request.path))
    return chips


class DirectoryView(FilterView):
    """A filtered, sorted, paginated public list that also exports its current result.

    `?format=csv` or `?format=json` streams every matching row (not just the page) with
    `export_columns`; the same filters apply, so an export link is as bookmarkable as the page.
    """

    paginate_by = 25
    strict = True
    export_filename = "export"
    export_columns = ()

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt not in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain; charset=utf-8")
        return export_response(fmt, filterset.qs, self.export_columns, request, self.export_filename)

    def get_context_data(self, **kwargs):
        return super().get_context_data(active_filters=active_filters(self.filterset, self.request), **kwargs)
