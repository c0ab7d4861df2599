"""Each role's day in the back office, in a real Chromium: log in, see what awaits, act from the record.

The issue's "done when": a Colombo Process secretariat user and a Support Unit user do the whole
exchange — draft, preview, submit, return, fix, publish, acknowledge, reply, and an RCP → RCP
invitation — from their start pages and the records' own pages, never a list's bulk actions;
each is told by e-mail and by the start page. Screenshots at 1280 and 375 px go to /tmp/screens.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("/tmp/screens")


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    """The live server speaks plain http: cookies without the __Host- prefix and Secure flag it needs."""
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "sessionid", "csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


def open_as(browser, live_server, user, width=1280, height=900):
    """A browser context logged in as `user` (a session made by the test client: django-axes wants force_login)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height})
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def shot(page, name):
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def confirm(page, label):
    """A step: its button on the record, then its confirmation on the preview of the page."""
    page.get_by_role("link", name=re.compile(label)).first.click()
    expect(page.locator(".preview-banner")).to_be_visible()
    page.get_by_role("button", name=re.compile("Confirm:")).click()
    expect(page.locator(".messagelist")).to_be_visible()


def mails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def test_the_whole_exchange_in_the_browser(
    browser, live_server, colombo, bali, colombo_secretariat, bali_secretariat, support_unit, console_messages
):
    base = live_server.url
    mail.outbox.clear()
    secretariat = open_as(browser, live_server, colombo_secretariat)
    support = open_as(browser, live_server, support_unit)

    # The secretariat's start page: nothing awaits yet, and it says what to do.
    secretariat.goto(f"{base}/admin/")
    expect(secretariat.locator("#start-returned")).to_contain_text("Nothing has been returned")
    shot(secretariat, "start-secretariat-empty-1280")

    # Draft: "Write a dispatch" from the start page; the only process is already chosen.
    secretariat.get_by_role("link", name="Write a dispatch").click()
    secretariat.select_option("#id_kind", "statement")
    secretariat.fill("#id_title", "Colombo statement on fair recruitment")
    secretariat.fill("#id_body", "The ministers **agreed** on fair recruitment.")
    secretariat.locator("input[name=_save]").first.click()
    expect(secretariat.locator("#workflow")).to_contain_text("Draft")

    # Preview: the public page as it will be, for the secretariat only.
    secretariat.get_by_role("link", name="Preview on the site").click()
    expect(secretariat.locator(".preview-banner")).to_contain_text("Preview")
    expect(secretariat.locator(".dispatch-body strong")).to_have_text("agreed")
    secretariat.go_back()

    # Submit, confirmed on the preview.
    confirm(secretariat, "Submit to the GFMD")
    expect(secretariat.locator("#workflow")).to_contain_text("Submitted")
    assert len(mails_to(support_unit)) == 1

    # The Support Unit sees it to moderate, with its age, and returns it with a reason.
    support.goto(f"{base}/admin/")
    expect(support.locator("#start-moderate")).to_contain_text("Colombo statement on fair recruitment")
    shot(support, "start-support-unit-1280")
    support.locator("#start-moderate").get_by_role("link", name="Colombo statement on fair recruitment").click()
    support.get_by_role("link", name=re.compile("Return with a reason")).click()
    support.fill("#preview-reason", "Please name the meeting where this was agreed.")
    shot(support, "confirm-return-1280")
    support.get_by_role("button", name=re.compile("Confirm:")).click()
    expect(support.locator("#workflow")).to_contain_text("Returned")
    assert "Please name the meeting" in mails_to(colombo_secretariat)[-1].body

    # The secretariat: the reason on the start page and at the top of the record; fix, submit again.
    secretariat.goto(f"{base}/admin/")
    expect(secretariat.locator("#start-returned")).to_contain_text("Please name the meeting")
    secretariat.locator("#start-returned").get_by_role("link", name="Colombo statement on fair recruitment").click()
    expect(secretariat.locator(".workflow-box--returned")).to_contain_text("Please name the meeting")
    shot(secretariat, "record-returned-1280")
    secretariat.fill("#id_body", "At the Colombo ministerial of 2026, the ministers **agreed** on fair recruitment.")
    secretariat.locator("input[name=_save]").first.click()
    confirm(secretariat, "Submit to the GFMD")

    # The Support Unit publishes it; the secretariat is told; the public sees it.
    support.goto(f"{base}/admin/")
    support.locator("#start-moderate").get_by_role("link", name="Colombo statement on fair recruitment").click()
    confirm(support, "Publish")
    expect(support.locator("#workflow")).to_contain_text("Published")
    assert "published" in mails_to(colombo_secretariat)[-1].subject.lower()

    # The Support Unit writes to every process and publishes.
    support.goto(f"{base}/admin/")
    support.get_by_role("link", name="Write a dispatch to the processes").click()
    support.select_option("#id_direction", "from_gfmd")
    support.select_option("#id_kind", "recommendation")
    support.fill("#id_title", "Call for good practices on recruitment")
    support.fill("#id_body", "Please share your good practices.")
    support.check("#id_addressed_to_all")
    support.locator("input[name=_save]").first.click()
    confirm(support, "Publish")
    assert "Call for good practices" in mails_to(colombo_secretariat)[-1].subject

    # The secretariat acknowledges and replies from the record, its process preselected.
    secretariat.goto(f"{base}/admin/")
    expect(secretariat.locator("#start-awaiting")).to_contain_text("Call for good practices on recruitment")
    secretariat.locator("#start-awaiting").get_by_role("link", name="Call for good practices on recruitment").click()
    confirm(secretariat, "Acknowledge receipt")
    assert "Acknowledged by CP" in mails_to(support_unit)[-1].subject
    secretariat.get_by_role("link", name=re.compile("^Reply")).click()
    expect(secretariat.locator("#id_process")).to_have_value(str(colombo.pk))
    secretariat.fill("#id_body", "Our practice: a recruitment-fee ban.")
    secretariat.get_by_role("button", name="Save the reply").click()
    expect(secretariat.locator("#workflow")).to_contain_text("Submitted")
    assert "Reply to moderate" in mails_to(support_unit)[-1].subject

    # An RCP → RCP invitation, published by its sender (no gatekeeper); Bali is told and sees it.
    secretariat.goto(f"{base}/admin/")
    secretariat.get_by_role("link", name="Write a dispatch").click()
    secretariat.select_option("#id_direction", "rcp_to_rcp")
    secretariat.select_option("#id_kind", "announcement")
    secretariat.fill("#id_title", "Invitation to the Colombo ministerial")
    secretariat.fill("#id_body", "We invite the Bali Process to our ministerial.")
    secretariat.locator(".field-addressed_processes .select2-selection").click()
    secretariat.locator(".field-addressed_processes .select2-search__field").fill("Bali")
    secretariat.locator(".select2-results__option", has_text="Bali Process").click()
    secretariat.locator("input[name=_save]").first.click()
    confirm(secretariat, "Publish to the addressed processes")
    expect(secretariat.locator("#workflow")).to_contain_text("Published")
    assert "Invitation to the Colombo ministerial" in mails_to(bali_secretariat)[-1].subject
    bali = open_as(browser, live_server, bali_secretariat, 375, 740)
    bali.goto(f"{base}/admin/")
    expect(bali.locator("#start-awaiting")).to_contain_text("Invitation to the Colombo ministerial")
    shot(bali, "start-secretariat-375")

    # The public result: both dispatches between the GFMD and the processes, and the invitation.
    visitor = browser.new_page()
    visitor.goto(f"{base}/exchange/?direction=rcp_to_rcp")
    expect(visitor.locator("main")).to_contain_text("Invitation to the Colombo ministerial")
    visitor.goto(f"{base}/exchange/?direction=to_gfmd")
    expect(visitor.locator("main")).to_contain_text("Colombo statement on fair recruitment")
    assert not [m for m in console_messages if "Content Security Policy" in m]


