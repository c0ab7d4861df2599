"""Every back-office page renders for a superuser, and the admin forms explain the data model's rules."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker
from simple_history.models import HistoricalChanges

from meetings.models import Document, Meeting
from rcps.models import Participation, Process
from recommendations.models import FollowUp, Recommendation
from reference.models import Country, Organization, Region, Theme

pytestmark = pytest.mark.django_db

# django-axes registers its login-attempt records read-only (no add page); they are checked in
# tests/portal/test_login_protection.py.
REGISTERED = sorted(
    ((model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label != "axes"),
    key=lambda item: item[0]._meta.label,
)
MODELS = [model for model, _ in REGISTERED]
MODEL_IDS = [model._meta.label for model in MODELS]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def a_country(code="LK", alpha3="LKA", name="Sri Lanka"):
    return Country.objects.get_or_create(code=code, defaults={"alpha3": alpha3, "name": name})[0]


def a_process():
    return Process.objects.get_or_create(
        slug="colombo-process", defaults={"name": "Colombo Process", "acronym": "CP", "kind": "rcp"}
    )[0]


def make_instance(model):
    """One saved object of any registered model, with the values its constraints need."""
    if model is Country:
        return a_country()
    if model is Participation:
        return baker.make(Participation, process=a_process(), country=a_country(), organization=None)
    if model is Document:
        return baker.make(Document, reference="UN/POP/MIG-6CM/2007/08", process=a_process())
    related = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and not field.null:
            if field.related_model is Country:
                related[field.name] = a_country()
            elif field.related_model is Process:
                related[field.name] = a_process()
    return baker.make(model, **related)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("officer", "officer@example.org", "a-long-test-password-123")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


# Every page of every registered model ---------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_changelist_renders_for_every_registered_model(superuser_client, model):
    make_instance(model)
    assert superuser_client.get(admin_url(model, "changelist")).status_code == 200


# The members' area writes these itself (an invitation e-mails its one-time link, a seat comes
# from an accepted invitation, an opt-out from the unsubscribe link): no add page, on purpose.
NO_ADD_PAGE = {"members.Invitation", "members.OptOut", "rcps.Membership"}


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_add_page_renders_for_every_registered_model(superuser_client, model):
    expected = 403 if model._meta.label in NO_ADD_PAGE else 200
    assert superuser_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_change_page_renders_for_every_registered_model(superuser_client, model):
    obj = make_instance(model)
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_history_page_renders_for_every_registered_model(superuser_client, model):
    obj = make_instance(model)
    assert superuser_client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if hasattr(m, "history")], ids=lambda m: m._meta.label)
def test_a_past_version_can_be_opened_for_reverting(superuser_client, model):
    obj = make_instance(model)
    record = obj.history.earliest()
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history", args=[obj.pk, record.history_id]
    )
    assert superuser_client.get(url).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_delete_confirmation_page_renders_for_every_registered_model(superuser_client, model):
    obj = make_instance(model)
    assert superuser_client.get(admin_url(model, "delete", obj.pk)).status_code == 200


def test_every_model_of_the_portal_apps_is_registered():
    models = [
        model
        for app in ("rcps", "meetings")
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges)
    ]
    assert [m._meta.label for m in models if m not in admin.site._registry] == []


# Search, filters and autocomplete ------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_changelist_search_answers_for_every_registered_model(superuser_client, model):
    make_instance(model)
    response = superuser_client.get(admin_url(model, "changelist"), {"q": "Colombo"})
    assert response.status_code == 200


def test_process_search_finds_a_process_by_its_secretariat(superuser_client):
    iom = baker.make(Organization, name="International Organization for Migration", acronym="IOM", slug="iom")
    baker.make(Process, name="Colombo Process", acronym="CP", slug="colombo-process", kind="rcp", secretariat=iom)
    baker.make(Process, name="Bali Process", acronym="BP", slug="bali-process", kind="rcp")
    response = superuser_client.get(admin_url(Process, "changelist"), {"q": "IOM"})
    assert [p.acronym for p in response.context["cl"].result_list] == ["CP"]


def filter_query_strings(model, user):
    """The query string of every choice of every list filter, as the changelist offers them."""
    request = RequestFactory().get(admin_url(model, "changelist"))
    request.user = user
    changelist = admin.site._registry[model].get_changelist_instance(request)
    assert isinstance(changelist, ChangeList)
    return [choice["query_string"] for spec in changelist.filter_specs for choice in spec.choices(changelist)]


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_every_list_filter_choice_answers(superuser_client, superuser, model):
    make_instance(model)
    for query_string in filter_query_strings(model, superuser):
        response = superuser_client.get(admin_url(model, "changelist") + query_string)
        # An invalid filter makes the changelist redirect to ?e=1 instead.
        assert response.status_code == 200, query_string


def test_meeting_date_hierarchy_drills_down_by_year_and_month(superuser_client):
    baker.make(Meeting, title="GFMD Brussels", start_date=datetime.date(2007, 7, 10))
    url = admin_url(Meeting, "changelist")
    by_year = superuser_client.get(url, {"start_date__year": 2007})
    by_month = superuser_client.get(url, {"start_date__year": 2007, "start_date__month": 7})
    assert (by_year.status_code, by_month.status_code) == (200, 200)
    assert len(by_month.context["cl"].result_list) == 1


def autocomplete_fields():
    """(source model, field name) for every autocomplete field of every admin and its inlines."""
    pairs = []
    for model, model_admin in REGISTERED:
        pairs += [(model, name) for name in model_admin.autocomplete_fields]
        for inline in model_admin.inlines:
            pairs += [(inline.model, name) for name in inline.autocomplete_fields]
    return sorted(set(pairs), key=lambda pair: (pair[0]._meta.label, pair[1]))


@pytest.mark.parametrize(
    ("model", "field_name"), autocomplete_fields(), ids=[f"{m._meta.label}.{f}" for m, f in autocomplete_fields()]
)
def test_autocomplete_answers_json_for_every_autocomplete_field(superuser_client, model, field_name):
    related_model = model._meta.get_field(field_name).related_model
    make_instance(related_model)
    response = superuser_client.get(
        "/admin/autocomplete/",
        {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1


def test_process_autocomplete_finds_a_process_by_its_acronym(superuser_client):
    baker.make(Process, name="Colombo Process", acronym="CP", slug="colombo-process", kind="rcp")
    baker.make(Process, name="Bali Process", acronym="BP", slug="bali-process", kind="rcp")
    response = superuser_client.get(
        "/admin/autocomplete/",
        {"app_label": "meetings", "model_name": "meeting", "field_name": "organizing_processes", "term": "CP"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Colombo Process (CP)"]


# Forms explain the rules ----------------------------------------------------------------


def form_data(response):
    """The POST data a browser would send back unchanged from an admin add or change page."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management_form = inline.formset.management_form
        data.update({bound.html_name: bound.value() for bound in management_form})
        forms += inline.formset.forms
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is not None:
                data[bound.html_name] = value
    return data


