"""The back-office forms turn the data model's rules into messages an officer can act on."""

import pytest
from django.urls import reverse
from model_bakery import baker

from core.forms import JSONListField
from meetings.models import Document, Meeting
from rcps.models import Chairmanship, FocalPoint, Process
from reference.models import Country
from tests.backoffice.test_admin_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("officer", "officer@example.org", "x" * 20))
    return client


@pytest.fixture
def colombo(db):
    return baker.make(Process, name="Colombo Process", acronym="CP", slug="colombo-process", kind="rcp")


@pytest.fixture
def sri_lanka(db):
    return baker.make(Country, code="LK", alpha3="LKA", name="Sri Lanka")


def test_chairmanship_ending_before_it_starts_is_refused_in_the_process_form(officer_client, colombo, sri_lanka):
    url = reverse("admin:rcps_process_change", args=[colombo.pk])
    data = form_data(officer_client.get(url))
    data.update(
        {
            "chairmanships-TOTAL_FORMS": 1,
            "chairmanships-0-country": sri_lanka.pk,
            "chairmanships-0-start_year": 2011,
            "chairmanships-0-end_year": 2009,
            "chairmanships-0-confidence": "high",
        }
    )
    response = officer_client.post(url, data)
    assert "The end cannot be before the start." in response.content.decode()
    assert not Chairmanship.objects.exists()


def test_focal_point_consent_without_a_date_is_refused(officer_client, colombo):
    url = reverse("admin:rcps_focalpoint_add")
    data = form_data(officer_client.get(url))
    data.update({"process": colombo.pk, "institution": "Ministry of Labour", "consent_to_publish": "on"})
    response = officer_client.post(url, data)
    assert "Record the date on which consent was given." in response.content.decode()
    assert not FocalPoint.objects.exists()


def test_document_without_file_link_or_reference_is_refused_in_the_meeting_form(officer_client):
    meeting = baker.make(Meeting, title="Ministerial Consultation", start_date="2003-04-01")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(officer_client.get(url))
    data.update({"documents-TOTAL_FORMS": 1, "documents-0-title": "Declaration", "documents-0-kind": "declaration"})
    data.update({"documents-0-language": "en", "documents-0-visibility": "public"})
    response = officer_client.post(url, data)
    assert "Upload a file, give a web address, or cite the document&#x27;s reference." in response.content.decode()
    assert not Document.objects.exists()


def test_document_added_in_the_meeting_form_belongs_to_the_meeting(officer_client):
    meeting = baker.make(Meeting, title="Ministerial Consultation", start_date="2003-04-01")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(officer_client.get(url))
    data.update({"documents-TOTAL_FORMS": 1, "documents-0-title": "Declaration", "documents-0-kind": "declaration"})
    data.update({"documents-0-language": "en", "documents-0-visibility": "public", "documents-0-reference": "A/1"})
    assert officer_client.post(url, data).status_code == 302
    assert list(Document.objects.values_list("meeting", "reference")) == [(meeting.pk, "A/1")]


def test_list_field_shows_one_item_per_line_and_reads_lines_back():
    field = JSONListField(required=False)
    assert field.prepare_value(["Bali Process", "Bali Ministerial Conference"]) == (
        "Bali Process\nBali Ministerial Conference"
    )
    assert field.clean(" Bali Process \r\n\r\nBali Ministerial Conference\n") == [
        "Bali Process",
        "Bali Ministerial Conference",
    ]
    assert field.clean("") == []


def test_list_field_sees_no_change_when_only_blank_lines_differ():
    assert not JSONListField(required=False).has_changed(["a", "b"], "a\r\n\r\nb\r\n")
