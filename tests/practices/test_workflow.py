"""Submitting practices through the dispatch workflow: the moderation ladder, calls, and what is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchange import workflow as exchange_workflow
from exchange.models import Dispatch, Notification
from practices import workflow
from practices.models import CallForPractices, Practice

from .conftest import make_practice, publish

State = Dispatch.State


@pytest.fixture
def practice(colombo, objective_6, sri_lanka):
    return make_practice(colombo, objectives=[objective_6], countries=[sri_lanka])


def test_submitting_a_practice_submits_a_good_practice_dispatch_to_the_gfmd(
    practice, colombo_secretariat, support_unit
):
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice.refresh_from_db()
    dispatch = practice.dispatch
    assert practice.state == State.SUBMITTED
    assert dispatch.kind == Dispatch.Kind.GOOD_PRACTICE
    assert dispatch.direction == Dispatch.Direction.TO_GFMD
    assert dispatch.sender_process == practice.process
    assert "Lessons learned and pitfalls" in dispatch.body
    assert list(dispatch.gcm_objectives.values_list("number", flat=True)) == [6]
    assert Notification.objects.filter(user=support_unit, dispatch=dispatch, event="submitted").exists()
    assert not Practice.objects.public().exists()


def test_the_ladder_submit_return_resubmit_publish(practice, colombo_secretariat, support_unit):
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice.refresh_from_db()
    exchange_workflow.dispatch_return(
        dispatch=practice.dispatch, user=support_unit, reason="Give the results in numbers."
    )
    practice = Practice.objects.get(pk=practice.pk)
    assert practice.state == State.RETURNED
    assert practice.return_reason == "Give the results in numbers."
    assert Notification.objects.filter(user=colombo_secretariat, event="returned").exists()

    practice.results = "12,000 workers trained in 2023, 40% of them women."
    practice.save()
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice = Practice.objects.get(pk=practice.pk)
    assert practice.state == State.SUBMITTED
    assert "40% of them women" in practice.dispatch.body
    assert Dispatch.objects.count() == 1  # the same dispatch travels again

    exchange_workflow.dispatch_publish(dispatch=practice.dispatch, user=support_unit)
    practice = Practice.objects.get(pk=practice.pk)
    assert practice.state == State.PUBLISHED
    assert practice.is_public
    assert list(Practice.objects.public()) == [practice]
    steps = list(practice.dispatch.transitions.values_list("to_state", flat=True))
    assert steps == ["draft", "submitted", "returned", "submitted", "published"]


def test_a_submitted_practice_cannot_be_submitted_again_or_changed_by_its_secretariat(practice, colombo_secretariat):
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    with pytest.raises(ValidationError, match="Only a draft or a returned practice"):
        workflow.practice_submit(practice=practice, user=colombo_secretariat)
    assert not Practice.objects.managed_by(colombo_secretariat).exists()
    assert Practice.objects.visible_to(colombo_secretariat).count() == 1


def test_another_process_cannot_submit_or_see_the_practice(practice, bali_secretariat):
    with pytest.raises(PermissionDenied):
        workflow.practice_submit(practice=practice, user=bali_secretariat)
    assert not Practice.objects.visible_to(bali_secretariat).exists()
    assert not Dispatch.objects.exists()


def test_a_practice_missing_required_fields_is_refused_with_each_reason_and_nothing_saved(colombo, colombo_secretariat):
    practice = Practice.objects.create(title="Half done", summary="Something.", process=colombo)
    with pytest.raises(ValidationError) as error:
        workflow.practice_submit(practice=practice, user=colombo_secretariat)
    fields = error.value.message_dict
    assert set(fields) == {"what_was_done", "results", "lessons_learned", "gcm_objectives", "countries"}
    assert "not only the successes" in fields["lessons_learned"][0]
    assert not Dispatch.objects.exists()
    practice.refresh_from_db()
    assert practice.dispatch is None


def test_naming_another_process_as_implementer_without_its_consent_is_refused(practice, bali, colombo_secretariat):
    practice.implementing_processes.add(bali)
    with pytest.raises(ValidationError, match="BP must agree to be named"):
        workflow.practice_submit(practice=practice, user=colombo_secretariat)
    assert not Dispatch.objects.exists()


def test_a_practice_answers_an_open_call(open_call, practice, colombo_secretariat):
    practice.call = open_call
    practice.save()
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice.refresh_from_db()
    assert practice.state == State.SUBMITTED
    assert "Labour migration: fair recruitment" in practice.dispatch.body


def test_a_call_answered_after_its_deadline_is_refused_with_a_clear_message(open_call, practice, colombo_secretariat):
    CallForPractices.objects.filter(pk=open_call.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    practice.call = CallForPractices.objects.get(pk=open_call.pk)
    practice.save()
    with pytest.raises(ValidationError, match="closed on .* no longer accepts practices"):
        workflow.practice_submit(practice=practice, user=colombo_secretariat)
    assert not Dispatch.objects.filter(kind=Dispatch.Kind.GOOD_PRACTICE).exists()


def test_a_returned_practice_may_be_resubmitted_after_its_call_closed(
    open_call, practice, colombo_secretariat, support_unit
):
    practice.call = open_call
    practice.save()
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice.refresh_from_db()
    exchange_workflow.dispatch_return(dispatch=practice.dispatch, user=support_unit, reason="Shorter, please.")
    CallForPractices.objects.filter(pk=open_call.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    practice = Practice.objects.get(pk=practice.pk)
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    assert Practice.objects.get(pk=practice.pk).state == State.SUBMITTED


def test_opening_a_call_publishes_an_announcement_to_the_addressed_processes(
    colombo_secretariat, bali_secretariat, open_call
):
    announcement = open_call.announcement
    assert announcement.state == State.PUBLISHED
    assert announcement.kind == Dispatch.Kind.ANNOUNCEMENT
    assert announcement.direction == Dispatch.Direction.FROM_GFMD
    assert set(announcement.addressed_processes.values_list("slug", flat=True)) == {"colombo-process", "bali-process"}
    assert list(announcement.gcm_objectives.values_list("number", flat=True)) == [6]
    assert Notification.objects.filter(user__in=[colombo_secretariat, bali_secretariat], event="received").count() == 2
    assert list(CallForPractices.objects.public()) == [open_call]


def test_only_the_support_unit_opens_calls_and_a_call_needs_addressees(
    unopened_call, colombo_secretariat, support_unit
):
    with pytest.raises(PermissionDenied):
        workflow.call_open(call=unopened_call, user=colombo_secretariat)
    with pytest.raises(ValidationError, match="Address the call"):
        workflow.call_open(call=unopened_call, user=support_unit)
    assert not Dispatch.objects.exists()
    assert not CallForPractices.objects.public().exists()


def test_a_published_good_practice_dispatch_becomes_a_practice_in_one_step(colombo, colombo_secretariat, support_unit):
    dispatch = exchange_workflow.dispatch_create(
        user=colombo_secretariat,
        direction=Dispatch.Direction.TO_GFMD,
        kind=Dispatch.Kind.GOOD_PRACTICE,
        sender_process=colombo,
        title="Migrant resource centres",
        body="Centres in five districts.",
        submit=True,
    )
    exchange_workflow.dispatch_publish(dispatch=dispatch, user=support_unit)
    practice = workflow.practice_from_dispatch(dispatch=dispatch, user=support_unit)
    assert practice.title == "Migrant resource centres"
    assert practice.is_public
    assert list(practice.implementing_processes.all()) == [colombo]
    with pytest.raises(ValidationError, match="already a practice"):
        workflow.practice_from_dispatch(dispatch=dispatch, user=support_unit)


def test_only_published_good_practice_dispatches_become_practices(colombo, colombo_secretariat, support_unit):
    dispatch = exchange_workflow.dispatch_create(
        user=colombo_secretariat,
        direction=Dispatch.Direction.TO_GFMD,
        kind=Dispatch.Kind.STATEMENT,
        sender_process=colombo,
        title="A statement",
        body="x",
    )
    with pytest.raises(ValidationError):
        workflow.practice_from_dispatch(dispatch=dispatch, user=support_unit)
    with pytest.raises(PermissionDenied):
        workflow.practice_from_dispatch(dispatch=dispatch, user=colombo_secretariat)
    assert not Practice.objects.exists()


def test_publish_helper_publishes(practice, colombo_secretariat, support_unit):
    assert publish(practice, colombo_secretariat, support_unit).is_public


def test_a_practice_that_is_not_public_is_not_submitted_to_the_public_exchange(practice, colombo_secretariat):
    practice.visibility = "confidential"
    practice.save()
    with pytest.raises(ValidationError, match="Only a public practice can be submitted"):
        workflow.practice_submit(practice=practice, user=colombo_secretariat)
    assert not Dispatch.objects.exists()
