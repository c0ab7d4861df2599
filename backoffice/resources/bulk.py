"""The import of one spreadsheet into one kind of record: all rows or none, fast, with history.

`PortalResource.import_data` runs `BulkImport`, for the admin (dry run, then confirm) and for
`manage.py import_records` alike. It

1. checks the header (unknown, missing or duplicate columns);
2. reads every foreign key and list of slugs of the whole file, and every existing record a
   row could match by its natural key, in a few queries;
3. cleans each row in memory (the widgets of `base.py`), finds what changes, checks the row
   belongs to the user's processes (`rcps.scoping`) and validates the record as a form would
   (`full_clean`; unique rules too); an unchanged row is skipped;
4. writes nothing if any row failed or on a dry run; otherwise writes, in one transaction,
   the new records (`bulk_create`), the changed ones (`bulk_update`), their many-to-many
   links, and one history record each, as the admin would (simple-history's bulk helper, with
   the user, and the many-to-many history of meetings' organizers).

Any database error rolls the whole file back and is reported without its internals.
"""

import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Error, Result, RowResult

from core.pagecache import bump_generation
from rcps import publishing, scoping

from ..spreadsheets import normalise_newlines
from .base import LookupManyWidget, LookupWidget

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Rows whose record is named in the result (the admin previews at most 200).
REPR_LIMIT = 500


class ImportProblem(Exception):
    """A problem with the whole file, in words for the person importing it."""


@dataclass
class RowPlan:
    number: int
    instance: object
    new: bool
    changed: set = field(default_factory=set)  # attribute names of changed plain fields
    many: dict = field(default_factory=dict)  # m2m attribute -> list of objects to hold


def _chunks(items, size=BATCH_SIZE):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _same(current, new):
    """Whether a stored value and an imported one are the same data (blank is blank, line endings aside)."""
    if isinstance(current, str) or isinstance(new, str):
        return normalise_newlines(current or "") == normalise_newlines(new or "")
    return current == new


