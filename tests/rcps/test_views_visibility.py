"""The visibility rule on every public page, export, search and the sitemap.

One world holds public records that point at non-public ones (a joint meeting with a
confidential co-organizer, a confidential document of a public meeting, a participation in a
confidential process...). Every non-public record carries MARKER; it must never be served.
A focal point without consent carries PERSONAL; that must never be served either.
"""

import datetime

import pytest
from model_bakery import baker

MARKER = "ZQX-CONFIDENTIAL-7731"
PERSONAL = "ZQX-PERSONAL-4410"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    country = baker.make("reference.Country", code="LK", alpha3="LKA", name="Sri Lanka")
    other_country = baker.make("reference.Country", code="NP", alpha3="NPL", name="Nepal")
    theme = baker.make("reference.Theme", name=f"Theme {MARKER}", slug="hidden-theme")
    public_theme = baker.make("reference.Theme", name="Labour migration", slug="labour")
    group = baker.make("reference.AddresseeGroup", name="States", slug="states")
    public = baker.make(
        "rcps.Process", name="Open Process", acronym="OP", slug="open-process", kind="rcp", themes=[public_theme]
    )
    other_public = baker.make("rcps.Process", name="Second Process", slug="second-process", kind="rcp")
    for value in ("participants", "confidential"):
        hidden = baker.make(
            "rcps.Process",
            name=f"Hidden {value} {MARKER}",
            acronym=f"H{value[:3]}{MARKER}",
            slug=f"hidden-{value}",
            kind="rcp",
            visibility=value,
            themes=[theme, public_theme],
            description=f"labour {MARKER}",
        )
        for c in (country, other_country):
            baker.make("rcps.Participation", process=hidden, country=c, role="member")
        baker.make("rcps.Chairmanship", process=hidden, country=country, start_year=2010)
        baker.make("rcps.FocalPoint", process=hidden, country=country, institution=f"Ministry {MARKER}")
        baker.make(
            "rcps.FocalPoint", process=public, country=country, institution=f"Ministry {MARKER}", visibility=value
        )
    for p in (public, other_public):
        for c in (country, other_country):
            baker.make("rcps.Participation", process=p, country=c, role="member")
    baker.make(
        "rcps.FocalPoint",
        process=public,
        country=country,
        institution="Ministry of Labour",
        name=f"Name {PERSONAL}",
        email="personal@example.org",
        phone=f"+94 {PERSONAL}",
    )
    meeting = baker.make(
        "meetings.Meeting",
        title="Open labour meeting",
        start_date=datetime.date(2010, 5, 1),
        organizing_processes=[public, hidden],
        represented_processes=[hidden],
        invited_processes=[hidden],
        country=country,
        themes=[public_theme],
    )
    hidden_meeting = baker.make(
        "meetings.Meeting",
        title=f"Labour meeting {MARKER}",
        start_date=datetime.date(2011, 1, 1),
        country=country,
        visibility="confidential",
        organizing_processes=[public],
        themes=[theme],
    )
    baker.make(
        "meetings.Meeting",
        title=f"Session {MARKER}",
        start_date=datetime.date(2010, 5, 1),
        parent=meeting,
        visibility="confidential",
    )
    baker.make(
        "meetings.Meeting",
        title=f"Session of hidden {MARKER}",
        start_date=datetime.date(2011, 1, 1),
        parent=hidden_meeting,
    )
    document = baker.make(
        "meetings.Document",
        title="Open labour declaration",
        url="https://example.org/a",
        meeting=meeting,
        process=public,
        year=2010,
    )
    baker.make(
        "meetings.Document",
        title=f"Labour document {MARKER}",
        url="https://example.org/b",
        meeting=meeting,
        visibility="confidential",
        year=2010,
    )
    baker.make(
        "meetings.Document",
        title=f"Labour document of hidden meeting {MARKER}",
        url="https://example.org/c",
        meeting=hidden_meeting,
        year=2011,
    )
    baker.make(
        "meetings.Document",
        title=f"Labour document of hidden process {MARKER}",
        url="https://example.org/d",
        process=hidden,
        year=2012,
    )
    recommendation = baker.make(
        "recommendations.Recommendation",
        title="Open labour recommendation",
        text="Protect workers",
        issuing_process=hidden,
        source_meeting=hidden_meeting,
        addressed_processes=[public, hidden],
        addressee_groups=[group],
        themes=[public_theme],
        year=2010,
    )
    baker.make(
        "recommendations.Recommendation",
        title=f"Labour recommendation {MARKER}",
        text="x",
        issuing_process=public,
        source_meeting=meeting,
        visibility="confidential",
        themes=[theme],
        year=2009,
    )
    baker.make(
        "recommendations.FollowUp",
        recommendation=recommendation,
        process=public,
        status="implemented",
        date=datetime.date(2011, 1, 1),
        note=f"Note {MARKER}",
        visibility="confidential",
    )
    baker.make(
        "recommendations.FollowUp",
        recommendation=recommendation,
        process=hidden,
        status="in_work_plan",
        date=datetime.date(2011, 2, 1),
        note=f"Note {MARKER}",
    )
    hidden_paper = baker.make(
        "meetings.Document",
        title=f"Evidence paper {MARKER}",
        url="https://example.org/e",
        process=public,
        visibility="confidential",
    )
    baker.make(
        "recommendations.FollowUp",
        recommendation=recommendation,
        process=public,
        status="under_consideration",
        date=datetime.date(2010, 6, 1),
        note="Public note",
        evidence_document=hidden_paper,
    )
    # A public record citing a confidential document names it nowhere (the citation says only that
    # the document is not published here).
    public.sources = [{"document": hidden_paper.pk, "quote": "labour", "supports": ["name"]}]
    public.save()
    # A documented exchange sent jointly by a public and a hidden process, to both: only the public one shows.
    joint = baker.make(
        "exchange.Dispatch",
        direction="rcp_to_rcp",
        kind="report_of_proceedings",
        title="Open labour exchange",
        body="Labour.",
        body_html="<p>Labour.</p>",
        state="published",
        published_at=datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC),
        recorded_from_sources=True,
        sources=[{"document": hidden_paper.pk, "quote": "x"}],
    )
    joint.sending_processes.add(public, hidden)
    joint.addressed_processes.add(public, hidden)
    baker.make(
        "exchange.Dispatch",
        direction="to_gfmd",
        kind="statement",
        sender_process=hidden,
        title=f"Labour statement {MARKER}",
        body="x",
        state="published",
        published_at=datetime.datetime(2011, 1, 1, tzinfo=datetime.UTC),
    )
    return {
        "dispatch": joint,
        "process": public,
        "meeting": meeting,
        "document": document,
        "recommendation": recommendation,
        "country": country,
        "hidden": hidden,
        "hidden_meeting": hidden_meeting,
    }


