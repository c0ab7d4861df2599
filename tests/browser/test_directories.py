"""A visitor filters the processes directory, opens a profile and downloads an export, in a real Chromium."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from model_bakery import baker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("/tmp/screens")
DIRECTORIES = ["processes", "meetings", "documents", "recommendations", "focal-points", "countries", "overlap"]
SIZES = {"desktop": (1280, 900), "phone": (375, 740)}


@pytest.fixture
def data(db):
    asia = baker.make("reference.Region", code="142", slug="asia", name="Asia", level="region")
    africa = baker.make("reference.Region", code="002", slug="africa", name="Africa", level="region")
    labour = baker.make("reference.Theme", name="Labour migration", slug="labour-migration")
    trafficking = baker.make("reference.Theme", name="Trafficking in persons", slug="trafficking")
    countries = [
        baker.make("reference.Country", code=code, alpha3=alpha3, name=name, region=region)
        for code, alpha3, name, region in [
            ("LK", "LKA", "Sri Lanka", asia),
            ("NP", "NPL", "Nepal", asia),
            ("BD", "BGD", "Bangladesh", asia),
            ("SN", "SEN", "Senegal", africa),
            ("ML", "MLI", "Mali", africa),
            ("GH", "GHA", "Ghana", africa),
        ]
    ]
    colombo = baker.make(
        "rcps.Process",
        name="Colombo Process",
        acronym="CP",
        slug="colombo-process",
        kind="rcp",
        year_established=2003,
        regions=[asia],
        themes=[labour],
        region_note="South and South-East Asia",
        description="Regional consultative process on overseas employment and contractual labour.",
    )
    abu_dhabi = baker.make(
        "rcps.Process",
        name="Abu Dhabi Dialogue",
        acronym="ADD",
        slug="abu-dhabi-dialogue",
        kind="inter_regional",
        year_established=2008,
        regions=[asia],
        themes=[labour],
    )
    midwa = baker.make(
        "rcps.Process",
        name="Migration Dialogue for West Africa",
        acronym="MIDWA",
        slug="midwa",
        kind="rcp",
        year_established=2001,
        regions=[africa],
        themes=[trafficking],
    )
    for process, members in [(colombo, countries[:3]), (abu_dhabi, countries[:2]), (midwa, countries[3:])]:
        for country in members:
            baker.make("rcps.Participation", process=process, country=country, role="member")
    meeting = baker.make(
        "meetings.Meeting",
        title="Fourth Ministerial Consultation",
        kind="ministerial",
        start_date=datetime.date(2011, 4, 19),
        end_date=datetime.date(2011, 4, 21),
        city="Dhaka",
        country=countries[2],
        organizing_processes=[colombo],
        themes=[labour],
    )
    baker.make(
        "meetings.Document",
        title="Dhaka Declaration",
        kind="declaration",
        url="https://example.org/dhaka",
        meeting=meeting,
        process=colombo,
        date=datetime.date(2011, 4, 21),
        year=2011,
    )
    recommendation = baker.make(
        "recommendations.Recommendation",
        title="Lower recruitment costs",
        text="Reduce costs.",
        issuing_process=colombo,
        source_meeting=meeting,
        year=2011,
        themes=[labour],
    )
    baker.make(
        "recommendations.FollowUp",
        recommendation=recommendation,
        process=abu_dhabi,
        status="in_work_plan",
        date=datetime.date(2012, 1, 1),
    )
    baker.make("rcps.FocalPoint", process=colombo, country=countries[0], institution="Ministry of Foreign Employment")
    return {"colombo": colombo}


def test_visitor_filters_processes_opens_a_profile_and_downloads_an_export(live_server, page, data, console_messages):
    page.goto(f"{live_server.url}/processes/")
    assert page.locator("#result-count").inner_text().strip() == "1–3 of 3"

    page.get_by_label("Region").select_option("asia")
    page.get_by_label("Kind", exact=True).select_option("rcp")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/processes/?*")
    assert "region=asia" in page.url and "kind=rcp" in page.url
    assert page.locator("#result-count").inner_text().strip() == "1–1 of 1"
    assert page.locator(".filter-chip").count() == 2

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "processes.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [row["name"] for row in rows] == ["Colombo Process"]

    page.get_by_role("link", name="Colombo Process").click()
    page.wait_for_url(f"**{data['colombo'].get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Colombo Process")
    assert page.title() == "Colombo Process · RCP Portal"
    assert page.get_by_role("link", name="Fourth Ministerial Consultation").is_visible()

    # Removing a filter chip is one click and keeps the other filter.
    page.go_back()
    page.get_by_role("link", name="Remove filter Region: Asia").click()
    page.wait_for_url("**/processes/?kind=rcp")
    assert page.locator("#result-count").inner_text().strip() == "1–2 of 2"
    assert not [message for message in console_messages if "Content Security Policy" in message]


def test_directories_render_at_desktop_and_phone_width(live_server, page, data, console_messages):
    SCREENS.mkdir(exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for directory in DIRECTORIES:
            page.goto(f"{live_server.url}/{directory}/")
            page.screenshot(path=SCREENS / f"{directory}-{label}.png", full_page=True)
            # Nothing wider than the screen except inside a scrollable table wrapper.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{directory} overflows at {label} width by {overflow}px"
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/processes/")
    page.get_by_role("button", name="Filters and sorting").click()
    assert page.get_by_label("Region").is_visible()
    page.goto(f"{live_server.url}/processes/colombo-process/")
    page.screenshot(path=SCREENS / "process-profile-phone.png", full_page=True)
    assert not [message for message in console_messages if "Content Security Policy" in message]


def test_directory_is_usable_with_the_keyboard(live_server, page, data):
    page.goto(f"{live_server.url}/processes/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    page.get_by_label("Search", exact=True).focus()
    page.keyboard.type("colombo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/processes/?q=colombo*")
    assert page.locator("#result-count").inner_text().strip() == "1–1 of 1"
