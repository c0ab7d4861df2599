"""Who may see and touch what in the back office: the roles, and the one per-process scoping helper.

Model permissions (through the three groups below) say *which kinds* of record a user may
view, add, change or delete. This module says *which rows*: a secretariat user works on the
records of the processes they serve (`SecretariatAssignment`), the GFMD Support Unit reads
everything and edits the GFMD's records and every recommendation and survey, an administrator
works on everything. The admin (`portal.admin.PortalAdminMixin`), the import/export resources
and the command-line import all call the functions here; nothing else decides it.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

SECRETARIAT = "RCP secretariat"
SUPPORT_UNIT = "GFMD Support Unit"
ADMINISTRATOR = "Administrator"

# How each record belongs to processes: lookups from the record to Process ids. A record
# belongs to a process when any lookup reaches it (a joint meeting belongs to every organizer;
# a roundtable session to its parent meeting's organizers). Models not listed are reference
# data, shared by all and changed by whoever has the model permission.
OWNER_LOOKUPS = {
    "rcps.process": ("pk",),
    "rcps.participation": ("process",),
    "rcps.chairmanship": ("process",),
    "rcps.focalpoint": ("process",),
    "rcps.followup": ("process",),
    "rcps.surveyresponse": ("process",),
    "rcps.recommendation": (
        "issuing_process",
        "source_meeting__organizing_processes",
        "source_meeting__parent__organizing_processes",
    ),
    "meetings.meeting": ("organizing_processes", "parent__organizing_processes"),
    "meetings.document": ("process", "meeting__organizing_processes", "meeting__parent__organizing_processes"),
}

# What the Support Unit edits whichever process it belongs to (it publishes recommendations to
# all processes and runs the surveys); for everything else it edits the GFMD's own records.
SUPPORT_UNIT_EDITS_ALL = {"rcps.recommendation", "rcps.survey", "rcps.surveyresponse"}

REFERENCE_MODELS = ("region", "country", "organization", "theme", "addresseegroup", "survey")
SECRETARIAT_MODELS = ("participation", "chairmanship", "focalpoint", "recommendation", "followup")
CRUD = ("view", "add", "change", "delete")

# Explicit permission lists per role: (app label, model, actions).
ROLE_PERMISSIONS = {
    SECRETARIAT: [
        *[("rcps", model, ("view",)) for model in REFERENCE_MODELS],
        ("rcps", "process", ("view", "change")),
        *[("rcps", model, CRUD) for model in SECRETARIAT_MODELS],
        ("rcps", "surveyresponse", ("view", "change")),
        ("meetings", "meeting", CRUD),
        ("meetings", "document", CRUD),
        # The exchange: rows and moves are scoped by portal.exchange.permissions.
        ("exchange", "dispatch", CRUD),
        ("exchange", "dispatchattachment", CRUD),
        ("exchange", "dispatchtransition", ("view",)),
        ("exchange", "dispatchacknowledgement", ("view",)),
    ],
    SUPPORT_UNIT: [
        *[("rcps", model, ("view",)) for model in REFERENCE_MODELS if model != "survey"],
        ("rcps", "process", ("view", "change")),
        *[("rcps", model, CRUD) for model in (*SECRETARIAT_MODELS, "survey", "surveyresponse")],
        ("rcps", "secretariatassignment", ("view",)),
        ("meetings", "meeting", CRUD),
        ("meetings", "document", CRUD),
        ("exchange", "dispatch", CRUD),
        ("exchange", "dispatchattachment", CRUD),
        ("exchange", "dispatchtransition", ("view",)),
        ("exchange", "dispatchacknowledgement", ("view",)),
        ("exchange", "subscription", ("view",)),
    ],
    # Administrators: every permission of these apps (users and roles included).
    ADMINISTRATOR: ["rcps", "meetings", "exchange", "auth", "axes", "admin"],
}


def setup_roles():
    """Create the three groups and set exactly their permissions; running it again changes nothing.

    Returns {group name: number of permissions}.
    """
    result = {}
    for name, spec in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if spec and isinstance(spec[0], str):
            perms = Permission.objects.filter(content_type__app_label__in=spec)
        else:
            wanted = Q(pk__in=[])
            for app_label, model, actions in spec:
                wanted |= Q(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            perms = Permission.objects.filter(wanted)
        group.permissions.set(perms)
        result[name] = group.permissions.count()
    return result


# Roles ------------------------------------------------------------------------------------


def _group_names(user):
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._portal_groups


def is_administrator(user):
    return user.is_active and (user.is_superuser or ADMINISTRATOR in _group_names(user))


def is_support_unit(user):
    return user.is_active and SUPPORT_UNIT in _group_names(user)


def managed_process_ids(user):
    """The ids of the processes whose records `user` may change; None means every process."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if is_administrator(user):
        return None
    if not hasattr(user, "_managed_process_ids"):
        Process = apps.get_model("rcps", "Process")
        ids = set(user.secretariat_assignments.values_list("process_id", flat=True))
        if is_support_unit(user):
            ids |= set(Process.objects.filter(slug__in=settings.GFMD_PROCESS_SLUGS).values_list("pk", flat=True))
        user._managed_process_ids = frozenset(ids)
    return user._managed_process_ids


