"""GIN indexes for the site search, on PostgreSQL only.

Each index is built on exactly the expression portal.search.search_vector() queries
(SearchVector over the same fields, English configuration), so the planner can use it.
SQLite has no such index; its search falls back to LIKE, so nothing is created there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = (
    ("Process", "rcps_process_search_gin", ("name", "acronym", "region_note", "description")),
    ("Recommendation", "rcps_recommendation_search_gin", ("title", "text")),
)


def _indexes(apps):
    for model_name, name, fields in INDEXES:
        yield apps.get_model("rcps", model_name), GinIndex(SearchVector(*fields, config="english"), name=name)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("rcps", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
