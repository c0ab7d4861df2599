"""Which rows a back-office user may see and change: decided here, once, for every app.

Each owned model declares how it belongs to processes, next to its fields:

    class Meeting(...):
        process_lookups = ("organizing_processes", "parent__organizing_processes")

and gets its queryset from `ScopedQuerySet`, whose `managed_by(user)` (rows the user may
change) and `visible_to(user)` (rows the user may see in the back office) are what the admin,
the import/export resources, the API and the exchange workflow call. A record belongs to a
process when any lookup reaches it (a joint meeting belongs to every organizer, a roundtable
session to its parent meeting's organizers). Models without `process_lookups` are reference
data, shared by all and changed by whoever has the model permission.

Two sets of processes per user, each with one meaning:
- `served_process_ids`: the processes the user speaks for (their secretariat assignments);
- `managed_process_ids`: the processes whose records the user may change — those served, and
  for the GFMD Support Unit also the GFMD's own (settings.GFMD_PROCESS_SLUGS).
Both are None for an administrator, meaning every process.

Participants (member State officials, rcps.models.Membership) are a third kind of reader:
`participant_process_ids` are the processes they belong to, and `readable_by(user)` is what a
public page shows them — the public rows plus the published participants-only rows of those
processes, never confidential ones (nor rows under a confidential or draft parent), never
another process's. Participants are never staff: they do not pass `is_staff` and see nothing
of the back office.
"""

from django.apps import apps  # Process by name: rcps.models imports this module for ScopedQuerySet
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from core import roles
from core.models import Publication, PublicQuerySet, PublishableModel, Visibility


def served_process_ids(user):
    """The processes `user` acts for; None means every process (an administrator)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if roles.is_administrator(user):
        return None
    if not hasattr(user, "_served_process_ids"):
        user._served_process_ids = frozenset(user.secretariat_assignments.values_list("process_id", flat=True))
    return user._served_process_ids


def managed_process_ids(user):
    """The processes whose records `user` may change; None means every process."""
    served = served_process_ids(user)
    if served is None or not roles.is_support_unit(user):
        return served
    if not hasattr(user, "_managed_process_ids"):
        process_model = apps.get_model("rcps", "Process")
        gfmd = process_model.objects.filter(slug__in=settings.GFMD_PROCESS_SLUGS).values_list("pk", flat=True)
        user._managed_process_ids = served | frozenset(gfmd)
    return user._managed_process_ids


def participant_process_ids(user):
    """The processes `user` takes part in as a member State official (empty for staff and visitors)."""
    if not user.is_authenticated or not user.is_active or user.is_staff:
        return frozenset()
    if not hasattr(user, "_participant_process_ids"):
        user._participant_process_ids = frozenset(user.memberships.values_list("process_id", flat=True))
    return user._participant_process_ids


def withhold_participation(user):
    """For this request, `user` reads and answers as a visitor (a participant who owes the second factor)."""
    user._participant_process_ids = frozenset()


def is_participant(user):
    return bool(participant_process_ids(user))


def serves(user, process):
    """May act on behalf of `process` (draft, submit, acknowledge, reply)."""
    if process is None:
        return False
    ids = served_process_ids(user)
    return ids is None or process.pk in ids


def is_scoped(model):
    return bool(getattr(model, "process_lookups", ()))


def owner_fields(model):
    """The fields of `model` through which it belongs to processes, e.g. ("process",)."""
    return tuple(dict.fromkeys(lookup.split("__")[0] for lookup in getattr(model, "process_lookups", ())))


def _support_unit_manages(user, model):
    return roles.is_support_unit(user) and getattr(model, "support_unit_manages_all", False)


def manages_every_row(user, model):
    """Whether `user` may change every record of `model`, whichever process it belongs to."""
    return managed_process_ids(user) is None or _support_unit_manages(user, model)


def process_model():
    return apps.get_model("rcps", "Process")


class ScopedQuerySet(PublicQuerySet):
    """The rows of a model that belongs to processes, as each user may see and change them."""

    def belonging_to(self, process_ids):
        """Rows that belong to any of `process_ids` through the model's `process_lookups`."""
        condition = Q()
        for lookup in self.model.process_lookups:
            condition |= Q(**{"pk__in" if lookup == "pk" else f"{lookup}__in": process_ids})
        # A subquery, so joins through many-valued relations neither duplicate rows nor disturb
        # the counts a changelist annotates.
        return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def managed_by(self, user):
        """The rows `user` may change or delete (model permissions aside)."""
        ids = managed_process_ids(user)
        if ids is None or _support_unit_manages(user, self.model):
            return self
        return self.belonging_to(ids)

    def visible_to(self, user):
        """The rows `user` may see in the back office: the Support Unit and administrators read everything."""
        if roles.reads_everything(user):
            return self
        return self.managed_by(user)

    def for_participants_of(self, process_ids):
        """Published participants-only rows of `process_ids`, none under a confidential or draft parent."""
        if not process_ids:
            return self.none()
        rows = self.filter(visibility=Visibility.PARTICIPANTS)
        if issubclass(self.model, PublishableModel):
            rows = rows.filter(publication=Publication.PUBLISHED)
        for field in self.model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not (field.many_to_one and field.concrete) or related is None:
                continue
            if any(f.name == "visibility" for f in related._meta.concrete_fields):
                rows = rows.exclude(**{f"{field.name}__visibility": Visibility.CONFIDENTIAL})
            if issubclass(related, PublishableModel):
                rows = rows.exclude(**{f"{field.name}__publication": Publication.DRAFT})
        return rows.belonging_to(process_ids)

    def readable_by(self, user):
        """What a public page shows `user`: public rows, and a participant's processes' participants-only rows."""
        ids = participant_process_ids(user)
        if not ids:
            return self.public()
        public = self.model._default_manager.public().values("pk")
        shared = self.model._default_manager.for_participants_of(ids).values("pk")
        return self.filter(Q(pk__in=public) | Q(pk__in=shared))

    def public_or_readable_by(self, user):
        """What the ordinary public pages show: `.public()` for visitors, staff and participants still
        owing their second factor (SecondFactorMiddleware empties their processes), `readable_by(user)`
        for a verified participant. `user` may be None (a feed, a sitemap: nobody signed in)."""
        if user is None or not participant_process_ids(user):
            return self.public()
        return self.readable_by(user)

    def public_or_managed_by(self, user):
        """What `user` may link a record to: public rows and their own (others do not exist for them)."""
        if managed_process_ids(user) is None:
            return self
        managed = self.model._default_manager.managed_by(user).values("pk")
        public = self.model._default_manager.public().values("pk")
        return self.filter(Q(pk__in=managed) | Q(pk__in=public))


