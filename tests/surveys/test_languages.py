"""Surveys in French and Spanish: versions of the questionnaire shown on /fr/ and /es/ pages (marked when
missing), choices translated line for line while answers keep the original, the admin's versions, e-mails."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from exchange.models import NotificationPreference
from surveys import workflow
from surveys.models import Answer, Question, Survey
from surveys.results import export_rows, survey_results

from .conftest import NOW, answers_for, response_of

pytestmark = pytest.mark.django_db

TITLE_FR = "Enquête sur les processus consultatifs régionaux, migration et développement"
QUESTION_FR = "La migration et le développement sont-ils une priorité de votre processus ?"
CHOICES_FR = "Priorité thématique\nPriorité ponctuelle\nNon traité"
AFTER = NOW.replace(month=4, day=2)


def in_french(survey, questions):
    """Give the survey, its section and its first question French versions (no Spanish ones)."""
    survey.title_fr = TITLE_FR
    survey.purpose_fr = "Faire connaître au FMMD les bonnes pratiques des processus."
    survey.save()
    section = survey.sections.get()
    section.title_fr = "Migration et développement"
    section.save()
    single = questions[0]
    single.text_fr = QUESTION_FR
    single.choices_fr = CHOICES_FR
    single.full_clean()
    single.save()
    return survey


@pytest.fixture
def live(survey, questions, support_unit, colombo_secretariat, bali_secretariat, mailoutbox):
    """The survey in French, opened today with its deadline in three weeks (the pages use the real clock)."""
    in_french(survey, questions)
    survey.closes_on = timezone.localdate() + datetime.timedelta(days=21)
    survey.save()
    workflow.survey_open(survey=survey, user=support_unit)
    return survey


def answer_path(response, language):
    with translation.override(language):
        return reverse("surveys:response_answer", args=[response.pk])


def test_the_respondent_page_shows_the_french_version_and_the_original_marked_in_spanish(
    client, live, questions, colombo, colombo_secretariat
):
    response = response_of(live, colombo)
    client.force_login(colombo_secretariat)
    french = client.get(answer_path(response, "fr")).content.decode()
    assert TITLE_FR in french and QUESTION_FR in french and "Migration et développement" in french
    # The labels are French; the value sent is the original line, whatever the language.
    assert "Priorité thématique" in french and 'value="Thematic priority"' in french
    assert "Thematic priority</label>" not in french
    # A question without a French version is shown in the original, marked.
    assert f'<span lang="en">{questions[1].text}</span>' in french

    spanish = client.get(answer_path(response, "es")).content.decode()
    assert f'<span lang="en">{live.title}</span>' in spanish and "translation-note" in spanish
    assert f'<span lang="en">{questions[0].text}</span>' in spanish
    assert "Thematic priority</label>" in spanish and "Priorité thématique" not in spanish
    assert "translation-note" not in client.get(answer_path(response, "en")).content.decode()


def test_an_answer_given_on_the_french_page_stores_the_original_choice(
    client, live, questions, colombo, colombo_secretariat
):
    response = response_of(live, colombo)
    single, multiple, *_rest = questions
    client.force_login(colombo_secretariat)
    page = client.post(
        answer_path(response, "fr"),
        {f"q{single.pk}": "Thematic priority", f"q{multiple.pk}": ["Interior", "Labour"], "action": "save"},
    )
    assert page.status_code == 302
    assert Answer.objects.get(response=response, question=single).value == "Thematic priority"
    # A French label is no choice: the form refuses it rather than storing a language's word.
    refused = client.post(answer_path(response, "fr"), {f"q{single.pk}": "Priorité thématique", "action": "save"})
    assert refused.status_code == 200
    assert Answer.objects.get(response=response, question=single).value == "Thematic priority"


@pytest.fixture
def published(survey, questions, colombo, bali, colombo_secretariat, bali_secretariat, support_unit, mailoutbox):
    """The French survey answered by Colombo and Bali (both agreeing to publish), closed and published."""
    in_french(survey, questions)
    workflow.survey_open(survey=survey, user=support_unit, now=NOW)
    for process, user in ((colombo, colombo_secretariat), (bali, bali_secretariat)):
        response = response_of(survey, process)
        workflow.response_save(response=response, user=user, answers=answers_for(questions), consent=True, now=NOW)
        workflow.response_submit(response=response, user=user, now=NOW)
    workflow.survey_close(survey=survey, user=support_unit, now=AFTER)
    workflow.survey_publish_results(survey=survey, user=support_unit, now=AFTER)
    survey.refresh_from_db()
    return survey


def test_results_count_the_stored_choices_and_label_them_in_the_page_language(client, published, questions):
    with translation.override("fr"):
        first = survey_results(published, public=True)["questions"][0]
        assert first.rows[0] == ("Priorité thématique", 2, 100)
        assert [label for label, _count, _percent in first.rows] == CHOICES_FR.splitlines()
    with translation.override("es"):  # no Spanish version: the original lines
        assert survey_results(published, public=True)["questions"][0].rows[0] == ("Thematic priority", 2, 100)

    path = f"/surveys/{published.slug}/"
    page = client.get("/fr" + path).content.decode()
    assert TITLE_FR in page and QUESTION_FR in page and "Priorité thématique" in page
    assert f'<span lang="en">{questions[1].text}</span>' in page  # no French version of that question
    spanish = client.get("/es" + path).content.decode()
    assert f'<span lang="en">{published.title}</span>' in spanish and "translation-note" in spanish


def test_the_api_and_the_exports_keep_the_stored_originals(client, published):
    client.cookies["portal_language"] = "fr"
    question = client.get(f"/api/v1/surveys/{published.slug}/").json()["questions"][0]
    assert question["text"] == "Is migration and development a priority of your process?"
    assert question["counts"][0] == {"answer": "Thematic priority", "processes": 2, "percent": 100}
    with translation.override("fr"):
        _header, rows = export_rows(published)
    assert {row[6] for row in rows if row[3] == 1} == {"Thematic priority"}


def test_translated_choices_must_match_the_original_line_for_line(survey, questions):
    single, _multiple, yes_no, *_rest = questions
    single.choices_fr = "Priorité thématique\nNon traité"
    with pytest.raises(ValidationError) as error:
        single.full_clean()
    assert "choices_fr" in error.value.message_dict
    yes_no.choices_es = "Sí\nNo"
    with pytest.raises(ValidationError) as error:
        yes_no.full_clean()
    assert "choices_es" in error.value.message_dict
    # A label that does not match line for line is never shown: the originals are.
    Question.objects.filter(pk=single.pk).update(choices_fr="Priorité thématique")
    single.refresh_from_db()
    assert single.choice_labels("fr") == [(c, c) for c in single.choice_list]


def test_the_admin_saves_the_french_and_spanish_versions(client, survey, support_unit):
    from .test_admin import change_url, inline_data

    client.force_login(support_unit)
    page = client.get(change_url(survey)).content.decode()
    assert "French and Spanish versions" in page and 'name="title_fr"' in page
    data = inline_data(survey, client, text_es="¿Es la migración una prioridad?", choices_es="Sí\nEn parte\nNo")
    data["title_es"] = "Encuesta a los procesos"
    response = client.post(change_url(survey), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    survey.refresh_from_db()
    question = survey.questions.order_by("order").first()
    assert survey.title_es == "Encuesta a los procesos"
    assert question.text_es == "¿Es la migración una prioridad?" and question.choices_es == "Sí\nEn parte\nNo"

    mismatched = inline_data(survey, client, choices_es="Sí\nNo")
    response = client.post(change_url(survey), mismatched)
    assert response.status_code == 200 and "Give as many choices as the original" in response.content.decode()


def test_a_copy_keeps_the_versions(survey, questions, support_unit):
    in_french(survey, questions)
    copy = workflow.survey_copy(survey=survey, user=support_unit, title="Second round", slug="second", year=2033)
    assert copy.purpose_fr == survey.purpose_fr and copy.title_fr == ""  # the new title is the user's
    assert copy.questions.order_by("order").first().choices_fr == CHOICES_FR
    assert copy.sections.get().title_fr == "Migration et développement"


def test_the_opening_e_mail_is_in_the_respondents_language_with_the_surveys_version(
    survey, questions, support_unit, colombo_secretariat, bali_secretariat, mailoutbox
):
    in_french(survey, questions)
    NotificationPreference.objects.update_or_create(user=colombo_secretariat, defaults={"language": "fr"})
    workflow.survey_open(survey=survey, user=support_unit, now=NOW)
    to_colombo = [m for m in mailoutbox if colombo_secretariat.email in m.to]
    to_bali = [m for m in mailoutbox if bali_secretariat.email in m.to]
    assert to_colombo and to_bali
    assert TITLE_FR in to_colombo[0].subject and "/fr/" in to_colombo[0].body
    assert survey.title in to_bali[0].subject and TITLE_FR not in to_bali[0].body


def test_a_french_page_costs_the_same_queries_as_the_english_one(client, published):
    counts = {}
    for prefix in ("", "/fr", "/es"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{prefix}/surveys/{published.slug}/").status_code == 200
        counts[prefix] = len(queries)
    assert counts[""] == counts["/fr"] == counts["/es"]


def test_the_site_search_finds_the_french_version_on_a_french_page(client, published):
    Survey.objects.filter(pk=published.pk).update(title_fr="Enquête sur les xylophones régionaux")
    assert published.slug in client.get("/fr/search/", {"q": "xylophones"}).content.decode()
    assert published.slug not in client.get("/search/", {"q": "xylophones"}).content.decode()
