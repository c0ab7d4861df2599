"""The start page of the back office: what awaits each role, with counts, links and empty states."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from exchange import workflow
from exchange.models import Dispatch, DispatchAcknowledgement
from meetings.models import Meeting
from rcps.models import Chairmanship, Participation, Process
from recommendations.models import FollowUp, Recommendation
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db

State = Dispatch.State
START = reverse("admin:index")


def sections(response):
    return {section.key: section for section in response.context["start_page"]["sections"]}


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(START)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_user_serving_no_process_is_told_what_to_ask_for(client, roles, django_user_model):
    from tests.conftest import make_staff

    client.force_login(make_staff("nobody", "RCP secretariat"))
    response = client.get(START)
    assert response.status_code == 200
    assert "does not serve a process yet" in response.content.decode()


def test_an_empty_start_page_says_what_to_do_in_each_section(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    response = client.get(START)
    found = sections(response)
    assert [found[key].count for key in ("returned", "awaiting", "drafts", "follow_up")] == [0, 0, 0, 0]
    body = response.content.decode()
    assert "Nothing has been returned" in body and "New records start as drafts" in body


def test_secretariat_sees_a_returned_dispatch_with_its_reason(client, colombo, colombo_secretariat, support_unit):
    dispatch = workflow.dispatch_create(
        user=colombo_secretariat,
        direction=Dispatch.Direction.TO_GFMD,
        kind=Dispatch.Kind.STATEMENT,
        sender_process=colombo,
        title="Statement on recruitment",
        body="Text",
        submit=True,
    )
    workflow.dispatch_return(dispatch=dispatch, user=support_unit, reason="Please add the date of the meeting.")
    client.force_login(colombo_secretariat)
    response = client.get(START)
    section = sections(response)["returned"]
    assert section.count == 1
    assert section.items[0].detail == "Please add the date of the meeting."
    assert section.items[0].url == reverse("admin:exchange_dispatch_change", args=[dispatch.pk])
    assert "Please add the date of the meeting." in response.content.decode()


def test_secretariat_sees_gfmd_dispatches_until_acknowledged(client, colombo, bali, colombo_secretariat, support_unit):
    dispatch = make_dispatch(
        direction=Dispatch.Direction.FROM_GFMD, title="Call for good practices", addressed_processes=[colombo]
    )
    make_dispatch(direction=Dispatch.Direction.FROM_GFMD, title="Only for Bali", addressed_processes=[bali])
    make_dispatch(
        direction=Dispatch.Direction.FROM_GFMD,
        title="Documented in 2008",
        addressed_processes=[colombo],
        recorded_from_sources=True,
    )
    client.force_login(colombo_secretariat)
    section = sections(client.get(START))["awaiting"]
    assert [item.title for item in section.items] == ["Call for good practices"]
    workflow.dispatch_acknowledge(dispatch=dispatch, process=colombo, user=colombo_secretariat)
    assert sections(client.get(START))["awaiting"].count == 0


def test_secretariat_sees_its_drafts_of_every_kind(client, colombo, colombo_secretariat):
    meeting = baker.make(Meeting, title="Draft SOM", start_date=datetime.date(2026, 3, 1), publication="draft")
    meeting.organizing_processes.set([colombo])
    baker.make(Recommendation, title="Draft recommendation", issuing_process=colombo, publication="draft")
    make_dispatch(state=State.DRAFT, sender_process=colombo, title="Draft dispatch")
    client.force_login(colombo_secretariat)
    section = sections(client.get(START))["drafts"]
    assert section.count == 3
    titles = {item.title for item in section.items}
    assert titles == {"Draft SOM (1 March 2026)", "Draft recommendation", "Draft dispatch"}


def test_secretariat_sees_recommendations_without_its_follow_up(client, colombo, bali, colombo_secretariat):
    pending = baker.make(Recommendation, title="Ratify the conventions", addressed_processes=[colombo])
    done = baker.make(Recommendation, title="Share data", addressed_processes=[colombo])
    baker.make(Recommendation, title="For Bali", addressed_processes=[bali])
    baker.make(FollowUp, recommendation=done, process=colombo, status="implemented", date=datetime.date(2020, 1, 1))
    client.force_login(colombo_secretariat)
    section = sections(client.get(START))["follow_up"]
    assert [item.title for item in section.items] == [pending.title]
    assert f"recommendation={pending.pk}" in section.items[0].url


def test_secretariat_sees_the_gaps_of_its_profile(client, colombo, colombo_secretariat, sri_lanka):
    client.force_login(colombo_secretariat)
    section = sections(client.get(START))["profiles"]
    assert section.count == 1
    assert section.items[0].detail == "no member list, no meeting recorded, no chair recorded"
    baker.make(Participation, process=colombo, country=sri_lanka, role="member")
    baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2024)
    meeting = baker.make(Meeting, start_date=timezone.localdate() - datetime.timedelta(days=30))
    meeting.organizing_processes.set([colombo])
    assert sections(client.get(START))["profiles"].count == 0


def test_support_unit_sees_dispatches_to_moderate_oldest_first_with_age(client, colombo, bali, support_unit):
    now = timezone.now()
    make_dispatch(state=State.SUBMITTED, sender_process=colombo, title="Newer", submitted_at=now)
    make_dispatch(
        state=State.SUBMITTED, sender_process=bali, title="Older", submitted_at=now - datetime.timedelta(days=3)
    )
    client.force_login(support_unit)
    section = sections(client.get(START))["moderate"]
    assert [item.title for item in section.items] == ["Older", "Newer"]
    assert section.items[0].detail.replace("\xa0", " ") == "waiting 3 days"


def test_support_unit_sees_replies_and_acknowledgements(client, colombo, colombo_secretariat, support_unit):
    dispatch = make_dispatch(direction=Dispatch.Direction.FROM_GFMD, title="Call", addressed_processes=[colombo])
    workflow.dispatch_acknowledge(dispatch=dispatch, process=colombo, user=colombo_secretariat)
    workflow.dispatch_reply(original=dispatch, process=colombo, user=colombo_secretariat, title="Our answer", body="x")
    client.force_login(support_unit)
    section = sections(client.get(START))["received"]
    assert section.count == 2
    assert [item.note for item in section.items] == ["reply from CP", "acknowledged by CP"]


def test_support_unit_sees_stale_profiles(client, colombo, support_unit):
    client.force_login(support_unit)
    section = sections(client.get(START))["profiles"]
    assert "CP" in [item.title for item in section.items]


# Query counts: constant in data size ------------------------------------------------------------


def busy_world(colombo, size):
    """`size` rows of every kind the start pages list, for Colombo and for other processes."""
    for i in range(size):
        other = baker.make(Process, kind="rcp", acronym=f"P{size}-{i}")
        make_dispatch(state=State.RETURNED, sender_process=colombo, title=f"Returned {i}", return_reason="Fix it")
        make_dispatch(state=State.SUBMITTED, sender_process=other, title=f"Submitted {i}", submitted_at=timezone.now())
        make_dispatch(state=State.DRAFT, sender_process=colombo, title=f"Draft {i}")
        received = make_dispatch(
            direction=Dispatch.Direction.FROM_GFMD, title=f"To CP {i}", addressed_processes=[colombo, other]
        )
        DispatchAcknowledgement.objects.create(dispatch=received, process=other)
        make_dispatch(
            state=State.SUBMITTED,
            sender_process=other,
            in_reply_to=received,
            kind="reply",
            submitted_at=timezone.now(),
            title=f"Reply {i}",
        )
        meeting = baker.make(Meeting, start_date=datetime.date(2020, 1, 1), publication="draft")
        meeting.organizing_processes.set([colombo, other])
        baker.make(Recommendation, addressed_processes=[colombo, other], publication="published")
        baker.make(Recommendation, issuing_process=colombo, publication="draft")


@pytest.mark.parametrize("who", ["colombo_secretariat", "support_unit"])
def test_start_page_queries_do_not_grow_with_the_data(client, colombo, who, request, django_assert_max_num_queries):
    user = request.getfixturevalue(who)
    client.force_login(user)
    busy_world(colombo, 2)
    with django_assert_max_num_queries(60) as small:
        client.get(START)
    busy_world(colombo, 12)
    # Session, user and groups; then per section one count and one short list (drafts: five kinds).
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(START)
    assert response.status_code == 200
    assert sum(section.count for section in response.context["start_page"]["sections"]) > 20


@pytest.mark.parametrize("who", ["colombo_secretariat", "support_unit"])
def test_every_link_of_the_start_page_opens(client, colombo, bali, who, request):
    user = request.getfixturevalue(who)
    busy_world(colombo, 2)
    client.force_login(user)
    start = client.get(START).context["start_page"]
    links = [item.url for s in start["sections"] for item in s.items]
    links += [s.more_url for s in start["sections"] if s.more_url]
    links += [url for s in start["sections"] for _label, url in s.actions]
    assert links
    for url in links:
        response = client.get(url)
        assert response.status_code == 200 and "?e=1" not in response.get("Location", ""), url
