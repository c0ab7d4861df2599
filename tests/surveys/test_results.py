"""Published results: the response table, public questions, consented answers only; exports parsed back."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from surveys import workflow
from surveys.results import survey_results

from .conftest import NOW, answers_for, response_of

pytestmark = pytest.mark.django_db
AFTER = NOW.replace(month=4, day=2)
SECRET = "Unconsented practice of Bali QZX-7731"


@pytest.fixture
def published(opened, questions, colombo, bali, colombo_secretariat, bali_secretariat, support_unit):
    """Colombo answered and agreed to publish; Bali answered without agreeing; Budapest did not answer."""
    colombo_response = response_of(opened, colombo)
    workflow.response_save(
        response=colombo_response, user=colombo_secretariat, answers=answers_for(questions), consent=True, now=NOW
    )
    workflow.response_submit(response=colombo_response, user=colombo_secretariat, now=NOW)
    bali_response = response_of(opened, bali)
    workflow.response_save(
        response=bali_response,
        user=bali_secretariat,
        answers=answers_for(questions, choice="Ad hoc priority", good_practice=SECRET),
        consent=False,
        now=NOW,
    )
    workflow.response_submit(response=bali_response, user=bali_secretariat, now=NOW)
    workflow.survey_close(survey=opened, user=support_unit, now=AFTER)
    workflow.survey_publish_results(survey=opened, user=support_unit, now=AFTER)
    opened.refresh_from_db()
    return opened


def test_the_results_page_is_not_found_until_published(client, opened):
    assert client.get(opened.get_absolute_url()).status_code == 404
    assert client.get(reverse("surveys:survey_results_export", args=[opened.slug, "csv"])).status_code == 404


def test_the_public_page_shows_the_response_table_a_chart_and_only_consented_answers(client, published, questions):
    page = client.get(published.get_absolute_url()).content.decode()

    assert "Sent to 3 processes; 2 answered." in page
    assert "Submitted (completed questionnaire)" in page and "No response" in page
    assert 'class="bar-chart choice-chart"' in page
    assert "Pre-departure orientation" in page  # Colombo agreed
    assert SECRET not in page and "Ad hoc priority: 1" not in page  # Bali did not
    assert questions[4].text not in page  # not a public question


def test_the_support_unit_sees_every_answer(client, published, support_unit, questions):
    client.force_login(support_unit)
    page = client.get(reverse("surveys:survey_all_results", args=[published.slug])).content.decode()
    assert SECRET in page and questions[4].text in page


def test_choice_counts_and_percentages(published, questions):
    everything = survey_results(published, public=False)["questions"][0]
    assert everything.answering == 2
    assert everything.rows == [("Thematic priority", 1, 50), ("Ad hoc priority", 1, 50), ("Not addressed", 0, 0)]
    public = survey_results(published, public=True)["questions"][0]
    assert public.rows == [("Thematic priority", 1, 100), ("Ad hoc priority", 0, 0), ("Not addressed", 0, 0)]


def test_the_public_csv_has_one_row_per_consenting_process_and_public_question(client, published, colombo):
    response = client.get(reverse("surveys:survey_results_export", args=[published.slug, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 4  # Colombo × the four public questions
    assert {row["process"] for row in rows} == {colombo.name}
    assert rows[0]["answer"] == "Thematic priority"
    assert rows[1]["answer"] == "Interior; Labour"
    assert SECRET not in response.content.decode()


def test_the_full_xlsx_export_reads_back_with_openpyxl(client, published, support_unit):
    client.force_login(support_unit)
    response = client.get(reverse("surveys:survey_all_results_export", args=[published.slug, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == ("survey", "process", "process_status", "question_number", "question", "type", "answer")
    assert len(rows) == 1 + 3 * 5  # every process × every question
    answers = {(row[1], row[3]): row[6] for row in rows[1:]}
    assert answers[("Bali Process", 4)] == SECRET
    assert answers[("Budapest Process", 1)] in ("", None)


def test_a_formula_in_an_answer_is_escaped_in_exports(
    client, opened, questions, colombo, colombo_secretariat, support_unit
):
    response = response_of(opened, colombo)
    workflow.response_save(
        response=response, user=colombo_secretariat, answers={questions[3]: "=HYPERLINK(1)"}, now=NOW
    )
    client.force_login(support_unit)
    content = client.get(reverse("surveys:survey_all_results_export", args=[opened.slug, "csv"])).content.decode()
    assert "'=HYPERLINK(1)" in content


def test_the_same_question_in_the_earlier_survey_is_shown_beside_it(
    client, published, support_unit, colombo, colombo_secretariat
):
    copy = workflow.survey_copy(survey=published, user=support_unit, title="Second round", slug="second", year=2033)
    copy.closes_on = AFTER.date().replace(year=2033)
    copy.save()
    workflow.survey_open(survey=copy, user=support_unit, now=AFTER)
    new_questions = list(copy.questions.order_by("order"))
    response = response_of(copy, colombo)
    workflow.response_save(
        response=response,
        user=colombo_secretariat,
        answers={new_questions[0]: "Ad hoc priority"},
        consent=True,
        now=AFTER,
    )
    workflow.response_submit(response=response, user=colombo_secretariat, now=AFTER)

    first = survey_results(copy, public=True)["questions"][0]
    assert [e.question.survey for e in first.earlier] == [published]
    assert first.earlier[0].rows[0] == ("Thematic priority", 1, 100)
    assert first.rows[1] == ("Ad hoc priority", 1, 100)


def test_the_results_page_costs_the_same_whatever_the_number_of_processes(
    client, published, django_assert_max_num_queries
):
    # the survey; its questions with their origins; answers; the response table; consented
    # responses (subquery); picked records (none); the sources' documents; the page cache.
    with django_assert_max_num_queries(10):
        assert client.get(published.get_absolute_url()).status_code == 200


def test_the_list_of_published_surveys_costs_one_query_for_its_counts(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        page = client.get(reverse("surveys:survey_list"))
    assert published.title in page.content.decode()


def test_the_api_shows_published_surveys_with_consented_answers_only(client, published, opened):
    listing = client.get("/api/v1/surveys/").json()
    assert [s["slug"] for s in listing["results"]] == [published.slug]
    assert listing["results"][0]["completed"] == 2 and listing["results"][0]["no_response"] == 1
    detail = client.get(f"/api/v1/surveys/{published.slug}/")
    body = detail.content.decode()
    assert detail.status_code == 200 and SECRET not in body
    questions = detail.json()["questions"]
    assert [q["number"] for q in questions] == [1, 2, 3, 4]
    assert questions[3]["answers"] == [{"process": "colombo-process", "answer": "Pre-departure orientation"}]


def test_the_api_does_not_know_unpublished_surveys(client, opened):
    assert client.get("/api/v1/surveys/").json()["results"] == []
    assert client.get(f"/api/v1/surveys/{opened.slug}/").status_code == 404


def test_search_and_sitemap_list_only_published_surveys(client, published, survey):
    from surveys.models import Survey

    hidden = Survey.objects.create(title="Hidden survey of RCPs", slug="hidden-survey", year=2031)
    search = client.get("/search/?q=survey").content.decode()
    assert published.title in search and hidden.title not in search
    sitemap = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in sitemap and hidden.get_absolute_url() not in sitemap


def test_the_api_detail_costs_the_same_whatever_the_number_of_processes(
    client, published, django_assert_max_num_queries
):
    # the survey with its counts; its questions; answers; the response table; consented
    # responses (subquery); picked records (none); throttling and the page cache use the cache.
    with django_assert_max_num_queries(8):
        assert client.get(f"/api/v1/surveys/{published.slug}/").status_code == 200
