"""The 2007 questionnaire, recorded from the background paper: its response table and topics, citing the paper."""

import pytest

from surveys.models import Survey, SurveyResponse

pytestmark = pytest.mark.django_db


def test_the_2007_survey_is_a_published_survey_of_twelve_processes(loaded):
    survey = Survey.objects.public().get(slug="gfmd-2007-rcp-questionnaire")
    assert survey.recorded_from_sources and survey.status == Survey.Status.CLOSED
    assert survey.addressed_processes.count() == 12 == survey.responses.count()
    assert not survey.questions.exists()  # the questions are in no source: none invented
    assert len(survey.topics) == 4 and all(topic["quote"] for topic in survey.topics)
    counts = {s: survey.responses.filter(status=s).count() for s in SurveyResponse.Status.values}
    assert counts["completed"] == 9 and counts["materials_only"] == 2 and counts["no_response"] == 1


def test_its_results_page_shows_the_response_table_topics_and_cites_the_background_paper(client, loaded):
    survey = Survey.objects.get(slug="gfmd-2007-rcp-questionnaire")
    page = client.get(survey.get_absolute_url()).content.decode()

    assert "Sent to 12 processes; 11 answered." in page
    assert "5+5 Dialogue" in page and "No response" in page
    assert "Topics the survey covered" in page and "most consistent invitees" in page
    assert survey.background_document.get_absolute_url() in page
    assert "Sources" in page


def test_it_is_listed_among_published_surveys_and_in_the_api(client, loaded):
    assert "Questionnaire to RCPs on migration and development" in client.get("/surveys/").content.decode()
    survey = client.get("/api/v1/surveys/gfmd-2007-rcp-questionnaire/").json()
    assert (survey["sent"], survey["completed"], survey["materials_only"], survey["no_response"]) == (12, 9, 2, 1)
    assert len(survey["responses"]) == 12 and survey["questions"] == []
