"""The permissions of each back-office role: which kinds of record it may view, add, change or delete.

Which *rows* of those kinds a user may touch is decided by `rcps.scoping`; the roles
themselves are checked by `core.roles`.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.roles import ADMINISTRATOR, SECRETARIAT, SUPPORT_UNIT

CRUD = ("view", "add", "change", "delete")
REFERENCE = [
    ("reference", model, ("view",)) for model in ("region", "country", "organization", "theme", "addresseegroup")
]
PROCESS_RECORDS = [("rcps", model, CRUD) for model in ("participation", "chairmanship", "focalpoint")]
RECOMMENDATIONS = [("recommendations", model, CRUD) for model in ("recommendation", "followup")]
MEETINGS = [("meetings", model, CRUD) for model in ("meeting", "document")]
EXCHANGE = [
    ("exchange", "dispatch", CRUD),
    ("exchange", "dispatchattachment", CRUD),
    ("exchange", "dispatchtransition", ("view",)),
    ("exchange", "dispatchacknowledgement", ("view",)),
]
# Good practices (issue 16): secretariats write their processes' practices; the Support Unit also opens calls.
PRACTICES = [("practices", "practice", CRUD), ("practices", "practicelink", CRUD)]
FRAMEWORKS = [("reference", model, ("view",)) for model in ("gcmobjective", "sdgtarget")]

# The members' area: secretariats invite focal points and revoke their seats (rows scoped to their processes).
MEMBERS = [
    ("rcps", "membership", ("view", "change", "delete")),
    ("members", "invitation", ("view", "add", "delete")),
    ("members", "mailinglist", CRUD),
    ("members", "optout", ("view",)),
    ("members", "bounce", ("view", "add")),
]

# Explicit permission lists per role: (app label, model, actions).
ROLE_PERMISSIONS = {
    SECRETARIAT: [
        *REFERENCE,
        ("rcps", "process", ("view", "change")),
        *PROCESS_RECORDS,
        *RECOMMENDATIONS,
        *MEETINGS,
        ("surveys", "survey", ("view",)),
        ("surveys", "surveyresponse", ("view", "change")),
        ("surveys", "answer", ("view",)),
        ("surveys", "responsematerial", ("view",)),
        *EXCHANGE,
        *PRACTICES,
        *FRAMEWORKS,
        ("practices", "callforpractices", ("view",)),
        *MEMBERS,
    ],
    SUPPORT_UNIT: [
        *REFERENCE,
        ("rcps", "process", ("view", "change")),
        *PROCESS_RECORDS,
        *RECOMMENDATIONS,
        *MEETINGS,
        ("surveys", "survey", CRUD),
        ("surveys", "surveyresponse", CRUD),
        ("surveys", "section", CRUD),
        ("surveys", "question", CRUD),
        ("surveys", "answer", ("view",)),
        ("surveys", "responsematerial", ("view",)),
        ("surveys", "remindersent", ("view",)),
        ("rcps", "secretariatassignment", ("view",)),
        *EXCHANGE,
        ("exchange", "subscription", ("view",)),
        *PRACTICES,
        *FRAMEWORKS,
        ("practices", "callforpractices", CRUD),
        *MEMBERS,
    ],
    # Administrators: every permission of these apps (users and roles included).
    ADMINISTRATOR: [
        "reference",
        "rcps",
        "meetings",
        "recommendations",
        "surveys",
        "exchange",
        "practices",
        "members",
        "auth",
        "axes",
        "admin",
    ],
}


def setup_roles():
    """Create the three groups and set exactly their permissions; running it again changes nothing.

    Returns {group name: number of permissions}.
    """
    result = {}
    for name, spec in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if spec and isinstance(spec[0], str):
            perms = Permission.objects.filter(content_type__app_label__in=spec)
        else:
            wanted = Q(pk__in=[])
            for app_label, model, actions in spec:
                wanted |= Q(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            perms = Permission.objects.filter(wanted)
        group.permissions.set(perms)
        result[name] = group.permissions.count()
    return result
