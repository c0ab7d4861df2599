"""Member States' focal points (participants of the members' area) as respondents: asked and allowed
only when the survey's "who answers" includes them, for their own processes, after their second factor."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import workflow
from surveys.models import Answer, Survey
from tests.members.conftest import login_verified, make_participant

from .conftest import response_of
from .test_views import answer_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def colombo_focal_point(colombo, sri_lanka):
    return make_participant("focal@example.lk", colombo, sri_lanka)


@pytest.fixture
def bali_focal_point(bali, sri_lanka):
    return make_participant("focal@example.id", bali, sri_lanka)


def open_for(survey, respondents, support_unit):
    survey.respondents = respondents
    survey.closes_on = timezone.localdate() + datetime.timedelta(days=21)
    survey.save()
    workflow.survey_open(survey=survey, user=support_unit)
    return survey


def test_opening_a_survey_for_focal_points_emails_them_and_not_the_secretariat(
    survey, support_unit, colombo_secretariat, colombo_focal_point, bali_focal_point, mailoutbox
):
    open_for(survey, Survey.Respondents.FOCAL_POINTS, support_unit)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([colombo_focal_point.email, bali_focal_point.email])


def test_opening_a_survey_for_both_emails_the_secretariat_and_the_focal_points(
    survey, support_unit, colombo_secretariat, colombo_focal_point, mailoutbox
):
    open_for(survey, Survey.Respondents.BOTH, support_unit)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([colombo_secretariat.email, colombo_focal_point.email])


def test_a_focal_point_answers_for_its_own_process_only(
    client, survey, questions, support_unit, colombo, bali, colombo_focal_point, mailoutbox
):
    open_for(survey, Survey.Respondents.FOCAL_POINTS, support_unit)
    login_verified(client, colombo_focal_point)
    own, other = response_of(survey, colombo), response_of(survey, bali)

    listed = client.get(reverse("surveys:response_list")).content.decode()
    assert answer_url(own) in listed and answer_url(other) not in listed
    assert client.post(answer_url(own), form_data(questions)).status_code in (200, 302)
    assert Answer.objects.filter(response=own).exists()
    assert client.get(answer_url(other)).status_code == 404
    assert client.post(answer_url(other), form_data(questions)).status_code == 404
    assert not Answer.objects.filter(response=other).exists()


def test_a_focal_point_is_not_a_respondent_of_a_survey_for_secretariats(
    client, survey, questions, support_unit, colombo, colombo_focal_point, mailoutbox
):
    open_for(survey, Survey.Respondents.SECRETARIAT, support_unit)
    login_verified(client, colombo_focal_point)
    assert client.get(answer_url(response_of(survey, colombo))).status_code == 404
    assert colombo_focal_point.email not in [m.to[0] for m in mailoutbox]


def test_a_focal_point_without_the_second_factor_after_the_grace_period_cannot_answer(
    client, survey, questions, support_unit, colombo, colombo_focal_point, settings, mailoutbox
):
    open_for(survey, Survey.Respondents.FOCAL_POINTS, support_unit)
    colombo_focal_point.date_joined = timezone.now() - datetime.timedelta(days=settings.MFA_GRACE_DAYS + 1)
    colombo_focal_point.save()
    client.force_login(colombo_focal_point)
    response = client.get(answer_url(response_of(survey, colombo)))
    assert response.status_code in (302, 404)
    assert not Answer.objects.filter(response__process=colombo).exists()


def test_a_visitor_is_sent_to_the_members_sign_in(client, survey, support_unit, colombo, mailoutbox):
    open_for(survey, Survey.Respondents.FOCAL_POINTS, support_unit)
    page = client.get(answer_url(response_of(survey, colombo)))
    assert page.status_code == 302 and page["Location"].startswith(reverse("members:sign_in"))
