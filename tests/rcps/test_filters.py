"""Each filter of the processes, recommendations, focal points and countries directories."""

import datetime

import pytest
from model_bakery import baker

from rcps.filters import CountryFilterSet, FocalPointFilterSet, ProcessFilterSet
from rcps.models import FocalPoint, Process, with_process_counts
from reference.models import Country

pytestmark = pytest.mark.django_db


def process_names(data):
    queryset = Process.objects.public().with_member_counts()
    return {process.name for process in ProcessFilterSet(data, queryset=queryset).qs}


def focal_point_institutions(data):
    return {f.institution for f in FocalPointFilterSet(data, queryset=FocalPoint.objects.public()).qs}


def country_names(data):
    return {c.name for c in CountryFilterSet(data, queryset=with_process_counts(Country.objects.all())).qs}


@pytest.fixture
def regions(db):
    asia = baker.make("reference.Region", code="142", slug="asia", name="Asia", level="region")
    south_asia = baker.make(
        "reference.Region", code="034", slug="southern-asia", name="Southern Asia", level="subregion", parent=asia
    )
    africa = baker.make("reference.Region", code="002", slug="africa", name="Africa", level="region")
    return {"asia": asia, "south_asia": south_asia, "africa": africa}


@pytest.fixture
def countries(regions):
    return {
        "LK": baker.make("reference.Country", code="LK", alpha3="LKA", name="Sri Lanka", region=regions["south_asia"]),
        "NP": baker.make("reference.Country", code="NP", alpha3="NPL", name="Nepal", region=regions["south_asia"]),
        "SN": baker.make("reference.Country", code="SN", alpha3="SEN", name="Senegal", region=regions["africa"]),
    }


def make_process(name, **kwargs):
    return baker.make("rcps.Process", name=name, slug=name.lower().replace(" ", "-"), **kwargs)


# Processes ---------------------------------------------------------------------------


def test_process_search_matches_every_word_in_name_acronym_or_description():
    make_process("Colombo Process", acronym="CP", description="Labour migration from Asia")
    make_process("Budapest Process", description="Irregular migration")
    assert process_names({"q": "labour colombo"}) == {"Colombo Process"}
    assert process_names({"q": "CP"}) == {"Colombo Process"}


def test_process_kind_filter():
    make_process("Colombo Process", kind="rcp")
    make_process("Rabat Process", kind="inter_regional")
    assert process_names({"kind": "inter_regional"}) == {"Rabat Process"}


def test_process_region_filter_includes_subregions(regions):
    make_process("Colombo Process", regions=[regions["south_asia"]])
    make_process("MIDWA", regions=[regions["africa"]])
    assert process_names({"region": "asia"}) == {"Colombo Process"}
    assert process_names({"region": "southern-asia"}) == {"Colombo Process"}


def test_process_theme_filter():
    labour = baker.make("reference.Theme", name="Labour migration", slug="labour-migration")
    make_process("Colombo Process", themes=[labour])
    make_process("Budapest Process")
    assert process_names({"theme": "labour-migration"}) == {"Colombo Process"}


def test_process_md_stance_filter():
    make_process("Colombo Process", md_stance="thematic_priority")
    make_process("Budapest Process", md_stance="not_addressed")
    assert process_names({"md_stance": "not_addressed"}) == {"Budapest Process"}


def test_process_member_country_filter_ignores_observers(countries):
    colombo, bali = make_process("Colombo Process"), make_process("Bali Process")
    baker.make("rcps.Participation", process=colombo, country=countries["LK"], role="member")
    baker.make("rcps.Participation", process=bali, country=countries["LK"], role="observer")
    assert process_names({"member": "LK"}) == {"Colombo Process"}


def test_process_status_filter():
    make_process("Colombo Process", status="active")
    make_process("Manila Process", status="concluded")
    assert process_names({"status": "concluded"}) == {"Manila Process"}


def test_process_established_year_range():
    make_process("IGC", year_established=1985)
    make_process("Budapest Process", year_established=1991)
    make_process("Colombo Process", year_established=2003)
    assert process_names({"established_from": "1990", "established_to": "2000"}) == {"Budapest Process"}


