"""Site-wide search over public processes, meetings, documents and recommendations.

PostgreSQL: ranked full-text search (websearch syntax, English stemming) over each table's
stored `search_document` column (title weight A, other fields B) and its GIN index, added by
the apps' search-document migrations (portal.searchdocument).
Elsewhere (SQLite): every word must appear in one of the fields; title matches rank first.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from meetings.models import Document, Meeting
from rcps.models import Process, Recommendation

from .directory import search_terms
from .searchdocument import COLUMN, CONFIG


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    model: type
    title_field: str
    # The fields searched on SQLite; on PostgreSQL the search document holds the same fields.
    fields: tuple
    # What a result line shows beyond the row itself (a meeting's place names its country).
    related: tuple = ()


SEARCH_TYPES = (
    SearchType("processes", _("Processes"), Process, "name", ("name", "acronym", "region_note", "description")),
    SearchType("meetings", _("Meetings"), Meeting, "title", ("title", "city", "host", "description"), ("country",)),
    SearchType("documents", _("Documents"), Document, "title", ("title", "reference", "author", "description")),
    SearchType("recommendations", _("Recommendations"), Recommendation, "title", ("title", "text")),
)
SEARCH_TYPES_BY_KEY = {search_type.key: search_type for search_type in SEARCH_TYPES}


class StoredSearchDocument(Expression):
    """The table's generated tsvector column (PostgreSQL), which the model does not declare.

    Compiled against the query's own table alias, so it also works inside a subquery.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(COLUMN)}", []


# A common word can match tens of thousands of records, and ranking costs a little for each:
# only this many matches of a type (the most recently added) are ranked and counted, so a search
# costs about the same however large the tables grow; the page then says "1000+".
RANKED_MATCHES = 1_000


def search(search_type, text):
    """(primary keys best first, whether there are more) for the public records of one type matching `text`.

    Ranks at most RANKED_MATCHES keys, the most recently added matches. Ranking a thousand
    (key, rank, title) rows here is cheaper and steadier than letting the database join and
    sort whole rows; `records()` then reads only the rows of the page shown.
    """
    rows = ranked_matches(search_type, text)
    newest = list(rows.order_by("-pk").values_list("pk", "rank", search_type.title_field)[: RANKED_MATCHES + 1])
    best_first = sorted(newest[:RANKED_MATCHES], key=lambda row: (-row[1], row[2], row[0]))
    return [pk for pk, _rank, _title in best_first], len(newest) > RANKED_MATCHES


def records(search_type, keys):
    """The records with these primary keys, in the same order, with what their result lines show."""
    found = search_type.model.objects.select_related(*search_type.related).in_bulk(keys)
    return [found[key] for key in keys if key in found]


def ranked_matches(search_type, text):
    """Public records of one type matching `text`, each with a `rank`, in no order.

    PostgreSQL: the stored search document matches the query and gives the weighted rank.
    SQLite: every word in one of the fields; the whole text in the title ranks first, then all words.
    """
    queryset = search_type.model.objects.public()
    title = search_type.title_field
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        return (
            queryset.alias(document=StoredSearchDocument())
            .filter(document=query)
            .annotate(rank=SearchRank(F("document"), query))
        )
    words = search_terms(text)
    if not words:
        return queryset.none()
    in_title = Q()
    for word in words:
        condition = Q()
        for field in search_type.fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
        in_title &= Q(**{f"{title}__icontains": word})
    return queryset.annotate(
        rank=Case(
            When(**{f"{title}__icontains": text}, then=Value(3)),
            When(in_title, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
