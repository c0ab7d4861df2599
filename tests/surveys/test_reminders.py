"""Reminders before the deadline: each step once per process, only to those who have not submitted, idempotent."""

import datetime

import pytest
from django.core.management import call_command

from surveys import workflow
from surveys.models import ReminderSent

from .conftest import DEADLINE, NOW, answers_for, response_of

pytestmark = pytest.mark.django_db


def on(day, hour=7):
    """A moment on `day` (the clock frozen there: the workflow takes `now`)."""
    return NOW.replace(year=day.year, month=day.month, day=day.day, hour=hour)


def before_deadline(days):
    return on(DEADLINE - datetime.timedelta(days=days))


@pytest.fixture(autouse=True)
def steps(settings):
    settings.SURVEY_REMINDER_DAYS = [14, 3, 1]


def test_nothing_is_due_before_the_first_step(opened):
    assert workflow.send_reminders(now=before_deadline(15)) == []


def test_each_step_is_sent_once_to_those_who_have_not_submitted(
    opened, questions, colombo, bali, budapest, colombo_secretariat, bali_secretariat, mailoutbox
):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    mailoutbox.clear()

    sent = workflow.send_reminders(now=before_deadline(14))
    assert sorted((r.process.slug, days) for r, days in sent) == [(bali.slug, 14), (budapest.slug, 14)]
    # Budapest has no secretariat user: its step is recorded, nobody is e-mailed.
    assert [m.to for m in mailoutbox] == [[bali_secretariat.email]]
    assert "Reminder" in mailoutbox[0].subject

    # The same day again, and the days after: nothing more until the next step.
    assert workflow.send_reminders(now=before_deadline(14).replace(hour=18)) == []
    assert workflow.send_reminders(now=before_deadline(5)) == []
    assert len(mailoutbox) == 1

    assert [days for _r, days in workflow.send_reminders(now=before_deadline(3))] == [3, 3]
    assert [days for _r, days in workflow.send_reminders(now=before_deadline(1))] == [1, 1]
    assert workflow.send_reminders(now=before_deadline(1)) == []
    assert len(mailoutbox) == 3
    assert ReminderSent.objects.filter(response__process=bali).count() == 3


def test_missed_runs_send_only_the_nearest_step(opened, bali):
    sent = workflow.send_reminders(now=before_deadline(2))
    assert {days for _r, days in sent} == {3}
    assert workflow.send_reminders(now=before_deadline(2)) == []
    assert not ReminderSent.objects.filter(days_before=14).exists()


def test_no_reminder_after_the_deadline_or_once_closed(opened, support_unit):
    assert workflow.send_reminders(now=on(DEADLINE + datetime.timedelta(days=1))) == []
    workflow.survey_close(survey=opened, user=support_unit, now=before_deadline(1))
    assert workflow.send_reminders(now=before_deadline(1)) == []


def test_a_step_reached_before_the_process_was_asked_is_skipped(survey, support_unit):
    workflow.survey_open(survey=survey, user=support_unit, now=before_deadline(5))
    assert workflow.send_reminders(now=before_deadline(5)) == []
    assert {days for _r, days in workflow.send_reminders(now=before_deadline(3))} == {3}


def test_the_command_dry_run_writes_and_sends_nothing(opened, mailoutbox, capsys, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: before_deadline(14))
    mailoutbox.clear()
    call_command("send_survey_reminders", "--dry-run")
    assert "3 reminder(s) due" in capsys.readouterr().out
    assert not ReminderSent.objects.exists() and mailoutbox == []

    call_command("send_survey_reminders")
    assert "3 reminder(s) sent" in capsys.readouterr().out
    call_command("send_survey_reminders")
    assert "0 reminder(s) sent" in capsys.readouterr().out
    assert ReminderSent.objects.count() == 3


def test_the_command_runs_as_of_a_day_and_refuses_a_bad_one(opened, capsys):
    from django.core.management.base import CommandError

    call_command("send_survey_reminders", "--dry-run", "--as-of", (DEADLINE - datetime.timedelta(days=3)).isoformat())
    assert "3 reminder(s) due" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_survey_reminders", "--as-of", "tomorrow")
