"""Drafts — meetings, documents, recommendations, follow-ups, and what hangs on a draft — reach no public surface.

Every draft carries MARKER. Pages, exports, search, the sitemap, feeds, calendars and the API
must never serve it, whatever its visibility ("public" drafts are the point: visibility and
publication are separate choices). Previews are for back-office users who may see the record.
"""

import datetime

import pytest
from django.urls import reverse
from model_bakery import baker

from tests.conftest import make_staff

MARKER = "ZQX-DRAFT-5512"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(colombo, bali, sri_lanka, theme):
    colombo.themes.set([theme])
    baker.make("rcps.Participation", process=colombo, country=sri_lanka, role="member")
    public_meeting = baker.make(
        "meetings.Meeting",
        title="Open labour meeting",
        start_date=datetime.date(2031, 5, 1),
        organizing_processes=[colombo],
        country=sri_lanka,
        themes=[theme],
    )
    draft_meeting = baker.make(
        "meetings.Meeting",
        title=f"Labour meeting {MARKER}",
        start_date=datetime.date(2031, 6, 1),
        organizing_processes=[colombo],
        country=sri_lanka,
        themes=[theme],
        publication="draft",
    )
    baker.make(
        "meetings.Meeting",
        title=f"Session of a draft {MARKER}",
        start_date=datetime.date(2031, 6, 1),
        parent=draft_meeting,
    )
    baker.make(
        "meetings.Document",
        title=f"Labour document of a draft meeting {MARKER}",
        url="https://example.org/a",
        meeting=draft_meeting,
        year=2031,
    )
    baker.make(
        "meetings.Document",
        title=f"Labour draft document {MARKER}",
        url="https://example.org/b",
        meeting=public_meeting,
        process=colombo,
        year=2031,
        publication="draft",
    )
    recommendation = baker.make(
        "recommendations.Recommendation",
        title="Open labour recommendation",
        text="Protect workers",
        issuing_process=colombo,
        addressed_processes=[colombo],
        themes=[theme],
        year=2030,
    )
    baker.make(
        "recommendations.Recommendation",
        title=f"Labour recommendation {MARKER}",
        text=f"labour {MARKER}",
        issuing_process=colombo,
        source_meeting=public_meeting,
        themes=[theme],
        year=2031,
        publication="draft",
    )
    baker.make(
        "recommendations.FollowUp",
        recommendation=recommendation,
        process=colombo,
        status="implemented",
        date=datetime.date(2031, 1, 1),
        note=f"Note {MARKER}",
        publication="draft",
    )
    return {
        "meeting": public_meeting,
        "draft_meeting": draft_meeting,
        "recommendation": recommendation,
        "survey": survey_world(colombo, bali),
    }


def survey_world(colombo, bali):
    """An unpublished survey; a published one with a question kept private and an answer not agreed to."""
    from surveys.models import Answer, Question, Survey, SurveyResponse

    unpublished = baker.make(
        Survey, title=f"Labour survey {MARKER}", slug="unpublished-labour", year=2031, purpose=f"labour {MARKER}"
    )
    unpublished.addressed_processes.set([colombo])
    baker.make(SurveyResponse, survey=unpublished, process=colombo, status="completed", consent_to_publish=True)
    published = baker.make(
        Survey,
        title="Labour survey of RCPs",
        slug="published-labour",
        year=2031,
        status="closed",
        results_published_at=datetime.datetime(2031, 5, 1, tzinfo=datetime.UTC),
    )
    open_question = baker.make(
        Question, survey=published, order=1, text="Labour practice?", kind="long_text", public=True
    )
    private_question = baker.make(Question, survey=published, order=2, text=f"Private {MARKER}", kind="long_text")
    agreed = baker.make(SurveyResponse, survey=published, process=colombo, status="completed", consent_to_publish=True)
    refused = baker.make(SurveyResponse, survey=published, process=bali, status="completed", consent_to_publish=False)
    baker.make(Answer, response=agreed, question=open_question, value="Published labour practice")
    baker.make(Answer, response=agreed, question=private_question, value=f"Private answer {MARKER}")
    baker.make(Answer, response=refused, question=open_question, value=f"Unconsented answer {MARKER}")
    return published


