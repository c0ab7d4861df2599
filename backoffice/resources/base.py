"""Spreadsheet columns of the records secretariats keep, for import and export (django-import-export).

Every resource validates each row as a form would (`full_clean`), finds existing records by a
natural key so that importing the same file twice changes nothing, names the row and column
of every error, and checks with `rcps.scoping` that each row belongs to the importing user's
processes. `PortalResource.import_data` always rolls the whole file back when any row fails.
"""

import datetime
from pathlib import PurePath

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from rcps import publishing, scoping
from rcps.models import Process
from reference.models import Country


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key given by its code or slug, with an error that says what was not found."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or str(model._meta.verbose_name)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        value = str(value).strip()
        if self.field == "code":
            value = value.upper()
        try:
            return self.model._default_manager.get(**{self.field: value})
        except (self.model.DoesNotExist, ValueError):
            raise ValueError(_("Unknown %(label)s '%(value)s'.") % {"label": self.label, "value": value}) from None


class LookupManyWidget(widgets.ManyToManyWidget):
    """Several records given by slug, separated by commas; an unknown one is an error, not dropped."""

    def __init__(self, model, field, label=None, **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)
        self.label = label or str(model._meta.verbose_name)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return self.model._default_manager.none()
        wanted = [item.strip() for item in str(value).split(self.separator) if item.strip()]
        found = self.model._default_manager.filter(**{f"{self.field}__in": wanted})
        missing = sorted(set(wanted) - {str(getattr(obj, self.field)) for obj in found})
        if missing:
            raise ValueError(_("Unknown %(label)s '%(value)s'.") % {"label": self.label, "value": "', '".join(missing)})
        return found


def process_field(attribute="process", column_name=None):
    return fields.Field(
        attribute=attribute,
        column_name=column_name or attribute,
        widget=LookupWidget(Process, "slug", label=_("process")),
    )


def country_field(attribute="country"):
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=LookupWidget(Country, "code", _("country code"))
    )


class PortalResource(resources.ModelResource):
    """What every import and export of the portal shares: validation, scoping, atomicity, history."""

    def __init__(self, user=None, **kwargs):
        super().__init__()
        self.user = user
        self._seen_keys = {}

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        use_bulk = False  # each row is saved with save(), so the change history records it

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # A file with any invalid row saves nothing, whoever calls (the admin's confirm step,
        # the command line, a test): the library would otherwise keep the valid rows.
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("user", self.user)
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs)

    def _user(self, kwargs):
        return kwargs.get("user") or self.user

    def get_queryset(self):
        # Existing records are looked up among the rows the user may see (their own, public ones,
        # everything for the Support Unit): a match with another process's public record is
        # reported rather than silently duplicated, while a hidden record of another process is
        # not there for this user — a row matching it neither reveals it nor touches it.
        manager = self._meta.model._default_manager
        if self.user is None or not scoping.is_scoped(self._meta.model):
            return manager.all()
        seen = Q(pk__in=manager.visible_to(self.user).values("pk")) | Q(pk__in=manager.public().values("pk"))
        return manager.filter(seen)

    def filter_export(self, queryset, **kwargs):
        user = kwargs.get("user") or self.user
        if user is None:
            return queryset.none()
        return queryset.visible_to(user) if scoping.is_scoped(queryset.model) else queryset

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            # Spreadsheet dates arrive as midnight datetimes; compared with stored dates they
            # would make every re-imported row look changed.
            if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
                row[column] = value.date()
        # The columns that find an existing record are read before the rest: name them on error.
        id_errors = {}
        for name in self.get_import_id_fields():
            try:
                self.fields[name].clean(row)
            except KeyError:
                id_errors[name] = _("This column is missing.")
            except ValueError as error:
                id_errors[name] = str(error)
        if id_errors:
            raise ValidationError(id_errors)
        key = tuple(str(row.get(name) or "").strip() for name in self.get_import_id_fields())
        number = kwargs.get("row_number")
        if key in self._seen_keys:
            raise ValidationError(
                {
                    self.get_import_id_fields()[0]: _("Duplicate of row %(row)s (same %(columns)s).")
                    % {"row": self._seen_keys[key], "columns": ", ".join(self.get_import_id_fields())}
                }
            )
        self._seen_keys[key] = number

    def import_instance(self, instance, row, **kwargs):
        user = self._user(kwargs)
        if user is None:
            raise ValidationError({NON_FIELD_ERRORS: _("An import needs a user.")})
        if instance.pk is not None and not scoping.can_manage(user, instance):
            raise ValidationError(
                {NON_FIELD_ERRORS: _("This row matches a record of another process, which you cannot change.")}
            )
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.check_processes(instance, row, user, errors)
        if errors:
            raise ValidationError(errors)

    def check_processes(self, instance, row, user, errors):
        """Every record a row links to must be one the user may pick in the admin form (`scoping.choices`)."""
        model = self._meta.model
        for name, field in self.fields.items():
            if (
                name in errors
                or not isinstance(field.widget, LookupWidget)
                or not scoping.is_scoped(field.widget.model)
            ):
                continue
            value = getattr(instance, field.attribute, None)
            if value is None:
                continue
            allowed = scoping.choices(
                user,
                model,
                model._meta.get_field(field.attribute),
                value._meta.model._default_manager.filter(pk=value.pk),
            )
            if allowed.exists():
                continue
            if isinstance(value, Process) and name in scoping.owner_fields(model):
                errors[name] = [_("Process '%(slug)s' is not one of yours.") % {"slug": value.slug}]
            else:  # not named, so as not to confirm that another process's record exists
                errors[name] = [
                    _("Unknown %(label)s '%(value)s'.") % {"label": field.widget.label, "value": row.get(name)}
                ]
        if not errors and not scoping.can_manage(user, instance, self.owner_values(instance, row)):
            errors.setdefault(NON_FIELD_ERRORS, []).append(_("This row does not belong to one of your processes."))

    def owner_values(self, instance, row):
        return {}

    def before_save_instance(self, instance, row, **kwargs):
        # The command line has no request for simple-history to take the user from.
        instance._history_user = self._user(kwargs)
        file_name = PurePath(kwargs.get("file_name") or "").name
        reason = f"Imported from {file_name}" if file_name else "Imported"
        instance._change_reason = reason[:100]
        # A record an import creates is a draft, like one added by hand: its owner publishes it.
        publishing.start_as_draft(instance)
