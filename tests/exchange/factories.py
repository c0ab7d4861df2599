"""make_dispatch: a dispatch saved as is, for the exchange tests (people and processes are in tests/conftest.py)."""

from django.utils import timezone
from model_bakery import baker

from exchange.models import Dispatch
from rcps.models import Process


def make_dispatch(state=Dispatch.State.PUBLISHED, **fields):
    """A dispatch saved as is (no workflow): RCP → GFMD unless told otherwise."""
    fields.setdefault("direction", Dispatch.Direction.TO_GFMD)
    fields.setdefault("kind", Dispatch.Kind.STATEMENT)
    fields.setdefault("body", "Some **text**.")
    if fields["direction"] == Dispatch.Direction.TO_GFMD and "sender_process" not in fields:
        fields["sender_process"] = baker.make(Process, kind="rcp")
    if state == Dispatch.State.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    addressed = fields.pop("addressed_processes", ())
    themes = fields.pop("themes", ())
    dispatch = baker.prepare(Dispatch, state=state, **fields)
    dispatch.full_clean()
    dispatch.save()
    dispatch.addressed_processes.set(addressed)
    dispatch.themes.set(themes)
    return dispatch
