"""The stored search document of a searchable table, on PostgreSQL: used by the apps' migrations.

Each searchable table gets a generated column `search_document`: the English tsvector of its
title (weight A) and its other text fields (weight B), computed by PostgreSQL on every insert
and update, with a GIN index. Searching and ranking read the stored vector instead of parsing
every matching row's text again, which for a common word at scale meant thousands of
to_tsvector() calls per request. Django's models do not declare the column (the database keeps
it current by itself); `portal.search` refers to it by name. SQLite has no such column: its
search uses LIKE.
"""

COLUMN = "search_document"
CONFIG = "english"


def _text(fields):
    return " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)


def add_search_document(schema_editor, table, title_field, other_fields, replaced_index):
    if schema_editor.connection.vendor != "postgresql":
        return
    document = (
        f"setweight(to_tsvector('{CONFIG}'::regconfig, {_text([title_field])}), 'A') || "
        f"setweight(to_tsvector('{CONFIG}'::regconfig, {_text(other_fields)}), 'B')"
    )
    schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({document}) STORED")
    schema_editor.execute(f"CREATE INDEX {table}_{COLUMN}_gin ON {table} USING gin ({COLUMN})")
    # The expression index the search used before; the stored column serves instead.
    schema_editor.execute(f"DROP INDEX IF EXISTS {replaced_index}")


def drop_search_document(schema_editor, table, all_fields, replaced_index):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {COLUMN}")
    vector = " || ' ' || ".join(f"coalesce({field}::text, '')" for field in all_fields)
    schema_editor.execute(
        f"CREATE INDEX {replaced_index} ON {table} USING gin (to_tsvector('{CONFIG}'::regconfig, {vector}))"
    )


def search_document_operation(tables):
    """A migration operation adding the search document to each (table, title, other fields, replaced index)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for table, title, others, replaced in tables:
            add_search_document(schema_editor, table, title, others, replaced)

    def backwards(apps, schema_editor):
        for table, title, others, replaced in tables:
            drop_search_document(schema_editor, table, (title, *others), replaced)

    return migrations.RunPython(forwards, backwards, elidable=False)
