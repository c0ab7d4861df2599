"""Good practices in a real Chromium: a secretariat answers a call from its start page, the Support Unit
publishes the practice from its start page, a visitor finds it by GCM objective and reads its lessons.
Screenshots at 1280 and 375 px go to /tmp/screens."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practices import workflow
from practices.models import CallForPractices, Practice
from reference.models import GcmObjective

from .test_workspace_day import confirm, open_as, plain_http_cookies  # noqa: F401  (an autouse fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("/tmp/screens")


def shot(page, name):
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_answering_a_call_and_finding_the_published_practice_by_objective(
    browser, live_server, colombo, colombo_secretariat, support_unit, console_messages
):
    base = live_server.url
    objective = GcmObjective.objects.create(
        number=6, title="Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"
    )
    call = CallForPractices.objects.create(
        title="Labour migration: fair recruitment",
        description="Practices of fair and ethical recruitment.",
        criteria="Implemented for a year at least; results measured.",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    call.addressed_processes.set([colombo])
    call.gcm_objectives.set([objective])
    workflow.call_open(call=call, user=support_unit)

    # The secretariat's start page shows the open call; one click opens a practice answering it.
    secretariat = open_as(browser, live_server, colombo_secretariat)
    secretariat.goto(f"{base}/admin/")
    secretariat.locator("#start-calls").get_by_role("link", name="Labour migration: fair recruitment").click()
    expect(secretariat.locator("#id_call")).to_have_value(str(call.pk))
    secretariat.fill("#id_title", "Licensing of recruitment agencies")
    secretariat.fill("#id_summary", "Only licensed agencies may recruit; fees are capped.")
    secretariat.fill("#id_what_was_done", "A licensing board and a public register of agencies.")
    secretariat.fill("#id_results", "Complaints about fees fell by half.")
    secretariat.fill("#id_lessons_learned", "Unlicensed sub-agents in villages escaped the register at first.")
    secretariat.check("#id_is_global")
    secretariat.select_option("#id_gcm_objectives_from", label=str(objective))
    secretariat.locator("#id_gcm_objectives_add").click()
    secretariat.locator("input[name=_continue]").first.click()
    expect(secretariat.locator("#workflow")).to_contain_text("Draft")
    shot(secretariat, "practice-draft-1280")
    secretariat.get_by_role("button", name="Submit to the GFMD").click()
    expect(secretariat.locator("#workflow")).to_contain_text("Submitted")
    practice = Practice.objects.get()
    assert practice.call == call and practice.state == "submitted"

    # The Support Unit's start page lists it; it is published from its dispatch, as every dispatch.
    support = open_as(browser, live_server, support_unit)
    support.goto(f"{base}/admin/")
    support.locator("#start-practices").get_by_role("link", name="Licensing of recruitment agencies").click()
    confirm(support, "^Publish")
    assert Practice.objects.public().count() == 1

    # A visitor filters the repository by objective 6 and finds it, its lessons and its call.
    for width in (1280, 375):
        visitor = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        messages = []
        visitor.on("console", lambda message, messages=messages: messages.append(message.text))
        visitor.goto(f"{base}/practices/")
        if width == 375:
            visitor.get_by_role("button", name="Filters and sorting").click()
            # Bootstrap marks the panel `show` once it has finished opening: a click during the
            # transition can land on the link while its panel is still growing and go nowhere.
            expect(visitor.locator("#filters")).to_have_class(re.compile(r"\bshow\b"))
        visitor.locator(".facet-gcm a").first.click()
        expect(visitor).to_have_url(re.compile(r"gcm=6"))
        expect(visitor.locator("#result-count")).to_contain_text("1–1 of 1")
        shot(visitor, f"practices-objective-6-{width}")
        assert visitor.evaluate("document.documentElement.scrollWidth") <= width
        visitor.get_by_role("link", name="Licensing of recruitment agencies").click()
        expect(visitor.locator("#lessons-title")).to_be_visible()
        expect(visitor.get_by_text("Unlicensed sub-agents")).to_be_visible()
        shot(visitor, f"practice-page-{width}")
        assert visitor.evaluate("document.documentElement.scrollWidth") <= width
        assert not [m for m in messages if "Content Security Policy" in m]
        visitor.goto(f"{base}{call.get_absolute_url()}")
        expect(visitor.locator("#gathered-title")).to_be_visible()
        expect(visitor.get_by_text("Licensing of recruitment agencies")).to_be_visible()
