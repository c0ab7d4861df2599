"""Free-text search: the one helper behind every directory's `q` filter and the site search.

Directories match words: every word of the query must appear in one of the listed fields
(case-insensitive), on any database.

The site search ranks. Each searchable model declares a stored `search_document` column
(`search_document_field`): on PostgreSQL the English tsvector of its title (weight A) and its
other text (weight B), kept current by the database on every write and read through a GIN
index; on SQLite the same text joined, searched with LIKE, the title ranking first.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import get_language

CONFIG = "english"
# The text-search configuration of each content language's columns (title_fr, text_es, …).
LANGUAGE_CONFIGS = {"fr": "french", "es": "spanish"}


def translated_columns(model):
    """(language, [columns]) of the active language's versions of `model`'s texts, or None.

    English pages search the originals only (the stored English document); a French or Spanish
    page searches the originals and the versions in its language.
    """
    language = (get_language() or "en").split("-")[0]
    fields = getattr(model, "TRANSLATED_FIELDS", ())
    if language not in LANGUAGE_CONFIGS or not fields:
        return None
    return language, [f"{field}_{language}" for field in fields]


def search_terms(value):
    """The words of a free-text query (at most ten, so a pasted essay stays cheap)."""
    return value.split()[:10]


def matching_words(queryset, text, fields):
    """Rows where every word of `text` appears in one of `fields` (case-insensitive)."""
    for word in search_terms(text):
        condition = Q()
        for field in fields:
            condition |= contains(queryset.model, field, word)
        queryset = queryset.filter(condition)
    return queryset


def contains(model, field, word):
    """`field` contains `word`. A field of the row a foreign key points to ("country__name") is
    matched in that small table first, then by key: a join would test every row of the large table
    against the joined text (a focal point search 17 → 6–11 ms at scale 1)."""
    name, _, rest = field.partition("__")
    related = model._meta.get_field(name) if rest else None
    if related is not None and related.is_relation and (related.many_to_one or related.one_to_one):
        matches = related.related_model._base_manager.filter(**{f"{rest}__icontains": word})
        return Q(**{f"{name}__in": matches.values(related.target_field.name)})
    return Q(**{f"{field}__icontains": word})


def search_filter(fields):
    """A django-filter `method=` for a directory's `q` box, searching `fields`."""

    def method(queryset, name, value):
        translated = translated_columns(queryset.model)  # a French page also finds the French versions
        return matching_words(queryset, value, [*fields, *(translated[1] if translated else [])])

    return method


class SearchDocument(models.Func):
    """The expression of a generated `search_document` column: a weighted tsvector, or plain text.

    Written out as literal SQL (no parameters), as a generated column's definition must be.
    """

    def __init__(self, title, *others):
        self.title_field = title
        super().__init__(F(title), *(F(other) for other in others), output_field=SearchVectorField())

    def _texts(self, compiler):
        return [f"COALESCE({compiler.compile(expression)[0]}, '')" for expression in self.get_source_expressions()]

    def as_sql(self, compiler, connection, **extra_context):
        # No tsvector outside PostgreSQL: the text itself, for LIKE.
        return " || ' ' || ".join(self._texts(compiler)), []

    def as_postgresql(self, compiler, connection, **extra_context):
        title, *others = self._texts(compiler)
        rest = " || ' ' || ".join(others) or "''"
        return (
            f"setweight(to_tsvector('{CONFIG}'::regconfig, {title}), 'A') || "
            f"setweight(to_tsvector('{CONFIG}'::regconfig, {rest}), 'B')",
            [],
        )


def search_document_field(title, *others):
    """The stored search column of a model: `search_document = search_document_field("title", "text")`."""
    return models.GeneratedField(
        expression=SearchDocument(title, *others),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
        serialize=False,
    )


class _NoStatement:
    def __str__(self):
        return ""


class PostgresGinIndex(GinIndex):
    """A GIN index on PostgreSQL and none elsewhere.

    Django has no per-database index; SQLite cannot build a GIN index and searches its
    text column with LIKE, so there the statement is empty. Kept custom for that reason only.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NoStatement()
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NoStatement()
        return super().remove_sql(model, schema_editor, **kwargs)


def search_document_index(model_name):
    return PostgresGinIndex(fields=["search_document"], name=f"{model_name}_search_gin")


def ranked_search(queryset, text, title_field, fields=None):
    """Rows of `queryset` matching `text`, each annotated with a `rank` (higher is better), in no order.

    PostgreSQL: websearch syntax against the stored tsvector, ranked by weight.
    Elsewhere, and for a model without a stored document (pass its `fields`): every word in one of
    the fields; the whole text in the title ranks first, then all words in the title.
    """
    translated = translated_columns(queryset.model)
    if fields is None and connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        if not translated:
            return queryset.filter(search_document=query).annotate(rank=SearchRank(F("search_document"), query))
        # French and Spanish versions, with their language's stemming (migrations / migración):
        # computed for the rows that have one; the English document keeps its stored index.
        config = LANGUAGE_CONFIGS[translated[0]]
        local = SearchQuery(text, search_type="websearch", config=config)
        title, *others = translated[1]
        vector = SearchVector(title, weight="A", config=config)
        if others:
            vector = vector + SearchVector(*others, weight="B", config=config)
        queryset = queryset.annotate(translated_document=vector)
        return queryset.filter(Q(search_document=query) | (~Q(**{title: ""}) & Q(translated_document=local))).annotate(
            rank=Greatest(SearchRank(F("search_document"), query), SearchRank(F("translated_document"), local))
        )
    words = search_terms(text)
    if not words:
        return queryset.none()
    extra = translated[1] if translated else []
    queryset = matching_words(queryset, text, [*(fields or ["search_document"]), *extra])
    in_title = Q()
    for word in words:
        in_title &= Q(**{f"{title_field}__icontains": word})
    return queryset.annotate(
        rank=Case(
            When(**{f"{title_field}__icontains": text}, then=Value(3)),
            When(in_title, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
