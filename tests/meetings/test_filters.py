"""Each filter of the meetings and documents directories."""

import datetime

import pytest
from model_bakery import baker

from meetings.filters import DocumentFilterSet, MeetingFilterSet
from meetings.models import Document, Meeting

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def meeting_titles(data):
    return {m.title for m in MeetingFilterSet(data, queryset=Meeting.objects.public()).qs}


def document_titles(data):
    return {d.title for d in DocumentFilterSet(data, queryset=Document.objects.public()).qs}


def make_meeting(title, start=datetime.date(2010, 5, 1), **kwargs):
    return baker.make("meetings.Meeting", title=title, start_date=start, **kwargs)


def make_document(title, **kwargs):
    kwargs.setdefault("url", "https://example.org/doc.pdf")
    if "meeting" not in kwargs and "process" not in kwargs:
        kwargs["process"] = baker.make("rcps.Process", slug=f"p-{title.lower().replace(' ', '-')}")
    return baker.make("meetings.Document", title=title, **kwargs)


@pytest.fixture
def colombo(db):
    return baker.make("rcps.Process", name="Colombo Process", slug="colombo-process")


# Meetings -----------------------------------------------------------------------------


def test_meeting_search_matches_title_and_city():
    make_meeting("Ministerial Consultation", city="Dhaka")
    make_meeting("Senior officials", city="Bali")
    assert meeting_titles({"q": "dhaka"}) == {"Ministerial Consultation"}


def test_meeting_process_filter_includes_joint_meetings(colombo):
    bali = baker.make("rcps.Process", name="Bali Process", slug="bali-process")
    make_meeting("Colombo only", organizing_processes=[colombo])
    make_meeting("Joint", organizing_processes=[colombo, bali])
    make_meeting("Bali only", organizing_processes=[bali])
    assert meeting_titles({"process": "colombo-process"}) == {"Colombo only", "Joint"}


def test_meeting_kind_filter():
    make_meeting("Summit", kind="gfmd_summit")
    make_meeting("Workshop", kind="technical")
    assert meeting_titles({"kind": "technical"}) == {"Workshop"}


def test_meeting_country_filter():
    bangladesh = baker.make("reference.Country", code="BD", alpha3="BGD", name="Bangladesh")
    make_meeting("Dhaka 2011", country=bangladesh)
    make_meeting("Elsewhere")
    assert meeting_titles({"country": "BD"}) == {"Dhaka 2011"}


def test_meeting_theme_filter():
    theme = baker.make("reference.Theme", name="Remittances", slug="remittances")
    make_meeting("On remittances", themes=[theme])
    make_meeting("On borders")
    assert meeting_titles({"theme": "remittances"}) == {"On remittances"}


def test_meeting_date_range_keeps_meetings_running_on_the_first_day():
    make_meeting("Before", start=datetime.date(2009, 1, 1))
    make_meeting("Spanning", start=datetime.date(2009, 12, 30), end_date=datetime.date(2010, 1, 2))
    make_meeting("Inside", start=datetime.date(2010, 6, 1))
    make_meeting("After", start=datetime.date(2011, 3, 1))
    assert meeting_titles({"date_from": "2010-01-01", "date_to": "2010-12-31"}) == {"Spanning", "Inside"}


def test_meeting_upcoming_filter():
    make_meeting("Next month", start=TODAY + datetime.timedelta(days=30))
    make_meeting("Last year", start=TODAY - datetime.timedelta(days=365))
    assert meeting_titles({"when": "upcoming"}) == {"Next month"}


def test_meeting_past_filter():
    make_meeting("Next month", start=TODAY + datetime.timedelta(days=30))
    make_meeting("Last year", start=TODAY - datetime.timedelta(days=365))
    assert meeting_titles({"when": "past"}) == {"Last year"}


def test_meeting_sessions_are_listed_only_when_asked_for():
    summit = make_meeting("GFMD Brussels", kind="gfmd_summit")
    make_meeting("Roundtable 3.3", kind="roundtable", parent=summit)
    assert meeting_titles({}) == {"GFMD Brussels"}
    assert meeting_titles({"sessions": "on"}) == {"GFMD Brussels", "Roundtable 3.3"}


def test_meeting_sort_oldest_first():
    make_meeting("Newer", start=datetime.date(2012, 1, 1))
    make_meeting("Older", start=datetime.date(2002, 1, 1))
    ordered = [m.title for m in MeetingFilterSet({"sort": "date"}, queryset=Meeting.objects.public()).qs]
    assert ordered == ["Older", "Newer"]


# Documents ----------------------------------------------------------------------------


def test_document_search_matches_reference():
    make_document("Chair's summary", reference="UN/POP/MIG-6CM/2007/08")
    make_document("Declaration")
    assert document_titles({"q": "MIG-6CM"}) == {"Chair's summary"}


def test_document_process_filter_includes_documents_of_its_meetings(colombo):
    meeting = make_meeting("Dhaka 2011", organizing_processes=[colombo])
    make_document("Attached to the process", process=colombo)
    make_document("Attached to its meeting", meeting=meeting)
    make_document("Other")
    assert document_titles({"process": "colombo-process"}) == {"Attached to the process", "Attached to its meeting"}


def test_document_meeting_filter():
    meeting = make_meeting("Dhaka 2011")
    make_document("Dhaka declaration", meeting=meeting)
    make_document("Other")
    assert document_titles({"meeting": str(meeting.pk)}) == {"Dhaka declaration"}


def test_document_kind_filter():
    make_document("Declaration", kind="declaration")
    make_document("Study", kind="study")
    assert document_titles({"kind": "study"}) == {"Study"}


def test_document_language_filter():
    make_document("English", language="en")
    make_document("Français", language="fr")
    assert document_titles({"language": "fr"}) == {"Français"}


def test_document_year_filter():
    make_document("2007 paper", year=2007)
    make_document("2011 paper", year=2011)
    assert document_titles({"year": "2011"}) == {"2011 paper"}


def test_theme_options_come_from_public_meetings_only():
    """A public session of a confidential meeting is not public: its themes are not offered either."""
    secret_theme = baker.make("reference.Theme", name="Secret topic", slug="secret-topic")
    open_theme = baker.make("reference.Theme", name="Open topic", slug="open-topic")
    parent = make_meeting("Closed summit", visibility="confidential")
    make_meeting("Open session of a closed summit", parent=parent, themes=[secret_theme])
    make_meeting("Open meeting", themes=[open_theme])
    options = MeetingFilterSet({}, queryset=Meeting.objects.public()).form.fields["theme"].queryset
    assert list(options) == [open_theme]


def test_a_document_of_a_public_session_of_a_confidential_meeting_is_not_public():
    parent = make_meeting("Closed summit", visibility="confidential")
    session = make_meeting("Open session", parent=parent)
    make_document("Session report", meeting=session)
    make_document("Public report", meeting=make_meeting("Open meeting"))
    assert document_titles({}) == {"Public report"}
