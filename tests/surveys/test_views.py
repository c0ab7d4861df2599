"""The respondent pages, the Support Unit's pages and the public results: the permission ladder and bad input."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from surveys import workflow
from surveys.models import Answer, SurveyResponse

from .conftest import answers_for, response_of

Status = SurveyResponse.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def live(survey, support_unit, colombo_secretariat, bali_secretariat, mailoutbox):
    """The survey opened today, its deadline in three weeks (the pages use the real clock)."""
    survey.closes_on = timezone.localdate() + datetime.timedelta(days=21)
    survey.save()
    workflow.survey_open(survey=survey, user=support_unit)
    return survey


def form_data(questions, **extra):
    single, multiple, yes_no, text, number = questions
    data = {
        f"q{single.pk}": "Thematic priority",
        f"q{multiple.pk}": ["Interior", "Labour"],
        f"q{yes_no.pk}": "yes",
        f"q{text.pk}": "Pre-departure orientation",
        f"q{number.pk}": "4",
        "action": "save",
    }
    data.update(extra)
    return data


def answer_url(response):
    return reverse("surveys:response_answer", args=[response.pk])


# The ladder -------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, live, colombo):
    for url in (reverse("surveys:response_list"), answer_url(response_of(live, colombo))):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_respondent_sees_only_their_processes_questionnaires(client, live, colombo, colombo_secretariat):
    client.force_login(colombo_secretariat)
    page = client.get(reverse("surveys:response_list")).content.decode()
    assert answer_url(response_of(live, colombo)) in page
    assert len(re.findall(r"/surveys/respond/\d+/", page)) == 1


def test_a_respondent_of_another_process_can_neither_read_nor_write(
    client, live, questions, bali, colombo_secretariat, bali_secretariat
):
    bali_response = response_of(live, bali)
    client.force_login(bali_secretariat)
    client.post(answer_url(bali_response), form_data(questions, **{f"q{questions[3].pk}": "Bali's own practice"}))

    client.force_login(colombo_secretariat)
    assert client.get(answer_url(bali_response)).status_code == 404
    response = client.post(answer_url(bali_response), form_data(questions, **{f"q{questions[3].pk}": "Overwritten"}))
    assert response.status_code == 404
    assert Answer.objects.get(response=bali_response, question=questions[3]).value == "Bali's own practice"
    send_on = client.post(reverse("surveys:response_send_on", args=[bali_response.pk]), {"title": "t", "body": "b"})
    assert send_on.status_code == 404


def test_the_support_unit_reads_every_answer_but_secretariats_do_not(client, live, support_unit, colombo_secretariat):
    url = reverse("surveys:survey_all_results", args=[live.slug])
    assert client.get(url).status_code == 302
    client.force_login(colombo_secretariat)
    assert client.get(url).status_code == 403
    assert client.get(reverse("surveys:survey_all_results_export", args=[live.slug, "csv"])).status_code == 403
    assert client.get(reverse("surveys:survey_preview", args=[live.slug])).status_code == 403
    client.force_login(support_unit)
    assert client.get(url).status_code == 200
    preview = client.get(reverse("surveys:survey_preview", args=[live.slug]))
    assert preview.status_code == 200 and "Which ministries attend your meetings?" in preview.content.decode()


def test_files_of_a_response_are_served_only_to_its_respondents_and_the_support_unit(
    client, live, colombo, colombo_secretariat, bali_secretariat, support_unit
):
    response = response_of(live, colombo)
    workflow.response_save(
        response=response,
        user=colombo_secretariat,
        materials=[SimpleUploadedFile("report.pdf", b"%PDF-1.7 materials")],
    )
    material = response.materials.get()
    url = reverse("surveys:response_file", args=[response.pk, "material", material.pk])
    client.force_login(bali_secretariat)
    assert client.get(url).status_code == 404
    client.force_login(colombo_secretariat)
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(support_unit)
    assert client.get(url).status_code == 200


# Answering --------------------------------------------------------------------------------------


def test_save_resume_and_submit_on_the_respondent_page(client, live, questions, colombo, colombo_secretariat):
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    page = client.get(answer_url(response))
    assert page.status_code == 200 and "Describe a good practice of your process." in page.content.decode()

    client.post(answer_url(response), form_data(questions, consent_to_publish="on"))
    response.refresh_from_db()
    assert response.status == Status.IN_PROGRESS and response.consent_to_publish
    assert "Pre-departure orientation" in client.get(answer_url(response)).content.decode()

    done = client.post(
        answer_url(response), form_data(questions, action="submit", consent_to_publish="on"), follow=True
    )
    response.refresh_from_db()
    assert response.status == Status.COMPLETED
    assert "Your answers are submitted" in done.content.decode()
    assert 'name="action" value="submit"' not in done.content.decode()  # read-only now


@pytest.mark.parametrize(
    ("question_index", "value", "message"),
    [
        (4, "four", "Enter a number."),
        (0, "Something else", "Select a valid choice."),
        (2, "maybe", "Select a valid choice."),
    ],
)
def test_answers_of_the_wrong_type_are_refused_and_nothing_is_saved(
    client, live, questions, colombo, colombo_secretariat, question_index, value, message
):
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    page = client.post(answer_url(response), form_data(questions, **{f"q{questions[question_index].pk}": value}))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "nothing was saved" in page.content.decode()
    assert not Answer.objects.filter(response=response).exists()
    response.refresh_from_db()
    assert response.status == Status.NOT_STARTED


def test_a_year_out_of_range_is_refused(client, live, questions, colombo, colombo_secretariat):
    year = questions[4]
    year.kind = "year"
    year.save()
    client.force_login(colombo_secretariat)
    page = client.post(answer_url(response_of(live, colombo)), form_data(questions, **{f"q{year.pk}": "3000"}))
    assert "less than or equal to 2100" in page.content.decode()
    assert not Answer.objects.exists()


def test_uploads_over_the_limit_or_of_a_forbidden_type_are_refused(
    client, live, questions, colombo, colombo_secretariat, settings
):
    settings.SURVEY_MAX_UPLOAD_SIZE = 100
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    too_big = SimpleUploadedFile("report.pdf", b"%PDF-1.7 " + b"x" * 200)
    page = client.post(answer_url(response), form_data(questions, material=too_big)).content.decode()
    assert "The file is larger than 100" in page
    script = SimpleUploadedFile("report.html", b"<script>alert(1)</script>")
    page = client.post(answer_url(response), form_data(questions, material=script)).content.decode()
    assert "Files ending in “.html” are not accepted" in page
    assert not Answer.objects.exists() and not response.materials.exists()


def test_a_submission_after_the_deadline_is_refused_with_nothing_saved(
    client, live, questions, colombo, colombo_secretariat
):
    live.refresh_from_db()
    live.opens_on = live.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    live.save()
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    page = client.post(answer_url(response), form_data(questions, action="submit"), follow=True)
    assert "can no longer be changed" in page.content.decode()
    assert not Answer.objects.exists()


def test_submitting_without_the_required_answers_keeps_the_saved_ones_and_says_what_is_missing(
    client, live, questions, colombo, colombo_secretariat
):
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    data = form_data(questions, action="submit", **{f"q{questions[0].pk}": ""})
    page = client.post(answer_url(response), data, follow=True).content.decode()
    assert "Answer every required question before submitting" in page
    response.refresh_from_db()
    assert response.status == Status.IN_PROGRESS
    assert Answer.objects.filter(response=response).count() == 4


def test_materials_only_from_the_page(client, live, questions, colombo, colombo_secretariat):
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    data = {"action": "submit_materials", "material": SimpleUploadedFile("report.pdf", b"%PDF-1.7 x")}
    client.post(answer_url(response), data)
    response.refresh_from_db()
    assert response.status == Status.MATERIALS_ONLY and response.materials.count() == 1


def test_sending_answers_on_to_the_gfmd_from_the_page(client, live, questions, colombo, colombo_secretariat):
    response = response_of(live, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions))
    workflow.response_submit(response=response, user=colombo_secretariat)
    client.force_login(colombo_secretariat)
    assert "Send your answers on to the GFMD" in client.get(answer_url(response)).content.decode()
    client.post(reverse("surveys:response_send_on", args=[response.pk]), {"title": "Our practice", "body": "Text"})
    response.refresh_from_db()
    assert response.dispatch.title == "Our practice" and response.dispatch.state == "submitted"


# Query counts ------------------------------------------------------------------------------------


def test_the_respondent_page_costs_the_same_with_many_answers(
    client, live, questions, colombo, colombo_secretariat, django_assert_max_num_queries
):
    response = response_of(live, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions))
    client.force_login(colombo_secretariat)
    # session and user, the response, its answers, the questions, the process's records for
    # "pick" questions (none here), materials, files, missing answers, the page's own lookups.
    with django_assert_max_num_queries(16):
        assert client.get(answer_url(response)).status_code == 200
