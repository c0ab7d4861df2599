"""The two rules each live in one place: every model obeys them by construction, not by convention."""

import pytest
from django.apps import apps

from core.models import PublicQuerySet, VisibleModel
from rcps.models import Process
from rcps.scoping import ScopedQuerySet

PORTAL_APPS = {"reference", "rcps", "meetings", "recommendations", "surveys", "exchange"}
MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in PORTAL_APPS and not model.__name__.startswith("Historical")
]


def ids(model):
    return model._meta.label


@pytest.mark.parametrize("model", [m for m in MODELS if any(f.name == "visibility" for f in m._meta.fields)], ids=ids)
def test_a_visibility_field_comes_with_the_public_queryset(model):
    assert issubclass(model, VisibleModel)
    assert isinstance(model._default_manager.all(), PublicQuerySet)


@pytest.mark.parametrize("model", [m for m in MODELS if getattr(m, "process_lookups", ())], ids=ids)
def test_every_process_lookup_reaches_a_process(model):
    assert isinstance(model._default_manager.all(), ScopedQuerySet)
    for lookup in model.process_lookups:
        target = model
        for part in lookup.split("__"):
            target = target if part == "pk" else target._meta.get_field(part).related_model
        assert target is Process, lookup


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_records_that_name_a_process_say_how_they_belong_to_it(model):
    """A model with a link to a process is scoped, unless it is back-office bookkeeping of the link itself."""
    links = [f for f in model._meta.get_fields() if f.is_relation and f.concrete and f.related_model is Process]
    bookkeeping = {
        "rcps.SecretariatAssignment",
        "exchange.DispatchAcknowledgement",
        "exchange.Subscription",
        "exchange.Notification",  # names the process that acknowledged, for the e-mail
    }
    if links and model._meta.label not in bookkeeping and model is not Process:
        assert getattr(model, "process_lookups", ()), model
