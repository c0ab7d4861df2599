"""The members' area in a real Chromium: invitation, first sign-in with a second factor, figures, one released.

The issue's "done when": the Colombo Process secretariat invites a Sri Lanka focal point; she
sets her password, sets up her authenticator (the test computes the TOTP from the device's key,
as the app would), reads the process's participants-only documents, submits three years of an
indicator and releases one; a visitor sees exactly that figure; a Bali Process focal point sees
none of it. Screenshots at 1280 and 375 px go to /tmp/screens.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from model_bakery import baker
from playwright.sync_api import expect

from tests.browser.test_workspace_day import open_as, shot
from tests.members.conftest import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-very-long-password-for-the-browser-42"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def check_page(page):
    """No WCAG 2.1 A/AA violation (axe-core) and no sideways scrolling of the page itself."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    page.evaluate(AXE.read_text())
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert not [(rule["id"], rule["nodes"][0]["target"]) for rule in results["violations"]], page.url


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "sessionid", "csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


def code_for(user):
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_invitation_second_factor_figures_and_release(
    browser, live_server, colombo, bali, sri_lanka, colombo_secretariat, console_messages
):
    from django.contrib.auth import get_user_model

    call_command("loaddata", "members/fixtures/indicators.json", verbosity=0)
    baker.make(
        "meetings.Document",
        title="Draft work plan for members",
        url="https://example.org/plan",
        process=colombo,
        visibility="participants",
    )

    # The secretariat chooses an indicator and invites the focal point.
    page = open_as(browser, live_server, colombo_secretariat)
    page.goto(f"{live_server.url}/members/catalogue/colombo-process/")
    page.get_by_label(re.compile("Labour migrants deployed")).check()
    page.get_by_role("button", name="Save the catalogue").click()
    expect(page.get_by_text("The catalogue of CP is saved.")).to_be_visible()
    page.goto(f"{live_server.url}/members/invite/")
    page.get_by_label("E-mail").fill("focal@example.lk")
    page.get_by_label("Process").select_option(label=str(colombo))
    page.get_by_label("Country").select_option(label="Sri Lanka")
    page.get_by_label("Ministry or institution").fill("Ministry of Foreign Employment")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to focal@example.lk.")).to_be_visible()
    link = re.search(r"https?://\S+/members/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    # She sets her password and her second factor.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    focal = context.new_page()
    focal.set_default_timeout(15000)
    focal.goto(live_server.url + path)
    focal.get_by_label("Password", exact=True).fill(PASSWORD)
    focal.get_by_label("Password again").fill(PASSWORD)
    focal.get_by_role("button", name="Create my account").click()
    expect(focal.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    expect(focal.locator("figure.qr-code svg")).to_be_visible()
    shot(focal, "members-two-factor-1280")
    check_page(focal)
    user = get_user_model().objects.get(email="focal@example.lk")
    focal.get_by_role("textbox", name="Code").fill(code_for(user))
    focal.get_by_role("button", name="Confirm").click()
    expect(focal.locator("#recovery-codes li")).to_have_count(10)
    focal.get_by_role("link", name="Continue").click()

    # She reads the participants-only documents.
    focal.get_by_role("link", name="Colombo Process").click()
    expect(focal.get_by_text("Draft work plan for members")).to_be_visible()
    shot(focal, "members-process-1280")
    check_page(focal)

    # She submits three years and releases one to the public.
    focal.get_by_role("link", name="Data exchange").first.click()
    for year, value in (("2021", "122000"), ("2022", "311056"), ("2023", "297000")):
        focal.get_by_label("Indicator", exact=True).last.select_option(label="Labour migrants deployed (persons)")
        focal.get_by_label("Year").fill(year)
        focal.get_by_label("Value").fill(value)
        focal.get_by_role("button", name="Save the figure").click()
        expect(focal.get_by_text("Figure saved.")).to_be_visible()
    expect(focal.locator("#figures-table tbody tr")).to_have_count(1)
    row = focal.locator("#own-figures tr", has_text="2022")
    row.get_by_label("Release").select_option("public")
    row.get_by_role("button", name="Change").click()
    expect(focal.locator("#figures-table .badge")).to_have_count(1)
    shot(focal, "members-data-1280")
    check_page(focal)
    focal.set_viewport_size({"width": 375, "height": 800})
    shot(focal, "members-data-375")
    check_page(focal)

    # A visitor sees exactly that figure; a Bali focal point sees none of it.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/processes/colombo-process/")
    expect(visitor.locator("#public-figures tbody tr")).to_have_count(1)
    expect(visitor.locator("#public-figures")).to_contain_text("311,056")
    visitor.goto(f"{live_server.url}/countries/LK/")
    expect(visitor.locator("#public-figures tbody tr")).to_have_count(1)
    shot(visitor, "members-public-figure-1280")
    check_page(visitor)
    visitor.goto(f"{live_server.url}/members/sign-in/")
    check_page(visitor)
    philippines = baker.make("reference.Country", code="PH", alpha3="PHL", name="Philippines")
    other = open_as(browser, live_server, make_participant("focal@example.ph", bali, philippines))
    assert other.goto(f"{live_server.url}/members/processes/colombo-process/").status == 404
    assert other.goto(f"{live_server.url}/members/processes/colombo-process/data/").status == 404
    other.goto(f"{live_server.url}/documents/")
    expect(other.get_by_text("Draft work plan for members")).to_have_count(0)
    assert not [m for m in console_messages if "Content Security Policy" in m]