def owner_process_ids(obj, values=None):
    """The processes `obj` belongs to, computed from its field values (for unsaved or deleted records).

    `values` overrides field values by name, e.g. a form's cleaned_data; many-to-many values
    are lists of objects or ids.
    """
    values = values or {}
    owners = set()
    for lookup in getattr(obj, "process_lookups", ()):
        first, _sep, rest = lookup.partition("__")
        if first == "pk":
            owners.add(obj.pk)
            continue
        field = obj._meta.get_field(first)
        if first in values:
            value = values[first]
            targets = [getattr(v, "pk", v) for v in value] if field.many_to_many else [getattr(value, "pk", value)]
        elif field.many_to_many:
            targets = list(getattr(obj, first).values_list("pk", flat=True)) if obj.pk else []
        else:
            targets = [getattr(obj, field.attname)]
        targets = [t for t in targets if t is not None]
        if not targets:
            continue
        if not rest:
            owners.update(targets)
        else:
            owners.update(
                field.related_model._default_manager.filter(pk__in=targets)
                .exclude(**{f"{rest}__isnull": True})
                .values_list(rest, flat=True)
            )
    return owners


def can_manage(user, obj, values=None):
    """Whether `user` may change or delete `obj`, or create it with these field values."""
    model = type(obj)
    if not is_scoped(model):
        return True
    if obj.pk is not None and values is None and _adds_conditions(model):
        # The model's managed_by() adds conditions beyond belonging (a dispatch's state): ask it.
        return model._default_manager.managed_by(user).filter(pk=obj.pk).exists()
    ids = managed_process_ids(user)
    if ids is None or _support_unit_manages(user, model):
        return True
    if obj.pk is not None and _adds_conditions(model) and not obj.owner_may_change():
        # A record known only from its values (a deleted one, say): the model says whether its
        # state is one its owner may change, as its managed_by() would.
        return False
    return bool(owner_process_ids(obj, values) & ids)


def _adds_conditions(model):
    return type(model._default_manager.get_queryset()).managed_by is not ScopedQuerySet.managed_by


def can_view(user, obj):
    """Whether `user` may see `obj` in the back office."""
    model = type(obj)
    if not is_scoped(model) or roles.reads_everything(user):
        return True
    if obj.pk is None:
        return can_manage(user, obj)
    return model._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def ensure_managed(user, obj):
    """Refuse a saved record that ended up outside the user's processes (the save is then rolled back)."""
    if obj.pk is not None and is_scoped(type(obj)) and not can_manage(user, obj):
        raise PermissionDenied(_("This record does not belong to one of your processes."))


def check_owner(user, model, values, instance):
    """Raise a ValidationError naming the problem when a record would not belong to the user's processes."""
    if can_manage(user, instance, values):
        return
    ids = managed_process_ids(user) or ()
    process_model = apps.get_model("rcps", "Process")
    names = ", ".join(str(p) for p in process_model.objects.filter(pk__in=ids).order_by("name")) or _("none")
    raise ValidationError(
        _("This %(model)s must belong to one of your processes (%(names)s).")
        % {"model": model._meta.verbose_name, "names": names},
        code="not_your_process",
    )


def choices(user, model, field, queryset):
    """The records `user` may pick in `model.field` (a form's choices, the admin autocomplete, an import).

    A field through which the record belongs to processes offers only the user's processes
    (and, for meetings or documents, public ones of others: the record must still belong to
    one of the user's processes). Other links to owned records offer the user's own and public
    ones; reference data is offered whole.
    """
    related = queryset.model
    if managed_process_ids(user) is None or not is_scoped(related):
        return queryset
    own = queryset.managed_by(user)
    if field.name in owner_fields(model) and related is apps.get_model("rcps", "Process"):
        if _support_unit_manages(user, model):
            return queryset
        return own
    if roles.is_support_unit(user):
        return queryset
    return queryset.public_or_managed_by(user)
