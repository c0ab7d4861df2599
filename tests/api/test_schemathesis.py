"""Schemathesis drives the API from its own OpenAPI schema: no server error, no undocumented answer.

The requests go in-process through Django's WSGI handler (no server, no network), a bounded
number per operation, with a secretariat's token so the write operations are exercised too.
`make api-fuzz` runs the same against a live development server.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from model_bakery import baker
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode, checks

MAX_EXAMPLES = 15
# Every other check runs. This one expects every schema-valid value to be accepted, but a
# filter naming an unknown process slug or country code is a string like any other and is
# refused with a documented 400, exactly as the directory page refuses it.
EXCLUDED_CHECKS = [checks.positive_data_acceptance]


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the requests must not close the test's database connection.

    A request's start and end close a connection whose autocommit differs from the settings',
    as the test's transaction's does (PostgreSQL; SQLite's in-memory connection survives).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_test_connection, process, country, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis's WSGI requests come from "localhost"
    theme = baker.make("reference.Theme", name="Labour migration", slug="labour-migration")
    meeting = baker.make(
        "meetings.Meeting", title="Ministerial", start_date=datetime.date(2011, 4, 20), country=country
    )
    meeting.organizing_processes.add(process)
    meeting.themes.add(theme)
    baker.make("meetings.Document", title="Declaration", process=process, meeting=meeting, url="https://e.org/d")
    baker.make("meetings.Document", title="Cited only", process=process, reference="UN/POP/MIG/2007/08")
    baker.make("recommendations.Recommendation", title="Protect workers", issuing_process=process, year=2011)
    baker.make("rcps.Process", name="No secretariat, no acronym", slug="bare", kind="rcp")
    baker.make("rcps.FocalPoint", process=process, country=country, institution="Ministry of Labour")
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())


@pytest.fixture
def token(api_schema, process, django_user_model):
    user = django_user_model.objects.create_user("fuzzer", password="a-long-test-password-123")
    baker.make("rcps.SecretariatAssignment", user=user, process=process)
    return Token.objects.create(user=user).key


@pytest.fixture(autouse=True)
def no_throttling(monkeypatch):
    # Hundreds of requests in a few seconds: throttling (documented as 429) would hide the rest.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"})


def fuzz(operation, mode, token):
    """Run MAX_EXAMPLES generated requests against one operation; the first failing check raises."""

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        # The same examples on every run, so CI is repeatable; `make api-fuzz` explores at random.
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=EXCLUDED_CHECKS)

    run()


@pytest.mark.django_db
def test_api_answers_generated_requests_without_server_errors_or_undocumented_statuses(api_schema, token):
    # schemathesis's pytest integration needs pytest internals that pytest 9 dropped: the
    # operations are driven by hand here, valid and invalid data alike.
    failures, runs, unsatisfiable = [], 0, 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            runs += 1
            try:
                fuzz(operation, mode, token)
            except Unsatisfiable:
                # No invalid value fits where the path allows any slug: nothing to test there.
                unsatisfiable += 1
            except (Exception, BaseExceptionGroup) as error:  # every failing operation is reported, not the first
                failures.append(f"{operation.label} ({mode.value}): {error}")

    assert runs - unsatisfiable >= 20
    assert not failures, f"{len(failures)} of {runs} runs failed:\n\n" + "\n\n".join(failures)
