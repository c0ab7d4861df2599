"""Streamed CSV and JSON exports of a directory's filtered result (public fields only), and table downloads."""

import csv
import io
import json

import openpyxl
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

EXPORT_FORMATS = ("csv", "json")
# Rows read from the database per query (each chunk prefetches its related rows), and rows per
# chunk of the response.
CHUNK_SIZE = 1000
# Rows read as values are small (tuples, no model instances): 5,000 a chunk makes a fifth of the
# queries 1,000 did (each chunk's many-to-many links, follow-ups …) for a few MB more
# (recommendations at scale 1: 5.9 s → 4.0–4.5 s in process, best of six, from 2,000).
VALUES_CHUNK_SIZE = 5_000
BATCH_ROWS = 500
# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def names(items):
    """The names of related records, as an export cell's list (`str` of each)."""
    return [str(item) for item in items]


def column_value(obj, getter):
    """Read one exported field: `getter` is a dotted attribute path or a function of the object."""
    if callable(getter):
        return getter(obj)
    for part in getter.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def escape_formula(text):
    """Prefix a cell with ' when a spreadsheet would read it as a formula."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_cell(value):
    if type(value) is not str:  # most cells are text: test that first
        if value is None:
            return ""
        value = "; ".join(str(item) for item in value) if isinstance(value, (list, tuple)) else str(value)
    return "'" + value if value and value.startswith(FORMULA_PREFIXES) else value


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer feeds a generator."""

    def write(self, value):
        return value


def choice_label(field_name):
    """An export column reading `field_name`'s choice label in the active language (`get_<field>_display()`).

    Django's get_<field>_display() rebuilds the field's choices dictionary on every call; an export
    of 100,000 rows looks each (language, value) up once.
    """
    labels_of = {}

    def label(obj):
        key = (type(obj), get_language())
        if key not in labels_of:
            labels_of[key] = choice_labels(type(obj), field_name)
        return labels_of[key](getattr(obj, field_name))

    return label


def _rows(queryset, columns, request):
    """Each object as a dict: its public web address, then the directory's columns."""
    with_url = hasattr(queryset.model, "get_absolute_url")
    # The scheme and host once: build_absolute_uri() of a path that starts with "/" only prefixes them.
    site = request.build_absolute_uri("/")[:-1]
    for chunk in _chunks(queryset):
        for obj in chunk:
            row = {"url": site + obj.get_absolute_url()} if with_url else {}
            for key, getter in columns:
                row[key] = column_value(obj, getter)
            yield row


def _chunks(queryset):
    """The queryset's objects in lists of CHUNK_SIZE, each list's related rows prefetched together.

    Read with a server-side cursor on PostgreSQL (iterator()); the prefetching is done here rather
    than by iterator(), see ManyToManyPrefetch.
    """
    prefetch = ManyToManyPrefetch(queryset.model, queryset._prefetch_related_lookups)
    chunk = []
    for obj in queryset.prefetch_related(None).iterator(chunk_size=CHUNK_SIZE):
        chunk.append(obj)
        if len(chunk) == CHUNK_SIZE:
            prefetch(chunk)
            yield chunk
            chunk = []
    if chunk:
        prefetch(chunk)
        yield chunk


