"""The API answers errors in the reader's language (Accept-Language), Django's 404 included."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def in_language(language, message, **values):
    with translation.override(language):
        return translation.gettext(message) % values if values else translation.gettext(message)


def test_a_validation_error_is_in_the_readers_language(client):
    response = client.get("/api/v1/meetings/", {"page_size": "abc"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response.json() == {"page_size": [in_language("es", "A whole number from 1 to %(max)s.", max=100)]}
    assert response.json()["page_size"][0] != "A whole number from 1 to 100."


def test_a_missing_record_is_said_in_the_readers_language(client):
    response = client.get("/api/v1/meetings/999999/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json() == {"detail": in_language("fr", "No such public record, or no such page.")}
    english = client.get("/api/v1/meetings/999999/").json()["detail"]
    assert english == "No such public record, or no such page."
