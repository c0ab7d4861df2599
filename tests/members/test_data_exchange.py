"""The data exchange: a country's focal point submits and releases its figures; the public sees only released ones."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from members.models import Figure, Indicator
from tests.members.conftest import login_verified, make_participant

pytestmark = pytest.mark.django_db

MEMBERS_ONLY_VALUE = "987654321"
PUBLIC_VALUE = "123456789"


@pytest.fixture
def catalogue(colombo):
    call_command("loaddata", "members/fixtures/indicators.json", verbosity=0)
    indicator = Indicator.objects.get(slug="labour-migrants-deployed")
    indicator.processes.add(colombo)
    return indicator


@pytest.fixture
def focal(client, colombo_participant, catalogue):
    login_verified(client, colombo_participant)
    return colombo_participant


def submit(client, indicator, country, year, value, release="members", breakdown=""):
    return client.post(
        reverse("members:figure_submit", args=["colombo-process"]),
        {
            "indicator": indicator.pk,
            "country": country.pk,
            "year": year,
            "value": value,
            "release": release,
            "disaggregation": breakdown,
        },
    )


def text(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_the_shipped_catalogue_cites_real_sources_and_carries_no_figures(catalogue):
    assert Indicator.objects.count() == 4
    for indicator in Indicator.objects.all():
        assert indicator.definition and indicator.source_notes and indicator.source_url.startswith("https://")
    assert not Figure.objects.exists()


def test_a_focal_point_submits_three_years_and_releases_one(client, focal, catalogue, sri_lanka, colombo):
    for year, value in ((2021, "122,000"), (2022, "311056"), (2023, PUBLIC_VALUE)):
        assert submit(client, catalogue, sri_lanka, year, value).status_code == 302
    assert Figure.objects.filter(release="members").count() == 3
    assert PUBLIC_VALUE not in text(client.get(colombo.get_absolute_url()))
    figure = Figure.objects.get(year=2023)
    assert client.post(reverse("members:figure_release", args=[figure.pk]), {"release": "public"}).status_code == 302
    figure.refresh_from_db()
    assert figure.release == "public" and figure.history.count() == 2
    client.logout()
    for url in (colombo.get_absolute_url(), sri_lanka.get_absolute_url()):
        page = text(client.get(url))
        assert "123,456,789" in page or PUBLIC_VALUE in page, url
        assert "311,056" not in page and "311056" not in page, url


def test_members_only_and_withdrawn_figures_reach_no_public_surface(client, focal, catalogue, sri_lanka, colombo):
    submit(client, catalogue, sri_lanka, 2022, MEMBERS_ONLY_VALUE)
    submit(client, catalogue, sri_lanka, 2023, "55555555", release="public")
    Figure.objects.filter(year=2023).update(release="withdrawn")
    page = text(client.get(reverse("members:process_data", args=["colombo-process"])))
    assert "987,654,321" in page or MEMBERS_ONLY_VALUE in page
    export = text(client.get(reverse("members:process_data", args=["colombo-process"]) + "?format=csv"))
    assert MEMBERS_ONLY_VALUE in export and "55555555" not in export  # withdrawn: gone for members too
    for who in ("participant", "anonymous"):
        if who == "anonymous":
            client.logout()
        for url in (
            colombo.get_absolute_url(),
            sri_lanka.get_absolute_url(),
            "/search/?q=labour",
            "/sitemap.xml",
            "/api/v1/processes/colombo-process/",
            "/processes/?format=csv",
        ):
            body = text(client.get(url))
            for value in (MEMBERS_ONLY_VALUE, "987,654,321", "55555555", "55,555,555"):
                assert value not in body, (who, url)


def test_only_the_submitting_countrys_focal_point_changes_the_release(
    client, focal, catalogue, sri_lanka, philippines, colombo, bali_participant
):
    submit(client, catalogue, sri_lanka, 2022, "1000")
    figure = Figure.objects.get()
    url = reverse("members:figure_release", args=[figure.pk])
    other_country = make_participant("focal@example.ph.colombo", colombo, philippines)
    login_verified(client, other_country)
    assert client.post(url, {"release": "public"}).status_code == 403
    login_verified(client, bali_participant)
    assert client.post(url, {"release": "public"}).status_code == 404
    assert client.get(reverse("members:process_data", args=["colombo-process"])).status_code == 404
    client.logout()
    assert client.post(url, {"release": "public"}).status_code == 302  # to the sign-in page
    figure.refresh_from_db()
    assert figure.release == "members" and figure.history.count() == 1
    login_verified(client, focal)
    assert client.post(url, {"release": "everyone"}).status_code == 400
    figure.refresh_from_db()
    assert figure.release == "members"


def test_a_focal_point_cannot_submit_for_another_country(client, focal, catalogue, philippines):
    submit(client, catalogue, philippines, 2022, "1000")
    assert not Figure.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-5", "1e20", "NaN", "", "12..3"])
def test_a_wrong_value_is_refused_and_nothing_saved(client, focal, catalogue, sri_lanka, value):
    response = submit(client, catalogue, sri_lanka, 2022, value)
    assert response.status_code == 302
    assert not Figure.objects.exists()


def test_a_wrong_year_or_breakdown_is_refused(client, focal, catalogue, sri_lanka):
    submit(client, catalogue, sri_lanka, 1800, "10")
    submit(client, catalogue, sri_lanka, 2022, "10", breakdown="sex:unknown")
    assert not Figure.objects.exists()
    submit(client, catalogue, sri_lanka, 2022, "10", breakdown="sex:female")
    assert Figure.objects.get().disaggregation == "sex:female"


def upload(client, name, content, country):
    return client.post(
        reverse("members:figure_upload", args=["colombo-process"]),
        {"country": country.pk, "file": SimpleUploadedFile(name, content)},
    )


def test_an_upload_with_one_bad_row_saves_nothing(client, focal, catalogue, sri_lanka):
    csv = (
        "indicator,year,breakdown,value,release\n"
        "labour-migrants-deployed,2021,,122000,members\n"
        "labour-migrants-deployed,2022,,lots,members\n"
        "not-an-indicator,2023,,5,public\n"
    )
    response = upload(client, "figures.csv", csv.encode(), sri_lanka)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Row 3" in page and "Row 4" in page and "Row 2" not in page
    assert not Figure.objects.exists()


def test_a_good_csv_and_a_good_xlsx_are_saved_whole(client, focal, catalogue, sri_lanka):
    csv = "indicator,year,breakdown,value,release\nlabour-migrants-deployed,2021,,122000,members\n"
    assert upload(client, "figures.csv", csv.encode(), sri_lanka).status_code == 302
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "year", "breakdown", "value", "release"])
    sheet.append(["labour-migrants-deployed", 2022, "sex:female", 150000, "public"])
    sheet.append(["labour-migrants-deployed", 2022, "", 311056, "members"])
    data = io.BytesIO()
    workbook.save(data)
    assert upload(client, "figures.xlsx", data.getvalue(), sri_lanka).status_code == 302
    assert Figure.objects.count() == 3
    assert Figure.objects.get(year=2022, disaggregation="sex:female").release == "public"


@pytest.mark.parametrize(
    "name,content",
    [
        ("figures.csv", b"%PDF-1.4 not a csv"),
        ("figures.pdf", b"%PDF-1.4"),
        ("figures.xlsx", b"indicator,year\n"),
        ("figures.csv", b"\xff\xfe\x00bad"),
    ],
)
def test_an_upload_of_the_wrong_format_is_refused(client, focal, catalogue, sri_lanka, name, content):
    response = upload(client, name, content, sri_lanka)
    assert response.status_code == 400
    assert not Figure.objects.exists()


def test_a_participant_without_the_national_role_cannot_submit(client, catalogue, colombo, sri_lanka):
    gfmd_focal = make_participant("gfmd@example.lk", colombo, sri_lanka, role="gfmd")
    login_verified(client, gfmd_focal)
    assert submit(client, catalogue, sri_lanka, 2022, "10").status_code == 403
    assert not Figure.objects.exists()


def test_the_catalogue_is_kept_by_the_process_own_secretariat(
    client, catalogue, colombo, bali_secretariat, colombo_secretariat, colombo_participant
):
    url = reverse("members:catalogue", args=["colombo-process"])
    client.force_login(bali_secretariat)
    assert client.post(url, {"indicators": []}).status_code == 404
    login_verified(client, colombo_participant)
    assert client.post(url, {"indicators": []}).status_code == 403
    assert colombo.indicators.count() == 1
    client.force_login(colombo_secretariat)
    assert client.get(url).status_code == 200
    all_ids = list(Indicator.objects.values_list("pk", flat=True))
    assert client.post(url, {"indicators": all_ids}).status_code == 302
    assert colombo.indicators.count() == 4


def test_the_data_page_takes_a_constant_number_of_queries(
    client, focal, catalogue, colombo, sri_lanka, philippines, django_assert_num_queries
):
    url = reverse("members:process_data", args=["colombo-process"])
    submit(client, catalogue, sri_lanka, 2020, "10")
    client.get(url)
    with django_assert_num_queries(QUERIES):
        client.get(url)
    for year in range(2000, 2020):
        Figure.objects.create(process=colombo, indicator=catalogue, country=philippines, year=year, value=year)
        Figure.objects.create(process=colombo, indicator=catalogue, country=sri_lanka, year=year, value=year)
    with django_assert_num_queries(QUERIES):
        client.get(url)


QUERIES = 12
