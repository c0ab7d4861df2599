"""The permission matrix of the back office: every portal admin model × view/add/change/delete × role.

The record under test always belongs to the Colombo Process. "Secretariat of another process"
is the Bali Process's secretariat, who must not even learn that the record exists (404).
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from model_bakery import baker

from exchange.models import Dispatch, Subscription
from meetings.models import Document, Meeting
from rcps.models import Chairmanship, FocalPoint, Participation, Process, SecretariatAssignment
from recommendations.models import FollowUp, Recommendation
from reference.models import AddresseeGroup, Country, Organization, Region, Theme
from surveys.models import Survey, SurveyResponse

pytestmark = pytest.mark.django_db

REFERENCE = [Region, Country, Organization, Theme, AddresseeGroup]
OWNED = [
    Process,
    Participation,
    Chairmanship,
    FocalPoint,
    Recommendation,
    FollowUp,
    Survey,  # belongs to the processes it is addressed to
    SurveyResponse,
    Meeting,
    Document,
    Dispatch,
]
MODELS = [*REFERENCE, *OWNED, SecretariatAssignment, Subscription, User, Group]
PORTAL_APPS = {"reference", "rcps", "meetings", "recommendations", "surveys", "exchange"}
ACTIONS = ["view", "add", "change", "delete"]
ROLES = ["anonymous", "own_secretariat", "other_secretariat", "support_unit", "administrator"]

# What each role's group grants, written out here independently of backoffice.roles.
ALL = set(ACTIONS)
SECRETARIAT_PERMS = {
    **{m: {"view"} for m in (*REFERENCE, Survey)},
    Process: {"view", "change"},
    SurveyResponse: {"view", "change"},
    **{m: ALL for m in (Participation, Chairmanship, FocalPoint, Recommendation, FollowUp, Meeting, Document)},
    Dispatch: ALL,
}
SUPPORT_UNIT_PERMS = {
    **{m: {"view"} for m in REFERENCE},
    Process: {"view", "change"},
    SecretariatAssignment: {"view"},
    **{m: ALL for m in (Survey, SurveyResponse, Participation, Chairmanship, FocalPoint, Recommendation, FollowUp)},
    Meeting: ALL,
    Document: ALL,
    Dispatch: ALL,
    Subscription: {"view"},
}
# The Support Unit publishes recommendations, runs surveys and moderates every dispatch.
SUPPORT_UNIT_EDITS_ANY_PROCESS = {Recommendation, Survey, SurveyResponse, Dispatch}


def expected(model, action, role):
    """'login', 403, 404, 'listed', 'unlisted' (view), 'edit' / 'read' (change page), 200 (add/delete)."""
    if role == "anonymous":
        return "login"
    if role == "administrator":
        return {"view": "listed", "change": "edit"}.get(action, 200)
    perms = (SECRETARIAT_PERMS if role.endswith("secretariat") else SUPPORT_UNIT_PERMS).get(model, set())
    # Django shows a change page read-only to those who may only view.
    granted = action in perms or (action in ("view", "change") and perms & {"view", "change"})
    if not granted:
        return 403
    hidden = role == "other_secretariat" and model in OWNED
    if action == "view":
        return "unlisted" if hidden else "listed"
    if action == "add":
        return 200
    if hidden:
        return 404
    may_edit_row = role != "support_unit" or model not in OWNED or model in SUPPORT_UNIT_EDITS_ANY_PROCESS
    if action == "change":
        return "edit" if "change" in perms and may_edit_row else "read"
    return 200 if may_edit_row else 403


def make_record(model, colombo, country):
    """One record of `model` that belongs to the Colombo Process (reference data belongs to all)."""
    if model is Country:
        return country
    if model is Process:
        return colombo
    if model in (Participation, Chairmanship, FocalPoint, SurveyResponse):
        extra = {"country": country, "organization": None} if model is Participation else {}
        if model is Chairmanship:
            extra = {"country": country, "start_year": 2005}
        return baker.make(model, process=colombo, **extra)
    if model is Survey:
        return baker.make(Survey, title="Survey of RCPs", addressed_processes=[colombo])
    if model is Recommendation:
        return baker.make(
            Recommendation, title="Protect migrant workers", issuing_process=colombo, visibility="confidential"
        )
    if model is FollowUp:
        return baker.make(FollowUp, process=colombo, status="implemented", date=datetime.date(2010, 1, 1))
    if model is Meeting:
        meeting = baker.make(
            Meeting, title="Colombo SOM", start_date=datetime.date(2011, 4, 1), visibility="confidential"
        )
        meeting.organizing_processes.set([colombo])
        return meeting
    if model is Document:
        return baker.make(Document, title="Colombo declaration", reference="CP/2011/1", process=colombo)
    if model is Dispatch:
        # A draft the Colombo secretariat is still writing: its own to change, the Support Unit's to moderate.
        return baker.make(Dispatch, direction="to_gfmd", kind="statement", title="Draft", sender_process=colombo)
    if model is Subscription:
        return baker.make(Subscription, email="reader@example.org")
    if model is SecretariatAssignment:
        return SecretariatAssignment.objects.create(user=User.objects.create_user("someone"), process=colombo)
    if model is User:
        return User.objects.create_user("another-user")
    if model is Group:
        return Group.objects.get(name="RCP secretariat")
    return baker.make(model)


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def people(colombo_secretariat, bali_secretariat, support_unit, administrator):
    return {
        "anonymous": None,
        "own_secretariat": colombo_secretariat,
        "other_secretariat": bali_secretariat,
        "support_unit": support_unit,
        "administrator": administrator,
    }


def outcome(client, model, action, record):
    if action == "view":
        response = client.get(url(model, "changelist"))
        if response.status_code == 302 and "/login/" in response["Location"]:
            return "login"
        if response.status_code != 200:
            return response.status_code
        return "listed" if record.pk in {obj.pk for obj in response.context["cl"].queryset} else "unlisted"
    if action == "add":
        response = client.get(url(model, "add"))
    else:
        response = client.get(url(model, action, record.pk))
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    if action == "change" and response.status_code == 200:
        return "edit" if response.context["has_change_permission"] else "read"
    return response.status_code


CASES = [
    pytest.param(model, action, role, id=f"{model._meta.label}-{action}-{role}")
    for model in MODELS
    for action in ACTIONS
    for role in ROLES
]


@pytest.mark.parametrize(("model", "action", "role"), CASES)
def test_permission_matrix(client, people, colombo, sri_lanka, model, action, role):
    record = make_record(model, colombo, sri_lanka)
    if people[role] is not None:
        client.force_login(people[role])
    assert outcome(client, model, action, record) == expected(model, action, role)


def test_the_matrix_covers_every_portal_admin_model():
    from django.contrib import admin

    from rcps.models import Membership

    # Participants' seats have their own ladder (no add page: seats come from invitations): tests/members/test_admin.py.
    registered = {m for m in admin.site._registry if m._meta.app_label in PORTAL_APPS} - {Membership}
    assert registered == {m for m in MODELS if m._meta.app_label in PORTAL_APPS}


# The workspace: start page, preferences, workflow steps and publishing, per role (issue 14) -----------

WORKSPACE_PAGES = ["admin:index", "admin:notification_preferences"]


@pytest.mark.parametrize("page", WORKSPACE_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_workspace_pages_by_role(client, people, page, role):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(reverse(page))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 200


def workflow_record(step, colombo):
    """A record of the Colombo Process in the state where `step` applies, and how to tell it was taken."""
    from exchange.models import DispatchAcknowledgement

    if step == "publish_meeting":
        meeting = baker.make(Meeting, title="Draft SOM", start_date=datetime.date(2026, 1, 1), publication="draft")
        meeting.organizing_processes.set([colombo])
        return (
            meeting,
            reverse("admin:meetings_meeting_publish", args=[meeting.pk]),
            lambda: not Meeting.objects.get(pk=meeting.pk).is_draft,
        )
    state = {"submit": "draft", "publish": "submitted", "return": "submitted"}.get(step, "published")
    if step == "acknowledge":
        dispatch = baker.make(
            Dispatch, direction="from_gfmd", kind="announcement", title="Call", state="published",
            published_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )  # fmt: skip
        dispatch.addressed_processes.set([colombo])
        taken = lambda: DispatchAcknowledgement.objects.filter(dispatch=dispatch).exists()  # noqa: E731
    else:
        dispatch = baker.make(
            Dispatch, direction="to_gfmd", kind="statement", title="Ours", sender_process=colombo, state=state
        )
        target = {"submit": "submitted", "publish": "published", "return": "returned"}[step]
        taken = lambda: Dispatch.objects.get(pk=dispatch.pk).state == target  # noqa: E731
    return dispatch, reverse("admin:exchange_dispatch_step", args=[dispatch.pk, step]), taken


# Who may take each step: "done"; refused with a message and nothing changed: "refused"; 404: the
# record does not exist for them; 403: seen but not theirs to publish.
OWN, OTHER, SU, ADMIN = "own_secretariat", "other_secretariat", "support_unit", "administrator"
WORKFLOW_EXPECTED = {
    "submit": {OWN: "done", OTHER: 404, SU: "refused", ADMIN: "done"},
    "publish": {OWN: "refused", OTHER: 404, SU: "done", ADMIN: "done"},
    "return": {OWN: "refused", OTHER: 404, SU: "done", ADMIN: "done"},
    "acknowledge": {OWN: "done", OTHER: 404, SU: "refused", ADMIN: "done"},
    "publish_meeting": {OWN: "done", OTHER: 404, SU: 403, ADMIN: "done"},
}


@pytest.mark.parametrize("step", list(WORKFLOW_EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_workflow_steps_by_role(client, people, colombo, step, role):
    record, step_url, taken = workflow_record(step, colombo)
    if people[role] is not None:
        client.force_login(people[role])
    response = client.post(step_url, {"reason": "Because.", "process": colombo.pk})
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"] and not taken()
        return
    expected = WORKFLOW_EXPECTED[step][role]
    if isinstance(expected, int):
        assert response.status_code == expected and not taken()
    else:
        assert response.status_code == 302 and taken() == (expected == "done")


# Leaks beyond the four pages ------------------------------------------------------------


def autocomplete(client, app, model, field, term=""):
    response = client.get(
        reverse("admin:autocomplete"), {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    return response.status_code, [item["text"] for item in response.json().get("results", [])]


def test_autocomplete_offers_only_own_processes_for_the_owning_field(client, colombo_secretariat, bali, colombo):
    client.force_login(colombo_secretariat)
    status, names = autocomplete(client, "recommendations", "followup", "process")
    assert (status, names) == (200, ["Colombo Process (CP)"])


def test_autocomplete_never_lists_another_process_confidential_meeting(client, colombo_secretariat, bali, colombo):
    secret = baker.make(
        Meeting, title="Bali secret meeting", start_date=datetime.date(2012, 1, 1), visibility="confidential"
    )
    secret.organizing_processes.set([bali])
    public = baker.make(Meeting, title="Bali public meeting", start_date=datetime.date(2012, 2, 1), visibility="public")
    public.organizing_processes.set([bali])
    client.force_login(colombo_secretariat)
    _status, names = autocomplete(client, "meetings", "document", "meeting", "Bali")
    assert [n for n in names if "secret" in n] == [] and any("public" in n for n in names)


def test_change_form_offers_only_own_processes(client, colombo_secretariat, bali, colombo):
    client.force_login(colombo_secretariat)
    response = client.get(url(FollowUp, "add"))
    assert list(response.context["adminform"].form.fields["process"].queryset) == [colombo]


def test_secretariat_cannot_create_a_record_for_another_process(client, colombo_secretariat, bali, sri_lanka):
    client.force_login(colombo_secretariat)
    response = client.post(url(Chairmanship, "add"), {"process": bali.pk, "country": sri_lanka.pk, "start_year": 2010})
    assert response.status_code == 200 and not Chairmanship.objects.exists()
    assert "process" in response.context["adminform"].form.errors


def test_secretariat_cannot_move_a_record_to_another_process(client, colombo_secretariat, colombo, bali, sri_lanka):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    client.force_login(colombo_secretariat)
    client.post(
        url(Chairmanship, "change", chair.pk), {"process": bali.pk, "country": sri_lanka.pk, "start_year": 2005}
    )
    chair.refresh_from_db()
    assert chair.process == colombo


def test_other_secretariat_post_to_a_record_url_is_404_and_changes_nothing(
    client, bali_secretariat, colombo, sri_lanka
):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    client.force_login(bali_secretariat)
    response = client.post(url(Chairmanship, "change", chair.pk), {"country": sri_lanka.pk, "start_year": 1999})
    chair.refresh_from_db()
    assert (response.status_code, chair.start_year) == (404, 2005)


def test_bulk_delete_ignores_another_process_records(client, bali_secretariat, colombo, sri_lanka):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    client.force_login(bali_secretariat)
    client.post(
        url(Chairmanship, "changelist"), {"action": "delete_selected", "_selected_action": [chair.pk], "post": "yes"}
    )
    assert Chairmanship.objects.filter(pk=chair.pk).exists()


def test_support_unit_bulk_delete_of_a_process_record_is_refused(client, support_unit, colombo, sri_lanka):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    client.force_login(support_unit)
    response = client.post(
        url(Chairmanship, "changelist"), {"action": "delete_selected", "_selected_action": [chair.pk], "post": "yes"}
    )
    assert response.status_code == 403 and Chairmanship.objects.filter(pk=chair.pk).exists()


def test_history_of_another_process_record_is_404(client, bali_secretariat, colombo, sri_lanka):
    chair = baker.make(Chairmanship, process=colombo, country=sri_lanka, start_year=2005)
    client.force_login(bali_secretariat)
    version = chair.history.earliest()
    assert client.get(url(Chairmanship, "history", chair.pk)).status_code == 404
    assert client.get(url(Chairmanship, "simple_history", chair.pk, version.history_id)).status_code == 404


def test_export_contains_only_own_records(client, colombo_secretariat, colombo, bali):
    own = baker.make(Meeting, title="Colombo SOM", start_date=datetime.date(2011, 4, 1))
    own.organizing_processes.set([colombo])
    other = baker.make(Meeting, title="Bali SOM", start_date=datetime.date(2011, 5, 1), visibility="confidential")
    other.organizing_processes.set([bali])
    client.force_login(colombo_secretariat)
    response = client.post(url(Meeting, "export"), {"format": "0", "resource": "0", "meetingresource_title": "on"})
    body = response.content.decode()
    assert response.status_code == 200 and "Colombo SOM" in body and "Bali SOM" not in body


def test_secretariat_cannot_import_processes(client, colombo_secretariat):
    client.force_login(colombo_secretariat)
    assert client.get(url(Process, "import")).status_code == 403


def test_joint_meeting_is_editable_by_each_organizer(client, colombo_secretariat, bali_secretariat, colombo, bali):
    joint = baker.make(Meeting, title="Bali–Colombo joint meeting", start_date=datetime.date(2009, 1, 1))
    joint.organizing_processes.set([colombo, bali])
    for user in (colombo_secretariat, bali_secretariat):
        client.force_login(user)
        assert client.get(url(Meeting, "change", joint.pk)).context["has_change_permission"]


def test_secretariat_cannot_file_a_document_that_belongs_to_none_of_its_processes(client, colombo_secretariat):
    # Only an administrator records a reference work attached to no meeting or process.
    client.force_login(colombo_secretariat)
    response = client.post(
        url(Document, "add"), {"title": "Stray paper", "kind": "study", "language": "en", "reference": "IOM, 2015"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Document.objects.filter(title="Stray paper").exists()
