"""The sitemap lists directory pages and public records only."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from model_bakery import baker

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {element.text for element in ET.fromstring(response.content).findall("s:url/s:loc", NS)}


def test_sitemap_lists_directories_and_public_records(client):
    process = baker.make("rcps.Process", slug="colombo")
    country = baker.make("reference.Country", code="LK", alpha3="LKA")
    baker.make("rcps.Participation", process=process, country=country)
    meeting = baker.make("meetings.Meeting", start_date=datetime.date(2011, 1, 1))
    document = baker.make("meetings.Document", url="https://example.org", meeting=meeting)
    recommendation = baker.make("recommendations.Recommendation")
    urls = {urlsplit(url).path for url in locations(client)}
    assert {"/processes/", "/meetings/", "/documents/", "/recommendations/", "/focal-points/", "/countries/"} <= urls
    for obj in (process, country, meeting, document, recommendation):
        assert obj.get_absolute_url() in urls


def test_sitemap_leaves_out_non_public_records_and_countries_without_public_processes(client):
    hidden = baker.make("rcps.Process", slug="hidden", visibility="confidential")
    country = baker.make("reference.Country", code="NP", alpha3="NPL")
    baker.make("rcps.Participation", process=hidden, country=country)
    meeting = baker.make("meetings.Meeting", start_date=datetime.date(2011, 1, 1), visibility="participants")
    session = baker.make("meetings.Meeting", start_date=datetime.date(2011, 1, 1), parent=meeting)
    document = baker.make("meetings.Document", url="https://example.org", meeting=meeting)
    recommendation = baker.make("recommendations.Recommendation", visibility="confidential")
    urls = {urlsplit(url).path for url in locations(client)}
    for obj in (hidden, country, meeting, session, document, recommendation):
        assert obj.get_absolute_url() not in urls
