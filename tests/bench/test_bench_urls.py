from django.test import Client, override_settings
from django.urls import reverse


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_benchmark_urlconf_serves_the_bare_view_and_the_portal(db):
    client = Client()
    assert client.get("/__bench__/bare/").status_code == 200
    assert client.get(reverse("rcps:process_list")).status_code == 200
    assert client.get("/fr" + reverse("rcps:process_list")).status_code == 200
