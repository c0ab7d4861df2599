"""The workflow on the dispatch's own page: the steps this user may take now, confirmed on the preview.

Also the RCP ↔ RCP exchange from the back office to the public pages, and previews of every
record kind that can be a draft.
"""

import datetime

import feedparser
import pytest
from django.urls import reverse
from model_bakery import baker

from exchange.models import Dispatch
from meetings.models import Document, Meeting
from recommendations.models import FollowUp, Recommendation
from tests.backoffice.test_admin_exchange import ADD, CHANGELIST, INLINES, change_url, step_url
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db


def steps(client, dispatch):
    response = client.get(change_url(dispatch))
    workflow = response.context["workflow"]
    return [step["step"] for step in workflow["steps"]]


def test_the_record_offers_each_role_only_its_steps(client, colombo, bali, colombo_secretariat, support_unit):
    draft = make_dispatch(state="draft", sender_process=colombo, published_at=None)
    submitted = make_dispatch(state="submitted", sender_process=colombo, published_at=None)
    received = make_dispatch(direction="from_gfmd", addressed_processes=[colombo, bali])
    client.force_login(colombo_secretariat)
    assert (steps(client, draft), steps(client, submitted), steps(client, received)) == (
        ["submit"],
        [],
        ["acknowledge", "reply"],
    )
    client.force_login(support_unit)
    assert (steps(client, draft), steps(client, submitted), steps(client, received)) == ([], ["publish", "return"], [])


def test_a_step_is_confirmed_on_the_preview_of_the_page_as_published(client, colombo, colombo_secretariat):
    draft = make_dispatch(state="draft", sender_process=colombo, published_at=None, title="Our draft", body="**Bold**")
    client.force_login(colombo_secretariat)
    response = client.get(step_url(draft, "submit"), follow=True)
    page = response.content.decode()
    assert response.templates[0].name == "exchange/dispatch_detail.html"
    assert "Preview — not on the public site" in page and "<strong>Bold</strong>" in page
    assert f'action="{step_url(draft, "submit")}"' in page and "Submit “Our draft”" in page
    assert response["Cache-Control"] == "private, no-store" and "noindex" in response["X-Robots-Tag"]


def test_the_whole_exchange_from_record_pages(
    client, colombo, colombo_secretariat, support_unit, mailoutbox, django_capture_on_commit_callbacks
):
    """Draft, preview, submit, return, fix, submit, publish: no list, no bulk action."""
    with django_capture_on_commit_callbacks(execute=True):
        whole_exchange(client, colombo, colombo_secretariat, support_unit)
    assert [m.to for m in mailoutbox] == [[support_unit.email], [colombo_secretariat.email]] * 2


