"""A calendar answers for any title a meeting can have (the API accepts any text): never a 500."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from model_bakery import baker

pytestmark = pytest.mark.django_db

TITLES = [
    "Line one\nline two",
    "Carriage\r\nreturn and\rmore",
    "A" * 300,
    "Ministerial conference — Бакы, Ελλάδα, 中国, ශ්‍රී ලංකාව, العربية",
    'Quotes " and \\ backslash; semicolon, comma: colon',
    "Control \x0b\x1b characters",
    "   ",
]


@pytest.mark.parametrize("title", TITLES, ids=range(len(TITLES)))
def test_every_calendar_answers_for_any_title(client, process, title):
    meeting = baker.make(
        "meetings.Meeting",
        title=title,
        start_date=datetime.date(2030, 5, 4),
        end_date=datetime.date(2030, 5, 5),
        host=title,
        city=title[:100],
        description=title,
    )
    meeting.organizing_processes.set([process])
    for url in (
        reverse("meetings:meeting_event", kwargs={"pk": meeting.pk}),
        reverse("meetings:meeting_calendar"),
        reverse("meetings:process_calendar", kwargs={"slug": process.slug}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = icalendar.Calendar.from_ical(response.content)
        events = [c for c in calendar.walk("VEVENT")]
        assert len(events) == 1
        summary = str(events[0]["SUMMARY"])
        assert "\n" not in summary and "\r" not in summary
        if title.strip():
            assert title.split()[0][:20] in summary
