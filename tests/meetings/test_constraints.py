"""Invariants of meetings and documents hold in the database and in forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from model_bakery import baker

from meetings.models import Document, Meeting

pytestmark = pytest.mark.django_db
JUNE_4 = datetime.date(2009, 6, 4)


def test_database_refuses_a_meeting_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(title="Global meeting", start_date=JUNE_4, end_date=JUNE_4 - datetime.timedelta(days=1))


def test_form_refuses_a_meeting_ending_before_it_starts():
    form_class = modelform_factory(
        Meeting, fields=["title", "kind", "start_date", "end_date", "date_precision", "visibility"]
    )
    form = form_class(
        data={
            "title": "Global meeting",
            "kind": "global_rcp",
            "start_date": "2009-06-05",
            "end_date": "2009-06-04",
            "date_precision": "day",
            "visibility": "public",
        }
    )
    assert not form.is_valid()
    assert form.errors["end_date"] == ["The end date cannot be before the start date."]


def test_database_refuses_a_document_with_neither_file_link_nor_reference(process):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="Declaration", process=process)


def test_a_reference_work_may_belong_to_no_meeting_or_process():
    # The real data has such works (IOM's overview of the principal RCPs, 2015): attaching one to a
    # process the sources do not name would be a guess. A secretariat still cannot file one that is
    # not its own (tests/backoffice: the admin form checks the owner).
    document = Document(title="Overview of principal RCPs", reference="IOM, 2015")
    document.full_clean()
    document.save()
    assert Document.objects.public().filter(pk=document.pk).exists()


def test_database_refuses_a_document_without_file_link_or_reference():
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="Declaration")


def test_document_form_explains_what_is_missing(process):
    document = Document(title="Declaration", process=process)
    with pytest.raises(ValidationError, match="Upload a file, give a web address"):
        document.full_clean()


def test_document_year_follows_its_date(process):
    document = Document(title="Declaration", process=process, url="https://example.org/d.pdf", date=JUNE_4)
    document.full_clean()
    assert document.year == 2009


def test_multi_day_meeting_dates_read_naturally():
    meeting = Meeting(title="Global RCP meeting", start_date=JUNE_4, end_date=datetime.date(2009, 6, 5))
    assert meeting.date_display == "4–5 June 2009"
    assert meeting.duration_days == 2


def test_meeting_known_only_by_year_shows_only_the_year():
    meeting = Meeting(title="Ministerial", start_date=datetime.date(2003, 1, 1), date_precision="year")
    assert meeting.date_display == "2003"


def test_sessions_of_a_confidential_meeting_are_not_public():
    summit = baker.make(Meeting, start_date=JUNE_4, visibility="confidential")
    baker.make(Meeting, start_date=JUNE_4, parent=summit, visibility="public")
    assert not Meeting.objects.public().exists()


def test_upcoming_and_past_split_on_the_last_day():
    today = datetime.date(2026, 11, 23)
    ongoing = baker.make(Meeting, start_date=today - datetime.timedelta(days=1), end_date=today)
    past = baker.make(
        Meeting, start_date=today - datetime.timedelta(days=3), end_date=today - datetime.timedelta(days=2)
    )
    assert list(Meeting.objects.upcoming(today=today)) == [ongoing]
    assert list(Meeting.objects.past(today=today)) == [past]
