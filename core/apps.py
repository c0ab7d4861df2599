from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared pieces")

    def ready(self):
        from . import history, pagecache, serialization

        pagecache.connect_signals()
        serialization.connect_signals()
        history.connect_signals()
