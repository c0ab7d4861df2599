"""The steps of a survey: open, answer, submit, reopen, remind, close, publish results, copy, send on.

Each step is one function, atomic, checking who may take it and in which state (the back office
and the respondent pages call the same functions). People are told through the exchange's one
notification machinery (exchange.notifications.notify, with the response as its target), so
their delivery preferences and e-mail summaries apply to surveys as to dispatches.

Two links to the exchange (surveys sit above it, the exchange imports nothing from here):
- publishing a survey's results publishes a GFMD → RCPs dispatch of kind "survey", addressed
  to the surveyed processes and pointing at the results page: it appears on /exchange/, in
  the feeds and digests, and tells each process through the exchange's "received" e-mail;
- a submitted response can be sent on to the GFMD as a dispatch of kind "survey response",
  submitted for moderation like any other (the Support Unit publishes or returns it).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from exchange import notifications
from exchange.models import Dispatch, Notification
from exchange.workflow import dispatch_create

from .models import Answer, Question, ReminderSent, ResponseMaterial, Section, Survey, SurveyResponse
from .respondents import may_answer, respondent_users

Status = Survey.Status
ResponseStatus = SurveyResponse.Status
Event = Notification.Event


class SurveyStepError(ValidationError):
    """A step the survey's or the response's state does not allow (a clear message for the user)."""


def _check_runs_surveys(user):
    if not roles.is_moderator(user):
        raise PermissionDenied(_("Only the GFMD Support Unit runs surveys."))


def _check_respondent(user, response):
    if not may_answer(user, response):
        # Another process's response does not exist for this user.
        raise PermissionDenied(_("You do not answer surveys for this process."))


def _save(obj, user, reason):
    obj._change_reason = reason
    obj._history_user = user
    obj.save()


def _lock_survey(survey):
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _lock_response(response):
    return SurveyResponse.objects.select_for_update().select_related("survey", "process").get(pk=response.pk)


# Opening and closing ----------------------------------------------------------------------------


@transaction.atomic
def survey_open(*, survey, user, now=None):
    """Ask every addressed process for an answer: one response each, its respondents told by e-mail.

    Also used on an open survey after processes were added: only the new ones are asked.
    """
    _check_runs_surveys(user)
    now = now or timezone.now()
    survey = _lock_survey(survey)
    if survey.status == Status.CLOSED:
        raise SurveyStepError(_("This survey is closed; copy it to start a new round."))
    if survey.recorded_from_sources:
        raise SurveyStepError(_("A survey recorded from its sources cannot be sent."))
    if not survey.questions.exists():
        raise SurveyStepError(_("Add at least one question before opening the survey."))
    if survey.closes_on is None:
        raise SurveyStepError(_("Set a deadline before opening the survey."))
    if survey.is_past_deadline(now):
        raise SurveyStepError(_("The deadline has passed; set a later one before opening the survey."))
    processes = list(survey.addressed_processes.all())
    if not processes:
        raise SurveyStepError(_("Choose the processes the survey is addressed to before opening it."))
    if survey.status == Status.DRAFT:
        survey.status = Status.OPEN
        survey.opened_at = now
        survey.opens_on = survey.opens_on or timezone.localdate(now)
        survey.full_clean()
        _save(survey, user, _("Opened"))
    existing = set(survey.responses.values_list("process_id", flat=True))
    created = []
    for order, process in enumerate(processes, start=1):
        if process.pk in existing:
            continue
        response = SurveyResponse(
            survey=survey, process=process, status=ResponseStatus.NOT_STARTED, sent_at=now, list_order=order
        )
        _save(response, user, _("Sent"))
        created.append(response)
        notifications.notify(
            target=response,
            event=Event.SURVEY_OPENED,
            key=f"survey-opened:{response.pk}",
            people=respondent_users(survey, [process.pk]),
            actor=user,
        )
    return created


@transaction.atomic
def survey_close(*, survey, user, now=None):
    """Stop accepting answers; processes that have not submitted are recorded as "no response"."""
    _check_runs_surveys(user)
    now = now or timezone.now()
    survey = _lock_survey(survey)
    if survey.status != Status.OPEN:
        raise SurveyStepError(_("Only an open survey can be closed."))
    survey.status = Status.CLOSED
    survey.closed_at = now
    _save(survey, user, _("Closed"))
    for response in survey.responses.filter(status__in=SurveyResponse.OPEN_STATUSES):
        response.status = ResponseStatus.NO_RESPONSE
        _save(response, user, _("No response by the close"))
    return survey


@transaction.atomic
def survey_publish_results(*, survey, user, now=None):
    """Publish the results page (public questions, consented answers) and announce it on the exchange."""
    _check_runs_surveys(user)
    now = now or timezone.now()
    survey = _lock_survey(survey)
    if survey.is_published:
        raise SurveyStepError(_("The results of this survey are already published."))
    if survey.status != Status.CLOSED and not survey.recorded_from_sources:
        raise SurveyStepError(_("Close the survey before publishing its results."))
    survey.results_published_at = now
    _save(survey, user, _("Results published"))
    processes = list(survey.responses.values_list("process", flat=True))
    dispatch_create(
        user=user,
        direction=Dispatch.Direction.FROM_GFMD,
        kind=Dispatch.Kind.SURVEY,
        title=_("Results: %(title)s") % {"title": survey.title},
        body=_(
            "The results of the survey “%(title)s” are published: the response table, the answers to its "
            "public questions and, where each process agreed, its own answers.\n\n[Read the results](%(url)s)"
        )
        % {"title": survey.title, "url": settings.SITE_URL.rstrip("/") + survey.get_absolute_url()},
        addressed_processes=processes,
        submit=True,
    )
    return survey


@transaction.atomic
def survey_unpublish_results(*, survey, user):
    """Take the results page down again (the exchange's dispatch stays as the record of the announcement)."""
    _check_runs_surveys(user)
    survey = _lock_survey(survey)
    survey.results_published_at = None
    _save(survey, user, _("Results withdrawn"))
    return survey


def _versions(obj, *fields):
    """The French and Spanish versions of `fields` of `obj`, for a copy (a new title is the user's: not copied)."""
    return {f"{field}_{language}": getattr(obj, f"{field}_{language}") for field in fields for language in ("fr", "es")}


@transaction.atomic
def survey_copy(*, survey, user, title, slug, year):
    """A new draft survey with the same sections, questions and processes; each question remembers its origin."""
    _check_runs_surveys(user)
    copy = Survey(
        title=title,
        slug=slug,
        year=year,
        purpose=survey.purpose,
        description=survey.description,
        **_versions(survey, "purpose", "description"),
        conducted_by=survey.conducted_by,
        respondents=survey.respondents,
        background_document=survey.background_document,
        copied_from=survey,
    )
    copy.full_clean()
    _save(copy, user, _("Copied from %(survey)s") % {"survey": survey})
    copy.addressed_processes.set(survey.addressed_processes.all())
    sections = {}
    for section in survey.sections.all():
        sections[section.pk] = Section.objects.create(
            survey=copy,
            order=section.order,
            title=section.title,
            introduction=section.introduction,
            **_versions(section, *Section.TRANSLATED_FIELDS),
        )
    for question in survey.questions.all():
        Question.objects.create(
            survey=copy,
            section=sections.get(question.section_id),
            order=question.order,
            text=question.text,
            help_text=question.help_text,
            kind=question.kind,
            choices=question.choices,
            **_versions(question, *Question.TRANSLATED_FIELDS),
            required=question.required,
            public=question.public,
            follows_up_recommendation_id=question.follows_up_recommendation_id,
            follows_up_dispatch_id=question.follows_up_dispatch_id,
            copied_from=question,
        )
    return copy


# Answering ---------------------------------------------------------------------------------------


def _check_accepts(response, now):
    survey = response.survey
    if response.is_submitted:
        raise SurveyStepError(
            _(
                "These answers were submitted on %(date)s and can no longer be changed; "
                "ask the GFMD Support Unit to reopen them."
            )
            % {"date": timezone.localtime(response.submitted_at).date() if response.submitted_at else "—"}
        )
    if survey.status != Status.OPEN:
        raise SurveyStepError(_("This survey is not open for answers."))
    # A response the Support Unit reopened may be answered until the survey closes.
    if survey.is_past_deadline(now) and response.reopened_at is None:
        raise SurveyStepError(
            _("The deadline (%(date)s) has passed: answers are no longer accepted. Nothing was saved.")
            % {"date": survey.closes_on}
        )


def _store_answers(response, answers):
    """Write {question: value or UploadedFile} (None clears an answer); files replace earlier ones."""
    existing = {a.question_id: a for a in response.answers.all()}
    for question, value in answers.items():
        answer = existing.get(question.pk) or Answer(response=response, question=question)
        if question.kind == Question.Kind.FILE:
            if value is None:
                continue  # no new file: keep the one already uploaded
            answer.file = value
            answer.value = None
        elif value in (None, "", []):
            if answer.pk:
                answer.delete()
            continue
        else:
            answer.value = value
        answer.full_clean(exclude=["response", "question"])
        answer.save()


@transaction.atomic
def response_save(*, response, user, answers=None, consent=None, materials=(), materials_note=None, now=None):
    """Save answers (and materials) without submitting: the respondent can resume later."""
    now = now or timezone.now()
    _check_respondent(user, response)
    response = _lock_response(response)
    _check_accepts(response, now)
    _store_answers(response, answers or {})
    for upload in materials:
        material = ResponseMaterial(response=response, file=upload)
        material.full_clean(exclude=["response"])
        material.save()
    if consent is not None:
        response.consent_to_publish = consent
    if materials_note is not None:
        response.materials_note = materials_note
    if response.status == ResponseStatus.NOT_STARTED:
        response.status = ResponseStatus.IN_PROGRESS
        response.started_at = now
    _save(response, user, _("Answers saved"))
    return response


def missing_required(response):
    """The required questions `response` has no answer to."""
    answered = set(response.answers.values_list("question_id", flat=True))
    return [q for q in response.survey.questions.filter(required=True) if q.pk not in answered]


@transaction.atomic
def response_submit(*, response, user, materials_only=False, now=None):
    """Submit: the completed questionnaire, or materials instead of answers; read-only afterwards."""
    now = now or timezone.now()
    _check_respondent(user, response)
    response = _lock_response(response)
    _check_accepts(response, now)
    if materials_only:
        if not response.materials.exists():
            raise SurveyStepError(_("Upload at least one file before submitting materials instead of answers."))
        response.status = ResponseStatus.MATERIALS_ONLY
    else:
        missing = missing_required(response)
        if missing:
            raise SurveyStepError(
                _("Answer every required question before submitting: %(questions)s")
                % {"questions": "; ".join(str(q) for q in missing)}
            )
        response.status = ResponseStatus.COMPLETED
    response.started_at = response.started_at or now
    response.submitted_at = now
    response.submitted_by = user
    _save(response, user, _("Submitted"))
    return response


@transaction.atomic
def response_reopen(*, response, user, now=None):
    """The Support Unit lets a process change its submitted answers again (until the survey closes)."""
    _check_runs_surveys(user)
    now = now or timezone.now()
    response = _lock_response(response)
    if not response.is_submitted:
        raise SurveyStepError(_("Only submitted answers can be reopened."))
    if response.survey.status != Status.OPEN:
        raise SurveyStepError(_("The survey is closed: its answers can no longer be reopened."))
    response.status = ResponseStatus.IN_PROGRESS
    response.reopened_at = now
    response.submitted_at = None
    _save(response, user, _("Reopened"))
    notifications.notify(
        target=response,
        event=Event.SURVEY_REOPENED,
        key=f"survey-reopened:{response.pk}:{now.isoformat()}",
        people=respondent_users(response.survey, [response.process_id]),
        actor=user,
    )
    return response


@transaction.atomic
def response_send_on(*, response, user, title, body):
    """Send submitted answers on to the GFMD as a dispatch, submitted for the Support Unit's moderation."""
    _check_respondent(user, response)
    response = _lock_response(response)
    if not response.is_submitted:
        raise SurveyStepError(_("Submit the answers before sending them on to the GFMD."))
    if response.dispatch_id:
        raise SurveyStepError(_("These answers have already been sent on to the GFMD."))
    dispatch = dispatch_create(
        user=user,
        direction=Dispatch.Direction.TO_GFMD,
        kind=Dispatch.Kind.SURVEY_RESPONSE,
        title=title,
        body=body,
        sender_process=response.process,
        submit=True,
    )
    response.dispatch = dispatch
    _save(response, user, _("Sent on to the GFMD"))
    return dispatch


# Reminders ---------------------------------------------------------------------------------------


def reminder_steps():
    """Days before the deadline at which respondents who have not submitted are reminded, largest first."""
    return sorted({int(days) for days in settings.SURVEY_REMINDER_DAYS}, reverse=True)


def due_reminders(now=None):
    """[(response, days_before)] to send now: for each open response, the nearest step reached, unless sent.

    A step is reached on the day `deadline - days`; when a run was missed and several steps are
    reached, only the nearest is sent (the others are not sent late). A step reached on or
    before the day the survey was sent to the process is skipped (they have just been asked).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    steps = reminder_steps()
    responses = (
        SurveyResponse.objects.filter(survey__status=Status.OPEN, survey__closes_on__gte=today)
        .awaiting()
        .select_related("survey", "process")
        .prefetch_related("reminders")
        .order_by("survey__closes_on", "pk")
    )
    due = []
    for response in responses:
        reached = [d for d in steps if response.survey.closes_on - datetime.timedelta(days=d) <= today]
        if not reached:
            continue
        nearest = min(reached)
        step_day = response.survey.closes_on - datetime.timedelta(days=nearest)
        if response.sent_at and step_day <= timezone.localdate(response.sent_at):
            continue
        if nearest in {r.days_before for r in response.reminders.all()}:
            continue
        due.append((response, nearest))
    return due


def send_reminders(*, now=None, dry_run=False):
    """Remind the respondents of every response due (see due_reminders); each step once. Returns the list."""
    now = now or timezone.now()
    due = due_reminders(now)
    if dry_run:
        return due
    sent = []
    for response, days in due:
        with transaction.atomic():
            _reminder, created = ReminderSent.objects.get_or_create(
                response=response, days_before=days, defaults={"sent_at": now}
            )
            if not created:
                continue  # another run got there first
            notifications.notify(
                target=response,
                event=Event.SURVEY_REMINDER,
                key=f"survey-reminder:{response.pk}:{days}",
                people=respondent_users(response.survey, [response.process_id]),
            )
        sent.append((response, days))
    return sent
