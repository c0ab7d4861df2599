"""The back office: building, running and protecting a survey whose answers are in."""

import pytest
from django.urls import reverse

from surveys import workflow
from surveys.models import Question, Survey

from .conftest import NOW, answers_for, response_of

pytestmark = pytest.mark.django_db


def change_url(survey):
    return reverse("admin:surveys_survey_change", args=[survey.pk])


def inline_data(survey, client, **question_changes):
    """The survey's change form as the admin renders it, with changes to the first question."""
    response = client.get(change_url(survey))
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [getattr(v, "pk", v) for v in value] if isinstance(value, list | tuple) else value
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update({f"{fs.prefix}-{k}": v for k, v in fs.management_form.initial.items()})
        for row in fs.forms:
            for name in row.fields:
                value = row[name].value()
                if value is not None and value is not False:
                    data[row.add_prefix(name)] = value
    prefix = [f.formset.prefix for f in response.context["inline_admin_formsets"] if f.formset.model is Question][0]
    for key, value in question_changes.items():
        if value is None:
            data.pop(f"{prefix}-0-{key}", None)
        else:
            data[f"{prefix}-0-{key}"] = value
    data["_continue"] = "1"
    return data


@pytest.fixture
def answered(opened, questions, colombo, colombo_secretariat):
    response = response_of(opened, colombo)
    workflow.response_save(response=response, user=colombo_secretariat, answers=answers_for(questions), now=NOW)
    return opened


def test_the_support_unit_changes_a_question_before_answers_exist(client, survey, support_unit):
    client.force_login(support_unit)
    response = client.post(change_url(survey), inline_data(survey, client, kind="short_text", choices=""))
    assert response.status_code == 302, response.context and response.context["errors"]
    assert survey.questions.order_by("order").first().kind == "short_text"


def test_an_answered_questions_type_is_locked(client, answered, support_unit):
    client.force_login(support_unit)
    response = client.post(change_url(answered), inline_data(answered, client, kind="short_text", choices=""))
    assert response.status_code == 200
    assert "its type cannot change" in response.content.decode()
    assert answered.questions.order_by("order").first().kind == "single_choice"


def test_choices_in_use_cannot_be_removed_but_new_ones_can_be_added(client, answered, support_unit):
    client.force_login(support_unit)
    removed = inline_data(answered, client, choices="Ad hoc priority\nNot addressed")
    response = client.post(change_url(answered), removed)
    assert "“Thematic priority”" in response.content.decode() and "cannot be removed" in response.content.decode()

    added = inline_data(answered, client, choices="Thematic priority\nAd hoc priority\nNot addressed\nUnknown")
    assert client.post(change_url(answered), added).status_code == 302
    assert answered.questions.order_by("order").first().choice_list[-1] == "Unknown"


def test_an_answered_question_cannot_be_deleted(client, answered, support_unit):
    client.force_login(support_unit)
    response = client.post(change_url(answered), inline_data(answered, client, DELETE="on"))
    assert "it cannot be deleted" in response.content.decode()
    assert answered.questions.count() == 5


def test_a_survey_with_answers_cannot_be_deleted(client, answered, support_unit):
    client.force_login(support_unit)
    url = reverse("admin:surveys_survey_delete", args=[answered.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Survey.objects.filter(pk=answered.pk).exists()


def test_the_steps_are_buttons_on_the_survey(client, survey, support_unit, mailoutbox):
    client.force_login(support_unit)
    page = client.get(change_url(survey)).content.decode()
    assert "Open the survey and e-mail the respondents" in page and "Preview as a respondent" in page

    client.post(reverse("admin:surveys_survey_step", args=[survey.pk, "open"]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.responses.count() == 3

    client.post(reverse("admin:surveys_survey_step", args=[survey.pk, "publish"]), follow=True)
    survey.refresh_from_db()
    assert not survey.is_published  # refused: the survey is still open
    client.post(reverse("admin:surveys_survey_step", args=[survey.pk, "close"]))
    client.post(reverse("admin:surveys_survey_step", args=[survey.pk, "publish"]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED and survey.is_published


def test_a_secretariat_cannot_take_a_step_nor_see_surveys_not_addressed_to_it(
    client, survey, colombo_secretariat, bali_secretariat, colombo
):
    survey.addressed_processes.set([colombo])
    client.force_login(colombo_secretariat)
    assert client.post(reverse("admin:surveys_survey_step", args=[survey.pk, "open"])).status_code == 403
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT
    client.force_login(bali_secretariat)
    assert client.get(change_url(survey)).status_code == 404
    assert client.get(reverse("admin:surveys_survey_changelist")).context["cl"].result_count == 0


def test_copying_from_the_back_office(client, survey, support_unit):
    client.force_login(support_unit)
    url = reverse("admin:surveys_survey_copy", args=[survey.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Second round", "slug": "second-round", "year": 2033})
    copy = Survey.objects.get(slug="second-round")
    assert response["Location"] == change_url(copy)
    assert copy.questions.count() == 5 and copy.questions.filter(copied_from__isnull=True).count() == 0


def test_reopening_from_the_responses_list(client, answered, colombo, colombo_secretariat, support_unit):
    response = response_of(answered, colombo)
    workflow.response_submit(response=response, user=colombo_secretariat, now=NOW)
    client.force_login(support_unit)
    client.post(
        reverse("admin:surveys_surveyresponse_changelist"),
        {"action": "reopen_selected", "_selected_action": [response.pk]},
    )
    response.refresh_from_db()
    assert response.status == "in_progress"


def test_the_start_pages_show_the_open_questionnaire_and_the_running_surveys(
    client, opened, colombo, colombo_secretariat, support_unit
):
    client.force_login(colombo_secretariat)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Questionnaires awaiting your answer" in page and opened.title in page
    assert reverse("surveys:response_answer", args=[response_of(opened, colombo).pk]) in page
    client.force_login(support_unit)
    page = client.get(reverse("admin:index")).content.decode()
    assert "0 of 3 processes answered" in page
