from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_roles(sender, **kwargs):
    """Keep the back-office groups and their permissions in step with the models after every migrate."""
    from .roles import setup_roles

    setup_roles()


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = _("Back office")

    def ready(self):
        # After the last app's permissions exist (post_migrate runs once per app, in order).
        post_migrate.connect(create_roles, dispatch_uid="backoffice.create_roles")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, running the portal's site: start pages, notification preferences, a scoped "view on site"."""

    default = False  # named in INSTALLED_APPS; the backoffice app itself is BackofficeConfig
    default_site = "backoffice.site.PortalAdminSite"
