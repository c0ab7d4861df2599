"""Every kind of public page passes axe-core's WCAG 2.1 A/AA rules in a real Chromium, with the real fixtures."""

import glob
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from model_bakery import baker

from meetings.models import Document, Meeting
from recommendations.models import Recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def public_pages():
    meeting = Meeting.objects.public().filter(sessions__isnull=False).first()
    document = Document.objects.public().first()
    recommendation = Recommendation.objects.public().filter(follow_ups__isnull=False).first()
    process = baker.make("rcps.Process", slug="sender", name="Sending process", kind="rcp")
    dispatch = baker.make(
        "exchange.Dispatch",
        direction="to_gfmd",
        kind="report_of_proceedings",
        sender_process=process,
        state="published",
        published_at=timezone.now(),
        title="Report of the senior officials' meeting",
        body_html="<p>Outcomes.</p>",
    )
    return [
        "/",
        "/processes/",
        "/processes/?kind=rcp&theme=labour-migration",
        "/processes/colombo-process/",
        "/meetings/",
        meeting.get_absolute_url(),
        "/documents/",
        document.get_absolute_url(),
        "/recommendations/",
        recommendation.get_absolute_url(),
        "/focal-points/",
        "/countries/",
        "/countries/lk/",
        "/overlap/",
        "/overlap/abu-dhabi-dialogue/colombo-process/",
        "/search/?q=labour+migration",
        "/exchange/",
        dispatch.get_absolute_url(),
        "/exchange/subscribe/",
        "/admin/login/",
    ]


def test_public_pages_have_no_wcag_violations(live_server, page, console_messages):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    call_command("loaddata", *sorted(glob.glob("fixtures/*.json")), verbosity=0)
    failures = {}
    for path in public_pages():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # add_script_tag is blocked by the strict CSP; evaluate injects axe as the test's own code.
        page.evaluate(AXE.read_text())
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [
            f"{rule['id']}: {rule['help']} ({len(rule['nodes'])}× e.g. {rule['nodes'][0]['target']})"
            for rule in results["violations"]
        ]
        if violations:
            failures[path] = violations
    assert not failures, failures
    assert not [message for message in console_messages if "Content Security Policy" in message]
