"""The back office asks the database a fixed, small number of questions whatever the amount of data.

Counted as the benchmark counts them (bench: a repeat request, the option caches on): every
changelist and the start page, for a superuser, a secretariat and the Support Unit. Each count includes what
every signed-in request costs: the session and the user (2) and the user's second-factor devices
(2: TOTP and backup codes). The repeat request does not save the session: it was renewed by the
first, less than SESSION_RENEW_INTERVAL ago (core.middleware.SessionRenewalMiddleware).
"""

import datetime
import itertools

import pytest
from django.apps import apps
from django.core.cache import caches
from django.urls import reverse
from model_bakery import baker

from exchange.models import Dispatch
from meetings.models import Document, Meeting
from practices.models import Practice
from rcps.models import Chairmanship, FocalPoint, Participation, Process, SecretariatAssignment
from recommendations.models import FollowUp, Recommendation
from reference.models import Country, Theme
from surveys.models import Survey, SurveyResponse
from tests.backoffice.test_admin_pages import MODEL_IDS, MODELS, a_country, admin_url, make_instance
from tests.backoffice.test_dashboard import busy_world

pytestmark = pytest.mark.django_db

EVERY_REQUEST = 4  # session, user, two kinds of second-factor device

# What each changelist asks beyond EVERY_REQUEST, for a superuser: how many rows match (1), the
# page of rows with their joined columns (1), and, where named, one query for a many-valued
# column of the whole page. Filter options come from the cache (core.pagecache), as do the years
# of the meetings filter that stands for a date hierarchy.
CHANGELIST_QUERIES = {label: EVERY_REQUEST + 2 for label in MODEL_IDS} | {
    "auth.Group": EVERY_REQUEST + 3,  # the groups' permissions, for the filter-by-permission widget's list
    "auth.User": EVERY_REQUEST + 4,  # Django's UserAdmin: its groups filter and the count of all users
    "authtoken.TokenProxy": EVERY_REQUEST + 3,  # the users' of the page
    "exchange.Dispatch": EVERY_REQUEST + 4,  # the joint senders of the page, the user's groups (for the actions)
    "meetings.Meeting": EVERY_REQUEST + 3,  # the organizing processes of the page's meetings
    "otp_static.StaticDevice": EVERY_REQUEST + 3,  # django-otp's admin: the devices' users
    "otp_totp.TOTPDevice": EVERY_REQUEST + 3,
}


@pytest.fixture(autouse=True)
def option_caches_on(settings):
    """As in production: filter options and start-page answers cached until the data changes."""
    settings.CHOICE_CACHE_ENABLED = True
    caches["default"].clear()


def count_repeat_request(client, url, assert_queries, expected):
    """The queries of a second request of `url` (the first fills the caches, as under load)."""
    assert client.get(url).status_code == 200
    with assert_queries(expected) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured


_numbers = itertools.count()


def world(size):
    """`size` rows of every registered model, and rows whose list columns reach other tables."""
    for model in MODELS:
        # make_instance always names the same country: one participation, one country.
        once = model in (Country, Participation)
        for _ in range(0 if once and model.objects.exists() else 1 if once else size):
            make_instance(model)
    country = Country.objects.get(code="LK")
    theme = baker.make(Theme)
    for _ in range(size):
        number = next(_numbers)
        processes = [baker.make(Process, kind="rcp", slug=f"p-{number}-{n}", acronym=f"P{number}{n}") for n in range(2)]
        processes[0].themes.add(theme)
        meeting = baker.make(Meeting, start_date=datetime.date(2000 + number % 20, 1, 1), country=country)
        meeting.organizing_processes.set(processes)
        baker.make(Meeting, parent=meeting, start_date=meeting.start_date)
        document = baker.make(Document, meeting=meeting, process=processes[0], reference=f"DOC/{number}")
        recommendation = baker.make(Recommendation, issuing_process=processes[0], source_meeting=meeting, year=2010)
        recommendation.addressed_processes.set(processes)
        baker.make(FollowUp, recommendation=recommendation, process=processes[1], evidence_document=document)
        baker.make(Dispatch, sender_process=processes[0], direction=Dispatch.Direction.TO_GFMD)
        joint = baker.make(
            Dispatch, sender_process=None, direction=Dispatch.Direction.BETWEEN_RCPS, recorded_from_sources=True
        )
        joint.sending_processes.set(processes)
        baker.make(FocalPoint, process=processes[0], country=country)
        baker.make(Participation, process=processes[1], country=country, organization=None)
        baker.make(Chairmanship, process=processes[1], country=country)
        survey = baker.make(Survey, year=2000 + number % 20)
        baker.make(SurveyResponse, survey=survey, process=processes[0])
        baker.make(Practice, process=processes[0])
        baker.make(SecretariatAssignment, process=processes[1])


