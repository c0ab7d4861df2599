"""The mixed scenario's URL list: hundreds of distinct public pages, each answering anonymously, nothing hidden."""

import datetime
import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from model_bakery import baker

from bench.mixed import mixed_paths, writer_process
from meetings.models import Document, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """40 processes with a member country each; 150 meetings over 20 years; documents, recommendations, dispatches."""
    countries = [
        baker.make("reference.Country", code=f"{a}{b}", alpha3=f"{a}{b}X", name=f"Country {a}{b}")
        for a, b in itertools.islice(itertools.product("ABCDEFGH", "ABCDEFGH"), 40)
    ]
    processes = baker.make("rcps.Process", kind="rcp", _quantity=40)
    for process, country in zip(processes, countries, strict=True):
        baker.make("rcps.Participation", process=process, country=country, role="member")
    meetings = [
        baker.make(
            "meetings.Meeting",
            start_date=datetime.date(2000 + number % 20, 3, 1),
            country=countries[number % 40],
            organizing_processes=[processes[number % 40]],
        )
        for number in range(150)
    ]
    kinds = itertools.cycle(Document.Kind.values)
    for number in range(100):
        baker.make(
            "meetings.Document",
            kind=next(kinds),
            meeting=meetings[number],
            process=processes[number % 40],
            url="https://example.org/d",
        )
    for number in range(80):
        baker.make("recommendations.Recommendation", issuing_process=processes[number % 40])
    for number in range(40):
        baker.make(
            "exchange.Dispatch",
            direction="to_gfmd",
            sender_process=processes[number],
            state="published",
            published_at=timezone.now(),
        )
    hidden = {
        "process": baker.make("rcps.Process", slug="hidden-process", visibility="confidential"),
        "meeting": baker.make("meetings.Meeting", visibility="participants", organizing_processes=[processes[0]]),
        "document": baker.make("meetings.Document", visibility="confidential", url="https://example.org/c"),
        "recommendation": baker.make("recommendations.Recommendation", visibility="confidential"),
        "dispatch": baker.make("exchange.Dispatch", direction="from_gfmd", state="draft"),
    }
    return {"processes": processes, "hidden": hidden}


def shape(path):
    """A path's kind: its first segment and its query's parameter names (/meetings/?country=…)."""
    address = urlsplit(path)
    return address.path.strip("/").split("/")[0], tuple(sorted(parse_qs(address.query)))


def test_the_mixed_scenario_spreads_over_at_least_500_distinct_public_urls_each_answering_200(client, site):
    paths = mixed_paths(writer_process())
    assert len(paths) == len(set(paths)) >= 500
    # Ten of every kind of page answer (the benchmark itself checks all of them before it loads them).
    by_shape = {}
    for path in paths:
        by_shape.setdefault(shape(path), []).append(path)
    answers = {path: client.get(path).status_code for sample in by_shape.values() for path in sample[:10]}
    assert {path: status for path, status in answers.items() if status != 200} == {}


def test_the_mixed_scenario_lists_nothing_that_is_not_public(site):
    paths = mixed_paths(writer_process())
    hidden = site["hidden"]
    assert not any("hidden-process" in path for path in paths)
    for record in (hidden["meeting"], hidden["document"], hidden["recommendation"], hidden["dispatch"]):
        assert record.get_absolute_url() not in paths


def test_the_writer_edits_meetings_of_the_process_with_most_public_meetings(site):
    busiest = site["processes"][0]
    baker.make("meetings.Meeting", organizing_processes=[busiest])
    process = writer_process()
    assert process == busiest
    newest = Meeting.objects.public().organized_by(busiest).order_by("-start_date", "pk").first()
    assert mixed_paths(process)[0] == newest.get_absolute_url()
