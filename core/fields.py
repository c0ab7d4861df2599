"""Model fields shared by the portal's apps."""

import datetime

from django.db import models

# The time given to records loaded raw from fixtures (loaddata skips pre_save) or present before
# these columns existed: "before the portal tracked changes". A fixed value keeps loading the
# same fixture twice a no-op and sorts such records after every tracked change.
BEFORE_TRACKING = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def before_tracking():
    return BEFORE_TRACKING


class _TrackedTimeField(models.DateTimeField):
    """A DateTimeField that is set on save like auto_now/auto_now_add, and also has a default.

    Django refuses auto_now together with a default; without one, a row loaded raw from a
    fixture that lacks the column would be NULL.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", before_tracking)
        super().__init__(*args, **kwargs)

    def _check_mutually_exclusive_options(self):
        return []


class CreatedAtField(_TrackedTimeField):
    """When the record was added (set on the first save)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_now_add", True)
        super().__init__(*args, **kwargs)


class ModifiedAtField(_TrackedTimeField):
    """When the record was last changed (set on every save); "new and changed" feeds order by it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_now", True)
        super().__init__(*args, **kwargs)