class BulkImport:
    def __init__(self, resource, *, user, date_order="iso", progress=None, file_name=""):
        self.resource = resource
        # The history of every row says where it came from: "Imported from meetings.xlsx".
        name = PurePath(file_name or "").name
        self.change_reason = (f"Imported from {name}" if name else "Imported")[:100]
        self.progress = progress
        self.user = user
        self.date_order = date_order
        self.model = resource._meta.model
        self.fields = {
            name: f for name, f in resource.fields.items() if not f.readonly and name in resource.get_import_order()
        }
        self.key_names = list(resource.get_import_id_fields())
        self.many = {name for name, f in self.fields.items() if isinstance(f.widget, LookupManyWidget)}

    # Entry point -------------------------------------------------------------------------

    def run(self, dataset, *, dry_run):
        result = Result()
        result.diff_headers = [f.column_name for f in self.fields.values()]
        result.total_rows = len(dataset)
        if self.user is None:
            result.append_base_error(Error(ImportProblem(_("An import needs a user."))))
            return result
        problems = self.check_headers(list(dataset.headers or []))
        if problems:
            for problem in problems:
                result.append_base_error(Error(ImportProblem(problem)))
            return result
        self.headers = set(dataset.headers)
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        self.prepare(rows)
        plans = []
        for number, row in enumerate(rows, 1):
            if all(value in ("", None) for value in row.values()):
                continue  # a blank row: counted, so that row numbers match the file
            plan = self.plan_row(number, row, result)
            if plan is not None:
                plans.append(plan)
            if self.progress is not None and result.rows:
                self.progress(number, len(rows), result.rows[-1])
        if dry_run or result.has_validation_errors() or not plans:
            return result
        try:
            with transaction.atomic():
                self.save(plans)
        except DatabaseError as error:
            logger.warning("Import of %s rolled back: %s", self.model._meta.label, error)
            result.append_base_error(Error(ImportProblem(database_message(error))))
            for row_result in result.rows:
                row_result.object_id = None
            return result
        for row_result in result.rows:
            if row_result.instance is not None:
                row_result.object_id = row_result.instance.pk
        return result

    def check_headers(self, headers):
        columns = {f.column_name for f in self.fields.values()}
        problems = []
        unknown = [name for name in headers if name not in columns]
        if unknown:
            problems.append(
                _("Unknown column %(names)s. The columns are: %(columns)s.")
                % {
                    "names": ", ".join(f"'{name}'" for name in unknown),
                    "columns": ", ".join(f.column_name for f in self.resource.get_export_fields()),
                }
            )
        missing = [
            self.fields[name].column_name for name in self.key_names if self.fields[name].column_name not in headers
        ]
        if missing:
            problems.append(
                _("The column %(names)s is missing: it identifies each record.")
                % {"names": ", ".join(f"'{name}'" for name in missing)}
            )
        return problems

    # Reading the file's lookups and the records it may match, once ---------------------------

    def prepare(self, rows):
        for f in self.fields.values():
            if isinstance(f.widget, LookupWidget | LookupManyWidget) and f.column_name in self.headers:
                f.widget.preload(row.get(f.column_name) for row in rows)
        self.seen = {}
        self.existing = self.load_existing(rows)
        pks = [obj.pk for obj in self.existing.values()]
        queryset = self.model._default_manager
        if scoping.is_scoped(self.model):
            self.visible = self.pks_of(queryset.visible_to(self.user), pks)
            self.managed = self.pks_of(queryset.managed_by(self.user), pks)
        else:
            self.visible = self.managed = set(pks)
        self.current_many = {name: self.links(name, pks) for name in self.many}
        self.manages_all = scoping.manages_every_row(self.user, self.model)
        self.managed_processes = scoping.managed_process_ids(self.user)
        self.allowed = {}
        self.owners_through = {}
        self.unique_rules = _has_unique_rules(self.model)

    def pks_of(self, queryset, pks):
        found = set()
        for chunk in _chunks(pks):
            found.update(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
        return found

    def links(self, name, pks):
        """{record pk: set of linked pks} for a many-to-many field, for the records the file matches."""
        model_field = self.model._meta.get_field(self.fields[name].attribute)
        through = model_field.remote_field.through
        source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        links = {}
        for chunk in _chunks(pks):
            for owner, linked in through.objects.filter(**{f"{source}_id__in": chunk}).values_list(
                f"{source}_id", f"{target}_id"
            ):
                links.setdefault(owner, set()).add(linked)
        return links

    def key_of(self, values):
        return tuple(self.key_part(name, values.get(name)) for name in self.key_names)

    def key_part(self, name, value):
        if isinstance(value, models.Model):
            return value.pk
        if isinstance(value, str):
            return normalise_newlines(value)
        return value

    def load_existing(self, rows):
        keys = []
        for row in rows:
            try:
                values = {name: self.clean(name, row) for name in self.key_names}
            except ValueError:
                continue
            keys.append(self.key_of(values))
        first = self.key_names[0]
        attribute = self.fields[first].attribute
        model_field = self.model._meta.get_field(attribute)
        lookup = model_field.attname if model_field.is_relation else attribute
        existing = {}
        wanted = sorted({key[0] for key in keys if key[0] is not None}, key=str)
        queryset = self.resource.get_queryset()
        for chunk in _chunks(wanted):
            for obj in queryset.filter(**{f"{lookup}__in": chunk}):
                existing.setdefault(self.key_of_instance(obj), obj)
        if any(key[0] is None for key in keys):
            for obj in queryset.filter(**{f"{lookup}__isnull": True}):
                existing.setdefault(self.key_of_instance(obj), obj)
        return existing

    def key_of_instance(self, obj):
        parts = []
        for name in self.key_names:
            model_field = self.model._meta.get_field(self.fields[name].attribute)
            value = getattr(obj, model_field.attname)
            parts.append(normalise_newlines(value) if isinstance(value, str) else value)
        return tuple(parts)

    def clean(self, name, row):
        f = self.fields[name]
        return f.widget.clean(row.get(f.column_name), row=row, date_order=self.date_order)

    # One row ---------------------------------------------------------------------------

    def plan_row(self, number, row, result):
        errors, values = {}, {}
        for name, f in self.fields.items():
            if f.column_name not in self.headers:
                continue
            try:
                values[name] = self.clean(name, row)
            except ValueError as error:
                errors[name] = [str(error)]
        if any(name in errors for name in self.key_names):
            return self.invalid(number, row, errors, result)
        key = self.key_of(values)
        if key in self.seen:
            columns = ", ".join(self.fields[name].column_name for name in self.key_names)
            errors.setdefault(self.key_names[0], []).append(
                _("Duplicate of row %(row)s (same %(columns)s).") % {"row": self.seen[key], "columns": columns}
            )
            return self.invalid(number, row, errors, result)
        self.seen[key] = number

        instance = self.existing.get(key)
        plan = RowPlan(number=number, instance=instance or self.model(), new=instance is None)
        if instance is not None:
            self.find_changes(plan, values, errors)
            if not plan.changed and not plan.many and not errors:
                if instance.pk in self.visible:
                    return self.outcome(plan, RowResult.IMPORT_TYPE_SKIP, result, counted=False)
            if instance.pk not in self.managed:
                errors = {
                    NON_FIELD_ERRORS: [_("This row matches a record of another process, which you cannot change.")]
                }
                return self.invalid(number, row, errors, result)
        else:
            plan.changed = {self.fields[name].attribute for name in values if name not in self.many}
            plan.many = {self.fields[name].attribute: values[name] for name in values if name in self.many}
        for name, value in values.items():
            attribute = self.fields[name].attribute
            if name not in errors and name not in self.many and attribute in plan.changed:
                setattr(plan.instance, attribute, value)
        self.check_scoping(plan, values, errors)
        self.validate(plan, values, errors)
        if errors:
            return self.invalid(number, row, errors, result)
        return self.outcome(plan, RowResult.IMPORT_TYPE_NEW if plan.new else RowResult.IMPORT_TYPE_UPDATE, result)

    def find_changes(self, plan, values, errors):
        instance = plan.instance
        for name, value in values.items():
            if name in errors:
                continue
            attribute = self.fields[name].attribute
            if name in self.many:
                current = self.current_many[name].get(instance.pk, set())
                if {obj.pk for obj in value} != current:
                    plan.many[attribute] = value
                continue
            model_field = self.model._meta.get_field(attribute)
            if model_field.is_relation:
                if getattr(instance, model_field.attname) != (value.pk if value is not None else None):
                    plan.changed.add(attribute)
            elif not _same(getattr(instance, attribute), value):
                plan.changed.add(attribute)

    def check_scoping(self, plan, values, errors):
        """Every linked record must be one the user may pick in the admin form; the record must be the user's."""
        self.resource.check_owners(self, plan, values, errors)
        for name, f in self.fields.items():
            if name in errors or name not in values or not isinstance(f.widget, LookupWidget):
                continue
            value = values[name]
            if value is None or not scoping.is_scoped(f.widget.model):
                continue
            if value.pk not in self.allowed_pks(name):
                if isinstance(value, scoping.process_model()) and name in scoping.owner_fields(self.model):
                    errors[name] = [_("Process '%(slug)s' is not one of yours.") % {"slug": value.slug}]
                else:  # not named, so as not to confirm that another process's record exists
                    errors[name] = [
                        _("Unknown %(label)s '%(value)s'.") % {"label": f.widget.label, "value": f.widget.render(value)}
                    ]
        if errors or self.manages_all:
            return
        if not (self.owners(plan) & self.managed_processes):
            errors.setdefault(NON_FIELD_ERRORS, []).append(_("This row does not belong to one of your processes."))

    def allowed_pks(self, name):
        if name not in self.allowed:
            f = self.fields[name]
            model_field = self.model._meta.get_field(f.attribute)
            candidates = [obj.pk for obj in f.widget.cache.values()]
            related = f.widget.model._default_manager
            allowed = set()
            for chunk in _chunks(candidates):
                choices = scoping.choices(self.user, self.model, model_field, related.filter(pk__in=chunk))
                allowed.update(choices.values_list("pk", flat=True))
            self.allowed[name] = allowed
        return self.allowed[name]

    def owners(self, plan):
        """The processes a planned record belongs to, from its values (`rcps.scoping.owner_process_ids`, batched)."""
        instance, owners = plan.instance, set()
        for lookup in self.model.process_lookups:
            first, _sep, rest = lookup.partition("__")
            if first == "pk":
                owners.add(instance.pk)
                continue
            model_field = self.model._meta.get_field(first)
            if model_field.many_to_many:
                if first in plan.many:
                    targets = [obj.pk for obj in plan.many[first]]
                else:
                    targets = list(self.current_many_by_attribute(first).get(instance.pk, ()))
            else:
                targets = [getattr(instance, model_field.attname)]
            targets = [t for t in targets if t is not None]
            if not rest:
                owners.update(targets)
            else:
                owners.update(self.owners_via(model_field, rest, targets))
        return owners

    def current_many_by_attribute(self, attribute):
        for name, f in self.fields.items():
            if f.attribute == attribute and name in self.current_many:
                return self.current_many[name]
        return {}

    def owners_via(self, model_field, rest, targets):
        cache = self.owners_through.setdefault((model_field.name, rest), {})
        missing = [t for t in targets if t not in cache]
        if missing:
            for t in missing:
                cache[t] = set()
            rows = (
                model_field.related_model._default_manager.filter(pk__in=missing)
                .exclude(**{f"{rest}__isnull": True})
                .values_list("pk", rest)
            )
            for pk, owner in rows:
                cache[pk].add(owner)
        return set().union(*(cache[t] for t in targets)) if targets else set()

    def validate(self, plan, values, errors):
        """`full_clean` as a form would, without one query per row for what the import already checked."""
        instance = plan.instance
        by_attribute = {f.attribute: name for name, f in self.fields.items()}
        errored = {self.fields[name].attribute for name in errors if name in self.fields}
        exclude = errored | {m.name for m in self._m2m_fields()}
        # Foreign keys were looked up in the database just now: Django would look each up again
        # (a blank one is still checked, for the "cannot be null" message).
        exclude |= {
            f.name for f in self.model._meta.fields if f.is_relation and getattr(instance, f.attname) is not None
        }
        stored = self._stored_fields()
        before = [getattr(instance, f.attname) for f in stored]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            # A model's clean() may fill fields of its own (a document's year from its date).
            for f, value in zip(stored, before, strict=True):
                if getattr(instance, f.attname) != value:
                    plan.changed.add(f.name)
            if self.unique_rules:
                instance.validate_unique(exclude=errored)
                for constraint in self.model._meta.constraints:
                    if isinstance(constraint, models.UniqueConstraint):
                        constraint.validate(self.model, instance, exclude=errored)
            self.resource.validate_record(instance)
        except ValidationError as error:
            for key, messages in error.update_error_dict({}).items():
                column = by_attribute.get(key, key)
                errors.setdefault(column, []).extend(str(m) for m in _messages(messages))

    def _stored_fields(self):
        if not hasattr(self, "_stored"):
            self._stored = [f for f in self.model._meta.concrete_fields if not f.primary_key and not f.generated]
        return self._stored

    def _m2m_fields(self):
        return self.model._meta.many_to_many

    def invalid(self, number, row, errors, result):
        row_result = RowResult()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        messages = {}
        for key, items in errors.items():
            column = key if key == NON_FIELD_ERRORS else self.fields[key].column_name if key in self.fields else key
            messages.setdefault(column, []).extend(items)
        row_result.validation_error = ValidationError(messages)
        result.increment_row_result_total(row_result)
        result.append_invalid_row(number, row, row_result.validation_error)
        result.append_row_result(row_result)
        return None

    def outcome(self, plan, import_type, result, counted=True):
        row_result = RowResult()
        row_result.import_type = import_type
        if len(result.rows) < REPR_LIMIT:  # what the admin's preview shows; a log entry names its record itself
            row_result.add_instance_info(plan.instance)
        row_result.instance = plan.instance
        result.increment_row_result_total(row_result)
        result.append_row_result(row_result)
        return plan if counted else None

    # Writing -------------------------------------------------------------------------------

    def save(self, plans):
        now = timezone.now()
        new = [plan for plan in plans if plan.new]
        changed = [plan for plan in plans if not plan.new]
        manager = self.model._default_manager
        if new:
            # A record an import creates is a draft, like one added by hand: its owner publishes it.
            for plan in new:
                publishing.start_as_draft(plan.instance)
            manager.bulk_create([plan.instance for plan in new], batch_size=BATCH_SIZE)
        if changed:
            auto_now = [f.name for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False)]
            for plan in changed:
                for name in auto_now:
                    setattr(plan.instance, name, now)
            names = sorted({name for plan in changed for name in plan.changed} | set(auto_now))
            if names:
                manager.bulk_update([plan.instance for plan in changed], names, batch_size=BATCH_SIZE)
        self.save_links(plans)
        history = HistoryWriter(self.model, user=self.user, date=now, reason=self.change_reason)
        history.write([plan.instance.pk for plan in new], "+")
        history.write([plan.instance.pk for plan in changed], "~")
        transaction.on_commit(bump_generation)  # bulk writes send no signals: the page cache is told here

    def save_links(self, plans):
        for model_field in self._m2m_fields():
            attribute = model_field.name
            through = model_field.remote_field.through
            source, target = f"{model_field.m2m_field_name()}_id", f"{model_field.m2m_reverse_field_name()}_id"
            current = self.current_many_by_attribute(attribute)
            add, remove = [], []
            for plan in plans:
                if attribute not in plan.many:
                    continue
                wanted = {obj.pk for obj in plan.many[attribute]}
                have = set() if plan.new else current.get(plan.instance.pk, set())
                add += [(plan.instance.pk, pk) for pk in sorted(wanted - have)]
                remove += [(plan.instance.pk, pk) for pk in have - wanted]
            for owner, linked in remove:
                through.objects.filter(**{source: owner, target: linked}).delete()
            if add:
                # Plain rows of two ids: one statement for all, not a model instance each.
                connection = transaction.get_connection(self.model._default_manager.db)
                quote = connection.ops.quote_name
                columns = [through._meta.get_field(source).column, through._meta.get_field(target).column]
                with connection.cursor() as cursor:
                    insert_rows(cursor, quote(through._meta.db_table), [quote(c) for c in columns], add)


