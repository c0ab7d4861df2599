"""Practices and calls in French and Spanish: pages, directory and site search, the feed, the admin's
versions, and the dispatch that carries a wholly translated practice or call onto the exchange."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices import workflow
from practices.models import CallForPractices, Practice

from .conftest import make_practice, publish
from .test_admin import ADD, practice_form

pytestmark = pytest.mark.django_db

FRENCH = {
    "title_fr": "Orientation des travailleurs avant le départ",
    "summary_fr": "Les travailleurs apprennent leurs droits avant de partir.",
    "what_was_done_fr": "Des cours de deux jours dans huit districts.",
    "results_fr": "12 000 travailleurs formés.",
    "lessons_learned_fr": "Les cours trop proches du départ étaient désertés.",
}


@pytest.fixture
def french(colombo, colombo_secretariat, support_unit, objective_6):
    """A published practice with a whole French version and no Spanish one."""
    return publish(make_practice(colombo, objectives=[objective_6], **FRENCH), colombo_secretariat, support_unit)


def test_a_french_version_shows_on_french_pages_and_a_missing_one_falls_back_marked(client, french):
    path = f"/practices/{french.pk}/"
    page = client.get("/fr" + path).content.decode()
    assert FRENCH["title_fr"] in page and FRENCH["lessons_learned_fr"] in page
    assert "translation-note" not in page
    spanish = client.get("/es" + path).content.decode()
    assert f'<span lang="en">{french.title}</span>' in spanish and "translation-note" in spanish
    assert FRENCH["title_fr"] not in spanish
    assert FRENCH["title_fr"] in client.get("/fr/practices/").content.decode()
    assert "translation-note" not in client.get(path).content.decode()


def test_the_directory_the_site_search_and_the_feed_use_the_page_language(client, french):
    assert FRENCH["title_fr"] in client.get("/fr/practices/", {"q": "désertés"}).content.decode()
    assert french.title not in client.get("/practices/", {"q": "désertés"}).content.decode()
    assert f"/fr/practices/{french.pk}/" in client.get("/fr/search/", {"q": "Orientation départ"}).content.decode()
    feed = feedparser.parse(client.get("/fr/practices/feed/atom/").content)
    assert not feed.bozo and [entry.title for entry in feed.entries] == [FRENCH["title_fr"]]
    feed = feedparser.parse(client.get("/es/practices/feed/atom/").content)
    assert [entry.title for entry in feed.entries] == [french.title]


def test_the_api_and_the_export_keep_the_originals(client, french):
    client.cookies["portal_language"] = "fr"
    assert client.get(f"/api/v1/practices/{french.pk}/").json()["title"] == french.title
    export = client.get("/fr/practices/", {"format": "json"})
    body = (b"".join(export.streaming_content) if export.streaming else export.content).decode()
    assert french.title in body


def test_a_wholly_translated_practice_reaches_the_exchange_in_french_only(french):
    dispatch = french.dispatch
    assert dispatch.title == french.title and french.summary in dispatch.body
    assert dispatch.title_fr == FRENCH["title_fr"] and FRENCH["summary_fr"] in dispatch.body_fr
    assert FRENCH["summary_fr"] in dispatch.body_html_fr
    assert dispatch.title_es == "" and dispatch.body_es == ""  # no Spanish version: the original


def test_a_partial_version_is_not_carried_onto_the_dispatch(colombo, colombo_secretariat, objective_6):
    practice = make_practice(colombo, objectives=[objective_6], title_es="Orientación previa a la partida")
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice.refresh_from_db()
    assert practice.dispatch.title_es == "" and practice.dispatch.body_es == ""


def test_a_call_in_french_is_shown_and_announced_in_french(client, support_unit, colombo, open_call):
    call = CallForPractices.objects.create(
        title="Skills partnerships",
        title_fr="Partenariats pour les compétences",
        description="Practices on skills.",
        description_fr="Des pratiques sur les compétences.",
        criteria="Measured results.",
        criteria_fr="Des résultats mesurés.",
        deadline=open_call.deadline,
        addressed_to_all=True,
    )
    call = workflow.call_open(call=call, user=support_unit)
    page = client.get(f"/fr/practices/calls/{call.pk}/").content.decode()
    assert "Partenariats pour les compétences" in page and "Des résultats mesurés." in page
    assert "translation-note" not in page
    spanish = client.get(f"/es/practices/calls/{call.pk}/").content.decode()
    assert '<span lang="en">Skills partnerships</span>' in spanish
    assert "Partenariats pour les compétences" in call.announcement.title_fr
    assert "Des résultats mesurés." in call.announcement.body_fr and call.announcement.title_es == ""
    assert "Partenariats pour les compétences" in client.get("/fr/exchange/").content.decode()


def test_the_admin_saves_the_french_and_spanish_versions(client, colombo, colombo_secretariat, objective_6):
    client.force_login(colombo_secretariat)
    assert "French and Spanish versions" in client.get(ADD).content.decode()
    response = client.post(
        ADD, practice_form(colombo, objective_6, title_fr="Centres de ressources", summary_es="Centros que asesoran.")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice = Practice.objects.get()
    assert practice.title_fr == "Centres de ressources" and practice.summary_es == "Centros que asesoran."


def test_the_call_admin_saves_its_versions(client, support_unit, unopened_call):
    client.force_login(support_unit)
    url = reverse("admin:practices_callforpractices_change", args=[unopened_call.pk])
    assert 'name="criteria_es"' in client.get(url).content.decode()
    data = {
        "title": unopened_call.title,
        "title_es": "Convocatoria secreta",
        "description": "About.",
        "criteria": "Criteria.",
        "criteria_es": "Criterios.",
        "deadline": unopened_call.deadline.isoformat(),
        "visibility": "public",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    unopened_call.refresh_from_db()
    assert unopened_call.title_es == "Convocatoria secreta" and unopened_call.criteria_es == "Criterios."


def test_french_pages_cost_the_same_queries_as_english_ones(client, french, objective_6):
    for path in (f"/practices/{french.pk}/", "/practices/", "/gcm-objectives/6/", "/practices/feed/atom/"):
        counts = []
        for prefix in ("", "/fr", "/es"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(prefix + path).status_code == 200
            counts.append(len(queries))
        assert len(set(counts)) == 1, (path, counts)