def urls(world, colombo, sri_lanka, theme):
    listed = [
        "/",
        "/meetings/",
        "/meetings/?sessions=on",
        "/documents/",
        "/recommendations/",
        colombo.get_absolute_url(),
        sri_lanka.get_absolute_url(),
        world["meeting"].get_absolute_url(),
        world["recommendation"].get_absolute_url(),
        "/search/?q=labour",
        "/sitemap.xml",
        "/meetings/calendar.ics",
        f"/processes/{colombo.slug}/calendar.ics",
        f"/countries/{sri_lanka.code}/calendar.ics",
        reverse("exchange:process_updates_feed", args=[colombo.slug, "atom"]),
        "/api/v1/meetings/",
        "/api/v1/documents/",
        "/api/v1/recommendations/",
        f"/api/v1/processes/{colombo.slug}/",
        "/surveys/",
        world["survey"].get_absolute_url(),
        reverse("surveys:survey_results_export", args=[world["survey"].slug, "csv"]),
        "/api/v1/surveys/",
        f"/api/v1/surveys/{world['survey'].slug}/",
        "/exchange/",
        reverse("exchange:dispatch_feed", args=["atom"]),
    ]
    for directory in ("meetings", "documents", "recommendations"):
        listed += [f"/{directory}/?format=csv", f"/{directory}/?format=json"]
    return listed


