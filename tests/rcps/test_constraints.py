"""Invariants of the rcps models hold in the database and give friendly errors in forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from model_bakery import baker

from rcps.models import Chairmanship, FocalPoint, Participation, Process
from reference.models import Country

pytestmark = pytest.mark.django_db


def assert_database_refuses(**create_kwargs):
    model = create_kwargs.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**create_kwargs)


@pytest.fixture
def organization(db):
    return baker.make(
        "reference.Organization", name="International Organization for Migration", acronym="IOM", slug="iom"
    )


def test_database_refuses_participation_with_both_country_and_organization(process, country, organization):
    assert_database_refuses(model=Participation, process=process, country=country, organization=organization)


def test_database_refuses_participation_with_neither_country_nor_organization(process):
    assert_database_refuses(model=Participation, process=process)


def test_form_explains_participation_needs_exactly_one_participant(process, country, organization):
    form_class = modelform_factory(Participation, fields=["process", "country", "organization", "role"])
    form = form_class(
        data={"process": process.pk, "country": country.pk, "organization": organization.pk, "role": "member"}
    )
    assert not form.is_valid()
    assert "either a country or an organization" in str(form.errors)


def test_database_refuses_participation_ending_before_it_starts(process, country):
    assert_database_refuses(model=Participation, process=process, country=country, since_year=2010, until_year=2005)


def test_form_refuses_participation_ending_before_it_starts(process, country):
    form_class = modelform_factory(Participation, fields=["process", "country", "role", "since_year", "until_year"])
    form = form_class(
        data={"process": process.pk, "country": country.pk, "role": "member", "since_year": 2010, "until_year": 2005}
    )
    assert not form.is_valid()
    assert form.errors["until_year"] == ["The end cannot be before the start."]


def test_database_refuses_the_same_role_twice_for_the_same_period(process, country):
    Participation.objects.create(process=process, country=country, role="member", since_year=2003)
    assert_database_refuses(model=Participation, process=process, country=country, role="member", since_year=2003)


def test_database_refuses_a_duplicate_open_ended_participation_without_years(process, country):
    Participation.objects.create(process=process, country=country, role="member")
    assert_database_refuses(model=Participation, process=process, country=country, role="member")


def test_form_refuses_an_overlapping_period_for_the_same_role(process, country):
    Participation.objects.create(process=process, country=country, role="member", since_year=2003)
    duplicate = Participation(process=process, country=country, role="member", since_year=2008, until_year=2012)
    with pytest.raises(ValidationError, match="overlapping period"):
        duplicate.full_clean()


def test_a_country_may_be_member_again_after_leaving(process, country):
    Participation.objects.create(process=process, country=country, role="member", since_year=2003, until_year=2006)
    rejoined = Participation(process=process, country=country, role="member", since_year=2010)
    rejoined.full_clean()
    rejoined.save()
    assert process.participations.count() == 2


def test_the_same_country_may_be_member_and_observer(process, country):
    Participation.objects.create(process=process, country=country, role="observer", since_year=2003, until_year=2005)
    member = Participation(process=process, country=country, role="member", since_year=2005)
    member.full_clean()


def test_database_refuses_two_processes_with_the_same_slug(process):
    assert_database_refuses(model=Process, name="Another", slug=process.slug, kind="rcp")


def test_database_refuses_two_processes_with_the_same_acronym(process):
    assert_database_refuses(model=Process, name="Another", slug="another", acronym=process.acronym, kind="rcp")


def test_processes_without_acronym_do_not_clash():
    Process.objects.create(name="Bali Process", slug="bali-process", kind="rcp")
    Process.objects.create(name="Prague Process", slug="prague-process", kind="rcp")
    assert Process.objects.filter(acronym="").count() == 2


def test_form_reports_a_duplicate_acronym(process):
    form_class = modelform_factory(Process, fields=["name", "acronym", "slug", "kind", "status", "visibility"])
    form = form_class(
        data={
            "name": "Other",
            "acronym": process.acronym,
            "slug": "other",
            "kind": "rcp",
            "status": "active",
            "visibility": "public",
        }
    )
    assert not form.is_valid()
    assert "acronym" in str(form.errors).lower()


def test_database_refuses_chairmanship_ending_before_it_starts(process, country):
    assert_database_refuses(model=Chairmanship, process=process, country=country, start_year=2010, end_year=2009)


def test_form_refuses_chairmanship_ending_before_it_starts(process, country):
    chair = Chairmanship(process=process, country=country, start_year=2010, end_year=2009)
    with pytest.raises(ValidationError) as error:
        chair.full_clean()
    assert "end_year" in error.value.message_dict


def test_database_refuses_a_country_code_that_is_not_two_capitals():
    assert_database_refuses(model=Country, code="fr", alpha3="FRA", name="France")


def test_database_refuses_published_consent_without_a_date(process):
    assert_database_refuses(
        model=FocalPoint, process=process, institution="Ministry of Labour", consent_to_publish=True
    )


def test_focal_point_personal_data_is_hidden_without_consent(process):
    focal_point = FocalPoint(process=process, institution="Ministry", name="A. Person", email="a@example.org")
    assert (focal_point.public_name, focal_point.public_email) == ("", "")
    focal_point.consent_to_publish, focal_point.consent_date = True, datetime.date(2026, 1, 5)
    assert (focal_point.public_name, focal_point.public_email) == ("A. Person", "a@example.org")


def test_public_querysets_leave_out_non_public_records(process):
    hidden = baker.make("rcps.Process", slug="hidden", acronym="HID", kind="rcp", visibility="confidential")
    baker.make("rcps.Process", slug="members", acronym="MEM", kind="rcp", visibility="participants")
    assert list(Process.objects.public()) == [process]
    baker.make("rcps.FocalPoint", process=hidden, institution="Ministry", visibility="public")
    assert not FocalPoint.objects.public().exists()
