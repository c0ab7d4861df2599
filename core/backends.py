"""Django's model backend, asking for a user's permissions together with their groups (one query)."""

from django.contrib.auth.backends import ModelBackend

from core.roles import load_groups_and_permissions


class PortalModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            load_groups_and_permissions(user_obj)
        return user_obj._perm_cache
