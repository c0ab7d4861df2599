"""The back office of practices: writing, submitting, scoping, opening calls, the one-step dispatch action,
and the start pages' sections."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange import workflow as exchange_workflow
from exchange.models import Dispatch
from practices.models import CallForPractices, Practice

from .conftest import make_practice

pytestmark = pytest.mark.django_db
START = reverse("admin:index")
ADD = reverse("admin:practices_practice_add")


def practice_form(process, objective, **values):
    data = {
        "title": "Migrant worker resource centres",
        "summary": "Centres advise workers before they leave.",
        "what_was_done": "Five centres opened.",
        "results": "30,000 visits.",
        "lessons_learned": "Rural workers did not come: go to them.",
        "process": process.pk,
        "implementing_processes": [process.pk],
        "is_global": "on",
        "gcm_objectives": [objective.pk],
        "visibility": "public",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    data.update(values)
    return data


def test_a_secretariat_writes_and_submits_a_practice_in_the_back_office(
    client, colombo, colombo_secretariat, support_unit, objective_6
):
    client.force_login(colombo_secretariat)
    response = client.post(ADD, practice_form(colombo, objective_6))
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice = Practice.objects.get()
    assert practice.created_by == colombo_secretariat
    page = client.get(reverse("admin:practices_practice_change", args=[practice.pk])).content.decode()
    assert "Submit to the GFMD" in page
    client.post(reverse("admin:practices_practice_submit", args=[practice.pk]))
    practice.refresh_from_db()
    assert practice.state == Dispatch.State.SUBMITTED
    # Under moderation the secretariat reads it but no longer changes it.
    response = client.get(reverse("admin:practices_practice_change", args=[practice.pk]))
    assert response.status_code == 200 and "Submit to the GFMD" not in response.content.decode()


def test_naming_another_process_as_implementer_is_refused_in_the_form_and_nothing_is_saved(
    client, colombo, bali, colombo_secretariat, objective_6
):
    client.force_login(colombo_secretariat)
    response = client.post(ADD, practice_form(colombo, objective_6, implementing_processes=[colombo.pk, bali.pk]))
    assert response.status_code == 200
    assert "BP must agree to be named" in response.content.decode()
    assert not Practice.objects.exists()


def test_answering_a_closed_call_is_refused_in_the_form(client, colombo, colombo_secretariat, open_call, objective_6):
    CallForPractices.objects.filter(pk=open_call.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(colombo_secretariat)
    response = client.post(ADD, practice_form(colombo, objective_6, call=open_call.pk))
    assert "no longer accepts practices" in response.content.decode()
    assert not Practice.objects.exists()


def test_submitting_an_incomplete_practice_says_what_is_missing(client, colombo, colombo_secretariat, objective_6):
    practice = Practice.objects.create(title="Half", summary="Half.", process=colombo)
    client.force_login(colombo_secretariat)
    response = client.post(reverse("admin:practices_practice_submit", args=[practice.pk]), follow=True)
    assert "Say what was done." in response.content.decode()
    assert not Dispatch.objects.exists()


def test_another_process_secretariat_cannot_reach_the_practice(client, colombo, bali_secretariat, objective_6):
    practice = make_practice(colombo, objectives=[objective_6])
    client.force_login(bali_secretariat)
    assert client.get(reverse("admin:practices_practice_change", args=[practice.pk])).status_code == 404
    response = client.post(reverse("admin:practices_practice_submit", args=[practice.pk]))
    assert response.status_code == 404
    assert practice.title not in client.get(reverse("admin:practices_practice_changelist")).content.decode()


def test_the_support_unit_opens_a_call_from_its_page(client, colombo, colombo_secretariat, support_unit, objective_6):
    call = CallForPractices.objects.create(
        title="Fair recruitment", description="d", criteria="c", deadline=timezone.localdate() + datetime.timedelta(7)
    )
    call.addressed_processes.set([colombo])
    client.force_login(support_unit)
    assert (
        "Open the call"
        in client.get(reverse("admin:practices_callforpractices_change", args=[call.pk])).content.decode()
    )
    client.post(reverse("admin:practices_callforpractices_open", args=[call.pk]))
    call.refresh_from_db()
    assert call.is_open() and call.announcement.is_published
    client.force_login(colombo_secretariat)
    start = client.get(START).context["start_page"]
    calls = next(s for s in start["sections"] if s.key == "calls")
    assert calls.count == 1 and calls.items[0].url == f"{ADD}?call={call.pk}"
    assert client.get(calls.items[0].url).status_code == 200


def test_a_secretariat_cannot_open_calls(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    assert client.get(reverse("admin:practices_callforpractices_add")).status_code == 403


def test_the_dispatch_list_action_turns_a_published_good_practice_into_a_practice(
    client, colombo, colombo_secretariat, support_unit
):
    dispatch = exchange_workflow.dispatch_create(
        user=colombo_secretariat,
        direction=Dispatch.Direction.TO_GFMD,
        kind=Dispatch.Kind.GOOD_PRACTICE,
        sender_process=colombo,
        title="Resource centres",
        body="Centres.",
        submit=True,
    )
    exchange_workflow.dispatch_publish(dispatch=dispatch, user=support_unit)
    client.force_login(support_unit)
    response = client.post(
        reverse("admin:exchange_dispatch_changelist") + "?state=all",
        {"action": "make_practices", "_selected_action": [dispatch.pk]},
    )
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:practices_practice_change", args=[practice.pk]
    )
    assert practice.dispatch == dispatch and practice.is_public


def test_the_support_unit_start_page_lists_submitted_practices(
    client, colombo, colombo_secretariat, support_unit, objective_6
):
    from practices import workflow

    workflow.practice_submit(practice=make_practice(colombo, objectives=[objective_6]), user=colombo_secretariat)
    client.force_login(support_unit)
    start = client.get(START).context["start_page"]
    section = next(s for s in start["sections"] if s.key == "practices")
    assert section.count == 1
    assert client.get(section.items[0].url).status_code == 200  # the dispatch, where it is published or returned
    assert client.get(section.more_url).status_code == 200


@pytest.mark.parametrize("who", ["colombo_secretariat", "support_unit"])
def test_the_start_page_sections_cost_the_same_with_more_calls_and_practices(
    client, colombo, colombo_secretariat, support_unit, objective_6, who, request, django_assert_max_num_queries
):
    from practices import workflow

    def more(n):
        for i in range(n):
            call = CallForPractices.objects.create(
                title=f"Call {i}", description="d", criteria="c", deadline=timezone.localdate() + datetime.timedelta(9)
            )
            call.addressed_processes.set([colombo])
            workflow.call_open(call=call, user=support_unit)
            practice = make_practice(colombo, objectives=[objective_6], title=f"Practice {i}")
            workflow.practice_submit(practice=practice, user=colombo_secretariat)

    client.force_login(request.getfixturevalue(who))
    more(2)
    with django_assert_max_num_queries(80) as small:
        client.get(START)
    more(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(START)


def test_a_returned_practice_opens_on_its_record_from_the_start_page(
    client, colombo, colombo_secretariat, support_unit, objective_6
):
    from practices import workflow

    practice = make_practice(colombo, objectives=[objective_6])
    workflow.practice_submit(practice=practice, user=colombo_secretariat)
    practice.refresh_from_db()
    exchange_workflow.dispatch_return(dispatch=practice.dispatch, user=support_unit, reason="Add the numbers.")
    client.force_login(colombo_secretariat)
    section = next(s for s in client.get(START).context["start_page"]["sections"] if s.key == "returned")
    assert section.items[0].url == reverse("admin:practices_practice_change", args=[practice.pk])
    assert section.items[0].detail == "Add the numbers."
    page = client.get(section.items[0].url).content.decode()
    assert "Add the numbers." in page and "Submit to the GFMD" in page


def test_meetings_recommendations_and_dispatches_are_tagged_in_the_back_office(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    for name in ("meetings_meeting", "recommendations_recommendation", "exchange_dispatch"):
        page = client.get(reverse(f"admin:{name}_add")).content.decode()
        assert 'name="gcm_objectives"' in page and 'name="sdg_targets"' in page, name
