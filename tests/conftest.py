"""Shared pytest fixtures: small, explicit, built with model-bakery."""

import pytest
from model_bakery import baker


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