class ManyToManyPrefetch:
    """prefetch_related_objects() for chunks of one export, each related row made once and shared.

    Django's prefetching makes one related object per (row, related row) pair and one queryset per
    row and relation; for 100,000 exported rows with their themes and processes that was most of
    the time. Here a forward many-to-many relation costs one query per chunk (its links), plus one
    for the related rows (through the lookup's queryset, in its order) when the chunk links to rows
    not seen before in this export; each row gets a list in that order. Other lookups (reverse,
    nested, to_attr) go to prefetch_related_objects().
    """

    def __init__(self, model, lookups):
        self.relations, self.others = [], []
        for lookup in lookups:
            name = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
            field = _forward_many_to_many(model, name)
            if field is None or (isinstance(lookup, Prefetch) and lookup.to_attr):
                self.others.append(lookup)
            else:
                queryset = lookup.queryset if isinstance(lookup, Prefetch) else None
                related = field.related_model._default_manager.all() if queryset is None else queryset
                self.relations.append((field, related, {"asked": set(), "by_pk": {}, "position": {}}))

    def __call__(self, objs):
        for field, related, seen in self.relations:
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links = list(
                through._base_manager.filter(**{f"{source}__in": [obj.pk for obj in objs]}).values_list(source, target)
            )
            wanted = {target_pk for _source_pk, target_pk in links}
            if not wanted <= seen["asked"]:
                # Fetch again every row seen so far, so that one query gives all of them their order.
                seen["asked"] = seen["asked"] | wanted
                rows = list(related.filter(pk__in=seen["asked"]))
                seen["by_pk"] = {item.pk: item for item in rows}
                seen["position"] = {item.pk: index for index, item in enumerate(rows)}
            by_pk, position = seen["by_pk"], seen["position"]
            lists = {}
            for source_pk, target_pk in links:
                if target_pk in by_pk:
                    lists.setdefault(source_pk, []).append(target_pk)
            empty = field.related_model._default_manager.none()
            for obj in objs:
                # A shallow copy of an empty queryset, filled: what Django's prefetching leaves on each row.
                shared = object.__new__(type(empty))
                shared.__dict__.update(empty.__dict__)
                shared._result_cache = [by_pk[pk] for pk in sorted(lists.get(obj.pk, ()), key=position.__getitem__)]
                shared._prefetch_done = True
                if not hasattr(obj, "_prefetched_objects_cache"):
                    obj._prefetched_objects_cache = {}
                obj._prefetched_objects_cache[field.name] = shared
        if self.others:
            prefetch_related_objects(objs, *self.others)


def _forward_many_to_many(model, name):
    if "__" in name:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.many_to_many and not field.auto_created else None


# Values: rows read as tuples of exactly the columns needed, no model instance per row -----------


class Related:
    """The related rows of a forward many-to-many relation, read per chunk as one list per exported row.

    One query per chunk reads the links (owner, related pk); the related rows themselves are read
    once per export through `queryset()` (its visibility and order: a function such as
    `Process.objects.public`, called per export) and labelled with `label`.
    """

    default = ()

    def __init__(self, relation, queryset=None, label=str):
        self.relation, self.queryset, self.label = relation, queryset, label

    def reader(self, model):
        field = model._meta.get_field(self.relation)
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        related = field.related_model._default_manager.all() if self.queryset is None else self.queryset()
        asked, labels, position = set(), {}, {}

        def lists(pks):
            links = _links(through, source, target, pks)
            wanted = {target_pk for _source_pk, target_pk in links}
            if not wanted <= asked:
                # Read again every related row seen so far, so that one query gives all of them their order.
                asked.update(wanted)
                items = list(related.filter(pk__in=asked))
                labels.update((item.pk, self.label(item)) for item in items)
                position.clear()
                position.update((item.pk, index) for index, item in enumerate(items))
            by_owner = {}
            for source_pk, target_pk in links:
                if target_pk in position:
                    by_owner.setdefault(source_pk, []).append(target_pk)
            # Tuples: a cell's function can then be remembered by its arguments (see remembered()).
            return {
                owner: tuple([labels[pk] for pk in sorted(targets, key=position.__getitem__)])
                for owner, targets in by_owner.items()
            }

        return lists


def _links(through, source, target, pks):
    """(source pk, target pk) of the rows of the many-to-many table `through` whose source is in `pks`.

    On PostgreSQL the primary keys travel as one array parameter: with `IN (%s, %s, …)` each chunk
    of 1,000 rows cost as much to build and parse as to answer.
    """
    connection = connections[router.db_for_read(through)]
    if connection.vendor != "postgresql":
        return list(through._base_manager.filter(**{f"{source}__in": pks}).values_list(source, target))
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    source_column = quote(through._meta.get_field(source).column)
    target_column = quote(through._meta.get_field(target).column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {source_column}, {target_column} FROM {table} WHERE {source_column} = ANY(%s::bigint[])",
            [array_literal(pks)],
        )
        return cursor.fetchall()


def array_literal(pks):
    """PostgreSQL's text form of an array of integer keys, "{1,2,3}": psycopg adapts a list of
    5,000 integers one element at a time (0.3 s of a 42,000-row export), a string at once."""
    return "{" + ",".join(map(str, pks)) + "}"


