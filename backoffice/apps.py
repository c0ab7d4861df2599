from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def create_roles(sender, **kwargs):
    """Keep the back-office groups and their permissions in step with the models after every migrate."""
    from .roles import setup_roles

    setup_roles()


def restore_language(sender, request, user, **kwargs):
    """A login brings back the user's remembered language (set by the switcher), on any browser."""
    from core.languages import remember_language
    from exchange.models import NotificationPreference

    language = NotificationPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if language and request is not None:
        remember_language(request, language)
        translation.activate(language)
        request.LANGUAGE_CODE = language


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = _("Back office")

    def ready(self):
        # After the last app's permissions exist (post_migrate runs once per app, in order).
        post_migrate.connect(create_roles, dispatch_uid="backoffice.create_roles")
        user_logged_in.connect(restore_language, dispatch_uid="backoffice.restore_language")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, running the portal's site: start pages, notification preferences, a scoped "view on site"."""

    default = False  # named in INSTALLED_APPS; the backoffice app itself is BackofficeConfig
    default_site = "backoffice.site.PortalAdminSite"
