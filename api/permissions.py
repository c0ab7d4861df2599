"""Who may write through the API: the one scoping helper of the portal decides (rcps.scoping)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from rcps.scoping import managed_process_ids


def unmanaged_processes(user, processes):
    """The processes among `processes` that `user` does not manage (empty when all are theirs)."""
    ids = managed_process_ids(user)
    if ids is None:
        return []
    return [process for process in processes if process.pk not in ids]


def manages_any_process(user):
    ids = managed_process_ids(user)
    return ids is None or bool(ids)


class ReadOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS


class IsSecretariat(permissions.BasePermission):
    """Writes need a token of a user who serves at least one process (or an administrator)."""

    message = _("Your account does not serve any process, so it cannot submit records.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and manages_any_process(request.user))
