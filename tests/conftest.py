"""Shared pytest fixtures: small, explicit, built with model-bakery."""

import importlib

import pytest
from django.db import connection
from model_bakery import baker

from portal.searchdocument import add_search_document

SEARCH_DOCUMENT_MIGRATIONS = ("rcps.migrations.0005_search_document", "meetings.migrations.0006_search_document")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is built from the models (--no-migrations); add what only migrations create.

    On PostgreSQL the search documents are generated columns that the models do not declare.
    """
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        for module in SEARCH_DOCUMENT_MIGRATIONS:
            for table, title, others, replaced in importlib.import_module(module).TABLES:
                add_search_document(editor, table, title, others, replaced)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def country(db):
    return baker.make("rcps.Country", code="LK", alpha3="LKA", name="Sri Lanka")


@pytest.fixture
def process(db):
    return baker.make("rcps.Process", name="Colombo Process", acronym="CP", slug="colombo-process", kind="rcp")
