from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RcpsConfig(AppConfig):
    name = "rcps"
    verbose_name = _("Processes")
