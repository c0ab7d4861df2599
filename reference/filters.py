"""Filters the directories share for reference data: the GCM objective a record is tagged with."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import GcmObjective


class GcmObjectiveFilter(django_filters.ModelChoiceFilter):
    """`?gcm=6`: records tagged with objective 6 of the Global Compact (meetings, recommendations, dispatches…)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("GCM objective"))
        kwargs.setdefault("queryset", GcmObjective.objects.all())
        kwargs.setdefault("to_field_name", "number")
        kwargs.setdefault("field_name", "gcm_objectives")
        kwargs.setdefault("empty_label", _("Any objective"))
        super().__init__(*args, **kwargs)
