"""A stored, weighted search document with a GIN index on meetings and documents (PostgreSQL only).

See portal.searchdocument: it replaces the expression indexes of 0003_search_indexes.
"""

from django.db import migrations

from portal.searchdocument import search_document_operation

TABLES = (
    ("meetings_meeting", "title", ("city", "host", "description"), "meetings_meeting_search_gin"),
    ("meetings_document", "title", ("reference", "author", "description"), "meetings_document_search_gin"),
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_meeting_created_updated")]

    operations = [search_document_operation(TABLES)]
