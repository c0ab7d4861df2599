"""The back office: secretariats draft and submit for their own processes; the Support Unit moderates."""

import pytest
from django.urls import reverse

from exchange.models import Dispatch
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:exchange_dispatch_changelist")
ADD = reverse("admin:exchange_dispatch_add")
INLINES = {
    f"{prefix}-{key}": value
    for prefix in ("attachments", "acknowledgements", "transitions")
    for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
}


def change_url(dispatch):
    return reverse("admin:exchange_dispatch_change", args=[dispatch.pk])


def step_url(dispatch, step):
    return reverse("admin:exchange_dispatch_step", args=[dispatch.pk, step])


def action(client, name, dispatches, **extra):
    data = {"action": name, "_selected_action": [d.pk for d in dispatches], **extra}
    return client.post(CHANGELIST + "?state=all", data, follow=True)


def test_a_secretariat_adds_a_draft_for_its_process_in_the_back_office(client, colombo, colombo_secretariat):
    client.force_login(colombo_secretariat)
    response = client.post(
        ADD,
        {
            "direction": "to_gfmd", "kind": "good_practice", "sender_process": colombo.pk,
            "title": "Pre-departure orientation", "body": "Our *practice*.", **INLINES,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    dispatch = Dispatch.objects.get()
    assert (dispatch.state, dispatch.created_by, dispatch.body_html) == (
        "draft",
        colombo_secretariat,
        "<p>Our <em>practice</em>.</p>",
    )
    assert dispatch.transitions.get().to_state == "draft"


def test_a_secretariat_cannot_add_a_dispatch_for_another_process(client, bali, colombo_secretariat):
    client.force_login(colombo_secretariat)
    response = client.post(
        ADD,
        {"direction": "to_gfmd", "kind": "statement", "sender_process": bali.pk, "title": "x", "body": "x", **INLINES},
    )
    assert response.status_code == 200 and "sender_process" in response.context["adminform"].form.errors
    assert not Dispatch.objects.exists()


def test_a_secretariat_cannot_write_from_the_gfmd(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    response = client.post(
        ADD, {"direction": "from_gfmd", "kind": "announcement", "title": "x", "body": "x", **INLINES}
    )
    assert "direction" in response.context["adminform"].form.errors


def test_a_secretariat_sees_its_dispatches_and_those_addressed_to_it_only(client, colombo, bali, colombo_secretariat):
    make_dispatch(title="Ours", sender_process=colombo, state="draft")
    make_dispatch(title="Bali draft", sender_process=bali, state="draft")
    make_dispatch(title="Bali published", sender_process=bali)
    make_dispatch(title="To us", direction="from_gfmd", addressed_processes=[colombo])
    make_dispatch(title="To all", direction="from_gfmd", addressed_to_all=True)
    make_dispatch(title="To Bali", direction="from_gfmd", addressed_processes=[bali])
    make_dispatch(title="GFMD draft to us", direction="from_gfmd", addressed_processes=[colombo], state="draft")
    client.force_login(colombo_secretariat)
    response = client.get(CHANGELIST + "?state=all")
    assert {d.title for d in response.context["cl"].result_list} == {"Ours", "To us", "To all"}


def test_another_process_draft_cannot_be_opened_by_url(client, bali, colombo_secretariat):
    draft = make_dispatch(title="Bali draft", sender_process=bali, state="draft")
    client.force_login(colombo_secretariat)
    response = client.get(change_url(draft))
    assert response.status_code == 404


def test_a_secretariat_submits_but_cannot_publish(client, colombo, colombo_secretariat):
    draft = make_dispatch(sender_process=colombo, state="draft")
    client.force_login(colombo_secretariat)
    changelist = client.get(CHANGELIST)
    assert "publish_dispatches" not in dict(changelist.context["action_form"].fields["action"].choices)
    action(client, "submit_dispatches", [draft])
    draft.refresh_from_db()
    assert draft.state == "submitted"
    action(client, "publish_dispatches", [draft])
    draft.refresh_from_db()
    assert draft.state == "submitted"


def test_a_submitted_dispatch_is_read_only_for_its_secretariat(client, colombo, colombo_secretariat):
    submitted = make_dispatch(sender_process=colombo, state="submitted")
    client.force_login(colombo_secretariat)
    response = client.get(change_url(submitted))
    assert response.status_code == 200 and not response.context["has_change_permission"]


def test_the_support_unit_publishes_from_the_changelist(client, colombo, support_unit):
    submitted = make_dispatch(sender_process=colombo, state="submitted", published_at=None)
    client.force_login(support_unit)
    response = action(client, "publish_dispatches", [submitted])
    submitted.refresh_from_db()
    assert submitted.state == "published"
    assert "1 dispatch published." in response.content.decode()


def test_the_support_unit_returns_with_a_reason_through_an_intermediate_page(
    client, colombo, support_unit, colombo_secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    submitted = make_dispatch(sender_process=colombo, state="submitted", published_at=None)
    client.force_login(support_unit)
    page = action(client, "return_dispatches", [submitted])
    assert "Reason, sent to the secretariat" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        action(client, "return_dispatches", [submitted], apply="1", reason="Add the list of participants.")
    submitted.refresh_from_db()
    assert (submitted.state, submitted.return_reason) == ("returned", "Add the list of participants.")
    assert "Add the list of participants." in mailoutbox[-1].body
    client.force_login(colombo_secretariat)
    assert "Add the list of participants." in client.get(change_url(submitted)).content.decode()


def test_an_illegal_move_in_the_admin_shows_a_clear_message(client, colombo, support_unit):
    draft = make_dispatch(sender_process=colombo, state="draft", published_at=None)
    client.force_login(support_unit)
    response = action(client, "publish_dispatches", [draft])
    assert "has not been submitted by its sender yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_secretariat_acknowledges_and_replies_from_the_back_office(client, colombo, colombo_secretariat):
    original = make_dispatch(title="Call", direction="from_gfmd", addressed_processes=[colombo])
    client.force_login(colombo_secretariat)
    action(client, "acknowledge_dispatches", [original])
    assert original.acknowledgements.get().process == colombo
    # Replying is done from the record (a bulk action on one selected row made no sense).
    form = client.get(step_url(original, "reply"))
    assert "Replying for" in form.content.decode()
    client.post(
        step_url(original, "reply"), {"process": colombo.pk, "title": "Re: Call", "body": "Done.", "submit_now": "on"}
    )
    reply = Dispatch.objects.get(in_reply_to=original)
    assert (reply.sender_process, reply.state) == (colombo, "submitted")


def test_the_admin_pages_open_for_every_role(client, colombo, colombo_secretariat, support_unit, superuser):
    dispatch = make_dispatch(sender_process=colombo)
    for user in (colombo_secretariat, support_unit, superuser):
        client.force_login(user)
        for url in (CHANGELIST, ADD, change_url(dispatch), reverse("admin:exchange_subscription_changelist")):
            expected = 403 if user == colombo_secretariat and "subscription" in url else 200
            assert client.get(url).status_code == expected, (user, url)