def test_participation_naming_both_a_country_and_an_organization_is_refused_and_nothing_saved(superuser_client):
    process = a_process()
    country = a_country()
    iom = baker.make(Organization, name="International Organization for Migration", acronym="IOM", slug="iom")
    url = admin_url(Process, "change", process.pk)
    data = form_data(superuser_client.get(url))
    data.update(
        {
            "name": "Renamed Process",
            "participations-TOTAL_FORMS": 1,
            "participations-0-country": country.pk,
            "participations-0-organization": iom.pk,
            "participations-0-role": "member",
            "participations-0-confidence": "high",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Name either a country or an organization, not both." in response.content.decode()
    process.refresh_from_db()
    assert (process.name, Participation.objects.count()) == ("Colombo Process", 0)


def test_participation_inline_saves_a_member_country(superuser_client):
    process = a_process()
    country = a_country()
    url = admin_url(Process, "change", process.pk)
    data = form_data(superuser_client.get(url))
    data.update(
        {
            "participations-TOTAL_FORMS": 1,
            "participations-0-country": country.pk,
            "participations-0-role": "member",
            "participations-0-since_year": 2003,
            "participations-0-confidence": "high",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    assert [str(p) for p in Participation.objects.all()] == ["Sri Lanka — Member of CP"]


def test_a_mangled_participant_id_is_refused_with_a_message_not_an_error_page(superuser_client):
    process = a_process()
    url = admin_url(Process, "change", process.pk)
    data = form_data(superuser_client.get(url))
    data.update(
        {
            "participations-TOTAL_FORMS": 1,
            "participations-0-country": "abc",
            "participations-0-role": "member",
            "participations-0-confidence": "high",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Participation.objects.exists()


def test_meeting_ending_before_it_starts_is_refused_with_a_clear_message(superuser_client):
    url = admin_url(Meeting, "add")
    data = form_data(superuser_client.get(url))
    data.update({"title": "Ministerial Consultation", "start_date": "2009-06-05", "end_date": "2009-06-04"})
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Meeting.objects.exists()


def test_other_names_are_typed_one_per_line_and_stored_as_a_list(superuser_client):
    process = a_process()
    url = admin_url(Process, "change", process.pk)
    data = form_data(superuser_client.get(url))
    data["other_names"] = "Regional Consultative Process on Overseas Employment\r\n\r\n  Colombo Process  \r\n"
    assert superuser_client.post(url, data).status_code == 302
    process.refresh_from_db()
    assert process.other_names == ["Regional Consultative Process on Overseas Employment", "Colombo Process"]


def test_sources_are_edited_as_rows_and_stored_as_the_same_list(superuser_client):
    process = a_process()
    process.sources = [{"ref": "https://example.org/a", "quote": "Söderköping", "supports": ["name"]}]
    process.save()
    url = admin_url(Process, "change", process.pk)
    page = superuser_client.get(url).content.decode()
    assert 'name="sources-0-citation"' in page and ">Söderköping</textarea>" in page
    assert 'value="https://example.org/a"' in page and 'value="name"' in page
    data = {key: value for key, value in form_data(superuser_client.get(url)).items() if key != "sources"}
    data.update(
        {
            "sources-total": "3",
            "sources-0-citation": "Söderköping Process",
            "sources-0-address": "https://example.org/a",
            "sources-0-supports": "name, year_established",
            "sources-0-kind": "quote",
            "sources-1-citation": "Named in the declaration",
            "sources-1-address": "document:12",
            "sources-1-supports": "name",
        }
    )
    assert superuser_client.post(url, data).status_code == 302
    process.refresh_from_db()
    assert process.sources == [
        {"ref": "https://example.org/a", "quote": "Söderköping Process", "supports": ["name", "year_established"]},
        {"document": 12, "quote": "Named in the declaration", "supports": ["name"]},
    ]


def test_a_source_row_without_an_address_is_refused_with_its_row_number(superuser_client):
    process = a_process()
    url = admin_url(Process, "change", process.pk)
    data = {key: value for key, value in form_data(superuser_client.get(url)).items() if key != "sources"}
    data.update({"sources-total": "1", "sources-0-citation": "A quote from nowhere"})
    response = superuser_client.post(url, data)
    assert "Row 1: give the web address or the document" in response.content.decode()


def test_sources_posted_as_json_must_be_a_list(superuser_client):
    process = a_process()
    url = admin_url(Process, "change", process.pk)
    data = form_data(superuser_client.get(url))
    data["sources"] = json.dumps({"ref": "not in a list"})
    response = superuser_client.post(url, data)
    assert "Enter a list in square brackets" in response.content.decode()


def test_change_page_marks_a_record_with_uncertain_fields(superuser_client):
    process = a_process()
    process.low_confidence_fields = ["year_established"]
    process.save()
    response = superuser_client.get(admin_url(Process, "change", process.pk))
    assert "Read these fields as uncertain: year_established" in response.content.decode()


def test_saving_a_process_in_the_admin_records_who_changed_it(superuser_client):
    process = a_process()
    url = admin_url(Process, "change", process.pk)
    data = form_data(superuser_client.get(url))
    data["name"] = "Regional Consultative Process on Overseas Employment"
    superuser_client.post(url, data)
    latest = process.history.latest()
    assert (latest.name, latest.history_user.username) == (data["name"], "officer")


# Query-count guards ---------------------------------------------------------------------


def test_process_changelist_queries_do_not_grow_with_rows(superuser_client, django_assert_max_num_queries):
    iom = baker.make(Organization, name="International Organization for Migration", acronym="IOM", slug="iom")
    region = baker.make(Region, code="142", name="Asia", slug="asia", level="region")
    theme = baker.make(Theme, name="Labour migration", slug="labour-migration")
    countries = [a_country(code, code + "X", code) for code in ("AA", "BB", "CC")]
    for number in range(30):
        process = baker.make(Process, name=f"Process {number}", slug=f"process-{number}", kind="rcp", secretariat=iom)
        process.regions.add(region)
        process.themes.add(theme)
        for country in countries:
            Participation.objects.create(process=process, country=country)
    # 10 today: session and user (2), the choices of the regions and themes filters (2), the
    # filtered and the total count (2), the page of rows with member counts and secretariats
    # joined (1), and saving the session, which a first request renews (3: savepoint, update,
    # release). Nothing per row: an N+1 over 30 rows would blow well past the limit.
    with django_assert_max_num_queries(12):
        response = superuser_client.get(admin_url(Process, "changelist"))
    assert len(response.context["cl"].result_list) == 25  # a full page (list_per_page) of the 30


def test_meeting_changelist_queries_do_not_grow_with_rows(superuser_client, django_assert_max_num_queries):
    processes = [baker.make(Process, name=f"Process {n}", acronym=f"P{n}", slug=f"p-{n}", kind="rcp") for n in range(3)]
    country = a_country()
    for number in range(30):
        meeting = baker.make(
            Meeting,
            title=f"Meeting {number}",
            start_date=datetime.date(2007, 1, 1) + datetime.timedelta(days=number),
            country=country,
            city="Colombo",
        )
        meeting.organizing_processes.set(processes)
        baker.make(Meeting, title=f"Session of {number}", parent=meeting, start_date=meeting.start_date)
        baker.make(Document, meeting=meeting, reference=f"DOC/{number}")
    # 13 today: session and user (2), the choices of the organizing-process and country filters
    # (2), the filtered and the total count (2), the page of rows with country, parent and the
    # session and document counts joined (1), the organizing processes of the whole page (1), the
    # date hierarchy's range and dates (2), and saving the renewed session (3). Nothing per row.
    with django_assert_max_num_queries(15):
        response = superuser_client.get(admin_url(Meeting, "changelist"))
    assert len(response.context["cl"].result_list) == 25  # a full page (list_per_page) of the 60


def test_uncertainty_filter_lists_records_flagged_low_or_with_uncertain_fields(superuser_client):
    baker.make(Process, name="Sure", slug="sure", kind="rcp")
    baker.make(Process, name="Low", slug="low", kind="rcp", confidence="low")
    baker.make(Process, name="Partly", slug="partly", kind="rcp", low_confidence_fields=["member_states"])
    url = admin_url(Process, "changelist")
    flagged = superuser_client.get(url, {"uncertain": "yes"}).context["cl"].result_list
    clear = superuser_client.get(url, {"uncertain": "no"}).context["cl"].result_list
    assert ([p.name for p in flagged], [p.name for p in clear]) == (["Low", "Partly"], ["Sure"])


def test_process_change_page_queries_do_not_grow_with_participants(superuser_client, django_assert_max_num_queries):
    process = a_process()
    iom = baker.make(Organization, name="International Organization for Migration", acronym="IOM", slug="iom")
    Participation.objects.create(process=process, organization=iom, role="secretariat")
    for number in range(30):
        code = chr(65 + number // 26) + chr(65 + number % 26)
        country = a_country(code, code + "X", f"Country {number}")
        Participation.objects.create(process=process, country=country, since_year=2003)
        baker.make("rcps.Chairmanship", process=process, country=country, start_year=2000 + number)
    # 15 today: session and user (2), the process (1), the regions and themes selected in its
    # form (2), the rows of the three inlines (3), the countries and organizations shown in their
    # autocompletes, one query per column (3), the content type behind "view on site" (1), and
    # saving the renewed session (3). Django alone would label every row's autocomplete with its
    # own query and fetch the process again for every row's title: 90 more here.
    with django_assert_max_num_queries(18):
        response = superuser_client.get(admin_url(Process, "change", process.pk))
    assert "Country 29 — Member of CP" in response.content.decode()


def test_changelists_count_related_rows_per_row_and_their_queries_do_not_grow_with_rows(superuser_client):
    meeting = baker.make(Meeting, title="Parent meeting", start_date=datetime.date(2011, 4, 19))
    baker.make(Meeting, parent=meeting, start_date=datetime.date(2011, 4, 19), _quantity=2)
    baker.make(Document, meeting=meeting, url="https://example.org/a.pdf", _quantity=3)
    recommendation = baker.make(Recommendation, title="Counted recommendation", year=2011)
    baker.make(FollowUp, recommendation=recommendation, process=a_process())
    meetings = superuser_client.get(admin_url(Meeting, "changelist"))
    row = next(row for row in meetings.context["cl"].result_list if row.pk == meeting.pk)
    assert (row.session_count, row.document_count) == (2, 3)
    recommendations = superuser_client.get(admin_url(Recommendation, "changelist"))
    assert recommendations.context["cl"].result_list[0].follow_up_count == 1

    def queries_of_changelist():
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(admin_url(Recommendation, "changelist")).status_code == 200
        return len(queries)

    few = queries_of_changelist()
    baker.make(Recommendation, year=2012, _quantity=40)
    assert queries_of_changelist() == few