def whole_exchange(client, colombo, colombo_secretariat, support_unit):
    client.force_login(colombo_secretariat)
    response = client.post(
        ADD,
        {"direction": "to_gfmd", "kind": "statement", "sender_process": colombo.pk, "title": "Statement",
         "body": "Draft text", **INLINES},
    )  # fmt: skip
    dispatch = Dispatch.objects.get()
    assert response["Location"] == change_url(dispatch)  # straight to the record, where the steps are
    assert client.get(dispatch.get_absolute_url()).status_code == 200  # its preview
    client.post(step_url(dispatch, "submit"))
    client.force_login(support_unit)
    assert client.post(step_url(dispatch, "return"), {"reason": ""}).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.state == "submitted"  # a return needs a reason
    client.post(step_url(dispatch, "return"), {"reason": "Name the meeting."})
    client.force_login(colombo_secretariat)
    page = client.get(change_url(dispatch)).content.decode()
    assert page.index("Name the meeting.") < page.index('name="title"')  # the reason is at the top
    client.post(
        change_url(dispatch),
        {"kind": "statement", "title": "Statement", "body": "Fixed text, naming the meeting.", **INLINES},
    )
    client.post(step_url(dispatch, "submit"))
    client.force_login(support_unit)
    client.post(step_url(dispatch, "publish"))
    dispatch.refresh_from_db()
    assert (dispatch.state, dispatch.body) == ("published", "Fixed text, naming the meeting.")
    reasons = list(dispatch.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == [
        "Started as a draft",
        "Submitted",
        "Returned: Name the meeting.",
        "Changed: Body",
        "Submitted",
        "Published",
    ]
    client.logout()
    assert "Fixed text" in client.get(dispatch.get_absolute_url()).content.decode()


def test_a_step_the_user_may_not_take_changes_nothing(client, colombo, bali_secretariat, colombo_secretariat):
    submitted = make_dispatch(state="submitted", sender_process=colombo, published_at=None)
    client.force_login(colombo_secretariat)
    client.post(step_url(submitted, "publish"))
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    client.force_login(bali_secretariat)
    assert client.post(step_url(submitted, "publish")).status_code == 404


def test_acknowledging_from_the_record(client, colombo, colombo_secretariat):
    received = make_dispatch(direction="from_gfmd", addressed_processes=[colombo])
    client.force_login(colombo_secretariat)
    client.post(step_url(received, "acknowledge"), {"process": colombo.pk})
    assert received.acknowledgements.get().process == colombo
    assert "acknowledge" not in steps(client, received)


def test_replying_for_preselects_the_users_only_process(client, colombo, colombo_secretariat):
    received = make_dispatch(direction="from_gfmd", addressed_processes=[colombo])
    client.force_login(colombo_secretariat)
    form = client.get(step_url(received, "reply")).context["form"]
    assert form["process"].value() == colombo.pk


def test_the_dispatch_form_preselects_the_users_only_process(client, colombo, colombo_secretariat):
    client.force_login(colombo_secretariat)
    form = client.get(ADD).context["adminform"].form
    assert form["sender_process"].value() == colombo.pk


def test_the_support_unit_is_not_offered_secretariat_bulk_actions(client, support_unit, colombo_secretariat):
    client.force_login(support_unit)
    request = client.get(CHANGELIST).wsgi_request
    actions = set(client.get(CHANGELIST).context["cl"].model_admin.get_actions(request))
    assert {"publish_dispatches", "return_dispatches"} <= actions
    assert not actions & {"submit_dispatches", "acknowledge_dispatches", "reply"}
    client.force_login(colombo_secretariat)
    request = client.get(CHANGELIST).wsgi_request
    actions = set(client.get(CHANGELIST).context["cl"].model_admin.get_actions(request))
    assert not actions & {"publish_dispatches", "return_dispatches", "reply"}


def test_the_body_preview_in_the_record_is_rendered_not_escaped(client, colombo, colombo_secretariat):
    draft = make_dispatch(state="draft", sender_process=colombo, published_at=None, body="Some **bold**")
    client.force_login(colombo_secretariat)
    page = client.get(change_url(draft)).content.decode()
    assert "<strong>bold</strong>" in page and "&lt;strong&gt;" not in page


# RCP ↔ RCP ---------------------------------------------------------------------------------------


def test_an_rcp_to_rcp_invitation_reaches_the_exchange_both_profiles_and_the_feeds(
    client, colombo, bali, colombo_secretariat, bali_secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(colombo_secretariat)
    client.post(
        ADD,
        {"direction": "rcp_to_rcp", "kind": "announcement", "sender_process": colombo.pk,
         "title": "Invitation to the Colombo ministerial", "body": "Join us.",
         "addressed_processes": [bali.pk], **INLINES},
    )  # fmt: skip
    invitation = Dispatch.objects.get()
    assert steps(client, invitation) == ["send"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step_url(invitation, "send"))
    invitation.refresh_from_db()
    assert invitation.state == "published"
    assert [m.to for m in mailoutbox] == [[bali_secretariat.email]]
    client.force_login(bali_secretariat)
    start = client.get(reverse("admin:index")).context["start_page"]["sections"]
    assert [item.title for item in start[1].items] == ["Invitation to the Colombo ministerial"]
    client.logout()
    title = "Invitation to the Colombo ministerial"
    assert title in client.get(reverse("exchange:dispatch_list"), {"direction": "rcp_to_rcp"}).content.decode()
    assert title not in client.get(reverse("exchange:dispatch_list"), {"direction": "to_gfmd"}).content.decode()
    for process in (colombo, bali):
        assert title in client.get(process.get_absolute_url()).content.decode()
        feed = feedparser.parse(client.get(reverse("exchange:process_feed", args=[process.slug, "atom"])).content)
        assert [title in entry.title for entry in feed.entries] == [True]
    feed = feedparser.parse(client.get(reverse("exchange:direction_feed", args=["between-rcps", "atom"])).content)
    assert [title in entry.title for entry in feed.entries] == [True]


def test_a_secretariat_cannot_publish_an_rcp_dispatch_with_no_addressee(client, colombo, colombo_secretariat):
    draft = make_dispatch(state="draft", direction="rcp_to_rcp", sender_process=colombo, published_at=None)
    client.force_login(colombo_secretariat)
    response = client.post(step_url(draft, "send"), follow=True)
    draft.refresh_from_db()
    assert draft.state == "draft" and "Address the dispatch" in response.content.decode()


# Drafts of the other records -----------------------------------------------------------------------


MEETING_FORM = {
    "title": "Colombo SOM 2026", "kind": "senior_officials", "organizing_processes": [], "start_date": "2026-10-01",
    "date_precision": "day", "confidence": "high", "visibility": "public", "sources": "[]",
    "low_confidence_fields": "",
    "sessions-TOTAL_FORMS": "0", "sessions-INITIAL_FORMS": "0",
    "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0",
}  # fmt: skip


def test_a_new_meeting_is_a_draft_until_its_owner_publishes_it(client, colombo, colombo_secretariat, bali_secretariat):
    client.force_login(colombo_secretariat)
    response = client.post(
        reverse("admin:meetings_meeting_add"), {**MEETING_FORM, "organizing_processes": [colombo.pk]}
    )
    meeting = Meeting.objects.get()
    assert meeting.is_draft and response["Location"] == reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert client.get(meeting.get_absolute_url()).status_code == 200  # the owner's preview
    client.force_login(bali_secretariat)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert "Colombo SOM 2026" not in client.get(reverse("meetings:meeting_list")).content.decode()
    client.force_login(bali_secretariat)
    assert client.post(reverse("admin:meetings_meeting_publish", args=[meeting.pk])).status_code == 404
    client.force_login(colombo_secretariat)
    client.post(reverse("admin:meetings_meeting_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert not meeting.is_draft
    assert meeting.history.latest().history_change_reason == "Published"
    client.logout()
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_publishing_a_meeting_publishes_the_documents_added_with_it(
    client, colombo, colombo_secretariat, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(colombo_secretariat)
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        {
            **MEETING_FORM,
            "organizing_processes": [colombo.pk],
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "Chair's summary",
            "documents-0-kind": "chairs_summary",
            "documents-0-language": "en",
            "documents-0-file": SimpleUploadedFile("summary.pdf", b"%PDF-1.4 summary", "application/pdf"),
            "documents-0-visibility": "public",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    document = Document.objects.get()
    # The document belongs to the meeting and its process without naming it, keeps its file, starts as a draft.
    assert (document.meeting, document.process, document.is_draft) == (meeting, colombo, True)
    assert document.file.name.endswith("summary.pdf")
    assert document.history.get().history_change_reason == "Added in the back office"
    client.post(reverse("admin:meetings_meeting_publish", args=[meeting.pk]))
    document.refresh_from_db()
    assert not document.is_draft


def test_the_publication_box_shows_on_a_draft_record(client, colombo, colombo_secretariat):
    recommendation = baker.make(Recommendation, title="Draft rec", issuing_process=colombo, publication="draft")
    client.force_login(colombo_secretariat)
    page = client.get(reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])).content
    assert b"Draft \xe2\x80\x94 not on the public site" in page and b"Publish\xe2\x80\xa6" in page


def test_a_draft_follow_up_is_previewed_on_its_recommendation_page(client, colombo, colombo_secretariat):
    recommendation = baker.make(Recommendation, title="Rec", addressed_processes=[colombo])
    follow_up = baker.make(
        FollowUp,
        recommendation=recommendation,
        process=colombo,
        status="implemented",
        date=datetime.date(2025, 1, 1),
        note="Our draft note ZQX",
        publication="draft",
    )
    assert "ZQX" not in client.get(follow_up.get_absolute_url()).content.decode()
    client.force_login(colombo_secretariat)
    page = client.get(follow_up.get_absolute_url()).content.decode()
    assert "ZQX" in page and "Preview" in page
    client.post(reverse("admin:recommendations_followup_publish", args=[follow_up.pk]))
    client.logout()
    assert "ZQX" in client.get(recommendation.get_absolute_url()).content.decode()


def test_publish_selected_drafts_from_the_list(client, colombo, colombo_secretariat):
    drafts = [
        baker.make(Document, title=f"D{i}", reference="r", process=colombo, publication="draft") for i in range(3)
    ]
    client.force_login(colombo_secretariat)
    client.post(
        reverse("admin:meetings_document_changelist"),
        {"action": "publish_selected", "_selected_action": [d.pk for d in drafts]},
    )
    assert Document.objects.drafts().count() == 0
