"""The change history of deletions keeps many-to-many links (a meeting's organizers).

simple-history copies a record's many-to-many rows (`m2m_fields`) into each history record
when it is written; for a deletion that is after Django has already removed them, so the "-"
record would hold no organizers and "Recently deleted → Restore" could not give the meeting
back to its processes unless an earlier version happened to have them (records loaded from
fixtures or a backup have no earlier version). The links are noted just before the delete and
written into the deletion's history record.
"""

from django.db.models.signals import pre_delete
from simple_history.signals import pre_create_historical_m2m_records


def _history_m2m_fields(sender):
    history = getattr(sender, "history", None)
    historical = getattr(history, "model", None)
    return getattr(historical, "_history_m2m_fields", None) or []


def note_links_before_delete(sender, instance, **kwargs):
    fields = _history_m2m_fields(sender)
    if not fields or instance.pk is None:
        return
    noted = {}
    for field in fields:
        through = field.remote_field.through
        source = field.m2m_field_name()
        names = [f.attname for f in through._meta.fields]
        noted[field.name] = list(through.objects.filter(**{f"{source}_id": instance.pk}).values(*names))
    instance._links_before_delete = noted


def keep_links_in_deletion(sender, rows, history_instance, instance, field, **kwargs):
    if history_instance.history_type != "-" or rows:
        return
    for values in getattr(instance, "_links_before_delete", {}).get(field.name, []):
        rows.append(sender(history=history_instance, **values))


def connect_signals():
    pre_delete.connect(note_links_before_delete, dispatch_uid="core.history.note_links_before_delete")
    pre_create_historical_m2m_records.connect(keep_links_in_deletion, dispatch_uid="core.history.keep_links")
