"""The dispatch workflow: allowed moves, refused ones, who may make them, and what is recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchange import workflow
from exchange.models import Dispatch, DispatchTransition
from exchange.workflow import DispatchPermissionError, DispatchTransitionError
from tests.exchange.factories import make_dispatch

State = Dispatch.State


@pytest.fixture
def draft(colombo, colombo_secretariat):
    return workflow.dispatch_create(
        user=colombo_secretariat,
        direction=Dispatch.Direction.TO_GFMD,
        kind=Dispatch.Kind.REPORT_OF_PROCEEDINGS,
        sender_process=colombo,
        title="Report of the Colombo ministerial",
        body="We met in **Colombo**.",
    )


@pytest.fixture
def gfmd_dispatch(support_unit, colombo, bali):
    return workflow.dispatch_create(
        user=support_unit,
        direction=Dispatch.Direction.FROM_GFMD,
        kind=Dispatch.Kind.RECOMMENDATION,
        title="Recommendation of the GFMD summit",
        body="Share your good practices.",
        addressed_processes=[colombo],
    )


def test_a_secretariat_creates_a_draft_for_its_process_with_rendered_body(draft, colombo_secretariat):
    assert draft.state == State.DRAFT
    assert draft.body_html == "<p>We met in <strong>Colombo</strong>.</p>"
    assert draft.created_by == colombo_secretariat
    assert list(draft.transitions.values_list("from_state", "to_state")) == [("", "draft")]


def test_a_secretariat_cannot_create_a_dispatch_for_another_process(bali, colombo_secretariat):
    with pytest.raises(DispatchPermissionError):
        workflow.dispatch_create(
            user=colombo_secretariat,
            direction=Dispatch.Direction.TO_GFMD,
            kind=Dispatch.Kind.STATEMENT,
            sender_process=bali,
            title="Not ours",
            body="x",
        )
    assert not Dispatch.objects.exists()


def test_a_secretariat_cannot_write_a_dispatch_from_the_gfmd(colombo_secretariat):
    with pytest.raises(PermissionDenied):
        workflow.dispatch_create(
            user=colombo_secretariat, direction="from_gfmd", kind="announcement", title="x", body="x",
            addressed_to_all=True,
        )  # fmt: skip


def test_submitting_records_who_and_when_and_tells_the_support_unit(
    draft, colombo_secretariat, support_unit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.submitted_at
    step = draft.transitions.last()
    assert (step.from_state, step.to_state, step.user) == ("draft", "submitted", colombo_secretariat)
    assert [m.to for m in mailoutbox] == [[support_unit.email]]


def test_another_process_secretariat_cannot_submit_the_draft(draft, bali_secretariat):
    with pytest.raises(DispatchPermissionError):
        workflow.dispatch_submit(dispatch=draft, user=bali_secretariat)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_secretariat_cannot_publish_its_own_dispatch(draft, colombo_secretariat):
    workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    with pytest.raises(DispatchPermissionError, match="Only the GFMD Support Unit"):
        workflow.dispatch_publish(dispatch=draft, user=colombo_secretariat)
    assert Dispatch.objects.get().state == State.SUBMITTED


def test_the_support_unit_cannot_publish_a_draft_not_yet_submitted(draft, support_unit):
    with pytest.raises(DispatchTransitionError, match="not been submitted"):
        workflow.dispatch_publish(dispatch=draft, user=support_unit)
    assert Dispatch.objects.get().state == State.DRAFT


def test_publishing_a_submitted_dispatch_tells_the_secretariat(
    draft, colombo_secretariat, support_unit, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dispatch_publish(dispatch=draft, user=support_unit)
    assert draft.state == State.PUBLISHED and draft.published_at
    assert mailoutbox[-1].to == [colombo_secretariat.email]
    assert "Published" in mailoutbox[-1].subject


def test_returning_needs_a_reason(draft, colombo_secretariat, support_unit):
    workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    with pytest.raises(ValidationError):
        workflow.dispatch_return(dispatch=draft, user=support_unit, reason="  ")
    assert Dispatch.objects.get().state == State.SUBMITTED


def test_a_returned_dispatch_carries_the_reason_to_the_secretariat_and_can_be_submitted_again(
    draft, colombo_secretariat, support_unit, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dispatch_return(dispatch=draft, user=support_unit, reason="Please add the annex.")
    assert draft.state == State.RETURNED and draft.return_reason == "Please add the annex."
    assert "Please add the annex." in mailoutbox[-1].body
    assert mailoutbox[-1].to == [colombo_secretariat.email]
    workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    workflow.dispatch_publish(dispatch=draft, user=support_unit)
    assert list(draft.transitions.values_list("to_state", flat=True)) == [
        "draft", "submitted", "returned", "submitted", "published",
    ]  # fmt: skip
    assert DispatchTransition.objects.get(to_state="returned").reason == "Please add the annex."


def test_a_published_dispatch_cannot_be_returned_or_published_again(draft, colombo_secretariat, support_unit):
    workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)
    workflow.dispatch_publish(dispatch=draft, user=support_unit)
    with pytest.raises(DispatchTransitionError, match="Only a submitted dispatch can be returned"):
        workflow.dispatch_return(dispatch=draft, user=support_unit, reason="late")
    with pytest.raises(DispatchTransitionError):
        workflow.dispatch_publish(dispatch=draft, user=support_unit)
    with pytest.raises(DispatchTransitionError, match="Only a draft or a returned dispatch"):
        workflow.dispatch_submit(dispatch=draft, user=colombo_secretariat)


def test_a_dispatch_from_the_gfmd_is_published_directly_and_never_submitted(gfmd_dispatch, support_unit):
    with pytest.raises(DispatchTransitionError, match="published directly"):
        workflow.dispatch_submit(dispatch=gfmd_dispatch, user=support_unit)
    workflow.dispatch_publish(dispatch=gfmd_dispatch, user=support_unit)
    assert gfmd_dispatch.state == State.PUBLISHED


def test_a_dispatch_from_the_gfmd_without_addressees_is_refused(support_unit):
    dispatch = workflow.dispatch_create(
        user=support_unit, direction="from_gfmd", kind="announcement", title="To nobody", body="x"
    )
    with pytest.raises(DispatchTransitionError, match="Address the dispatch"):
        workflow.dispatch_publish(dispatch=dispatch, user=support_unit)


def test_an_addressed_process_acknowledges_once(gfmd_dispatch, support_unit, colombo, colombo_secretariat):
    workflow.dispatch_publish(dispatch=gfmd_dispatch, user=support_unit)
    ack = workflow.dispatch_acknowledge(dispatch=gfmd_dispatch, process=colombo, user=colombo_secretariat)
    assert (ack.process, ack.user) == (colombo, colombo_secretariat)
    with pytest.raises(DispatchTransitionError, match="already acknowledged"):
        workflow.dispatch_acknowledge(dispatch=gfmd_dispatch, process=colombo, user=colombo_secretariat)


def test_a_process_not_addressed_cannot_acknowledge_or_reply(gfmd_dispatch, support_unit, bali, bali_secretariat):
    workflow.dispatch_publish(dispatch=gfmd_dispatch, user=support_unit)
    with pytest.raises(DispatchTransitionError, match="not addressed to BP"):
        workflow.dispatch_acknowledge(dispatch=gfmd_dispatch, process=bali, user=bali_secretariat)
    with pytest.raises(DispatchTransitionError):
        workflow.dispatch_reply(original=gfmd_dispatch, process=bali, user=bali_secretariat, title="Re", body="x")


def test_a_secretariat_cannot_acknowledge_for_a_process_it_does_not_serve(
    gfmd_dispatch, support_unit, colombo, bali_secretariat
):
    workflow.dispatch_publish(dispatch=gfmd_dispatch, user=support_unit)
    with pytest.raises(DispatchPermissionError):
        workflow.dispatch_acknowledge(dispatch=gfmd_dispatch, process=colombo, user=bali_secretariat)


def test_an_unpublished_dispatch_cannot_be_acknowledged(gfmd_dispatch, colombo, colombo_secretariat):
    with pytest.raises(DispatchTransitionError, match="Only a published dispatch"):
        workflow.dispatch_acknowledge(dispatch=gfmd_dispatch, process=colombo, user=colombo_secretariat)


def test_a_reply_goes_to_the_gfmd_for_moderation_and_points_at_the_original(
    gfmd_dispatch, support_unit, colombo, colombo_secretariat
):
    workflow.dispatch_publish(dispatch=gfmd_dispatch, user=support_unit)
    reply = workflow.dispatch_reply(
        original=gfmd_dispatch, process=colombo, user=colombo_secretariat, title="Our answer", body="Thanks."
    )
    assert reply.direction == Dispatch.Direction.TO_GFMD
    assert (reply.sender_process, reply.in_reply_to, reply.kind) == (colombo, gfmd_dispatch, "reply")
    assert reply.state == State.SUBMITTED


def test_a_dispatch_to_all_processes_can_be_acknowledged_by_any_of_them(support_unit, bali, bali_secretariat):
    dispatch = make_dispatch(direction="from_gfmd", kind="announcement", addressed_to_all=True)
    assert workflow.dispatch_acknowledge(dispatch=dispatch, process=bali, user=bali_secretariat)


def test_the_model_refuses_a_dispatch_to_the_gfmd_without_sender(db):
    dispatch = Dispatch(direction="to_gfmd", kind="statement", title="x", body="x")
    with pytest.raises(ValidationError) as error:
        dispatch.full_clean()
    assert "sender_process" in error.value.message_dict
