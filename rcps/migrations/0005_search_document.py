"""A stored, weighted search document with a GIN index on processes and recommendations (PostgreSQL only).

See portal.searchdocument: it replaces the expression indexes of 0002_search_indexes.
"""

from django.db import migrations

from portal.searchdocument import search_document_operation

TABLES = (
    ("rcps_process", "name", ("acronym", "region_note", "description"), "rcps_process_search_gin"),
    ("rcps_recommendation", "title", ("text",), "rcps_recommendation_search_gin"),
)


class Migration(migrations.Migration):
    dependencies = [("rcps", "0004_recommendation_created_updated")]

    operations = [search_document_operation(TABLES)]
