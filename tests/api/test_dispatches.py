"""Dispatches to the GFMD sent by a secretariat's own system: submitted for moderation, never published."""

import pytest
from model_bakery import baker

from exchange.models import Dispatch

pytestmark = pytest.mark.django_db

DISPATCHES = "/api/v1/dispatches/"


def new_dispatch(**fields):
    return {
        "sender_process": "colombo-process",
        "kind": "summary_report",
        "title": "Outcome of the Sixth Ministerial Consultation",
        "body": "The **ministers** agreed on a plan.",
        **fields,
    }


def test_anonymous_dispatch_is_refused_as_unauthenticated(api_client, process):
    assert api_client.post(DISPATCHES, new_dispatch(), format="json").status_code == 401
    assert not Dispatch.objects.exists()


def test_secretariat_dispatch_is_submitted_for_moderation_not_published(token_client, secretariat_user):
    response = token_client.post(DISPATCHES, new_dispatch(), format="json")

    assert response.status_code == 201, response.content
    dispatch = Dispatch.objects.get(pk=response.json()["id"])
    assert (dispatch.state, dispatch.direction) == (Dispatch.State.SUBMITTED, Dispatch.Direction.TO_GFMD)
    assert dispatch.created_by == secretariat_user
    assert not Dispatch.objects.public().exists()


def test_dispatch_can_be_kept_as_a_draft(token_client):
    response = token_client.post(DISPATCHES, new_dispatch(submit=False), format="json")

    assert response.json()["state"] == "draft"


def test_secretariat_cannot_send_a_dispatch_for_another_process(token_client):
    baker.make("rcps.Process", slug="bali-process", kind="inter_regional")

    response = token_client.post(DISPATCHES, new_dispatch(sender_process="bali-process"), format="json")

    assert response.status_code == 400
    assert "not yours: bali-process" in response.json()["sender_process"][0]
    assert not Dispatch.objects.exists()


def test_invalid_dispatch_is_refused_with_a_message_per_field(token_client):
    response = token_client.post(DISPATCHES, new_dispatch(title="", kind="gossip"), format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"title", "kind"}


def test_reply_must_name_the_published_dispatch_it_answers(token_client):
    response = token_client.post(DISPATCHES, new_dispatch(kind="reply"), format="json")

    assert response.status_code == 400
    assert "in_reply_to" in response.json()


def test_theme_slug_with_a_null_character_is_refused_not_a_server_error(token_client):
    response = token_client.post(DISPATCHES, new_dispatch(themes=["labour\x00migration"]), format="json")
    assert response.status_code == 400
    assert "themes" in response.json()
