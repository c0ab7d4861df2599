"""Holes found by probing the back office as a secretariat, each closed (issue 14, point 8)."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from model_bakery import baker

from backoffice.imports import records_import
from exchange.models import Dispatch
from meetings.models import Meeting
from rcps.models import Process
from tests.backoffice.test_admin_exchange import INLINES
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db

DELETED = reverse("admin:exchange_dispatch_deleted")


def deleted_titles(client):
    return [str(record.instance) for record in client.get(DELETED).context["records"]]


def test_recently_deleted_dispatches_lists_only_what_the_secretariat_may_change(
    client, colombo, bali, colombo_secretariat, administrator
):
    own_draft = make_dispatch(state="draft", sender_process=colombo, title="Our draft", published_at=None)
    own_submitted = make_dispatch(
        state="submitted", sender_process=colombo, title="Our submitted one", published_at=None
    )
    bali_draft = make_dispatch(state="draft", sender_process=bali, title="Bali draft", published_at=None)
    gfmd_draft = make_dispatch(state="draft", direction="from_gfmd", title="GFMD draft", published_at=None)
    for dispatch in (own_draft, own_submitted, bali_draft, gfmd_draft):
        dispatch.delete()
    client.force_login(colombo_secretariat)
    assert deleted_titles(client) == ["Our draft"]


def test_another_process_deleted_dispatch_cannot_be_restored_by_posting_its_id(client, bali, colombo_secretariat):
    bali_draft = make_dispatch(state="draft", sender_process=bali, title="Bali draft", published_at=None)
    pk = bali_draft.pk
    bali_draft.delete()
    version = Dispatch.history.filter(id=pk, history_type="-").get()
    client.force_login(colombo_secretariat)
    response = client.post(DELETED, {"history_id": version.history_id})
    assert response.status_code == 404 and not Dispatch.objects.filter(pk=pk).exists()


def view_on_site(obj):
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def test_view_on_site_does_not_redirect_for_a_record_the_user_cannot_see(client, colombo_secretariat):
    secret = baker.make(Process, name="Secret Process", slug="secret-slug-7731", kind="rcp", visibility="confidential")
    client.force_login(colombo_secretariat)
    response = client.get(view_on_site(secret))
    assert response.status_code == 404 and "secret-slug-7731" not in response.get("Location", "")


def test_view_on_site_redirects_for_the_users_own_draft(client, colombo, colombo_secretariat):
    meeting = baker.make(Meeting, title="Our draft", start_date=datetime.date(2026, 1, 1), publication="draft")
    meeting.organizing_processes.set([colombo])
    client.force_login(colombo_secretariat)
    response = client.get(view_on_site(meeting))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_view_on_site_for_anonymous_goes_to_the_login(client, colombo):
    response = client.get(view_on_site(colombo))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_reply_cannot_point_at_a_dispatch_whose_sender_is_confidential(client, colombo, colombo_secretariat):
    secret = baker.make(Process, name="Secret Process", slug="secret", kind="rcp", visibility="confidential")
    hidden = make_dispatch(sender_process=secret, title="Title of a confidential sender ZQX")
    client.force_login(colombo_secretariat)
    response = client.post(
        reverse("admin:exchange_dispatch_add"),
        {
            "direction": "to_gfmd", "kind": "reply", "sender_process": colombo.pk, "title": "Re",
            "body": "x", "in_reply_to": hidden.pk, **INLINES,
        },
    )  # fmt: skip
    assert response.status_code == 200 and "in_reply_to" in response.context["adminform"].form.errors
    assert "ZQX" not in response.content.decode()
    assert not Dispatch.objects.filter(in_reply_to=hidden).exists()


def test_the_workflow_refuses_a_reply_to_a_dispatch_the_user_cannot_see(colombo, bali, colombo_secretariat):
    from exchange import workflow

    other = make_dispatch(state="draft", sender_process=bali, title="Bali draft", published_at=None)
    with pytest.raises(workflow.DispatchTransitionError):
        workflow.dispatch_create(
            user=colombo_secretariat,
            direction="to_gfmd",
            kind="reply",
            sender_process=colombo,
            title="Re",
            body="x",
            in_reply_to=other,
        )


HEADER = "title,start_date,end_date,kind,organizing_processes,country,city,visibility\n"


def test_an_import_row_matching_a_hidden_record_of_another_process_reveals_nothing(
    colombo, bali, sri_lanka, colombo_secretariat
):
    hidden = baker.make(
        Meeting, title="Bali closed meeting", start_date=datetime.date(2023, 2, 10), visibility="confidential"
    )
    hidden.organizing_processes.set([bali])
    data = (HEADER + "Bali closed meeting,2023-02-10,,ministerial,colombo-process,LK,Bali,public\n").encode()
    outcome = records_import(kind="meetings", name="m.csv", data=data, user=colombo_secretariat, dry_run=True)
    assert outcome.errors == []
    assert "another process" not in str(outcome.errors)
    hidden.refresh_from_db()
    assert list(hidden.organizing_processes.all()) == [bali]


def reverse_relations():
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                yield pytest.param(
                    model._meta.app_label, model._meta.model_name, field.name, id=f"{model._meta.label}.{field.name}"
                )


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), list(reverse_relations()))
def test_autocomplete_answers_a_reverse_relation_without_a_server_error(
    client, colombo_secretariat, app_label, model_name, field_name
):
    client.force_login(colombo_secretariat)
    response = client.get(
        reverse("admin:autocomplete"), {"app_label": app_label, "model_name": model_name, "field_name": field_name}
    )
    assert response.status_code == 403
