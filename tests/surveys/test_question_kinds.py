"""Every question type from the respondent's form to the results: countries, years, files and picked records."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from surveys import workflow
from surveys.models import Answer, Question, Survey
from surveys.results import survey_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds_survey(colombo, bali, support_unit, sri_lanka, mailoutbox):
    survey = Survey.objects.create(
        title="Records survey", slug="records", year=2031, closes_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    survey.addressed_processes.set([colombo, bali])
    for order, kind in enumerate(["countries", "year", "file", "meetings", "documents", "recommendations"], start=1):
        Question.objects.create(survey=survey, order=order, kind=kind, text=f"{kind}?", public=True)
    workflow.survey_open(survey=survey, user=support_unit)
    return survey


def test_picked_records_are_offered_only_from_the_answering_process_and_published_only_where_public(
    client, kinds_survey, colombo, bali, sri_lanka, colombo_secretariat, support_unit
):
    own = baker.make("meetings.Meeting", title="Colombo SOM", start_date=datetime.date(2030, 1, 1))
    own.organizing_processes.set([colombo])
    draft = baker.make(
        "meetings.Meeting", title="Colombo draft meeting", start_date=datetime.date(2030, 2, 1), publication="draft"
    )
    draft.organizing_processes.set([colombo])
    other = baker.make("meetings.Meeting", title="Bali SOM", start_date=datetime.date(2030, 1, 1))
    other.organizing_processes.set([bali])
    questions = {q.kind: q for q in kinds_survey.questions.all()}
    response = kinds_survey.responses.get(process=colombo)
    url = reverse("surveys:response_answer", args=[response.pk])
    client.force_login(colombo_secretariat)

    page = client.get(url).content.decode()
    assert "Colombo SOM" in page and "Bali SOM" not in page

    refused = client.post(url, {f"q{questions['meetings'].pk}": [other.pk], "action": "save"})
    assert "Select a valid choice" in refused.content.decode()
    assert not Answer.objects.exists()

    client.post(
        url,
        {
            f"q{questions['countries'].pk}": [sri_lanka.code],
            f"q{questions['year'].pk}": "2019",
            f"q{questions['file'].pk}": SimpleUploadedFile("practice.pdf", b"%PDF-1.7 a good practice"),
            f"q{questions['meetings'].pk}": [own.pk, draft.pk],
            "consent_to_publish": "on",
            "action": "submit",
        },
    )
    response.refresh_from_db()
    assert response.status == "completed"
    assert Answer.objects.get(question=questions["countries"]).value == ["LK"]
    assert Answer.objects.get(question=questions["year"]).value == 2019
    assert Answer.objects.get(question=questions["file"]).file.name.endswith(".pdf")

    workflow.survey_close(survey=kinds_survey, user=support_unit)
    workflow.survey_publish_results(survey=kinds_survey, user=support_unit)
    results = {r.question.kind: r for r in survey_results(kinds_survey, public=True)["questions"]}
    assert results["countries"].rows == [("Sri Lanka", 1, 100)]
    assert results["year"].summary["mean"] == 2019
    assert [name for name, _url in results["meetings"].listed[0][1]] == ["Colombo SOM (1 January 2030)"]
    client.logout()
    public_page = client.get(kinds_survey.get_absolute_url()).content.decode()
    assert "Colombo SOM" in public_page and "Colombo draft meeting" not in public_page
    assert "A file was provided" in public_page and "practice.pdf" not in public_page


def test_the_preview_shows_every_question_type(client, kinds_survey, support_unit):
    client.force_login(support_unit)
    page = client.get(reverse("surveys:survey_preview", args=[kinds_survey.slug])).content.decode()
    assert all(f"{kind}?" in page for kind in ("countries", "year", "file", "meetings", "documents", "recommendations"))
    assert 'name="action"' not in page  # nothing can be saved from the preview