def content(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_no_public_surface_serves_a_draft(client, world, colombo, sri_lanka, theme):
    for url in urls(world, colombo, sri_lanka, theme):
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in content(response), url


def test_the_world_is_really_rendered(client, world):
    assert "Published labour practice" in client.get(world["survey"].get_absolute_url()).content.decode()
    assert "Open labour meeting" in client.get("/meetings/").content.decode()
    assert "Open labour recommendation" in client.get("/recommendations/").content.decode()


def test_draft_pages_and_files_are_not_found_for_the_public(client, world):
    from meetings.models import Document, Meeting
    from recommendations.models import Recommendation

    for model in (Meeting, Document, Recommendation):
        for obj in model.objects.filter(title__contains=MARKER):
            assert client.get(obj.get_absolute_url()).status_code == 404, obj
    for document in Document.objects.filter(title__contains=MARKER):
        assert client.get(reverse("meetings:document_download", args=[document.pk])).status_code == 404
    for meeting in Meeting.objects.filter(title__contains=MARKER):
        assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    from surveys.models import Survey

    unpublished = Survey.objects.get(title__contains=MARKER)
    assert client.get(unpublished.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/surveys/{unpublished.slug}/").status_code == 404
    assert client.get(reverse("surveys:survey_results_export", args=[unpublished.slug, "xlsx"])).status_code == 404


def test_a_previewed_draft_is_seen_only_by_those_who_may_see_it(
    client, world, colombo_secretariat, bali_secretariat, support_unit, roles
):
    draft = world["draft_meeting"]
    visitor = make_staff("no-process", "RCP secretariat")
    expected = {colombo_secretariat: 200, support_unit: 200, bali_secretariat: 404, visitor: 404}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(draft.get_absolute_url()).status_code == status, user
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_preview_is_never_cached_for_the_public(client, world, colombo_secretariat, settings):
    settings.PAGE_CACHE_ENABLED = True
    draft = world["draft_meeting"]
    client.force_login(colombo_secretariat)
    assert MARKER in client.get(draft.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_confidential_record_of_another_process_is_not_previewed(client, bali, colombo_secretariat):
    secret = baker.make(
        "meetings.Meeting", title="Bali closed", start_date=datetime.date(2030, 1, 1), visibility="confidential"
    )
    secret.organizing_processes.set([bali])
    client.force_login(colombo_secretariat)
    assert client.get(secret.get_absolute_url()).status_code == 404


def test_a_draft_dispatch_preview_for_its_sender_only(client, colombo, colombo_secretariat, bali_secretariat):
    from tests.exchange.factories import make_dispatch

    draft = make_dispatch(state="draft", sender_process=colombo, title=f"Dispatch {MARKER}", published_at=None)
    client.force_login(bali_secretariat)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(colombo_secretariat)
    assert MARKER in client.get(draft.get_absolute_url()).content.decode()


# Good practices (issue 16): drafts, practices under moderation or returned, unconsented contacts,
# and calls not opened yet reach no public surface either.


@pytest.fixture
def practice_world(colombo, colombo_secretariat, support_unit, sri_lanka, theme):
    from exchange import workflow as exchange_workflow
    from practices import workflow
    from reference.models import GcmObjective
    from tests.practices.conftest import make_practice, publish

    objective = GcmObjective.objects.create(number=6, title="Facilitate fair and ethical recruitment")
    fields = {"objectives": [objective], "countries": [sri_lanka], "themes_list": None}
    fields.pop("themes_list")
    public = make_practice(colombo, title="Open labour practice", contact_name=f"Contact {MARKER}",
                           contact_email="hidden@example.org", **fields)  # fmt: skip
    public.themes.set([theme])
    publish(public, colombo_secretariat, support_unit)
    make_practice(colombo, title=f"Labour practice draft {MARKER}", lessons_learned=f"labour {MARKER}", **fields)
    submitted = make_practice(colombo, title=f"Labour practice submitted {MARKER}", **fields)
    workflow.practice_submit(practice=submitted, user=colombo_secretariat)
    returned = make_practice(colombo, title=f"Labour practice returned {MARKER}", **fields)
    workflow.practice_submit(practice=returned, user=colombo_secretariat)
    returned.refresh_from_db()
    exchange_workflow.dispatch_return(dispatch=returned.dispatch, user=support_unit, reason=f"Reason {MARKER}")
    make_practice(colombo, title=f"Labour practice confidential {MARKER}", visibility="confidential", **fields)
    baker.make("practices.CallForPractices", title=f"Call being prepared {MARKER}", deadline=datetime.date(2031, 1, 1))
    return {"public": public, "objective": objective}


def practice_urls(world, colombo):
    listed = [
        "/",
        "/practices/",
        "/practices/?gcm=6",
        "/practices/?format=csv",
        "/practices/?format=json",
        "/practices/feed/atom/",
        "/practices/feed/gcm-objective/6/atom/",
        "/practices/calls/",
        "/gcm-objectives/",
        "/gcm-objectives/6/",
        world["public"].get_absolute_url(),
        colombo.get_absolute_url(),
        "/search/?q=labour",
        "/search/?q=practice&type=practices",
        "/sitemap.xml",
        "/exchange/",
        "/exchange/?format=json",
        "/exchange/feed/atom/",
        "/api/v1/practices/",
        f"/api/v1/practices/{world['public'].pk}/",
    ]
    return listed


def test_no_public_surface_serves_an_unpublished_practice_an_unconsented_contact_or_an_unopened_call(
    client, practice_world, colombo
):
    for url in practice_urls(practice_world, colombo):
        response = client.get(url)
        assert response.status_code == 200, url
        text = content(response)
        assert MARKER not in text, url
        assert "hidden@example.org" not in text, url
    assert "Open labour practice" in client.get("/practices/").content.decode()


def test_unpublished_practices_and_unopened_calls_are_not_found_for_the_public(
    client, practice_world, colombo_secretariat, bali_secretariat
):
    from practices.models import CallForPractices, Practice

    hidden = Practice.objects.filter(title__contains=MARKER)
    assert hidden.count() == 4
    for practice in hidden:
        assert client.get(practice.get_absolute_url()).status_code == 404, practice
        assert client.get(f"/api/v1/practices/{practice.pk}/").status_code == 404, practice
    call = CallForPractices.objects.get(title__contains=MARKER)
    assert client.get(call.get_absolute_url()).status_code == 404
    # The returned practice is previewed by its own secretariat only, with the reason.
    returned = hidden.get(title__contains="returned")
    client.force_login(bali_secretariat)
    assert client.get(returned.get_absolute_url()).status_code == 404
    client.force_login(colombo_secretariat)
    assert f"Reason {MARKER}" in client.get(returned.get_absolute_url()).content.decode()
