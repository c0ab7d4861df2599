"""The published surveys' filters (the API's list)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Survey


class SurveyFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Survey
        fields = ["year"]