def among(model, pks):
    """The right side of a `__in` lookup on the primary keys `pks` of a chunk of exported rows.

    On PostgreSQL one array parameter, unnested: with a list of 2,000 parameters the planner reads
    the whole table instead of its index, and each query costs as much to build as to answer.
    """
    if connections[router.db_for_read(model)].vendor != "postgresql":
        return pks
    return RawSQL("SELECT unnest(%s::bigint[])", [array_literal(pks)])


class Chunked:
    """Values read per chunk of exported rows: `read(pks)` gives {row pk: value}; a row it leaves out gets `default`.

    For a to-one relation read under its own visibility, or a reverse relation.
    """

    def __init__(self, read, default=None):
        self.read, self.default = read, default

    def reader(self, model):
        return self.read


class Cell:
    """An export column computed from values of the row: field paths (joins for to-one relations) or Related lists."""

    def __init__(self, function, *inputs):
        self.function, self.inputs = function, inputs

    def function_for(self, model):
        return self.function


class FieldCell(Cell):
    """A field's value as it is (a path through to-one relations)."""

    def __init__(self, path):
        super().__init__(None, path)


def field(path):
    return FieldCell(path)


def or_empty(value):
    """A to-one relation's field, "" where there is no related row."""
    return "" if value is None else value


def choice(path):
    """The choice label of a field of the exported model, in the active language."""
    return ChoiceCell(path)


def choice_labels(model, field_name):
    """A function giving the label of a value of `field_name`'s choices, in the language active now.

    Made once per export (an export is written in one language): the labels are looked up once each.
    """
    choices = dict(make_hashable(model._meta.get_field(field_name).flatchoices))
    labels = {}

    def label(value):
        if value not in labels:
            labels[value] = force_str(choices.get(make_hashable(value), value), strings_only=True)
        return labels[value]

    return label


class ChoiceCell(Cell):
    def __init__(self, path):
        super().__init__(None, path)

    def function_for(self, model):
        return choice_labels(model, self.inputs[0])


class DetailUrl:
    """Each row's public web address: the URL `name` reversed once with a placeholder for `kwarg` (pk or slug)."""

    PLACEHOLDERS = {"pk": "918273645546372819", "slug": "export-url-placeholder"}

    def __init__(self, name, kwarg="pk", field_path=None):
        self.name, self.kwarg, self.path = name, kwarg, field_path or kwarg

    def parts(self):
        placeholder = self.PLACEHOLDERS[self.kwarg]
        return reverse(self.name, kwargs={self.kwarg: placeholder}).split(placeholder)


def uses_values(columns):
    return all(isinstance(getter, Cell) for _key, getter in columns)


def remembered(function, most=5_000):
    """`function` answering again from memory for arguments it has seen (up to `most` of them).

    A cell's function depends only on the row's values, in the export's one language, and the
    same few values recur across thousands of rows (a direction, a sender, a status).
    """
    answers = {}

    def call(*args):
        try:
            return answers[args]
        except KeyError:
            key = args
        except TypeError:  # a list of related rows: its items are the key
            key = tuple(tuple(arg) if isinstance(arg, list) else arg for arg in args)
            try:
                return answers[key]
            except KeyError:
                pass
            except TypeError:  # an argument that cannot be a key
                return function(*args)
        answer = function(*args)
        if len(answers) < most:
            answers[key] = answer
        return answer

    return call


# How _value_rows() computes a cell: most cells read one value or one list, and an export of
# 100,000 rows with a dozen columns computes a million cells, so each kind has its own branch.
FIELD, ONE_VALUE, ONE_LIST, ARGUMENTS = range(4)


