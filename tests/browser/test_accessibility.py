"""Every kind of public page passes axe-core's WCAG 2.1 A/AA rules in a real Chromium, with the real fixtures,
in English, French and Spanish, on a desktop (1280 px) and a phone (375 px), and never scrolls sideways."""

import glob
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from model_bakery import baker

from exchange.models import Dispatch
from meetings.models import Document, Meeting
from recommendations.models import Recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = {"desktop": (1280, 900), "phone": (375, 740)}
# Set SCREENSHOTS=/some/dir to keep a full-page picture of every page at both sizes (for a person to look at).
SCREENS = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else None


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
    athens_paper = Document.objects.get(title__startswith="Roundtable 3: Policy and Institutional Coherence")
    bangkok = Dispatch.objects.get(title__startswith="Bangkok global RCP meeting outcomes")
    # Good practices (issue 16): a published practice answering an opened call, tagged with objective 6.
    sent = baker.make(
        "exchange.Dispatch",
        direction="to_gfmd",
        kind="good_practice",
        sender_process=process,
        state="published",
        published_at=timezone.now(),
        title="Licensing of recruitment agencies",
    )
    call = baker.make(
        "practices.CallForPractices",
        title="Labour migration: fair recruitment",
        description="Practices of fair recruitment.",
        criteria="Results measured.",
        deadline=timezone.localdate(),
        opened_at=timezone.now(),
        addressed_to_all=True,
    )
    practice = baker.make(
        "practices.Practice",
        title="Licensing of recruitment agencies",
        summary="Only licensed agencies may recruit.",
        lessons_learned="Sub-agents escaped the register at first.",
        process=process,
        dispatch=sent,
        call=call,
        is_global=True,
    )
    practice.gcm_objectives.set([6])
    practice.implementing_processes.set([process])
    return [
        "/",
        "/processes/",
        "/processes/?kind=rcp&theme=labour-migration",
        "/processes/colombo-process/",
        "/processes/prague-process/",
        "/processes/apc/",
        "/meetings/",
        meeting.get_absolute_url(),
        "/documents/",
        document.get_absolute_url(),
        athens_paper.get_absolute_url(),
        "/recommendations/",
        "/recommendations/?year_from=2008&addressee=rcps",
        recommendation.get_absolute_url(),
        "/focal-points/",
        "/countries/",
        "/countries/lk/",
        "/overlap/",
        "/overlap/abu-dhabi-dialogue/colombo-process/",
        "/search/?q=labour+migration",
        "/search/?q=Sri+Lanka",
        "/exchange/",
        dispatch.get_absolute_url(),
        bangkok.get_absolute_url(),
        "/exchange/subscribe/",
        "/surveys/",
        "/surveys/gfmd-2007-rcp-questionnaire/",
        "/practices/",
        "/practices/?gcm=6",
        practice.get_absolute_url(),
        "/practices/calls/",
        call.get_absolute_url(),
        "/gcm-objectives/",
        "/gcm-objectives/6/",
        "/admin/login/",
    ]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("size", SIZES)
def test_public_pages_have_no_wcag_violations_nor_sideways_scrolling(
    live_server, page, console_messages, size, language
):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    call_command("loaddata", *sorted(glob.glob("fixtures/*.json")), verbosity=0)
    failures, too_wide = {}, {}
    if SCREENS:
        (SCREENS / size).mkdir(parents=True, exist_ok=True)
    # Each language's pages under its prefix (longer words must not break the layout either);
    # the back office's login page in the remembered language.
    page.context.add_cookies([{"name": "portal_language", "value": language, "url": live_server.url}])
    prefix = "" if language == "en" else f"/{language}"
    with translation.override("en"):
        paths = public_pages()
    for index, path in enumerate(paths):
        if not path.startswith("/admin/"):
            path = prefix + path
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # The page itself never scrolls sideways; a wide table scrolls inside its own box.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
        if SCREENS:
            page.screenshot(path=str(SCREENS / size / f"{language}-{index:02d}.png"), full_page=True)
        # add_script_tag is blocked by the strict CSP; evaluate injects axe as the test's own code.
        page.evaluate(AXE.read_text())
        assert page.evaluate("document.documentElement.lang") == language, path
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [
            f"{rule['id']}: {rule['help']} ({len(rule['nodes'])}× e.g. {rule['nodes'][0]['target']})"
            for rule in results["violations"]
        ]
        if violations:
            failures[path] = violations
    assert not too_wide, too_wide
    assert not failures, failures
    assert not [message for message in console_messages if "Content Security Policy" in message]
