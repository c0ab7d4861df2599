"""`dumpdata --format json` with times to the microsecond (see the package)."""

from django.core.serializers import json as django_json

from . import ExactJSONEncoder

Deserializer = django_json.Deserializer


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
