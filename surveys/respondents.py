"""Who may answer a survey for a process: decided here, once, for pages, admin, workflow and e-mails.

A process's secretariat users may always answer for it (they keep its records). Member States'
focal points — participants of the members' area (rcps.Membership) — answer for their processes
when the survey's "who answers" includes them (rcps.scoping.participant_process_ids, empty for a
participant who still owes the second factor: scoping.withhold_participation). "Who answers"
also decides who is told: the secretariat, the focal points, or both.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from exchange.notifications import secretariat_users
from rcps import scoping
from rcps.models import Membership

SECRETARIAT_ASKED = ("secretariat", "both")
FOCAL_POINTS_ASKED = ("focal_points", "both")


def answerable_condition(user):
    """A Q over survey responses: those `user` may answer (None: every response)."""
    served = scoping.served_process_ids(user)
    if served is None:
        return None
    condition = Q(process__in=served)
    participant = scoping.participant_process_ids(user)
    if participant:
        condition |= Q(process__in=participant, survey__respondents__in=FOCAL_POINTS_ASKED)
    return condition


def may_answer(user, response):
    """Whether `user` may read and write `response`'s answers as a respondent."""
    served = scoping.served_process_ids(user)
    if served is None or response.process_id in served:
        return True
    return (
        response.process_id in scoping.participant_process_ids(user)
        and response.survey.respondents in FOCAL_POINTS_ASKED
    )


def respondent_users(survey, process_ids):
    """The people told that a survey awaits the answer of any of `process_ids` (active, with an e-mail)."""
    asked = Q(pk__in=[])
    if survey.respondents in SECRETARIAT_ASKED:
        asked |= Q(pk__in=secretariat_users(process_ids).values("pk"))
    if survey.respondents in FOCAL_POINTS_ASKED:
        members = Membership.objects.active().filter(process__in=process_ids, user__is_staff=False)
        asked |= Q(pk__in=members.values("user_id"))
    return get_user_model().objects.filter(asked, is_active=True).exclude(email="")
