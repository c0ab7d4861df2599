"""Django's JSON and JSON Lines serializers, keeping every microsecond (settings.SERIALIZATION_MODULES).

Django's encoder cuts times to milliseconds, so `dumpdata` → `loaddata` would change every
change-history date and every `updated_at` a little; these write the full ISO 8601 value
(which Django's loaders read as they are). Used by `dumpdata` and by `manage.py backup`.
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def skip_history_of_raw_saves(sender, instance, raw=False, **kwargs):
    """A record loaded raw (`loaddata`, a restore) writes no change history, its many-to-many links included.

    simple-history already skips raw saves, but not the many-to-many links that `loaddata` sets
    right after (meetings keep their organizers with each version): each would add a history
    record that the data being loaded does not have, and a restored database would hold every
    meeting's history twice. The flag lives on the loaded instance only.
    """
    if raw and getattr(sender, "_meta", None) is not None and hasattr(sender, "history"):
        instance.skip_history_when_saving = True


def connect_signals():
    from django.db.models.signals import pre_save

    pre_save.connect(skip_history_of_raw_saves, dispatch_uid="core.serialization.skip_history_of_raw_saves")
