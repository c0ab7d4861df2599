"""Practices and calls for the good-practice tests: small, explicit, built through the workflow."""

import datetime

import pytest
from django.utils import timezone
from model_bakery import baker

from exchange import workflow as exchange_workflow
from practices import workflow
from practices.models import CallForPractices, Practice
from reference.models import GcmObjective, SdgTarget


@pytest.fixture
def objective_6(db):
    return GcmObjective.objects.create(
        number=6, title="Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"
    )


@pytest.fixture
def objective_10(db):
    return GcmObjective.objects.create(
        number=10,
        title="Prevent, combat and eradicate trafficking in persons in the context of international migration",
    )


@pytest.fixture
def target_10_7(db):
    return SdgTarget.objects.create(code="10.7", title="Facilitate orderly, safe, regular and responsible migration")


def make_practice(process, objectives=(), countries=(), **fields):
    """A complete draft practice of `process`, ready to be submitted."""
    values = {
        "title": "Pre-departure orientation for workers",
        "summary": "Workers learn their rights before leaving.",
        "what_was_done": "Two-day courses in eight districts.",
        "results": "12,000 workers trained.",
        "lessons_learned": "Courses held too close to departure were not attended.",
        "process": process,
        "is_global": not countries,
        **fields,
    }
    practice = Practice.objects.create(**values)
    practice.implementing_processes.add(process)
    practice.gcm_objectives.set(objectives)
    practice.countries.set(countries)
    return practice


def publish(practice, submitter, support_unit):
    """Submit a practice and have the Support Unit publish its dispatch; the practice as it then is."""
    workflow.practice_submit(practice=practice, user=submitter)
    practice.refresh_from_db()
    exchange_workflow.dispatch_publish(dispatch=practice.dispatch, user=support_unit)
    return Practice.objects.select_related("dispatch").get(pk=practice.pk)


@pytest.fixture
def open_call(support_unit, colombo, bali, objective_6, theme):
    call = CallForPractices.objects.create(
        title="Labour migration: fair recruitment",
        description="Practices on fair recruitment.",
        criteria="Implemented for at least a year; results measured.",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    call.addressed_processes.set([colombo, bali])
    call.gcm_objectives.set([objective_6])
    call.themes.set([theme])
    return workflow.call_open(call=call, user=support_unit)


@pytest.fixture
def unopened_call(db):
    return baker.make(
        CallForPractices,
        title="Secret call being prepared",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
