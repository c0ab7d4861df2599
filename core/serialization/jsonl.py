"""`dumpdata --format jsonl` with times to the microsecond (see the package)."""

from django.core.serializers import jsonl as django_jsonl

from . import ExactJSONEncoder

Deserializer = django_jsonl.Deserializer


class Serializer(django_jsonl.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