def test_a_secretariat_publishes_its_own_meeting_after_previewing_it(
    browser, live_server, colombo, colombo_secretariat
):
    base = live_server.url
    page = open_as(browser, live_server, colombo_secretariat)
    page.goto(f"{base}/admin/meetings/meeting/add/")
    page.fill("#id_title", "Colombo Process SOM 2026")
    page.select_option("#id_kind", "senior_officials")
    page.fill("#id_start_date", "2026-11-10")
    page.locator(".field-organizing_processes .select2-selection").click()
    page.locator(".field-organizing_processes .select2-search__field").fill("Colombo")
    page.locator(".select2-results__option", has_text="Colombo Process").click()
    page.locator("input[name=_save]").first.click()
    expect(page.locator("#publication")).to_contain_text("Draft")
    shot(page, "record-meeting-draft-1280")
    visitor = browser.new_page()
    assert visitor.goto(f"{base}/meetings/").ok
    expect(visitor.locator("main")).not_to_contain_text("Colombo Process SOM 2026")
    confirm(page, "Publish")
    expect(page.locator("#publication")).to_contain_text("Published")
    visitor.goto(f"{base}/meetings/")
    expect(visitor.locator("main")).to_contain_text("Colombo Process SOM 2026")


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 740)])
def test_the_start_page_fits_the_screen(browser, live_server, colombo, colombo_secretariat, width, height):
    page = open_as(browser, live_server, colombo_secretariat, width, height)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator(".start-page")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1
    shot(page, f"start-secretariat-{width}")
