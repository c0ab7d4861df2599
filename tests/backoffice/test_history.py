"""Change history: who changed what, revert to a version, restore a deleted record."""

import datetime

import pytest
from django.urls import reverse
from model_bakery import baker

from meetings.models import Meeting
from rcps.models import Chairmanship

pytestmark = pytest.mark.django_db


def test_change_in_admin_is_recorded_with_its_author(client, colombo_secretariat, colombo, sri_lanka):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    client.force_login(colombo_secretariat)
    url = reverse("admin:rcps_chairmanship_change", args=[chair.pk])
    data = {"process": colombo.pk, "country": sri_lanka.pk, "start_year": 2006, "confidence": "high", "sources": "[]"}
    assert client.post(url, data).status_code == 302
    latest = chair.history.latest()
    assert (latest.start_year, latest.history_user) == (2006, colombo_secretariat)


def test_revert_to_an_earlier_version(client, colombo_secretariat, colombo, sri_lanka):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    first = chair.history.earliest()
    chair.start_year = 2007
    chair.save()
    client.force_login(colombo_secretariat)
    url = reverse("admin:rcps_chairmanship_simple_history", args=[chair.pk, first.history_id])
    data = {"process": colombo.pk, "country": sri_lanka.pk, "start_year": 2005, "confidence": "high", "sources": "[]"}
    assert client.post(url, data).status_code == 302
    chair.refresh_from_db()
    assert chair.start_year == 2005 and chair.history.count() == 3


def test_deleted_meeting_is_restored_with_its_organizers(client, colombo_secretariat, colombo):
    meeting = baker.make(Meeting, title="Colombo SOM", start_date=datetime.date(2011, 4, 1))
    meeting.organizing_processes.set([colombo])
    pk = meeting.pk
    meeting.delete()
    client.force_login(colombo_secretariat)
    url = reverse("admin:meetings_meeting_deleted")
    page = client.get(url)
    assert "Colombo SOM" in page.content.decode()
    record = page.context["records"][0]
    assert client.post(url, {"history_id": record.history_id}).status_code == 302
    restored = Meeting.objects.get(pk=pk)
    assert list(restored.organizing_processes.all()) == [colombo]
    assert restored.history.filter(history_type="+").count() == 2  # created, then restored


def test_another_process_cannot_see_or_restore_a_deleted_record(client, bali_secretariat, colombo):
    meeting = baker.make(Meeting, title="Colombo SOM", start_date=datetime.date(2011, 4, 1))
    meeting.organizing_processes.set([colombo])
    meeting.delete()
    record = Meeting.history.filter(history_type="-").get()
    client.force_login(bali_secretariat)
    url = reverse("admin:meetings_meeting_deleted")
    assert "Colombo SOM" not in client.get(url).content.decode()
    assert client.post(url, {"history_id": record.history_id}).status_code == 404
    assert not Meeting.objects.exists()


def test_a_loaded_meeting_without_earlier_versions_is_restored_with_its_organizers(
    client, colombo_secretariat, colombo, tmp_path
):
    """Meetings from fixtures or a backup have no earlier version: the deletion itself keeps the organizers."""
    from django.core.management import call_command

    meeting = baker.make(Meeting, title="Colombo SOM", start_date=datetime.date(2011, 4, 1))
    meeting.organizing_processes.set([colombo])
    fixture = tmp_path / "meeting.json"
    call_command("dumpdata", "meetings.Meeting", output=str(fixture))  # organizers inline, as fixtures have them
    Meeting.objects.all().delete()
    Meeting.history.all().delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert not Meeting.history.exists()  # loading writes no history, links included
    Meeting.objects.get().delete()
    client.force_login(colombo_secretariat)
    url = reverse("admin:meetings_meeting_deleted")
    record = client.get(url).context["records"][0]
    assert client.post(url, {"history_id": record.history_id}).status_code == 302
    assert list(Meeting.objects.get().organizing_processes.all()) == [colombo]