def public_urls(world):
    urls = [
        "/",
        "/processes/",
        "/processes/?theme=labour",
        "/meetings/",
        "/meetings/?sessions=on",
        "/documents/",
        "/recommendations/",
        "/focal-points/",
        "/focal-points/?q=ministry",
        "/countries/",
        "/overlap/",
        "/overlap/open-process/second-process/",
        world["process"].get_absolute_url(),
        world["meeting"].get_absolute_url(),
        world["document"].get_absolute_url(),
        world["recommendation"].get_absolute_url(),
        world["country"].get_absolute_url(),
        "/search/?q=labour",
        "/search/?q=labour&type=processes",
        "/search/?q=labour&type=meetings",
        "/search/?q=labour&type=documents",
        "/search/?q=labour&type=recommendations",
        "/search/?q=labour&type=dispatches",
        "/search/?q=ministry&type=focal-points",
        "/search/?q=lanka&type=countries",
        "/exchange/",
        "/exchange/?direction=rcp_to_rcp",
        world["dispatch"].get_absolute_url(),
        "/exchange/feed/atom/",
        "/exchange/feed/between-rcps/atom/",
        "/sitemap.xml",
    ]
    for directory in ("processes", "meetings", "documents", "recommendations", "focal-points", "countries", "exchange"):
        urls += [f"/{directory}/?format=csv", f"/{directory}/?format=json"]
    urls.append("/meetings/?format=json&sessions=on")
    return urls


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_page_export_search_or_sitemap_serves_a_non_public_record(client, world):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        content = body(response).decode()
        assert MARKER not in content, url
        assert PERSONAL not in content, url
        assert "personal@example.org" not in content, url


def test_the_world_is_really_rendered(client, world):
    """Guards the test above against passing on empty pages."""
    assert "Open labour meeting" in client.get(world["process"].get_absolute_url()).content.decode()
    assert "Open labour declaration" in client.get("/search/?q=labour").content.decode()
    assert "Public note" in client.get(world["recommendation"].get_absolute_url()).content.decode()
    assert "Ministry of Labour" in body(client.get("/focal-points/?format=csv")).decode()
    assert "Open labour exchange" in client.get("/exchange/").content.decode()
    assert "A document not published here" in client.get(world["process"].get_absolute_url()).content.decode()


def test_searching_for_the_marker_finds_nothing(client, world):
    response = client.get(f"/search/?q={MARKER}")
    assert response.context["total"] == 0
    assert [group["count"] for group in response.context["groups"]] == [0] * 8  # 8 types, practices included


@pytest.mark.parametrize(
    "url",
    [
        "/processes/hidden-confidential/",
        "/processes/hidden-participants/",
        "/overlap/open-process/hidden-confidential/",
    ],
)
def test_non_public_processes_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_non_public_meeting_document_and_recommendation_are_not_found(client, world):
    from meetings.models import Document, Meeting
    from recommendations.models import Recommendation

    for model in (Meeting, Document, Recommendation):
        for obj in model.objects.exclude(pk__in=model.objects.public()):
            assert client.get(obj.get_absolute_url()).status_code == 404, obj
