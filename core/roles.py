"""The back-office roles, each checked in one function with one meaning.

Roles are Django groups (their permissions are set by `backoffice.roles.setup_roles`):

- an RCP secretariat works on the records of the processes it serves;
- the GFMD Support Unit moderates the exchange, reads everything, edits the GFMD's records;
- an administrator (a superuser, or the Administrator group) may do everything.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value

SECRETARIAT = "RCP secretariat"
SUPPORT_UNIT = "GFMD Support Unit"
ADMINISTRATOR = "Administrator"


def _group_names(user):
    if not hasattr(user, "_portal_groups"):
        if user.is_authenticated:
            load_groups_and_permissions(user)
        else:
            user._portal_groups = set()
    return user._portal_groups


def load_groups_and_permissions(user):
    """Ask once for the user's group names and their permissions (their own and their groups').

    Both are wanted on every back-office request; they are kept on the user object as the
    roles' `_portal_groups` and as Django's `_perm_cache` (see `core.backends`).
    """
    groups = (
        Group.objects.filter(user=user)
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
        .order_by()
    )
    own = (
        Permission.objects.filter(user=user)
        .values_list(Value(None, output_field=CharField()), "content_type__app_label", "codename")
        .order_by()
    )
    user._portal_groups, user._perm_cache = set(), set()
    for group_name, app_label, codename in groups.union(own, all=True):
        if group_name is not None:
            user._portal_groups.add(group_name)
        if codename is not None:
            user._perm_cache.add(f"{app_label}.{codename}")


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
