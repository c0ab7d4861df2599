"""Every step of the exchange tells the people it concerns, by e-mail, once, as each person chose."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from exchange import notifications, workflow
from exchange.models import Dispatch, Notification
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

Direction = Dispatch.Direction


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a workflow step and its after-commit e-mails."""

    def step(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return step


def sent_to(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def to_gfmd(run, colombo, user, **extra):
    return run(
        workflow.dispatch_create,
        user=user,
        direction=Direction.TO_GFMD,
        kind=Dispatch.Kind.STATEMENT,
        sender_process=colombo,
        title="Colombo statement",
        body="Text",
        **extra,
    )


def test_submitting_tells_the_support_unit_with_a_link_to_the_record(
    run, colombo, colombo_secretariat, support_unit, mailoutbox
):
    dispatch = to_gfmd(run, colombo, colombo_secretariat, submit=True)
    assert sent_to(mailoutbox) == [support_unit.email]
    assert f"/admin/exchange/dispatch/{dispatch.pk}/change/" in mailoutbox[0].body
    assert "To moderate: Colombo statement (CP)" == mailoutbox[0].subject


def test_returning_tells_the_sender_with_the_reason(run, colombo, colombo_secretariat, support_unit, mailoutbox):
    dispatch = to_gfmd(run, colombo, colombo_secretariat, submit=True)
    mailoutbox.clear()
    run(workflow.dispatch_return, dispatch=dispatch, user=support_unit, reason="Add the date.")
    assert sent_to(mailoutbox) == [colombo_secretariat.email]
    assert "Add the date." in mailoutbox[0].body and mailoutbox[0].subject == "Returned to you: Colombo statement"


def test_publishing_tells_the_sender(run, colombo, colombo_secretariat, support_unit, mailoutbox):
    dispatch = to_gfmd(run, colombo, colombo_secretariat, submit=True)
    mailoutbox.clear()
    run(workflow.dispatch_publish, dispatch=dispatch, user=support_unit)
    assert sent_to(mailoutbox) == [colombo_secretariat.email]
    assert dispatch.get_absolute_url() in mailoutbox[0].body


def test_a_gfmd_dispatch_tells_the_secretariats_of_every_addressed_process(
    run, colombo, bali, gfmd, colombo_secretariat, bali_secretariat, support_unit, roles, mailoutbox
):
    make_staff("other-sec", "RCP secretariat", [gfmd])  # serves no addressed process
    dispatch = run(
        workflow.dispatch_create,
        user=support_unit,
        direction=Direction.FROM_GFMD,
        kind=Dispatch.Kind.RECOMMENDATION,
        title="Call for practices",
        body="Share.",
        addressed_processes=[colombo, bali],
    )
    assert mailoutbox == []  # a draft tells no one
    run(workflow.dispatch_publish, dispatch=dispatch, user=support_unit)
    assert sent_to(mailoutbox) == sorted([colombo_secretariat.email, bali_secretariat.email])
    assert f"/admin/exchange/dispatch/{dispatch.pk}/change/" in mailoutbox[0].body


def test_a_dispatch_to_all_processes_tells_every_secretariat(
    run, colombo, bali, colombo_secretariat, bali_secretariat, support_unit, mailoutbox
):
    dispatch = run(
        workflow.dispatch_create,
        user=support_unit,
        direction=Direction.FROM_GFMD,
        kind=Dispatch.Kind.ANNOUNCEMENT,
        title="Summit",
        body="x",
        addressed_to_all=True,
        submit=True,
    )
    assert dispatch.is_published
    assert sent_to(mailoutbox) == sorted([colombo_secretariat.email, bali_secretariat.email])


def test_acknowledgements_and_replies_tell_the_support_unit(
    run, colombo, colombo_secretariat, support_unit, mailoutbox
):
    dispatch = run(
        workflow.dispatch_create,
        user=support_unit,
        direction=Direction.FROM_GFMD,
        kind=Dispatch.Kind.RECOMMENDATION,
        title="Call",
        body="x",
        addressed_processes=[colombo],
        submit=True,
    )
    mailoutbox.clear()
    run(workflow.dispatch_acknowledge, dispatch=dispatch, process=colombo, user=colombo_secretariat)
    assert sent_to(mailoutbox) == [support_unit.email] and mailoutbox[0].subject == "Acknowledged by CP: Call"
    run(workflow.dispatch_reply, original=dispatch, process=colombo, user=colombo_secretariat, title="Ours", body="x")
    assert sent_to(mailoutbox) == [support_unit.email, support_unit.email]
    assert mailoutbox[1].subject == "Reply to moderate: Ours (CP)"


def test_an_rcp_to_rcp_dispatch_is_published_by_its_sender_and_tells_the_addressed_process(
    run, colombo, bali, colombo_secretariat, bali_secretariat, support_unit, mailoutbox
):
    invitation = run(
        workflow.dispatch_create,
        user=colombo_secretariat,
        direction=Direction.BETWEEN_RCPS,
        kind=Dispatch.Kind.ANNOUNCEMENT,
        sender_process=colombo,
        title="Invitation to our ministerial",
        body="Join us.",
        addressed_processes=[bali],
    )
    run(workflow.dispatch_send, dispatch=invitation, user=colombo_secretariat)
    invitation.refresh_from_db()
    assert invitation.state == "published"
    assert sent_to(mailoutbox) == [bali_secretariat.email]  # not the Support Unit: no gatekeeper
    mailoutbox.clear()
    run(workflow.dispatch_acknowledge, dispatch=invitation, process=bali, user=bali_secretariat)
    assert sent_to(mailoutbox) == [colombo_secretariat.email]
    mailoutbox.clear()
    reply = run(
        workflow.dispatch_reply, original=invitation, process=bali, user=bali_secretariat, title="We come", body="x"
    )
    assert (reply.direction, reply.state, list(reply.addressed_processes.all())) == (
        "rcp_to_rcp",
        "published",
        [colombo],
    )
    assert sent_to(mailoutbox) == [colombo_secretariat.email] and "Reply from BP" in mailoutbox[0].subject


@override_settings(EXCHANGE_MODERATE_BETWEEN_RCPS=True)
def test_when_the_support_unit_moderates_rcp_to_rcp_it_is_told_and_publishing_tells_both_sides(
    run, colombo, bali, colombo_secretariat, bali_secretariat, support_unit, mailoutbox
):
    invitation = run(
        workflow.dispatch_create,
        user=colombo_secretariat,
        direction=Direction.BETWEEN_RCPS,
        kind=Dispatch.Kind.ANNOUNCEMENT,
        sender_process=colombo,
        title="Invitation",
        body="Join us.",
        addressed_processes=[bali],
        submit=True,
    )
    assert invitation.state == "submitted" and sent_to(mailoutbox) == [support_unit.email]
    with pytest.raises(workflow.DispatchPermissionError):
        workflow.dispatch_publish(dispatch=invitation, user=colombo_secretariat)
    mailoutbox.clear()
    run(workflow.dispatch_publish, dispatch=invitation, user=support_unit)
    assert sent_to(mailoutbox) == sorted([colombo_secretariat.email, bali_secretariat.email])


def test_the_person_who_takes_a_step_is_not_told_of_it(run, colombo, roles, mailoutbox):
    both = make_staff("both", "GFMD Support Unit", [colombo])
    to_gfmd(run, colombo, both, submit=True)
    assert mailoutbox == []


# Preferences and idempotence -------------------------------------------------------------------


def test_a_user_who_chose_none_gets_no_email(run, colombo, colombo_secretariat, support_unit, mailoutbox):
    notifications.notification_preference_set(user=support_unit, delivery="none")
    to_gfmd(run, colombo, colombo_secretariat, submit=True)
    assert mailoutbox == []


def test_a_daily_summary_gathers_the_steps_in_one_email_sent_once(
    run, colombo, colombo_secretariat, support_unit, mailoutbox
):
    notifications.notification_preference_set(user=support_unit, delivery="daily")
    first = to_gfmd(run, colombo, colombo_secretariat, submit=True)
    second = to_gfmd(run, colombo, colombo_secretariat, submit=True)
    assert mailoutbox == []
    call_command("send_notifications", verbosity=0)
    assert sent_to(mailoutbox) == [support_unit.email]
    body = mailoutbox[0].body
    assert (
        f"/admin/exchange/dispatch/{first.pk}/change/" in body
        and f"/admin/exchange/dispatch/{second.pk}/change/" in body
    )
    call_command("send_notifications", verbosity=0)
    assert len(mailoutbox) == 1


def test_the_dry_run_sends_nothing(run, colombo, colombo_secretariat, support_unit, mailoutbox, capsys):
    notifications.notification_preference_set(user=support_unit, delivery="daily")
    to_gfmd(run, colombo, colombo_secretariat, submit=True)
    call_command("send_notifications", "--dry-run")
    assert mailoutbox == [] and "1 daily summary" in capsys.readouterr().out


def test_sending_is_idempotent_per_event_and_person(run, colombo, colombo_secretariat, support_unit, mailoutbox):
    dispatch = to_gfmd(run, colombo, colombo_secretariat, submit=True)
    transition = dispatch.transitions.get(to_state="submitted")
    # The same event recorded again (a retried step) and sent again: nobody is told twice.
    notifications.notify(
        dispatch=dispatch,
        event=Notification.Event.SUBMITTED,
        key=f"transition:{transition.pk}",
        people=notifications.support_unit_users(),
    )
    notifications.send_immediate()
    call_command("send_notifications", verbosity=0)
    assert sent_to(mailoutbox) == [support_unit.email]
    assert Notification.objects.filter(user=support_unit).count() == 1


def test_an_email_that_failed_is_sent_by_the_next_run(run, colombo, colombo_secretariat, support_unit, mailoutbox):
    from unittest import mock

    with mock.patch("exchange.notifications.EmailMessage.send", side_effect=OSError("SMTP down")):
        to_gfmd(run, colombo, colombo_secretariat, submit=True)
    assert mailoutbox == [] and Notification.objects.pending().count() == 1
    call_command("send_notifications", verbosity=0)
    assert sent_to(mailoutbox) == [support_unit.email]


def test_each_user_chooses_in_the_back_office(client, colombo_secretariat):
    from django.urls import reverse

    client.force_login(colombo_secretariat)
    url = reverse("admin:notification_preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"delivery": "daily"})
    assert response.status_code == 302 and notifications.delivery_for(colombo_secretariat) == "daily"
    assert "E-mail notifications" in client.get(reverse("admin:index")).content.decode()
