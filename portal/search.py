"""Site-wide search over public processes, countries, meetings, documents, recommendations,
dispatches, focal points and published surveys, grouped by type.

The large tables declare a stored `search_document` column; `core.search.ranked_search` matches
and ranks against it (PostgreSQL full text, or the same text with LIKE on SQLite). Countries and
focal points, small and without one, are matched word by word on the fields their lines show —
a focal point never by the name of a person (personal data).
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.pagecache import cached_value, rows_tag, vocabularies
from core.search import ranked_search
from exchange.models import Dispatch
from meetings.models import Document, Meeting
from practices.models import Practice
from rcps.models import FocalPoint, Process
from recommendations.models import Recommendation
from reference.models import Country
from surveys.models import Survey


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    model: type
    title_field: str
    # What a result line shows beyond the row itself (a meeting's place names its country).
    related: tuple = ()
    # For a model without a stored search document: the fields searched word by word.
    fields: tuple | None = None
    prefetch: tuple = ()

    def public(self):
        # Every country is public; every other type says what the public may see in `.public()`.
        return self.model.objects.all() if self.model is Country else self.model.objects.public()

    def dependencies(self):
        """What its matches depend on: any write to its rows (a new title ranks differently), a
        change of a parent that decides which are public (its rows tag), the names of processes
        and countries (a focal point is found by them)."""
        return (self.model, rows_tag(self.model), *vocabularies())


SEARCH_TYPES = (
    SearchType("processes", _("Processes"), Process, "name"),
    SearchType("countries", _("Countries"), Country, "name", ("region",), fields=("name", "official_name")),
    SearchType("meetings", _("Meetings"), Meeting, "title", ("country",)),
    SearchType("documents", _("Documents"), Document, "title"),
    SearchType("recommendations", _("Recommendations"), Recommendation, "title"),
    SearchType(
        "dispatches",
        _("Dispatches"),
        Dispatch,
        "title",
        ("sender_process",),
        prefetch=(Prefetch("sending_processes", queryset=Process.objects.public()),),
    ),
    SearchType("practices", _("Good practices"), Practice, "title", ("process",)),
    SearchType(
        "focal-points",
        _("Focal points"),
        FocalPoint,
        "institution",
        ("process", "country"),
        fields=("institution", "position", "country__name", "process__name", "process__acronym"),
    ),
    # Surveys whose results are published (few: matched word by word, without a stored search column).
    SearchType("surveys", _("Surveys"), Survey, "title", fields=("title", "purpose", "description", "conducted_by")),
)
SEARCH_TYPES_BY_KEY = {search_type.key: search_type for search_type in SEARCH_TYPES}


# A common word can match tens of thousands of records, and ranking costs a little for each:
# only this many matches of a type (the most recently added) are ranked and counted, so a search
# costs about the same however large the tables grow; the page then says "1000+".
RANKED_MATCHES = 1_000


def search(search_type, text):
    """(primary keys best first, whether there are more) for the public records of one type matching `text`.

    Public records only, the same for every reader: kept in the cache until a write to what the
    matches depend on (`SearchType.dependencies`), per language (a French page also searches the
    French versions). A common word's thousand matches are then ranked once per change of the
    data, not on every request; `records()` reads the rows of the page shown each time.
    """
    return cached_value(
        f"search:{search_type.key}:{get_language()}:{text}",
        lambda: rank_matches(search_type, text),
        depends_on=search_type.dependencies(),
    )


def rank_matches(search_type, text):
    """`search()` without the cache: ranks at most RANKED_MATCHES keys, the most recently added matches.

    Ranking a thousand (key, rank, title) rows here is cheaper and steadier than letting the
    database join and sort whole rows.
    """
    rows = ranked_matches(search_type, text)
    newest = list(rows.order_by("-pk").values_list("pk", "rank", search_type.title_field)[: RANKED_MATCHES + 1])
    best_first = sorted(newest[:RANKED_MATCHES], key=lambda row: (-row[1], row[2], row[0]))
    return [pk for pk, _rank, _title in best_first], len(newest) > RANKED_MATCHES


def records(search_type, keys):
    """The public records with these primary keys, in the same order, with what their result lines show.

    Read through `public()` again: keys kept in the cache never show a record hidden since,
    even one changed by a write that sent no signal.
    """
    found = (
        search_type.public().select_related(*search_type.related).prefetch_related(*search_type.prefetch).in_bulk(keys)
    )
    return [found[key] for key in keys if key in found]


def ranked_matches(search_type, text):
    """Public records of one type matching `text`, each with a `rank`, in no order (see core.search)."""
    fields = list(search_type.fields) if search_type.fields else None
    return ranked_search(search_type.public(), text, search_type.title_field, fields)
