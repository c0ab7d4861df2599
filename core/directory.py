"""What every public directory shares: a FilterView with exports, stable sorting and active-filter chips."""

import hashlib

import django_filters
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponseBadRequest
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from .exports import EXPORT_FORMATS, export_response
from .pagecache import (
    PageDependenciesMixin,
    cached_value,
    depends_on,
    list_dependencies,
    own_tag,
    related_models,
    rows_tag,
    versions_digest,
    vocabularies,
)

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


class BoundedCountPaginator(Paginator):
    """A paginator that counts at most COUNT_BOUND rows: `SELECT COUNT(*) FROM (… LIMIT bound + 1)`.

    An exact COUNT(*) over tens of thousands of matches costs more than the page itself and
    grows with the data; beyond the bound the page says "1000+" and offers the pages up to it
    (41 pages of 25), so the deepest page costs an OFFSET of 1,000 rows at most. Sorting the
    other way or filtering reaches the rest.
    """

    count_bound = 1_000

    @cached_property
    def count(self):
        # Without ORDER BY the database stops reading after bound + 1 rows instead of sorting them all.
        return self.object_list.order_by()[: self.count_bound + 1].count()

    @property
    def count_is_bounded(self):
        return self.count > self.count_bound

    @property
    def total_display(self):
        return f"{self.count_bound}+" if self.count_is_bounded else str(self.count)


class DirectoryView(PageDependenciesMixin, FilterView):
    """A filtered, sorted, paginated public list that also exports its current result.

    `?format=csv` or `?format=json` streams every matching row (not just the page) with
    `export_columns`; the same filters apply, so an export link is as bookmarkable as the page.
    The page (and its cached filter form) depends on its model, the models its rows point to, the
    vocabularies, and `depends_on_models`: any other model it shows (see core.pagecache).
    """

    paginate_by = 25
    paginator_class = BoundedCountPaginator
    strict = True
    export_filename = "export"
    export_columns = ()
    export_url = None  # a DetailUrl where export_columns are Cells (read as values)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt not in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain; charset=utf-8")
        columns = self.get_export_columns()
        return export_response(fmt, filterset.qs, columns, request, self.export_filename, self.export_url)

    def get_export_columns(self):
        return self.export_columns

    # Parameters by which a visitor searches or sorts on any field, display-only ones too (core.pagecache, "Rows").
    display_field_params = ("q", "sort")

    def page_dependencies(self):
        """What every page of this filtering depends on, whichever rows it shows: the rows tags of its
        model and of the models it points to (a title edit moves neither), the vocabularies, and
        `depends_on_models`; searched or sorted by the visitor, any write to its model."""
        model = self.get_filterset_class()._meta.model
        searched = [model] if any(self.request.GET.get(name) for name in self.display_field_params) else []
        related = [rows_tag(other) for other in related_models(model)]
        return [rows_tag(model), *searched, *related, *vocabularies(), *self.depends_on_models]

    def shown_dependencies(self, rows):
        """What this page depends on for the `rows` it shows and the records its filters name."""
        chosen = []
        if self.filterset.is_bound and self.filterset.is_valid():
            chosen = [value for value in self.filterset.form.cleaned_data.values() if isinstance(value, models.Model)]
        # A record named by a filter shows by its name: its own tag, not what points to it.
        return [*list_dependencies(self.object_list, rows), *(own_tag(type(record), record.pk) for record in chosen)]

    def cached_for_filters(self, name, compute):
        """`compute()` for the current filtering (any page of it), cached until the data changes.

        For a chart of the whole filtered result: paging through it does not recount it. Only for
        visitors: a signed-in participant's result includes their processes' participants-only rows,
        which must neither be shared with others nor be answered from the visitors' copy.
        """
        if self.request.user.is_authenticated:
            return compute()
        _timeout, key = filter_form_cache(self.request, type(self).__name__, self.page_dependencies())
        return cached_value(f"{name}:{key}", compute, self.page_dependencies()) if key else compute()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            active_filters=active_filters(self.filterset, self.request),
            filter_form_cache=filter_form_cache(self.request, type(self).__name__, self.page_dependencies()),
            **kwargs,
        )
        depends_on(self.request, *self.shown_dependencies(list(context["object_list"])))
        return context


def filter_form_cache(request, name, dependencies=()):
    """(timeout, key) for caching the rendered filter form, the same for every page of one filtering.

    Rendering a form with long option lists (processes, countries) costs more than the page's
    queries, and it only changes with the filters chosen, the language and the data it shows
    (`dependencies`: models, as for `core.pagecache.depends_on`; any write when there are none).
    A timeout of 0 disables the fragment cache (CHOICE_CACHE_ENABLED=false, as in tests).
    """
    if not getattr(settings, "CHOICE_CACHE_ENABLED", True) or request.user.is_authenticated:
        # A signed-in participant's option lists add their own processes: never shared.
        return 0, ""
    query = request.GET.copy()
    for param in ("page", "format"):
        query.pop(param, None)
    key = f"{name}:{versions_digest(*dependencies)}:{get_language()}:{query.urlencode()}"
    return settings.PAGE_CACHE_TIMEOUT, hashlib.sha256(key.encode()).hexdigest()