def test_process_sort_by_members_puts_largest_first(countries):
    small, large = make_process("Small"), make_process("Large")
    for code in ("LK", "NP"):
        baker.make("rcps.Participation", process=large, country=countries[code], role="member")
    baker.make("rcps.Participation", process=small, country=countries["SN"], role="member")
    queryset = Process.objects.public().with_member_counts()
    ordered = [p.name for p in ProcessFilterSet({"sort": "-members"}, queryset=queryset).qs]
    assert ordered == ["Large", "Small"]


def test_process_member_filter_does_not_distort_member_counts(countries):
    process = make_process("Colombo Process")
    for country in countries.values():
        baker.make("rcps.Participation", process=process, country=country, role="member")
    queryset = Process.objects.public().with_member_counts()
    assert ProcessFilterSet({"member": "LK"}, queryset=queryset).qs.get().member_count == 3


def test_process_member_choices_leave_out_countries_only_in_confidential_processes(countries):
    hidden = make_process("Hidden", visibility="confidential")
    baker.make("rcps.Participation", process=hidden, country=countries["SN"], role="member")
    choices = ProcessFilterSet({}, queryset=Process.objects.public()).form.fields["member"].queryset
    assert countries["SN"] not in choices


# Recommendations ------------------------------------------------------------------------


def test_focal_point_process_filter():
    colombo, bali = make_process("Colombo Process"), make_process("Bali Process")
    baker.make("rcps.FocalPoint", process=colombo, institution="Ministry of Labour")
    baker.make("rcps.FocalPoint", process=bali, institution="Ministry of Interior")
    assert focal_point_institutions({"process": "bali-process"}) == {"Ministry of Interior"}


def test_focal_point_country_filter(countries):
    colombo = make_process("Colombo Process")
    baker.make("rcps.FocalPoint", process=colombo, country=countries["LK"], institution="Foreign Employment Bureau")
    baker.make("rcps.FocalPoint", process=colombo, country=countries["NP"], institution="Ministry of Labour")
    assert focal_point_institutions({"country": "NP"}) == {"Ministry of Labour"}


def test_focal_point_role_filter():
    colombo = make_process("Colombo Process")
    baker.make("rcps.FocalPoint", process=colombo, role="gfmd", institution="GFMD office")
    baker.make("rcps.FocalPoint", process=colombo, role="national", institution="Ministry")
    assert focal_point_institutions({"role": "gfmd"}) == {"GFMD office"}


def test_focal_point_search_finds_names_only_with_consent():
    colombo = make_process("Colombo Process")
    baker.make(
        "rcps.FocalPoint",
        process=colombo,
        institution="Consented",
        name="Anna Perera",
        consent_to_publish=True,
        consent_date=datetime.date(2020, 1, 1),
    )
    baker.make("rcps.FocalPoint", process=colombo, institution="Private", name="Anna Silva")
    assert focal_point_institutions({"q": "anna"}) == {"Consented"}


# Countries ---------------------------------------------------------------------------


def test_country_search(countries):
    assert country_names({"q": "lanka"}) == {"Sri Lanka"}


def test_country_region_filter_includes_subregions(countries):
    assert country_names({"region": "asia"}) == {"Sri Lanka", "Nepal"}


def test_country_number_of_processes_range_counts_public_processes_only(countries):
    colombo, bali, hidden = (
        make_process("Colombo"),
        make_process("Bali"),
        make_process("Hidden", visibility="confidential"),
    )
    for process in (colombo, bali, hidden):
        baker.make("rcps.Participation", process=process, country=countries["LK"], role="member")
    baker.make("rcps.Participation", process=colombo, country=countries["NP"], role="member")
    baker.make("rcps.Participation", process=hidden, country=countries["NP"], role="member")
    assert country_names({"processes_min": "2"}) == {"Sri Lanka"}
    assert country_names({"processes_min": "1", "processes_max": "1"}) == {"Nepal"}
    assert with_process_counts(Country.objects.all()).get(code="LK").process_count == 2


def test_country_sort_by_number_of_processes(countries):
    colombo = make_process("Colombo")
    baker.make("rcps.Participation", process=colombo, country=countries["NP"], role="member")
    ordered = [
        c.name for c in CountryFilterSet({"sort": "-processes"}, queryset=with_process_counts(Country.objects.all())).qs
    ]
    assert ordered[0] == "Nepal"
