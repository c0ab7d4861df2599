"""The OpenAPI schema validates and its documentation page works offline under the CSP."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/processes/", "/api/v1/meetings/", "/api/v1/countries/{code}/"} <= set(schema["paths"])


def test_schema_documents_the_error_answers_of_every_operation(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "404", "429"} <= set(operation["responses"]) or method == "post", (path, method)
            if method in ("post", "patch"):
                assert {"400", "401", "403"} <= set(operation["responses"]), (path, method)


def test_documentation_page_loads_only_local_scripts_and_styles(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script"
    assert not re.search(r"(src|href)=\"https?://", html), "no CDN"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_documentation_page_script_is_served_from_the_site(client):
    response = client.get("/api/v1/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


def test_api_root_lists_every_endpoint_with_its_address(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert links["processes"] == "http://testserver/api/v1/processes/"
    assert links["documentation"] == "http://testserver/api/v1/docs/"
    answers = {
        name: client.get(address.removeprefix("http://testserver")).status_code for name, address in links.items()
    }
    # Dispatches are only submitted, with a token; everything else is public reading.
    assert answers == {name: 401 if name == "dispatches" else 200 for name in links}
