"""The synthetic data generator: marked, mixed visibility, and never mixed with real data by accident."""

import pytest
from django.core.management import CommandError, call_command
from model_bakery import baker

from bench.synthetic import SYNTHETIC_SOURCE, sizes_for
from meetings.models import Meeting
from rcps.models import FocalPoint, Process

pytestmark = pytest.mark.django_db
TINY = "0.005"  # 1 process, 100 meetings, 250 documents…


def test_scale_one_has_the_sizes_the_benchmark_targets_assume():
    assert sizes_for(1) == {
        "processes": 200,
        "meetings": 20_000,
        "documents": 50_000,
        "recommendations": 50_000,
        "follow_ups": 100_000,
        "dispatches": 100_000,
        "focal_points": 10_000,
    }


def test_generator_writes_marked_records_of_every_kind(capsys):
    call_command("generate_synthetic", "--scale", TINY)
    assert Process.objects.count() == 1
    assert Process.objects.get().slug.startswith("synthetic-")
    assert Meeting.objects.count() == 100
    assert set(Meeting.objects.values_list("source", flat=True)) == {SYNTHETIC_SOURCE}
    assert "Synthetic data written" in capsys.readouterr().out


def test_generator_mixes_public_and_non_public_records():
    call_command("generate_synthetic", "--scale", "0.02")
    assert set(Meeting.objects.values_list("visibility", flat=True)) == {"public", "participants", "confidential"}
    assert FocalPoint.objects.filter(consent_to_publish=False).exists()


def test_generator_refuses_a_database_with_real_processes():
    baker.make(Process, slug="colombo-process", kind="rcp")
    with pytest.raises(CommandError, match="real processes"):
        call_command("generate_synthetic", "--scale", TINY)
    assert Process.objects.count() == 1


def test_generator_adds_to_real_data_only_when_told():
    baker.make(Process, slug="colombo-process", kind="rcp")
    call_command("generate_synthetic", "--scale", TINY, "--alongside-real-data", verbosity=0)
    assert Process.objects.count() == 2


def test_dry_run_writes_nothing(capsys):
    call_command("generate_synthetic", "--scale", "1", "--dry-run")
    assert "meetings: 20,000" in capsys.readouterr().out
    assert not Meeting.objects.exists()


def test_exchange_shows_the_scale_number_of_dispatches_with_more_in_the_works():
    from exchange.models import Dispatch

    call_command("generate_synthetic", "--scale", "0.02", verbosity=0)
    assert Dispatch.objects.public().count() == sizes_for(0.02)["dispatches"]
    assert Dispatch.objects.exclude(state=Dispatch.State.PUBLISHED).count() == sizes_for(0.02)["dispatches"] // 10
