"""Who may answer a survey for a process: decided here, once, for pages, admin, workflow and e-mails.

Today the people who answer for a process are its secretariat users (rcps.scoping's
`served_process_ids`), whatever the survey's "who answers" says: member States' focal points
get accounts in the members' area (issue 17); when they do, `answerable_process_ids` and
`respondent_users` are the two functions that learn of them (the survey's `respondents`
field then chooses between the two kinds of people).
"""

from exchange.notifications import secretariat_users
from rcps import scoping


def answerable_process_ids(user):
    """The processes `user` may answer surveys for; None means every process (an administrator)."""
    return scoping.served_process_ids(user)


def may_answer(user, response):
    """Whether `user` may read and write `response`'s answers as a respondent."""
    ids = answerable_process_ids(user)
    return ids is None or response.process_id in ids


def respondent_users(survey, process_ids):
    """The people told that a survey awaits the answer of any of `process_ids` (active, with an e-mail)."""
    return secretariat_users(process_ids)