# Changelists -------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_changelist_queries_for_a_superuser_are_few_and_do_not_grow_with_the_data(
    client, superuser, model, django_assert_num_queries
):
    client.force_login(superuser)
    url = admin_url(model, "changelist")
    world(2)
    small = len(count_repeat_request(client, url, django_assert_num_queries, CHANGELIST_QUERIES[model._meta.label]))
    world(6)
    assert len(count_repeat_request(client, url, django_assert_num_queries, small)) <= 12


def test_every_changelist_asks_at_most_twelve_queries():
    assert max(CHANGELIST_QUERIES.values()) <= 12


def serve_every_process(user):
    """Make `user` the secretariat of every process, so that each list shows them every row."""
    for process in Process.objects.all():
        SecretariatAssignment.objects.get_or_create(user=user, process=process)


# A secretariat or the Support Unit asks, beyond EVERY_REQUEST, for their groups with the
# permissions (1, core.roles.load_groups_and_permissions), then, where a list is scoped to their
# processes or offers them a filter of their own, the processes they serve (1), the count and the
# page (2), and the many-valued column of the page where there is one.
ROLE_BASE = EVERY_REQUEST + 1 + 2
SERVED = 1

SECRETARIAT_CHANGELIST_QUERIES = {
    label: ROLE_BASE + SERVED
    for label in [
        "meetings.Document",
        "members.Invitation",
        "members.MailingList",
        "members.OptOut",
        "practices.Practice",
        "rcps.Chairmanship",
        "rcps.FocalPoint",
        "rcps.Membership",
        "rcps.Participation",
        "rcps.Process",
        "recommendations.FollowUp",
        "recommendations.Recommendation",
        "surveys.Survey",
        "surveys.SurveyResponse",
    ]
} | {
    "exchange.Dispatch": ROLE_BASE + SERVED + 1,  # the joint senders of the page
    "meetings.Meeting": ROLE_BASE + SERVED + 1,  # the organizing processes of the page's meetings
    "members.Bounce": ROLE_BASE,
    "practices.CallForPractices": ROLE_BASE,
    "reference.AddresseeGroup": ROLE_BASE,
    "reference.Country": ROLE_BASE,
    "reference.Organization": ROLE_BASE,
    "reference.Region": ROLE_BASE,
    "reference.Theme": ROLE_BASE,
}

# The Support Unit reads every row: the processes it serves are asked only for its own filters.
SUPPORT_UNIT_CHANGELIST_QUERIES = {
    label: ROLE_BASE
    for label in [
        "exchange.Subscription",
        "meetings.Document",
        "members.Bounce",
        "members.Invitation",
        "members.MailingList",
        "members.OptOut",
        "practices.CallForPractices",
        "practices.Practice",
        "rcps.Chairmanship",
        "rcps.FocalPoint",
        "rcps.Membership",
        "rcps.Participation",
        "rcps.Process",
        "rcps.SecretariatAssignment",
        "recommendations.FollowUp",
        "reference.AddresseeGroup",
        "reference.Country",
        "reference.Organization",
        "reference.Region",
        "reference.Theme",
        "surveys.Survey",
        "surveys.SurveyResponse",
    ]
} | {
    "exchange.Dispatch": ROLE_BASE + SERVED + 1,  # its "awaiting your answer" filter; the joint senders
    "meetings.Meeting": ROLE_BASE + 1,  # the organizing processes of the page's meetings
    "recommendations.Recommendation": ROLE_BASE + SERVED,  # its "no follow-up yet" filter
}

