"""English, French and Spanish: addresses, the switcher, hreflang, the remembered choice, content, dates."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import feedparser
import icalendar
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from model_bakery import baker

from core.dates import date_range
from exchange.models import NotificationPreference
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db


def in_language(language, message):
    with translation.override(language):
        return translation.gettext(message)


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


# Addresses and the switcher ------------------------------------------------------------------


def test_english_addresses_are_unchanged_and_french_and_spanish_are_prefixed():
    assert reverse("rcps:process_list") == "/processes/"
    with translation.override("fr"):
        assert reverse("rcps:process_list") == "/fr/processes/"
    with translation.override("es"):
        assert reverse("meetings:meeting_detail", kwargs={"pk": 4}) == "/es/meetings/4/"
    # The back office and the API have one address in every language.
    with translation.override("es"):
        assert reverse("admin:index") == "/admin/"


def test_a_french_browser_is_sent_to_the_french_home_page(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    page = client.get("/fr/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert html_lang(page) == "fr"
    assert in_language("fr", "Search the portal") in page.text


def test_a_browser_that_chose_english_stays_on_english_pages(client):
    client.cookies["portal_language"] = "en"
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_the_switcher_keeps_the_page_and_its_query_string(client):
    page = client.get("/fr/meetings/?q=Dhaka&sort=date")
    links = re.findall(r'href="(/language/es/\?[^"]+)"', page.text)
    assert links, "no link to Spanish"
    target = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)["next"][0]
    assert target == "/es/meetings/?q=Dhaka&sort=date"
    response = client.get(links[0].replace("&amp;", "&"))
    assert response.status_code == 302
    assert response["Location"] == "/es/meetings/?q=Dhaka&sort=date"
    assert response.cookies["portal_language"].value == "es"


def test_switching_to_english_drops_the_prefix_and_is_remembered(client):
    response = client.get("/language/en/", {"next": "/fr/processes/?kind=rcp"})
    assert response["Location"] == "/processes/?kind=rcp"
    assert client.get("/processes/?kind=rcp", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_the_switcher_never_sends_anyone_to_another_site(client):
    response = client.get("/language/es/", {"next": "https://elsewhere.example/phish"})
    assert response["Location"] == "/es/"
    assert client.get("/language/xx/", {"next": "/"}).status_code == 404


def test_every_public_page_names_its_language_versions(client):
    page = client.get("/fr/meetings/?q=Dhaka")
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page.text))
    assert alternates == {
        "en": "http://testserver/meetings/",
        "fr": "http://testserver/fr/meetings/",
        "es": "http://testserver/es/meetings/",
        "x-default": "http://testserver/meetings/",
    }


def test_the_sitemap_lists_each_page_in_each_language_with_its_alternates(client):
    baker.make("rcps.Process", slug="colombo-process", name="Colombo Process")
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    for address in ("/processes/colombo-process/", "/fr/processes/colombo-process/", "/es/processes/colombo-process/"):
        assert f"http://testserver{address}" in urls
    links = {
        link.get("hreflang"): link.get("href")
        for link in urls["http://testserver/fr/processes/colombo-process/"].findall("x:link", ns)
    }
    assert links == {
        "en": "http://testserver/processes/colombo-process/",
        "fr": "http://testserver/fr/processes/colombo-process/",
        "es": "http://testserver/es/processes/colombo-process/",
        "x-default": "http://testserver/processes/colombo-process/",
    }


# The page cache ---------------------------------------------------------------------------------


def test_the_page_cache_keeps_one_copy_per_language(client, settings, tmp_path, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_DIR = str(tmp_path / "versions")
    english = client.get("/meetings/")
    french = client.get("/fr/meetings/")
    with django_assert_num_queries(0):  # both now come from the cache, each in its own language
        assert html_lang(client.get("/meetings/")) == "en"
        assert html_lang(client.get("/fr/meetings/")) == "fr"
    assert html_lang(english) == "en" and html_lang(french) == "fr"


def test_a_french_browser_is_redirected_even_when_the_english_page_is_cached(client, settings, tmp_path):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_DIR = str(tmp_path / "versions")
    client.get("/processes/")
    assert client.get("/processes/", HTTP_ACCEPT_LANGUAGE="es").status_code == 302


# The back office follows the user's remembered choice ----------------------------------------------


def log_in(client, user):
    user.set_password("a-long-test-password-123")
    user.save()
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": "a-long-test-password-123", "next": "/admin/"}
    )
    assert response.status_code == 302
    return response


def test_a_secretariat_user_who_chose_spanish_sees_the_admin_in_spanish_after_logging_in_again(
    client, colombo_secretariat
):
    client.force_login(colombo_secretariat)
    client.get("/language/es/", {"next": "/admin/"})
    assert NotificationPreference.objects.get(user=colombo_secretariat).language == "es"
    client.post(reverse("admin:logout"))
    client.cookies.clear()  # another browser: only the stored preference remembers

    response = log_in(client, colombo_secretariat)
    assert response.cookies["portal_language"].value == "es"
    start = client.get("/admin/")
    assert html_lang(start) == "es"
    assert in_language("es", "E-mail notifications") in start.text
    changelist = client.get(reverse("admin:meetings_meeting_changelist"))
    assert html_lang(changelist) == "es"


def test_the_admin_speaks_the_browsers_language_until_a_choice_is_made(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    assert html_lang(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


def test_the_admin_switcher_returns_to_the_same_admin_page(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    response = client.get("/language/fr/", {"next": "/admin/meetings/meeting/?q=x"})
    assert response["Location"] == "/admin/meetings/meeting/?q=x"
    assert html_lang(client.get("/admin/meetings/meeting/?q=x")) == "fr"


# Content in several languages -------------------------------------------------------------------


def test_a_translated_title_is_shown_in_its_language_and_a_missing_one_falls_back_marked(client):
    meeting = baker.make(
        "meetings.Meeting",
        title="Ministerial Consultation",
        title_fr="Consultation ministérielle",
        start_date=datetime.date(2011, 4, 19),
    )
    french = client.get(f"/fr/meetings/{meeting.pk}/")
    assert "Consultation ministérielle" in french.text
    spanish = client.get(f"/es/meetings/{meeting.pk}/")
    assert '<span lang="en">Ministerial Consultation</span>' in spanish.text
    assert "translation-note" in spanish.text
    english = client.get(f"/meetings/{meeting.pk}/")
    assert "translation-note" not in english.text


def test_a_document_links_to_its_other_language_versions(client):
    original = baker.make("meetings.Document", title="Dhaka Declaration", language="en", url="https://example.org/en")
    french = baker.make(
        "meetings.Document",
        title="Déclaration de Dhaka",
        language="fr",
        translation_of=original,
        url="https://example.org/fr",
    )
    page = client.get(original.get_absolute_url())
    assert french.get_absolute_url() in page.text and 'lang="fr"' in page.text
    assert original.get_absolute_url() in client.get(french.get_absolute_url()).text
    # A French document's own title is no fallback on French pages.
    assert "translation-note" not in client.get(f"/fr/documents/{french.pk}/").text


def test_the_directories_search_the_versions_in_the_page_language(client):
    baker.make(
        "rcps.Process",
        slug="csm-example",
        name="South American Conference on Migration",
        name_es="Conferencia Suramericana",
    )
    assert "csm-example" in client.get("/es/processes/", {"q": "Suramericana"}).text
    assert "csm-example" not in client.get("/processes/", {"q": "Suramericana"}).text


def test_official_names_from_the_fixtures_cite_their_source(loaded):
    from rcps.models import Process

    sacm = Process.objects.get(slug="sacm")
    assert sacm.name_es == "Conferencia Suramericana sobre Migraciones"
    assert any("name_es" in source.get("supports", []) for source in sacm.sources)


# Dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "same_month", "across_months", "month"),
    [
        ("en", "4–5 June 2009", "30 June – 2 July 2009", "June 2009"),
        ("fr", "4–5 juin 2009", "30 juin – 2 juillet 2009", "juin 2009"),
        ("es", "4–5 de junio de 2009", "30 de junio – 2 de julio de 2009", "junio de 2009"),
    ],
)
def test_date_ranges_are_written_the_languages_way(language, same_month, across_months, month):
    with translation.override(language):
        assert date_range(datetime.date(2009, 6, 4), datetime.date(2009, 6, 5)) == same_month
        assert date_range(datetime.date(2009, 6, 30), datetime.date(2009, 7, 2)) == across_months
        assert date_range(datetime.date(2009, 6, 4), precision="month") == month
        assert date_range(datetime.date(2009, 12, 30), datetime.date(2010, 1, 2)).endswith("2010")


def test_a_meeting_page_shows_its_dates_in_the_page_language(client):
    meeting = baker.make(
        "meetings.Meeting", title="Forum", start_date=datetime.date(2009, 6, 4), end_date=datetime.date(2009, 6, 5)
    )
    assert "4–5 juin 2009" in client.get(f"/fr/meetings/{meeting.pk}/").text
    assert "4–5 de junio de 2009" in client.get(f"/es/meetings/{meeting.pk}/").text


# Feeds and calendars per language ------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_feeds_parse_in_every_language(client, prefix):
    make_dispatch(title="Statement on labour migration", title_fr="Déclaration sur les migrations de main-d'œuvre")
    for fmt in ("atom", "rss"):
        response = client.get(f"{prefix}/exchange/feed/{fmt}/")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.entries
        assert all(f"testserver{prefix}/exchange/" in entry.link for entry in feed.entries)
    language = prefix.strip("/") or "en"
    expected = "Déclaration sur les migrations" if language == "fr" else "Statement on labour migration"
    titles = [entry.title for entry in feedparser.parse(client.get(f"{prefix}/exchange/feed/atom/").content).entries]
    assert any(expected in title for title in titles)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_calendars_exist_per_language_with_translated_names(client, language):
    baker.make("meetings.Meeting", title="Forum", start_date=datetime.date(2030, 6, 4), date_precision="day")
    prefix = "" if language == "en" else f"/{language}"
    calendar = icalendar.Calendar.from_ical(client.get(f"{prefix}/meetings/calendar.ics").content)
    assert str(calendar["X-WR-CALNAME"]) == in_language(language, "RCP Portal — meetings")


def test_the_site_search_finds_the_spanish_version_on_a_spanish_page(client):
    baker.make(
        "rcps.Process",
        slug="csm-example",
        name="South American Conference on Migration",
        name_es="Conferencia Suramericana sobre Migraciones",
    )
    # "migración" finds "Migraciones": on PostgreSQL through the spanish text-search configuration.
    word = "Suramericana migración" if connection.vendor == "postgresql" else "Suramericana"
    assert "/es/processes/csm-example/" in client.get("/es/search/", {"q": word}).text
    assert "/processes/csm-example/" not in client.get("/search/", {"q": "Suramericana"}).text
