"""A survey's steps: open, save and resume, submit, materials only, reopen, deadline, close, publish, copy, send on."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.models import Dispatch, Notification
from surveys import workflow
from surveys.models import Answer, Question, Survey, SurveyResponse

from .conftest import DEADLINE, NOW, answers_for, response_of

Status = SurveyResponse.Status
pytestmark = pytest.mark.django_db
AFTER_DEADLINE = NOW.replace(month=4, day=2)


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7 materials of the process")


def test_opening_asks_every_addressed_process_and_emails_its_secretariat_once(
    survey, support_unit, colombo_secretariat, bali_secretariat, mailoutbox
):
    created = workflow.survey_open(survey=survey, user=support_unit, now=NOW)
    survey.refresh_from_db()

    assert survey.status == Survey.Status.OPEN and survey.opened_at == NOW
    assert len(created) == 3
    assert set(survey.responses.values_list("status", flat=True)) == {Status.NOT_STARTED}
    assert all(r.sent_at == NOW for r in survey.responses.all())
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([colombo_secretariat.email, bali_secretariat.email])
    colombo_mail = next(m for m in mailoutbox if m.to == [colombo_secretariat.email])
    assert survey.title in colombo_mail.subject
    assert f"/surveys/respond/{response_of(survey, colombo_secretariat.secretariat_assignments.get().process).pk}/" in (
        colombo_mail.body
    )
    # Opened again (after adding a process, say): nobody is asked or told twice.
    assert workflow.survey_open(survey=survey, user=support_unit, now=NOW) == []
    assert len(mailoutbox) == 2


def test_only_the_support_unit_opens_a_survey(survey, colombo_secretariat):
    with pytest.raises(PermissionDenied):
        workflow.survey_open(survey=survey, user=colombo_secretariat, now=NOW)
    assert not survey.responses.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no_questions", "Add at least one question"),
        ("no_deadline", "Set a deadline"),
        ("past_deadline", "The deadline has passed"),
        ("no_processes", "Choose the processes"),
    ],
)
def test_a_survey_missing_something_is_not_opened(survey, support_unit, change, message):
    if change == "no_questions":
        survey.questions.all().delete()
    elif change == "no_deadline":
        survey.closes_on = None
        survey.save()
    elif change == "past_deadline":
        survey.closes_on = datetime.date(2031, 2, 1)
        survey.save()
    else:
        survey.addressed_processes.clear()
    with pytest.raises(ValidationError, match=message):
        workflow.survey_open(survey=survey, user=support_unit, now=NOW)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT and not survey.responses.exists()


def test_saving_starts_the_response_and_answers_can_be_resumed(opened, questions, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    single = questions[0]
    workflow.response_save(response=response, user=colombo_secretariat, answers={single: "Ad hoc priority"}, now=NOW)
    response.refresh_from_db()
    assert response.status == Status.IN_PROGRESS and response.started_at == NOW

    workflow.response_save(response=response, user=colombo_secretariat, answers={single: "Thematic priority"}, now=NOW)
    assert Answer.objects.get(response=response, question=single).value == "Thematic priority"
    assert Answer.objects.filter(response=response).count() == 1


def test_submitting_needs_the_required_answers(opened, questions, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers={questions[3]: "A text"}, now=NOW)
    with pytest.raises(ValidationError, match="Answer every required question"):
        workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    response.refresh_from_db()
    assert response.status == Status.IN_PROGRESS and response.submitted_at is None


def test_submitted_answers_are_read_only_until_reopened(
    opened, questions, colombo, colombo_secretariat, support_unit, mailoutbox
):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    response.refresh_from_db()
    assert response.status == Status.COMPLETED
    assert response.submitted_at == NOW and response.submitted_by == colombo_secretariat

    with pytest.raises(ValidationError, match="can no longer be changed"):
        workflow.response_save(response=response, user=colombo_secretariat, answers={questions[3]: "Changed"}, now=NOW)
    assert Answer.objects.get(response=response, question=questions[3]).value == "Pre-departure orientation"

    mailoutbox.clear()
    workflow.response_reopen(response=response, user=support_unit, now=NOW)
    response.refresh_from_db()
    assert response.status == Status.IN_PROGRESS and response.reopened_at == NOW
    assert [m.to for m in mailoutbox] == [[colombo_secretariat.email]]
    assert "open again" in mailoutbox[0].subject
    workflow.response_save(response=response, user=colombo_secretariat, answers={questions[3]: "Changed"}, now=NOW)
    assert Answer.objects.get(response=response, question=questions[3]).value == "Changed"


def test_only_the_support_unit_reopens(opened, questions, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    with pytest.raises(PermissionDenied):
        workflow.response_reopen(response=response, user=colombo_secretariat, now=NOW)


def test_materials_instead_of_answers(opened, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    with pytest.raises(ValidationError, match="Upload at least one file"):
        workflow.response_submit(response=response, user=colombo_secretariat, materials_only=True, now=NOW)

    workflow.response_save(response=response, user=colombo_secretariat, materials=[pdf()], now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, materials_only=True, now=NOW)
    response.refresh_from_db()
    assert response.status == Status.MATERIALS_ONLY
    assert [m.filename for m in response.materials.all()] == ["report.pdf"]


def test_after_the_deadline_nothing_is_saved(opened, questions, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    with pytest.raises(ValidationError, match="deadline"):
        workflow.response_save(
            response=response, user=colombo_secretariat, answers=answers_for(questions), now=AFTER_DEADLINE
        )
    response.refresh_from_db()
    assert response.status == Status.NOT_STARTED and not response.answers.exists()


def test_a_reopened_response_may_be_answered_after_the_deadline_until_the_close(
    opened, questions, colombo, colombo_secretariat, support_unit
):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    workflow.response_reopen(response=response, user=support_unit, now=AFTER_DEADLINE)
    workflow.response_submit(response=response, user=colombo_secretariat, now=AFTER_DEADLINE)
    response.refresh_from_db()
    assert response.status == Status.COMPLETED


def test_a_respondent_of_another_process_can_neither_save_nor_submit(opened, questions, bali, colombo_secretariat):
    response = response_of(opened, bali)
    with pytest.raises(PermissionDenied):
        workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    with pytest.raises(PermissionDenied):
        workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    assert not response.answers.exists()


def test_an_invalid_upload_rolls_back_the_whole_save(opened, questions, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        workflow.response_save(
            response=response, user=colombo_secretariat, answers=answers_for(questions), materials=[fake], now=NOW
        )
    response.refresh_from_db()
    assert not response.answers.exists() and not response.materials.exists()
    assert response.status == Status.NOT_STARTED


def test_closing_records_no_response_and_publishing_needs_a_closed_survey(
    opened, questions, colombo, bali, budapest, colombo_secretariat, support_unit
):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    with pytest.raises(ValidationError, match="Close the survey"):
        workflow.survey_publish_results(survey=opened, user=support_unit)

    workflow.survey_close(survey=opened, user=support_unit, now=AFTER_DEADLINE)
    statuses = dict(opened.responses.values_list("process__slug", "status"))
    assert statuses == {
        colombo.slug: Status.COMPLETED,
        bali.slug: Status.NO_RESPONSE,
        budapest.slug: Status.NO_RESPONSE,
    }


def test_publishing_results_announces_them_on_the_exchange(opened, colombo, bali, budapest, support_unit):
    workflow.survey_close(survey=opened, user=support_unit, now=AFTER_DEADLINE)
    workflow.survey_publish_results(survey=opened, user=support_unit, now=AFTER_DEADLINE)
    opened.refresh_from_db()

    assert opened.is_published
    assert Survey.objects.public().filter(pk=opened.pk).exists()
    dispatch = Dispatch.objects.public().get(kind=Dispatch.Kind.SURVEY)
    assert dispatch.direction == Dispatch.Direction.FROM_GFMD
    assert set(dispatch.addressed_processes.all()) == {colombo, bali, budapest}
    assert opened.get_absolute_url() in dispatch.body
    with pytest.raises(ValidationError, match="already published"):
        workflow.survey_publish_results(survey=opened, user=support_unit)


def test_copying_a_survey_links_each_question_to_its_origin(survey, support_unit, questions):
    copy = workflow.survey_copy(survey=survey, user=support_unit, title="Next round", slug="next-round", year=2033)

    assert copy.status == Survey.Status.DRAFT and copy.copied_from == survey
    assert set(copy.addressed_processes.all()) == set(survey.addressed_processes.all())
    copied = list(copy.questions.order_by("order"))
    assert [q.copied_from for q in copied] == questions
    assert [q.text for q in copied] == [q.text for q in questions]
    assert copied[0].section.survey == copy
    assert copied[0].lineage() == [copied[0], questions[0]]


def test_a_submitted_response_is_sent_on_to_the_gfmd_for_moderation(
    opened, questions, colombo, colombo_secretariat, support_unit, mailoutbox
):
    response = response_of(opened, colombo)
    with pytest.raises(ValidationError, match="Submit the answers"):
        workflow.response_send_on(response=response, user=colombo_secretariat, title="T", body="B")
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    mailoutbox.clear()

    dispatch = workflow.response_send_on(
        response=response, user=colombo_secretariat, title="Our good practice", body="Pre-departure orientation"
    )
    assert dispatch.state == Dispatch.State.SUBMITTED
    assert dispatch.kind == Dispatch.Kind.SURVEY_RESPONSE and dispatch.sender_process == colombo
    assert [m.to for m in mailoutbox] == [[support_unit.email]]
    response.refresh_from_db()
    assert response.dispatch == dispatch
    with pytest.raises(ValidationError, match="already been sent on"):
        workflow.response_send_on(response=response, user=colombo_secretariat, title="Again", body="Again")


def test_survey_notifications_use_the_exchange_preferences(
    survey, support_unit, colombo_secretariat, bali_secretariat, mailoutbox
):
    from exchange.notifications import notification_preference_set, send_daily_summaries

    notification_preference_set(user=colombo_secretariat, delivery="daily")
    notification_preference_set(user=bali_secretariat, delivery="none")
    workflow.survey_open(survey=survey, user=support_unit, now=NOW)

    assert mailoutbox == []  # the one who wants it daily waits; the other wants no e-mail
    notification = Notification.objects.get(user=colombo_secretariat)
    assert notification.dispatch is None and notification.target.survey == survey
    assert send_daily_summaries() == 1
    assert "/surveys/respond/" in mailoutbox[0].body
    assert not Notification.objects.filter(user=bali_secretariat).exists()


def test_a_notification_names_a_dispatch_or_a_target_never_both(colombo_secretariat):
    from exchange import notifications

    with pytest.raises(ValueError):
        notifications.notify(event="survey_opened", key="k", people=None)


def test_an_answered_question_is_protected_in_the_database(opened, questions, colombo, colombo_secretariat):
    from django.db.models import ProtectedError

    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    with pytest.raises(ProtectedError):
        Question.objects.filter(pk=questions[0].pk).delete()


def test_the_deadline_is_the_end_of_its_day(survey):
    assert not survey.is_past_deadline(NOW.replace(month=3, day=31, hour=23, minute=59))
    assert survey.is_past_deadline(NOW.replace(month=4, day=1, hour=0, minute=0))
    assert survey.closes_on == DEADLINE
