"""A five-question survey drawn from the 2007 questionnaire's topics, addressed to three processes."""

import datetime

import pytest
from django.utils import timezone
from model_bakery import baker

from rcps.models import Process
from surveys.models import Question, Section, Survey

NOW = timezone.make_aware(datetime.datetime(2031, 3, 1, 10, 0))
DEADLINE = datetime.date(2031, 3, 31)


@pytest.fixture
def budapest(db):
    return baker.make(Process, name="Budapest Process", acronym="BuP", slug="budapest-process", kind="rcp")


@pytest.fixture
def survey(colombo, bali, budapest):
    """A draft survey: five questions of the 2007 topics, addressed to Colombo, Bali and Budapest."""
    survey = Survey.objects.create(
        title="Survey of RCPs on migration and development",
        slug="rcp-survey-2031",
        year=2031,
        purpose="Feed RCPs' good practices into the GFMD.",
        conducted_by="GFMD Support Unit",
        closes_on=DEADLINE,
    )
    survey.addressed_processes.set([colombo, bali, budapest])
    section = Section.objects.create(survey=survey, order=1, title="Migration and development")
    questions = [
        dict(
            kind="single_choice",
            text="Is migration and development a priority of your process?",
            choices="Thematic priority\nAd hoc priority\nNot addressed",
            required=True,
            public=True,
        ),
        dict(
            kind="multiple_choice",
            text="Which ministries attend your meetings?",
            choices="Interior\nJustice\nForeign Affairs\nLabour",
            public=True,
        ),
        dict(kind="yes_no", text="Does your process promote dialogue on migration and development?", public=True),
        dict(kind="long_text", text="Describe a good practice of your process.", public=True),
        dict(kind="number", text="How many meetings did your process hold last year?"),
    ]
    for order, fields in enumerate(questions, start=1):
        Question.objects.create(survey=survey, section=section, order=order, **fields)
    return survey


@pytest.fixture
def questions(survey):
    return list(survey.questions.order_by("order"))


@pytest.fixture
def opened(survey, support_unit, colombo_secretariat, bali_secretariat, mailoutbox):
    """The survey opened on NOW by the Support Unit: one response per process."""
    from surveys.workflow import survey_open

    survey_open(survey=survey, user=support_unit, now=NOW)
    survey.refresh_from_db()
    return survey


def response_of(survey, process):
    return survey.responses.get(process=process)


def answers_for(questions, choice="Thematic priority", good_practice="Pre-departure orientation"):
    """Answers keyed by question as the respondent form gives them to the workflow."""
    single, multiple, yes_no, text, number = questions
    return {single: choice, multiple: ["Interior", "Labour"], yes_no: "yes", text: good_practice, number: "4"}


@pytest.fixture(autouse=True)
def emails_at_once(monkeypatch):
    """Notifications are e-mailed when the transaction commits; a test's transaction never does, so send at once."""
    import exchange.notifications

    monkeypatch.setattr(exchange.notifications.transaction, "on_commit", lambda callback, **kwargs: callback())
