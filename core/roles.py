"""The back-office roles, each checked in one function with one meaning.

Roles are Django groups (their permissions are set by `backoffice.roles.setup_roles`):

- an RCP secretariat works on the records of the processes it serves;
- the GFMD Support Unit moderates the exchange, reads everything, edits the GFMD's records;
- an administrator (a superuser, or the Administrator group) may do everything.
"""

SECRETARIAT = "RCP secretariat"
SUPPORT_UNIT = "GFMD Support Unit"
ADMINISTRATOR = "Administrator"


def _group_names(user):
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._portal_groups


def is_administrator(user):
    """A superuser or a member of the Administrator group."""
    return user.is_active and (user.is_superuser or ADMINISTRATOR in _group_names(user))


def is_support_unit(user):
    """A member of the GFMD Support Unit group (administrators are not, unless they are also in it)."""
    return user.is_active and SUPPORT_UNIT in _group_names(user)


def is_moderator(user):
    """May moderate the exchange and publish for the GFMD: the Support Unit and administrators."""
    return is_administrator(user) or is_support_unit(user)


def reads_everything(user):
    """Sees every record in the back office, whichever process it belongs to."""
    return is_moderator(user)
