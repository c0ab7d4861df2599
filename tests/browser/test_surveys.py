"""A survey's whole round in a real Chromium: build, preview, open, answer, materials only, close, publish, read.

Screenshots at 1280 and 375 px go to /tmp/screens (surveys-*.png).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Question, Survey, SurveyResponse

from .test_accessibility import AXE, WCAG_TAGS
from .test_workspace_day import open_as, plain_http_cookies, shot  # noqa: F401 — the cookies fixture is autouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = Path("/tmp/surveys-materials.pdf")


def wcag_violations(page):
    page.evaluate(AXE.read_text())
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{rule['id']}: {rule['nodes'][0]['target']}" for rule in results["violations"]]


def add_question(page):
    # Django's "Add another …" link of an inline is a role="button" anchor.
    page.locator(".add-row a", has_text="Question").click()


def test_a_survey_round_in_the_browser(
    browser, live_server, colombo, bali, colombo_secretariat, bali_secretariat, support_unit, console_messages
):
    budapest = type(colombo).objects.create(name="Budapest Process", acronym="BuP", slug="budapest-process", kind="rcp")
    deadline = timezone.localdate() + datetime.timedelta(days=20)

    # The Support Unit builds the survey in the back office.
    page = open_as(browser, live_server, support_unit)
    page.on("console", lambda message: console_messages.append(message.text))
    page.goto(f"{live_server.url}/admin/surveys/survey/add/")
    page.fill("#id_title", "Survey of RCPs on migration and development")
    page.fill("#id_slug", "")  # the admin filled it in from the title; a shorter one
    page.fill("#id_slug", "rcp-survey")
    page.fill("#id_year", str(deadline.year))
    page.fill("#id_closes_on", deadline.isoformat())
    add_question(page)
    page.select_option("#id_questions-0-kind", "single_choice")
    page.fill("#id_questions-0-text", "Is migration and development a priority of your process?")
    page.fill("#id_questions-0-choices", "Thematic priority\nAd hoc priority\nNot addressed")
    page.check("#id_questions-0-required")
    page.check("#id_questions-0-public")
    add_question(page)
    page.select_option("#id_questions-1-kind", "long_text")
    page.fill("#id_questions-1-text", "Describe a good practice of your process.")
    page.check("#id_questions-1-public")
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    survey = Survey.objects.get(slug="rcp-survey")
    assert survey.questions.count() == 2
    # The processes are picked with the admin's autocomplete widget; set them directly.
    survey.addressed_processes.set([colombo, bali, budapest])

    page.reload()
    page.get_by_role("link", name="Preview as a respondent").click()
    expect(page.get_by_text("Describe a good practice of your process.")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Open the survey and e-mail the respondents").click()
    expect(page.locator(".messagelist")).to_contain_text("The survey is open")
    shot(page, "surveys-admin-open")

    # Colombo answers, agreeing to publish.
    colombo_page = open_as(browser, live_server, colombo_secretariat)
    colombo_page.goto(f"{live_server.url}/surveys/respond/")
    colombo_page.get_by_role("link", name="Survey of RCPs on migration and development").click()
    colombo_page.get_by_label("Thematic priority").check()
    colombo_page.get_by_label("Describe a good practice of your process.").fill("Pre-departure orientation")
    colombo_page.get_by_label(re.compile("We agree that our answers")).check()
    shot(colombo_page, "surveys-answer-1280")
    assert wcag_violations(colombo_page) == []
    colombo_page.set_viewport_size({"width": 375, "height": 800})
    shot(colombo_page, "surveys-answer-375")
    colombo_page.get_by_role("button", name="Submit the answers").click()
    expect(colombo_page.get_by_text("Your answers are submitted")).to_be_visible()

    # Bali sends materials only, without agreeing to publish.
    PDF.write_bytes(b"%PDF-1.7 materials of the Bali Process")
    bali_page = open_as(browser, live_server, bali_secretariat)
    bali_page.goto(f"{live_server.url}/surveys/respond/")
    bali_page.get_by_role("link", name="Survey of RCPs on migration and development").click()
    bali_page.set_input_files("#id_material", str(PDF))
    bali_page.get_by_role("button", name="Submit materials instead of answers").click()
    expect(bali_page.get_by_text("Your materials are submitted")).to_be_visible()

    # The Support Unit closes the survey and publishes its results.
    page.goto(f"{live_server.url}/admin/surveys/survey/{survey.pk}/change/")
    page.get_by_role("button", name="Close the survey").click()
    page.get_by_role("button", name="Publish the results").click()
    expect(page.locator(".messagelist")).to_contain_text("The results are published")
    statuses = dict(SurveyResponse.objects.filter(survey=survey).values_list("process__slug", "status"))
    assert statuses == {
        "colombo-process": "completed",
        "bali-process": "materials_only",
        "budapest-process": "no_response",
    }

    # A visitor reads them.
    visitor = browser.new_page(viewport={"width": 1280, "height": 900})
    visitor.on("console", lambda message: console_messages.append(message.text))
    visitor.goto(f"{live_server.url}/surveys/rcp-survey/")
    expect(visitor.get_by_text("Sent to 3 processes; 2 answered.")).to_be_visible()
    expect(visitor.locator("svg.choice-chart")).to_be_visible()
    expect(visitor.get_by_text("Pre-departure orientation")).to_be_visible()
    shot(visitor, "surveys-results-1280")
    assert wcag_violations(visitor) == []
    visitor.set_viewport_size({"width": 375, "height": 800})
    shot(visitor, "surveys-results-375")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    assert not [m for m in console_messages if "Content Security Policy" in m]
    assert Question.objects.filter(survey=survey, public=True).count() == 2