class HistoryWriter:
    """One simple-history record for each of many saved rows, written by the database from the rows themselves.

    What `bulk_history_create` of simple-history writes (the row's tracked fields, the date, the
    type "+" or "~", the user), as one `INSERT … SELECT` per 500 rows instead of building a
    model instance per row in Python: for 10,000 meetings about 0.2 s instead of 5 s. Meetings
    also keep their organizers with each version (`m2m_fields`): those links are copied the
    same way. The columns are read from the history models, so a new tracked field needs nothing here.
    """

    def __init__(self, model, *, user, date, reason=None):
        self.model = model
        self.reason = reason
        self.history = getattr(model, "history", None)
        self.user = user
        self.date = date

    def write(self, pks, history_type):
        if self.history is None or not pks:
            return
        historical = self.history.model
        connection = transaction.get_connection(self.model._default_manager.db)
        quote = connection.ops.quote_name
        tracked = historical.tracked_fields
        targets = [historical._meta.get_field(f.name).column for f in tracked]
        sources = [f.column for f in tracked]
        extra = {
            "history_date": historical._meta.get_field("history_date").get_db_prep_save(self.date, connection),
            "history_type": history_type,
            "history_user_id": getattr(self.user, "pk", None),
            "history_change_reason": self.reason,
        }
        columns = ", ".join(quote(c) for c in [*targets, *extra])
        selected = ", ".join(quote(c) for c in sources)
        pk_column = quote(self.model._meta.pk.column)
        with connection.cursor() as cursor:
            for chunk in _chunks(pks):
                cursor.execute(
                    f"INSERT INTO {quote(historical._meta.db_table)} ({columns}) "
                    f"SELECT {selected}, {', '.join(['%s'] * len(extra))} FROM {quote(self.model._meta.db_table)} "
                    f"WHERE {pk_column} IN ({', '.join(['%s'] * len(chunk))})",
                    [*extra.values(), *chunk],
                )
                for model_field in getattr(historical, "_history_m2m_fields", None) or []:
                    self.write_links(cursor, quote, model_field, chunk, extra)

    def write_links(self, cursor, quote, model_field, chunk, extra):
        historical = self.history.model
        links = getattr(historical, model_field.name).model
        through = model_field.remote_field.through
        source = through._meta.get_field(model_field.m2m_field_name())
        record_id = historical._meta.get_field(self.model._meta.pk.name).column
        placeholders = ", ".join(["%s"] * len(chunk))
        # The history records just written for these rows (read back by id: a join of two tables
        # that grew inside this transaction would be planned on stale statistics).
        cursor.execute(
            f"SELECT {quote(record_id)}, {quote(historical._meta.pk.column)} FROM {quote(historical._meta.db_table)} "
            f"WHERE {quote(record_id)} IN ({placeholders}) AND {quote('history_date')} = %s "
            f"AND {quote('history_type')} = %s",
            [*chunk, extra["history_date"], extra["history_type"]],
        )
        record_of = dict(cursor.fetchall())
        names = [f.name for f in through._meta.fields]
        cursor.execute(
            f"SELECT {', '.join(quote(through._meta.get_field(n).column) for n in names)} "
            f"FROM {quote(through._meta.db_table)} WHERE {quote(source.column)} IN ({placeholders})",
            chunk,
        )
        position = names.index(source.name)
        rows = [(*link, record_of[link[position]]) for link in cursor.fetchall() if link[position] in record_of]
        if rows:
            columns = [links._meta.get_field(n).column for n in names] + [links._meta.get_field("history").column]
            insert_rows(cursor, quote(links._meta.db_table), [quote(c) for c in columns], rows)


def insert_rows(cursor, table, columns, rows):
    """INSERT many rows of plain values, a few hundred per statement (portable to SQLite and PostgreSQL)."""
    size = max(1, min(BATCH_SIZE, 900 // len(columns)))  # within SQLite's oldest limit of 999 parameters
    one = f"({', '.join(['%s'] * len(columns))})"
    for chunk in _chunks(rows, size):
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(chunk))}",
            [value for row in chunk for value in row],
        )


def _messages(messages):
    for message in messages:
        if isinstance(message, ValidationError):
            yield from message.messages
        else:
            yield message


def _has_unique_rules(model):
    if any(f.unique and not f.primary_key for f in model._meta.concrete_fields) or model._meta.unique_together:
        return True
    return any(isinstance(c, models.UniqueConstraint) for c in model._meta.constraints)


def database_message(error):
    """A database refusal in words, naming the rule but never echoing the row (PostgreSQL's DETAIL would)."""
    cause = getattr(error, "__cause__", None)
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)
    if constraint:
        return _("The database refused a row (rule '%(rule)s'); nothing was saved.") % {"rule": constraint}
    return _("The database refused the file; nothing was saved. Check the rows and try again.")