def _value_rows(queryset, columns, request, url):
    """The rows as lists of cells (url first when given), from values_list() tuples read in chunks."""
    model = queryset.model
    paths = ["pk"]
    readers = {}
    compiled = []
    for _key, cell in columns:
        getters = []
        for source in cell.inputs:
            if isinstance(source, (Related, Chunked)):
                readers.setdefault(source, source.reader(model))
                getters.append(("related", source))
            else:
                if source not in paths:
                    paths.append(source)
                getters.append(("value", paths.index(source)))
        if isinstance(cell, FieldCell):
            compiled.append((FIELD, None, getters[0][1]))
            continue
        function = cell.function_for(model)
        # A row's own reverse rows (its follow-ups) seldom recur: remembering them costs more than it
        # saves; a choice's labels are looked up once each already (choice_labels()).
        if not isinstance(cell, ChoiceCell) and not any(isinstance(source, Chunked) for source in cell.inputs):
            function = remembered(function)
        if len(getters) == 1:
            kind, at = getters[0]
            compiled.append((ONE_VALUE if kind == "value" else ONE_LIST, function, at))
        else:
            compiled.append((ARGUMENTS, function, getters))
    if url and url.path not in paths:
        paths.append(url.path)
    if url:
        site = request.build_absolute_uri("/")[:-1]
        before, after = url.parts()
        before, url_index = site + before, paths.index(url.path)
    rows = queryset.prefetch_related(None).values_list(*paths).iterator(chunk_size=VALUES_CHUNK_SIZE)
    for chunk in _batches(rows, VALUES_CHUNK_SIZE):
        pks = [row[0] for row in chunk]
        lists = {source: reader(pks) for source, reader in readers.items()}
        for row in chunk:
            pk = row[0]
            cells = [f"{before}{row[url_index]}{after}"] if url else []
            append = cells.append
            for mode, function, at in compiled:
                if mode == FIELD:
                    append(row[at])
                elif mode == ONE_VALUE:
                    append(function(row[at]))
                elif mode == ONE_LIST:
                    append(function(lists[at].get(pk, at.default)))
                else:
                    append(function(*[row[i] if kind == "value" else lists[i].get(pk, i.default) for kind, i in at]))
            yield cells


def _batches(rows, size=BATCH_ROWS):
    """Lists of up to BATCH_ROWS rows: the response is written in chunks of many rows, not one per row."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _csv_stream(keys, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a BOM so spreadsheet programs read UTF-8
    writer.writerow(keys)
    yield buffer.getvalue()
    for batch in _batches(rows):
        buffer.seek(0)
        buffer.truncate()
        # csv_cell() inlined for the common cell, text that is no formula: a call per cell cost 0.3 s
        # of a 42,000-row export.
        writer.writerows(
            [
                value if type(value) is str and not value.startswith(FORMULA_PREFIXES) else csv_cell(value)
                for value in row
            ]
            for row in batch
        )
        yield buffer.getvalue()


def _json_stream(keys, rows):
    yield "["
    separator = "\n"
    for batch in _batches(rows):
        objects = (dict(zip(keys, row, strict=True)) for row in batch)
        yield separator + ",\n".join(json.dumps(obj, ensure_ascii=False, default=str) for obj in objects)
        separator = ",\n"
    yield "\n]\n"


def export_response(fmt, queryset, columns, request, filename, url=None):
    """A StreamingHttpResponse with the queryset as CSV or JSON, read from the database in chunks.

    `columns` is a sequence of (key, getter) pairs; only public fields belong in it. Where every
    getter is a Cell, rows are read as values (see _value_rows) and `url` (a DetailUrl) gives
    their web address; otherwise each row is a model instance and its get_absolute_url() the address.
    """
    keys = [key for key, _getter in columns]
    if uses_values(columns):
        keys = (["url"] if url else []) + keys
        rows = _value_rows(queryset, columns, request, url)
    else:
        keys = (["url"] if hasattr(queryset.model, "get_absolute_url") else []) + keys
        rows = (list(row.values()) for row in _rows(queryset, columns, request))
    if fmt == "csv":
        stream, content_type = _csv_stream(keys, rows), "text/csv; charset=utf-8"
    else:
        stream, content_type = _json_stream(keys, rows), "application/json; charset=utf-8"
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# Tables: a header and rows already computed (a survey's answers, one row per process and question) --


def table_csv_response(header, rows, filename):
    """A CSV download of `rows` under `header`, cells escaped as in the directories' exports."""
    writer = csv.writer(_Echo())
    lines = ["\ufeff", writer.writerow(header), *(writer.writerow([csv_cell(v) for v in row]) for row in rows)]
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_xlsx_response(header, rows, filename, sheet_title="Data"):
    """An XLSX download of `rows` under `header`; text cells a spreadsheet would run as formulas are escaped."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([escape_formula(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