ROLE_CHANGELISTS = [
    ("colombo_secretariat", label, expected) for label, expected in SECRETARIAT_CHANGELIST_QUERIES.items()
] + [("support_unit", label, expected) for label, expected in SUPPORT_UNIT_CHANGELIST_QUERIES.items()]


@pytest.mark.parametrize(
    ("who", "label", "expected"), ROLE_CHANGELISTS, ids=[f"{who}-{label}" for who, label, _ in ROLE_CHANGELISTS]
)
def test_changelist_queries_for_a_secretariat_and_the_support_unit_are_few_and_do_not_grow_with_the_data(
    client, colombo, who, label, expected, request, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = admin_url(apps.get_model(label), "changelist")
    for size in (2, 6):
        world(size)
        if who == "colombo_secretariat":
            serve_every_process(user)
        count_repeat_request(client, url, django_assert_num_queries, expected)


def test_every_changelist_a_role_reaches_is_counted(client, colombo, colombo_secretariat, support_unit):
    for user, counted in [
        (colombo_secretariat, SECRETARIAT_CHANGELIST_QUERIES),
        (support_unit, SUPPORT_UNIT_CHANGELIST_QUERIES),
    ]:
        client.force_login(user)
        reached = {
            label
            for label, model in zip(MODEL_IDS, MODELS, strict=True)
            if client.get(admin_url(model, "changelist")).status_code == 200
        }
        assert reached == set(counted)
    assert max([*SECRETARIAT_CHANGELIST_QUERIES.values(), *SUPPORT_UNIT_CHANGELIST_QUERIES.values()]) <= 12


# The start page ----------------------------------------------------------------------------------

START = reverse("admin:index")

# EVERY_REQUEST, then the admin's "Recent actions" (1); for a secretariat or the Support Unit also
# their groups with the permissions (1), and for a secretariat the processes it serves (1). The
# sections come from the cache.
START_PAGE_QUERIES = {
    "superuser": EVERY_REQUEST + 1,
    "colombo_secretariat": EVERY_REQUEST + 1 + 1 + SERVED,
    "support_unit": EVERY_REQUEST + 1 + 1,
}


@pytest.mark.parametrize("who", START_PAGE_QUERIES)
def test_start_page_queries_are_few_and_do_not_grow_with_the_data(
    client, colombo, who, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(who))
    busy_world(colombo, 2)
    count_repeat_request(client, START, django_assert_num_queries, START_PAGE_QUERIES[who])
    busy_world(colombo, 12)
    response = client.get(START)
    assert sum(section.count for section in response.context["start_page"]["sections"]) > 20
    count_repeat_request(client, START, django_assert_num_queries, START_PAGE_QUERIES[who])
    assert max(START_PAGE_QUERIES.values()) <= 12


@pytest.mark.parametrize("who", ["colombo_secretariat", "support_unit"])
def test_start_page_shows_a_new_draft_on_the_next_request(client, colombo, who, request):
    client.force_login(request.getfixturevalue(who))
    busy_world(colombo, 1)
    before = client.get(START).context["start_page"]["sections"]
    baker.make(Recommendation, issuing_process=colombo, publication="draft", title="A fresh draft")
    after = client.get(START).context["start_page"]["sections"]
    drafts = {section.key: section for section in before}["drafts"], {s.key: s for s in after}["drafts"]
    assert drafts[1].count == drafts[0].count + 1
    assert "A fresh draft" in [item.title for item in drafts[1].items]


def test_a_participant_reaching_the_back_office_is_sent_to_log_in(client, colombo, django_user_model):
    participant = django_user_model.objects.create_user("official", "official@example.org")
    baker.make("rcps.Membership", user=participant, process=colombo, country=a_country())
    client.force_login(participant)
    response = client.get(START)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
