from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_roles(sender, **kwargs):
    """Keep the back-office groups and their permissions in step with the models after every migrate."""
    from .roles import setup_roles

    setup_roles()


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back office")

    def ready(self):
        # After the last app's permissions exist (post_migrate runs once per app, in order).
        post_migrate.connect(create_roles, dispatch_uid="backoffice.create_roles")
