"""Site-wide search over public processes, meetings, documents and recommendations.

PostgreSQL: ranked full-text search (websearch syntax, English stemming) whose WHERE clause
matches the GIN expression indexes created in the apps' search-index migrations.
Elsewhere (SQLite): every word must appear in one of the fields; title matches rank first.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from meetings.models import Document, Meeting
from rcps.models import Process, Recommendation

from .directory import search_terms

CONFIG = "english"


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    model: type
    title_field: str
    # Field order matters: it is the index expression (see search_index_fields()).
    fields: tuple

    def public_queryset(self):
        queryset = self.model.objects.public()
        if self.model is Meeting:
            return queryset.with_public_related()
        if self.model is Document:
            return queryset.with_related()
        if self.model is Process:
            return queryset.select_related("secretariat")
        return queryset.select_related(None)


SEARCH_TYPES = (
    SearchType("processes", _("Processes"), Process, "name", ("name", "acronym", "region_note", "description")),
    SearchType("meetings", _("Meetings"), Meeting, "title", ("title", "city", "host", "description")),
    SearchType("documents", _("Documents"), Document, "title", ("title", "reference", "author", "description")),
    SearchType("recommendations", _("Recommendations"), Recommendation, "title", ("title", "text")),
)
SEARCH_TYPES_BY_KEY = {search_type.key: search_type for search_type in SEARCH_TYPES}


def search_vector(fields):
    """The unweighted document vector; the GIN index is built on exactly this expression."""
    return SearchVector(*fields, config=CONFIG)


def search(search_type, text):
    """Public records of one type matching `text`, best first."""
    queryset = search_type.public_queryset()
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        title = search_type.title_field
        others = [field for field in search_type.fields if field != title]
        weighted = SearchVector(title, weight="A", config=CONFIG) + SearchVector(*others, weight="B", config=CONFIG)
        return (
            queryset.annotate(document=search_vector(search_type.fields))
            .filter(document=query)
            .annotate(rank=SearchRank(weighted, query))
            .order_by("-rank", title, "pk")
        )
    words = search_terms(text)
    if not words:
        return queryset.none()
    title = search_type.title_field
    for word in words:
        condition = Q()
        for field in search_type.fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    in_title = Q()
    for word in words:
        in_title &= Q(**{f"{title}__icontains": word})
    return queryset.annotate(
        rank=Case(
            When(**{f"{title}__icontains": text}, then=Value(3)),
            When(in_title, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("-rank", title, "pk")
