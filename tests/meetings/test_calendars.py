"""iCalendar feeds of meetings, read back with the icalendar parser."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from model_bakery import baker

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def meeting(**fields):
    fields.setdefault("title", "Ministerial Consultation")
    fields.setdefault("start_date", datetime.date(2009, 6, 4))
    fields.setdefault("kind", Meeting.Kind.MINISTERIAL)
    return baker.make("meetings.Meeting", **fields)


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR_TYPE
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def colombo_meeting(process, country):
    theme = baker.make("reference.Theme", name="Labour migration", slug="labour-migration")
    item = meeting(
        title="Fourth Ministerial Consultation",
        start_date=datetime.date(2011, 6, 4),
        end_date=datetime.date(2011, 6, 5),
        city="Colombo",
        country=country,
        host="Government of Sri Lanka",
    )
    item.organizing_processes.add(process)
    item.themes.add(theme)
    return item


def test_all_meetings_calendar_has_one_event_per_public_meeting_with_uid_and_dtstamp(client, colombo_meeting):
    meeting(title="Bali Process workshop", start_date=datetime.date(2010, 3, 1))

    found = events(client.get(reverse("meetings:meeting_calendar")))

    assert set(found) == {"Fourth Ministerial Consultation", "Bali Process workshop"}
    for event in found.values():
        assert str(event["UID"]).startswith("meeting-")
        assert event["DTSTAMP"].dt.tzinfo is not None


def test_calendar_is_named_for_subscribers(client, colombo_meeting):
    calendar = icalendar.Calendar.from_ical(client.get(reverse("meetings:meeting_calendar")).content)

    assert str(calendar["X-WR-CALNAME"]) == "RCP Portal — meetings"


def test_two_day_meeting_is_an_all_day_event_whose_end_is_the_day_after(client, colombo_meeting):
    event = events(client.get(reverse("meetings:meeting_calendar")))["Fourth Ministerial Consultation"]

    assert event["DTSTART"].dt == datetime.date(2011, 6, 4)
    assert event["DTEND"].dt == datetime.date(2011, 6, 6)
    assert not isinstance(event["DTSTART"].dt, datetime.datetime)


def test_one_day_meeting_ends_the_next_day(client):
    meeting(title="Workshop", start_date=datetime.date(2012, 2, 28))

    event = events(client.get(reverse("meetings:meeting_calendar")))["Workshop"]

    assert (event["DTSTART"].dt, event["DTEND"].dt) == (datetime.date(2012, 2, 28), datetime.date(2012, 2, 29))


def test_event_has_kind_theme_and_process_as_categories_and_place_and_page_address(client, colombo_meeting):
    event = events(client.get(reverse("meetings:meeting_calendar")))["Fourth Ministerial Consultation"]

    assert set(event.categories) == {"Ministerial conference", "Labour migration", "CP"}
    assert str(event["LOCATION"]) == "Colombo, Sri Lanka"
    assert str(event["URL"]) == f"http://testserver/meetings/{colombo_meeting.pk}/"
    assert "Government of Sri Lanka" in str(event["DESCRIPTION"])


def test_uid_is_the_same_in_every_feed_and_in_the_download(client, colombo_meeting, process):
    urls = [
        reverse("meetings:meeting_calendar"),
        reverse("meetings:process_calendar", args=[process.slug]),
        reverse("meetings:country_calendar", args=["lk"]),
        reverse("meetings:meeting_event", args=[colombo_meeting.pk]),
    ]

    uids = {str(events(client.get(url))["Fourth Ministerial Consultation"]["UID"]) for url in urls}

    assert uids == {f"meeting-{colombo_meeting.pk}@rcp-portal"}


def test_confidential_and_participants_only_meetings_are_in_no_calendar(client, colombo_meeting, process):
    hidden = [
        meeting(title="SECRET-MARKER-7731 confidential", visibility="confidential", country=colombo_meeting.country),
        meeting(title="SECRET-MARKER-7731 participants", visibility="participants", country=colombo_meeting.country),
    ]
    for item in hidden:
        item.organizing_processes.add(process)
    urls = [
        reverse("meetings:meeting_calendar"),
        reverse("meetings:process_calendar", args=[process.slug]),
        reverse("meetings:country_calendar", args=["lk"]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert b"SECRET-MARKER-7731" not in response.content
    for item in hidden:
        assert client.get(reverse("meetings:meeting_event", args=[item.pk])).status_code == 404


def test_session_of_a_confidential_meeting_has_no_download(client):
    parent = meeting(title="Closed retreat", visibility="confidential")
    session = meeting(title="Session of the retreat", parent=parent)

    assert client.get(reverse("meetings:meeting_event", args=[session.pk])).status_code == 404


def test_organizing_process_that_is_not_public_is_not_named(client, colombo_meeting):
    hidden = baker.make("rcps.Process", acronym="HIDDENPROC", slug="hidden", kind="rcp", visibility="confidential")
    colombo_meeting.organizing_processes.add(hidden)

    response = client.get(reverse("meetings:meeting_calendar"))

    assert b"HIDDENPROC" not in response.content


def test_process_calendar_lists_only_the_meetings_it_organized(client, colombo_meeting, process):
    meeting(title="Someone else's meeting")

    found = events(client.get(reverse("meetings:process_calendar", args=[process.slug])))

    assert set(found) == {"Fourth Ministerial Consultation"}


def test_calendar_of_a_process_that_is_not_public_is_not_found(client):
    baker.make("rcps.Process", slug="closed-forum", kind="rcp", visibility="confidential")

    assert client.get(reverse("meetings:process_calendar", args=["closed-forum"])).status_code == 404


def test_country_calendar_lists_only_meetings_hosted_in_that_country(client, colombo_meeting):
    elsewhere = baker.make("reference.Country", code="ID", alpha3="IDN", name="Indonesia")
    meeting(title="Bali Ministerial Conference", country=elsewhere)

    found = events(client.get(reverse("meetings:country_calendar", args=["lk"])))

    assert set(found) == {"Fourth Ministerial Consultation"}


def test_calendar_of_an_unknown_country_is_not_found(client):
    assert client.get(reverse("meetings:country_calendar", args=["zz"])).status_code == 404


def test_meeting_download_is_an_attachment_with_its_one_event(client, colombo_meeting):
    response = client.get(reverse("meetings:meeting_event", args=[colombo_meeting.pk]))

    assert list(events(response)) == ["Fourth Ministerial Consultation"]
    assert response["Content-Disposition"] == 'attachment; filename="fourth-ministerial-consultation-2011-06-04.ics"'


def test_meetings_known_only_to_the_month_or_year_are_left_out(client):
    meeting(title="Some time in June", start_date=datetime.date(2008, 6, 1), date_precision="month")
    approximate = meeting(title="Some time in 2003", start_date=datetime.date(2003, 1, 1), date_precision="year")

    assert events(client.get(reverse("meetings:meeting_calendar"))) == {}
    assert client.get(reverse("meetings:meeting_event", args=[approximate.pk])).status_code == 404


def test_sessions_are_left_out_of_feeds_but_can_be_downloaded(client, colombo_meeting):
    session = meeting(title="Roundtable 1.1", parent=colombo_meeting, session_code="RT 1.1")

    assert "RT 1.1: Roundtable 1.1" not in events(client.get(reverse("meetings:meeting_calendar")))
    event = events(client.get(reverse("meetings:meeting_event", args=[session.pk])))["RT 1.1: Roundtable 1.1"]
    assert str(event["RELATED-TO"]) == f"meeting-{colombo_meeting.pk}@rcp-portal"


def test_unchanged_calendar_answers_not_modified_to_its_etag(client, colombo_meeting):
    url = reverse("meetings:meeting_calendar")
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert first["Last-Modified"]


def test_calendar_etag_changes_when_a_meeting_changes(client, colombo_meeting):
    url = reverse("meetings:meeting_calendar")
    first = client.get(url)
    colombo_meeting.title = "Fourth Ministerial Consultation (postponed)"
    colombo_meeting.save()

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_calendar_queries_do_not_grow_with_the_number_of_meetings(client, process, django_assert_max_num_queries):
    themes = baker.make("reference.Theme", _quantity=3)
    for item in baker.make("meetings.Meeting", start_date=datetime.date(2015, 1, 1), _quantity=20):
        item.themes.set(themes)
        item.organizing_processes.add(process)

    # The process, the meetings (with their country), their public organizers and their themes.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("meetings:process_calendar", args=[process.slug]))

    assert len(events(response)) == 20


def test_all_meetings_calendar_holds_only_the_newest_meetings_up_to_its_bound(client, settings):
    settings.CALENDAR_MAX_EVENTS = 2
    meeting(title="Oldest", start_date=datetime.date(2008, 1, 1))
    meeting(title="Older", start_date=datetime.date(2009, 1, 1))
    meeting(title="Upcoming", start_date=datetime.date.today() + datetime.timedelta(days=30))
    assert set(events(client.get(reverse("meetings:meeting_calendar")))) == {"Older", "Upcoming"}
