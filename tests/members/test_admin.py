"""The back office's pages for the members' area: seats and invitations, each secretariat its own processes only."""

import pytest
from django.urls import reverse

from members.models import Invitation
from rcps.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(colombo_participant):
    return Membership.objects.get(user=colombo_participant)


@pytest.fixture
def invitation(colombo, sri_lanka, colombo_secretariat):
    return Invitation.issue(
        invited_by=colombo_secretariat, email="x@example.lk", process=colombo, country=sri_lanka, ministry="Labour"
    )[0]


@pytest.mark.parametrize("model", ["rcps_membership", "members_invitation"])
def test_the_ladder(client, model, seat, invitation, colombo_secretariat, bali_secretariat, colombo_participant):
    record = seat if model == "rcps_membership" else invitation
    changelist = reverse(f"admin:{model}_changelist")
    change = reverse(f"admin:{model}_change", args=[record.pk])
    assert "/login/" in client.get(changelist)["Location"]
    client.force_login(colombo_participant)  # participants are never staff
    assert "/login/" in client.get(changelist)["Location"]
    client.force_login(bali_secretariat)
    assert record.pk not in {obj.pk for obj in client.get(changelist).context["cl"].queryset}
    assert client.get(change).status_code == 404
    assert client.post(reverse(f"admin:{model}_delete", args=[record.pk]), {"post": "yes"}).status_code == 404
    assert type(record).objects.filter(pk=record.pk).exists()
    client.force_login(colombo_secretariat)
    assert record.pk in {obj.pk for obj in client.get(changelist).context["cl"].queryset}
    assert client.get(change).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_a_secretariat_revokes_a_seat(client, seat, colombo_secretariat, colombo_participant):
    client.force_login(colombo_secretariat)
    response = client.post(reverse("admin:rcps_membership_delete", args=[seat.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.exists()
    client.force_login(colombo_participant)
    assert client.get(reverse("members:process", args=["colombo-process"])).status_code == 404