# Rows -------------------------------------------------------------------------------------


def _label(model):
    return model._meta.label_lower


def is_owned_model(model):
    return _label(model) in OWNER_LOOKUPS


def owner_fields(model):
    """The fields of `model` through which it belongs to processes, e.g. ("process",)."""
    return tuple(dict.fromkeys(lookup.split("__")[0] for lookup in OWNER_LOOKUPS.get(_label(model), ())))


def _belonging_to(queryset, process_ids):
    condition = Q()
    for lookup in OWNER_LOOKUPS[_label(queryset.model)]:
        condition |= Q(**{f"{lookup}__in" if lookup != "pk" else "pk__in": process_ids})
    # A subquery, so joins through many-valued relations neither duplicate rows nor disturb
    # the counts a changelist annotates.
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


def editable(queryset, user):
    """The rows of `queryset` that `user` may change or delete (model permissions aside)."""
    ids = managed_process_ids(user)
    model = queryset.model
    if ids is None or not is_owned_model(model):
        return queryset
    if is_support_unit(user) and _label(model) in SUPPORT_UNIT_EDITS_ALL:
        return queryset
    return _belonging_to(queryset, ids)


def visible(queryset, user):
    """The rows of `queryset` that `user` may see in the back office: the Support Unit reads everything."""
    if is_support_unit(user) or is_administrator(user):
        return queryset
    return editable(queryset, user)


def owner_process_ids(obj, values=None):
    """The processes `obj` belongs to, computed from its field values (for unsaved or deleted records).

    `values` overrides field values by name, e.g. a form's cleaned_data; many-to-many values
    are lists of objects or ids.
    """
    values = values or {}
    owners = set()
    for lookup in OWNER_LOOKUPS.get(_label(obj), ()):
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


def can_edit(user, obj, values=None):
    """Whether `user` may change or delete `obj` (or create it with these values)."""
    ids = managed_process_ids(user)
    if ids is None or not is_owned_model(type(obj)):
        return True
    if is_support_unit(user) and _label(obj) in SUPPORT_UNIT_EDITS_ALL:
        return True
    return bool(owner_process_ids(obj, values) & ids)


def can_view(user, obj):
    return is_support_unit(user) or can_edit(user, obj)


def ensure_editable(user, obj):
    """Refuse a saved record that ended up outside the user's processes (the save is rolled back)."""
    if obj.pk is not None and not editable(type(obj)._default_manager.filter(pk=obj.pk), user).exists():
        raise PermissionDenied(_("This record does not belong to one of your processes."))


def check_owner(user, model, values, instance):
    """Raise a ValidationError naming the problem when a record would not belong to the user's processes."""
    if can_edit(user, instance, values):
        return
    ids = managed_process_ids(user) or ()
    names = ", ".join(
        str(p) for p in apps.get_model("rcps", "Process").objects.filter(pk__in=ids).order_by("name")
    ) or _("none")
    raise ValidationError(
        _("This %(model)s must belong to one of your processes (%(names)s).")
        % {"model": model._meta.verbose_name, "names": names},
        code="not_your_process",
    )


# Choices ---------------------------------------------------------------------------------


def choices(user, model, field, queryset):
    """The records `user` may pick in `model.field` (a form's choices and the admin autocomplete alike).

    A field through which the record belongs to processes offers only the user's processes
    (and, for meetings or documents, public ones of others: the record must still belong to
    one of the user's processes). Other links to processes, meetings, documents or
    recommendations offer the user's own and public ones; reference data is offered whole.
    """
    related = queryset.model
    if managed_process_ids(user) is None or not is_owned_model(related):
        return queryset
    own = editable(queryset, user)
    if field.name in owner_fields(model) and _label(related) == "rcps.process":
        if is_support_unit(user) and _label(model) in SUPPORT_UNIT_EDITS_ALL:
            return queryset
        return own
    if is_support_unit(user):
        return queryset
    public = queryset.model._default_manager.public()
    return queryset.filter(Q(pk__in=own.values("pk")) | Q(pk__in=public.values("pk")))


def field_choices_for_autocomplete(user, source_app, source_model, field_name, queryset):
    model = apps.get_model(source_app, source_model)
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.Field | models.ForeignObjectRel):
        return queryset.none()
    return choices(user, model, field, queryset)
