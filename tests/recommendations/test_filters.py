"""The filters of the recommendations directory."""

import datetime

import pytest
from model_bakery import baker

from recommendations.filters import RecommendationFilterSet
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


def recommendation_titles(data):
    return {r.title for r in RecommendationFilterSet(data, queryset=Recommendation.objects.public()).qs}


def make_process(name, **kwargs):
    return baker.make("rcps.Process", name=name, slug=name.lower().replace(" ", "-"), **kwargs)


def test_recommendation_search():
    baker.make("recommendations.Recommendation", title="Share data", text="Pool remittance statistics")
    baker.make("recommendations.Recommendation", title="Train officials", text="Border training")
    assert recommendation_titles({"q": "remittance"}) == {"Share data"}


def test_recommendation_source_filter_by_issuing_process():
    gfmd = make_process("GFMD", kind="global")
    baker.make("recommendations.Recommendation", title="From the GFMD", issuing_process=gfmd)
    baker.make("recommendations.Recommendation", title="From GCIM", issuing_body="GCIM")
    assert recommendation_titles({"source": "gfmd"}) == {"From the GFMD"}


def test_recommendation_source_meeting_filter():
    meeting = baker.make("meetings.Meeting", title="Brussels 2007", start_date=datetime.date(2007, 7, 9))
    baker.make("recommendations.Recommendation", title="From Brussels", source_meeting=meeting)
    baker.make("recommendations.Recommendation", title="Elsewhere")
    assert recommendation_titles({"meeting": str(meeting.pk)}) == {"From Brussels"}


def test_recommendation_theme_filter():
    theme = baker.make("reference.Theme", name="Remittances", slug="remittances")
    baker.make("recommendations.Recommendation", title="Cheaper transfers", themes=[theme])
    baker.make("recommendations.Recommendation", title="Other")
    assert recommendation_titles({"theme": "remittances"}) == {"Cheaper transfers"}


def test_recommendation_addressee_filter():
    rcps = baker.make("reference.AddresseeGroup", name="RCPs", slug="rcps")
    baker.make("recommendations.Recommendation", title="To RCPs", addressee_groups=[rcps])
    baker.make("recommendations.Recommendation", title="To States")
    assert recommendation_titles({"addressee": "rcps"}) == {"To RCPs"}


def test_recommendation_addressed_process_filter():
    colombo = make_process("Colombo Process")
    baker.make("recommendations.Recommendation", title="To Colombo", addressed_processes=[colombo])
    baker.make("recommendations.Recommendation", title="To nobody")
    assert recommendation_titles({"addressed_process": "colombo-process"}) == {"To Colombo"}


def test_recommendation_follow_up_status_filter_and_none():
    colombo = make_process("Colombo Process")
    done = baker.make("recommendations.Recommendation", title="Done")
    baker.make("recommendations.Recommendation", title="Untouched")
    baker.make(
        "recommendations.FollowUp",
        recommendation=done,
        process=colombo,
        status="implemented",
        date=datetime.date(2010, 1, 1),
    )
    assert recommendation_titles({"follow_up": "implemented"}) == {"Done"}
    assert recommendation_titles({"follow_up": "none"}) == {"Untouched"}


def test_recommendation_follow_up_filter_ignores_confidential_follow_ups():
    colombo = make_process("Colombo Process")
    rec = baker.make("recommendations.Recommendation", title="Quietly done")
    baker.make(
        "recommendations.FollowUp",
        recommendation=rec,
        process=colombo,
        status="implemented",
        date=datetime.date(2010, 1, 1),
        visibility="confidential",
    )
    assert recommendation_titles({"follow_up": "implemented"}) == set()


# Focal points ---------------------------------------------------------------------------
