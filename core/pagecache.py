"""A cache of anonymous public pages, invalidated by what each page depends on.

Built on Django's cache framework (`caches`, Redis or local memory, as configured). Django's
own per-site cache (UpdateCacheMiddleware / FetchFromCacheMiddleware) is not used because it
only expires entries after a timeout: a change would show only once its pages time out. What is
kept custom is what Django cannot do: dependency tags checked on every hit, moved on each write,
and the rule of which requests may be shared.

Tags. A *tag* names something a page can depend on: a model ("meetings.meeting", any row of
it), a record ("meetings.meeting:42"), `EVERYTHING` (moved only by `bump_generation()`, for
writes that send no signals) and `ANY_WRITE` (moved by every write). Each tag has a *version*
in the cache: a fresh value written whenever the tag is bumped. A cached page is stored under
its address with the versions of its tags at render time, and served only while every one of
them is unchanged (one `get_many`). Views declare their tags with `depends_on()` (or the
mixins below); a page that declares nothing depends on `ANY_WRITE`, so any write re-renders it.

Rows. Lists need less than "any row of the model": which rows they hold, their order and their
counts change only when a row is added or deleted, or when a field that filters, sorts or
decides visibility changes. Each model has a *rows tag* ("meetings.meeting#rows", `rows_tag()`)
moved only by such writes. A model names in `DISPLAY_ONLY_FIELDS` the fields no directory filters
or sorts on (titles, descriptions, notes, `updated_at`): an update that changes only those moves
its record's tag and not its rows tag, so a retitled meeting re-renders the pages that show it,
not every list of meetings. A display-only field that breaks ties in the model's default order
(a meeting's title after its date) moves instead the *order tag* of the rows sharing its first
sort value ("meetings.meeting#order:2024-11-05"), which lists in that order depend on for each
row they show. A change to a row's rows tag moves the rows tags of the models whose public rule
reads it (`public_rule_reads` on their querysets: a meeting made confidential hides its documents).
A list (`core.directory.DirectoryView`) depends on its model's rows tag, the rows tags of the
models it points to, the records it shows and what those point to; a list searched (`?q=`) or
sorted (`?sort=`) by the visitor depends on the model's tag as before.

Own. A record's tag moves with its own writes and with those of the rows pointing to it (a
document bumps its meeting), as its detail page shows them. A list shows of the rows its rows
point to, and of the records its filters name, only their own fields (a document's meeting by
its title): it depends on their *own tags* ("meetings.meeting:42#own", `own_tag()`), moved only
by writes to that row and to its many-to-many links. A retitled meeting then re-renders the
documents lists showing it, not every list naming its process, its country or its themes.

Writes. A save or delete of a row of the portal's apps bumps its model's tag, its own record's
tag and own tag, and the record tags of the rows it points to (foreign keys, before and after the change,
and the documents its `sources` cite): a document bumps its meeting and its process, so their
pages show it. A many-to-many change bumps both sides. Inside a transaction the same tags are
bumped again at commit, with the many-to-many targets of the rows updated (looked up then,
once per relation): before the commit another request may still read the old rows.

Why signals here, when the portal otherwise keeps side effects out of them: a page can show
rows of any model, and rows are written by the admin, spreadsheet imports, the API, the
exchange workflow, fixtures and the shell. Listening to post_save / post_delete /
m2m_changed for the portal's apps is the one place that sees every one of those paths;
the handler only changes cache keys, never data. Writes that bypass signals
(`QuerySet.update()`, `bulk_create()`) must call `bump_generation()` themselves, as
`generate_synthetic` and the bulk import do.

Only anonymous requests are served from or stored into the cache: a GET without a session or
messages cookie and without an Authorization header, outside the admin, the API and file
downloads. Only complete 200 answers without Set-Cookie are stored, so a page carrying a CSRF
token or a message is never shared.
"""

import functools
import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

from core.languages import CONTENT_LANGUAGES, split_language

TAG_PREFIX = "portal:tag:"
EVERYTHING = f"{TAG_PREFIX}*everything"
ANY_WRITE = f"{TAG_PREFIX}*any-write"
VOCABULARIES = f"{TAG_PREFIX}*vocabularies"
VOCABULARY_MODELS = {"reference", "rcps.process"}  # app labels and model labels
# Apps whose rows public pages show; sessions, auth and login-throttling writes do not count.
WATCHED_APPS = {"reference", "rcps", "meetings", "recommendations", "surveys", "exchange", "practices"}
# The members' area is never shared, not even its private calendar links (a revoked key must stop at once).
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/media/", "/static/", "/documents/files/", "/members/")
# A transaction updating more rows of a model than this, or linking them to more records through
# many-to-many relations, bumps everything at commit instead of those records.
MANY_ROWS = 100
MANY_LINKS = 2_000


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


# Tags ------------------------------------------------------------------------------------


def _label(model):
    return model._meta.concrete_model._meta.label_lower


def model_tag(model):
    return f"{TAG_PREFIX}{_label(model)}"


def record_tag(model, pk):
    return f"{TAG_PREFIX}{_label(model)}:{pk}"


def own_tag(model, pk):
    """The tag of the row itself (see "Own" above): moved by its own writes, not by rows pointing to it."""
    return f"{record_tag(model, pk)}#own"


def rows_tag(model):
    """The tag of which rows of `model` lists hold, in which order (see "Rows" above)."""
    return f"{TAG_PREFIX}{_label(model)}#rows"


def order_tag(model, value):
    """The tag of the order among `model`'s rows whose first sort value is `value`."""
    return f"{TAG_PREFIX}{_label(model)}#order:{value}"


def tags_of(*things):
    """Tags for models (any row of them), records (that row) and tag names ("meetings.meeting")."""
    tags = []
    for thing in things:
        if thing is None:
            continue
        if isinstance(thing, str):
            tags.append(thing if thing.startswith(TAG_PREFIX) else TAG_PREFIX + thing)
        elif isinstance(thing, type) and issubclass(thing, models.Model):
            tags.append(model_tag(thing))
        elif isinstance(thing, models.Model):
            tags.append(record_tag(type(thing), thing.pk))
        else:  # records shown in a list
            tags.extend(tags_of(*thing))
    return tags


# Versions ---------------------------------------------------------------------------------


class VersionFiles:
    """Tag versions as small files in one directory, read by every worker of this host.

    The part of a cache's interface the page cache uses (`get_many`, `get`, `add`, `set_many`).
    A file is read with one `open()`, several times cheaper than Django's FileBasedCache (which
    also reads an expiry and unpickles); a version is replaced by renaming a complete file over it,
    so a reader never sees half of one. Files not bumped for a day are removed now and then: a
    missing version only makes the pages depending on it miss once (see `current_versions`).
    """

    cull_every = 1000

    def __init__(self, directory):
        self.directory = Path(directory)
        self.writes = 0

    def _path(self, tag):
        return self.directory / hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest()

    def get_many(self, tags):
        versions = {}
        for tag in tags:
            try:
                with open(self._path(tag), "rb") as file:
                    version = file.read().decode()
            except OSError:
                continue
            if version:
                versions[tag] = version
        return versions

    def get(self, tag, default=None):
        return self.get_many([tag]).get(tag, default)

    def _written(self, path, version):
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(version.encode())
        return partial

    def add(self, tag, version, timeout=None):
        path = self._path(tag)
        partial = self._written(path, version)
        try:
            os.link(partial, path)  # fails when the file exists: an atomic "add"
            return True
        except FileExistsError:
            return False
        finally:
            partial.unlink(missing_ok=True)

    def set_many(self, versions, timeout=None):
        for tag, version in versions.items():
            path = self._path(tag)
            self._written(path, version).replace(path)
        self.writes += 1
        if self.writes % self.cull_every == 0:
            self.cull()

    def cull(self):
        oldest = time.time() - getattr(settings, "PAGE_CACHE_TIMEOUT", 24 * 60 * 60)
        for path in self.directory.iterdir():
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
            except OSError:
                continue


def version_directory():
    configured = getattr(settings, "PAGE_CACHE_VERSION_DIR", "")
    if configured:
        return configured
    project = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    return str(Path(tempfile.gettempdir()) / f"rcp-portal-pagecache-{project}")


@functools.cache
def _file_versions(directory):
    return VersionFiles(directory)


def version_store():
    """Where tag versions live: the page cache when it is shared (Redis), else files every worker reads.

    Local memory is private to each worker process, so a write handled by one worker would not
    reach the others through it; small files in a directory of this host do.
    """
    cache = page_cache()
    if not isinstance(cache, LocMemCache):
        return cache
    return _file_versions(version_directory())


def _fresh_version():
    # A fresh value (not an increment) needs no atomic counter.
    return str(time.time_ns())


def current_versions(tags):
    """{tag: version} now. A tag without a version (never bumped, or evicted) gets a fresh one,
    so an entry stored under its old version, if any, can never match again."""
    store = version_store()
    versions = store.get_many(tags)
    for tag in tags:
        if tag not in versions:
            fresh = _fresh_version()
            versions[tag] = fresh if store.add(tag, fresh, None) else store.get(tag, fresh)
    return {tag: versions[tag] for tag in tags}


def still_current(versions):
    return version_store().get_many(list(versions)) == versions


def bump(tags):
    fresh = _fresh_version()
    # ANY_WRITE first: a render that saw any of these new versions also sees that one (see the middleware).
    version_store().set_many({ANY_WRITE: fresh, **dict.fromkeys(tags, fresh)}, None)


def bump_generation(**kwargs):
    """Make every cached page and value stale: for writes that send no signals (bulk writes, restores)."""
    bump([EVERYTHING])
    if transaction.get_connection().in_atomic_block:
        _pending_bump().everything = True


# Writes -----------------------------------------------------------------------------------


def _watched(model):
    return model._meta.app_label in WATCHED_APPS


@functools.cache
def _pointer_fields(model):
    """The foreign keys of `model` to watched models: a write bumps the records they point to."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one) and _watched(field.related_model)
    )


@functools.cache
def _many_to_many_fields(model):
    return tuple(field for field in model._meta.many_to_many if _watched(field.related_model))


@functools.cache
def _many_to_many_links(model):
    """(through model, this side's field name, other side's field name, other model) of every
    many-to-many relation between `model` and a watched model, in both directions."""
    links = [
        (field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name(), field.related_model)
        for field in _many_to_many_fields(model)
    ]
    for relation in model._meta.related_objects:
        if relation.many_to_many and _watched(relation.related_model):
            field = relation.field
            this_side, other_side = field.m2m_reverse_field_name(), field.m2m_field_name()
            links.append((field.remote_field.through, this_side, other_side, relation.related_model))
    return tuple(links)


def _cited_documents(sources):
    if not isinstance(sources, list):
        return []
    cited = [source.get("document") for source in sources if isinstance(source, dict)]
    return [pk for pk in cited if isinstance(pk, int | str) and pk]


@functools.cache
def _display_only(model):
    """The attnames of `model`'s DISPLAY_ONLY_FIELDS, with their French and Spanish columns."""
    names = set(getattr(model, "DISPLAY_ONLY_FIELDS", ()))
    fields = {field.name: field for field in model._meta.concrete_fields}
    translated = {f"{name}_{language}" for name in names for language in CONTENT_LANGUAGES}
    return frozenset(fields[name].attname for name in names | translated if name in fields)


@functools.cache
def _rows_attnames(model):
    """The columns of `model` whose change can change which rows a list holds or their order."""
    display = _display_only(model)
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname not in display)


@functools.cache
def _order_ties(model):
    """(first sort field's attname, display-only attnames later in the default order) of `model`."""
    ordering = [name.lstrip("-") for name in model._meta.ordering if isinstance(name, str)]
    if not ordering or not _display_only(model):
        return None, ()
    fields = {field.name: field.attname for field in model._meta.concrete_fields}
    first = fields.get(ordering[0])
    ties = tuple(fields[name] for name in ordering[1:] if fields.get(name) in _display_only(model))
    return (first, ties) if first and first not in _display_only(model) else (None, ())


MISSING = object()


def _snapshot(model, values):
    first, ties = _order_ties(model)
    return tuple(values.get(attname, MISSING) for attname in (*_rows_attnames(model), *ties))


def _remember_loaded(sender, instance, **kwargs):
    """The foreign keys and citations as loaded, so a row moved elsewhere also bumps where it was;
    and, for a model with display-only fields, what lists read of it, to tell which kind of write a save is."""
    values = instance.__dict__  # never getattr: a deferred field would be read from the database
    pointers = tuple(values.get(field.attname) for field in _pointer_fields(sender))
    instance._pagecache_loaded = (pointers, _cited_documents(values.get("sources")))
    if _display_only(sender):
        instance._pagecache_rows = _snapshot(sender, values)


@functools.cache
def _public_rule_dependents(model):
    """The models whose public rule reads rows of `model`, directly or through another one."""
    direct = {}
    for other in apps.get_models():
        reads = getattr(type(other._default_manager.all()), "public_rule_reads", ())
        for label in reads:
            direct.setdefault(apps.get_model(label), []).append(other)
    found, todo = [], list(direct.get(model, ()))
    while todo:
        other = todo.pop()
        if other not in found:
            found.append(other)
            todo.extend(direct.get(other, ()))
    return tuple(found)


def rows_tags_of_write(model):
    """The rows tags a write that changes which rows of `model` lists hold moves (see "Rows")."""
    return {rows_tag(model), *(rows_tag(other) for other in _public_rule_dependents(model))}


def _list_tags_of_update(instance):
    """What an update of `instance` moves of the lists' tags: its rows tags, an order tag, or nothing."""
    model = type(instance)
    loaded = getattr(instance, "_pagecache_rows", None)
    if loaded is None:
        return rows_tags_of_write(model)
    values = instance.__dict__
    current = _snapshot(model, values)
    rows = len(_rows_attnames(model))
    if loaded[:rows] != current[:rows] or MISSING in current:
        return rows_tags_of_write(model)
    if loaded[rows:] != current[rows:]:
        first, _ties = _order_ties(model)
        return {order_tag(model, values[first])}
    return set()


def _vocabulary(model):
    return model._meta.app_label in VOCABULARY_MODELS or _label(model) in VOCABULARY_MODELS


def tags_of_write(instance, updated=False):
    """The tags a save (`updated`: of a row already saved) or a delete of `instance` moves."""
    model = type(instance)
    tags = {model_tag(model), record_tag(model, instance.pk), own_tag(model, instance.pk)}
    tags |= _list_tags_of_update(instance) if updated else rows_tags_of_write(model)
    if _vocabulary(model):
        tags.add(VOCABULARIES)
    fields = _pointer_fields(model)
    loaded_pointers, loaded_citations = getattr(instance, "_pagecache_loaded", ((), ()))
    values = instance.__dict__  # never getattr: a deferred field would be read from the database
    for index, field in enumerate(fields):
        loaded = loaded_pointers[index] if index < len(loaded_pointers) else None
        for target in {values.get(field.attname), loaded} - {None}:
            tags.add(record_tag(field.related_model, target))
    cited = {*_cited_documents(values.get("sources")), *loaded_citations}
    if cited:
        document = apps.get_model("meetings", "Document")
        tags.update(record_tag(document, pk) for pk in cited)
    return tags


class _PendingBump:
    """The tags a transaction's writes bumped, bumped again when it commits (one callback per transaction)."""

    def __init__(self):
        self.tags = set()
        self.updated = {}  # model: primary keys of rows updated (their many-to-many targets are looked up)
        self.everything = False
        self.done = False

    def __call__(self):
        self.done = True
        tags = set(self.tags)
        for model, pks in self.updated.items():
            tags.update(self.many_to_many_targets(model, pks))
        if self.everything:
            tags.add(EVERYTHING)
        bump(tags)

    @staticmethod
    def many_to_many_targets(model, pks):
        """Tags of the records linked to rows `pks` of `model` through many-to-many relations.

        Past MANY_ROWS rows or linked records, everything instead: a page depends on the
        records it shows, not on their models.
        """
        if len(pks) > MANY_ROWS:
            return {EVERYTHING}
        tags = set()
        for through, this_side, other_side, other_model in _many_to_many_links(model):
            linked = through._base_manager.filter(**{f"{this_side}__in": pks}).values_list(other_side, flat=True)
            tags.update(record_tag(other_model, pk) for pk in set(linked))
        return tags if len(tags) <= MANY_LINKS else {EVERYTHING}


def _pending_bump():
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _PendingBump) and not entry[1].done:
            return entry[1]
    pending = _PendingBump()
    transaction.on_commit(pending)
    return pending


def _write(tags, updated=None):
    """Bump `tags` now and, inside a transaction, again at commit; autocommit writes are already visible.

    `updated`: a row updated (not created): the records its many-to-many fields point to are
    bumped too, looked up at commit.
    """
    bump(tags)
    looked_up = updated is not None and _many_to_many_links(type(updated))
    if transaction.get_connection().in_atomic_block:
        pending = _pending_bump()
        pending.tags.update(tags)
        if looked_up:
            pending.updated.setdefault(type(updated), set()).add(updated.pk)
    elif looked_up:
        bump(_PendingBump.many_to_many_targets(type(updated), {updated.pk}))


def _on_save(sender, instance, created, raw=False, **kwargs):
    if _watched(sender):
        updated = not (created or raw)
        _write(tags_of_write(instance, updated=updated), updated=instance if updated else None)
        _remember_loaded(sender, instance)  # the next save of this instance compares with this one


def _on_delete(sender, instance, **kwargs):
    if _watched(sender):
        # Its many-to-many links are gone by now, and deletes are rare: everything, when it had any.
        _write(tags_of_write(instance) | ({EVERYTHING} if _many_to_many_links(sender) else set()))


def _on_m2m_write(sender, instance, action, model, pk_set, **kwargs):
    # `sender` is the through model; post_* actions only, when the rows have changed.
    if not action.startswith("post_") or not (_watched(type(instance)) or _watched(model)):
        return
    tags = {model_tag(type(instance)), record_tag(type(instance), instance.pk), model_tag(model)}
    tags |= rows_tags_of_write(type(instance)) | rows_tags_of_write(model)  # lists filter through these links
    if _vocabulary(type(instance)) or _vocabulary(model):
        tags.add(VOCABULARIES)
    if action == "post_clear":  # which rows were unlinked is not known any more (and clear() is rare)
        tags.add(EVERYTHING)
    tags.add(own_tag(type(instance), instance.pk))
    # Both sides' own tags: each one's list rows show the other's names (a meeting its themes).
    tags.update(tag for pk in pk_set or () for tag in (record_tag(model, pk), own_tag(model, pk)))
    _write(tags)


def connect_signals():
    post_save.connect(_on_save, dispatch_uid="portal.pagecache.post_save")
    post_delete.connect(_on_delete, dispatch_uid="portal.pagecache.post_delete")
    m2m_changed.connect(_on_m2m_write, dispatch_uid="portal.pagecache.m2m_changed")
    for model in apps.get_models():
        if _watched(model) and (_pointer_fields(model) or hasattr(model, "sources") or _display_only(model)):
            post_init.connect(_remember_loaded, sender=model, dispatch_uid=f"portal.pagecache.{model._meta.label}")


# What pages depend on --------------------------------------------------------------------


def depends_on(request, *things):
    """Declare that the page answering `request` shows `things` (models, records, tag names)."""
    request.__dict__.setdefault("_pagecache_tags", set()).update(tags_of(*things))


@functools.cache
def related_models(model):
    """The watched models `model` points to (foreign keys and many-to-many fields): what its lists show.

    The vocabularies among them are left to their one tag (`vocabularies()`), which lists also depend on.
    """
    fields = (*_pointer_fields(model), *_many_to_many_fields(model))
    return tuple({field.related_model: None for field in fields if not _vocabulary(field.related_model)})


def pointed_records(instance, tag=record_tag):
    """Tags of the records `instance`'s foreign keys point to (its meeting, its process …);
    `tag=own_tag`: of those rows themselves, for a page showing only their own fields (a list)."""
    values = instance.__dict__
    return [
        tag(field.related_model, values[field.attname])
        for field in _pointer_fields(type(instance))
        if values.get(field.attname) is not None
    ]


def _effective_ordering(queryset):
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    return [name for name in ordering if name not in ("pk", "-pk")]


def list_dependencies(queryset, rows):
    """What a list page showing `rows` (a page of `queryset`) depends on besides its rows tags: the
    records it shows, the rows they point to (their own tags: a list shows a document's meeting by
    its title, not what else points to that meeting) and, in the model's default order, the order
    tags of their first sort values. In another order that reads a display-only field, the model's tag."""
    model = queryset.model
    rows = [row for row in rows if isinstance(row, models.Model)]
    shown = [] if _vocabulary(model) else tags_of(rows)  # a vocabulary's rows: its one tag
    tags = [*shown, *(tag for row in rows for tag in pointed_records(row, own_tag))]
    display = _display_only(model)
    if not display:
        return tags
    ordering = _effective_ordering(queryset)
    first, ties = _order_ties(model)
    if ordering == list(model._meta.ordering) and first and ties:
        tags += {order_tag(model, row.__dict__.get(first)) for row in rows}
    elif any(not isinstance(name, str) or name.lstrip("-").split("__")[0] in display for name in ordering):
        tags.append(model_tag(model))
    return tags


def vocabularies():
    """The tag of the reference data (countries, regions, themes …) and the processes: small tables
    whose names pages show on their other rows, and that change rarely. One tag for them all."""
    return (VOCABULARIES,)


def declared_tags(request):
    return request.__dict__.get("_pagecache_tags") or {ANY_WRITE}


class PageDependenciesMixin:
    """For class-based views: the page depends on its object and on `depends_on_models`.

    A detail page depends on its record and the records its foreign keys point to; it need not
    list the rows that point to its object (a meeting's documents, a country's participations) or
    are linked to it through a many-to-many relation (a meeting's processes), since writing them
    bumps its record. It depends on the vocabularies (any row of them). Anything else it shows
    goes into `depends_on_models` (any row of those models).
    """

    depends_on_models = ()
    # `own_tag` for a page showing of the records its object points to only their own fields
    # (a dispatch its sender's name): what else points to them does not re-render it.
    pointed_tag = staticmethod(record_tag)

    def page_dependencies(self):
        record = getattr(self, "object", None)
        if not isinstance(record, models.Model):
            return [*vocabularies(), *self.depends_on_models]
        return [record, *pointed_records(record, self.pointed_tag), *vocabularies(), *self.depends_on_models]

    def get_context_data(self, **kwargs):
        depends_on(self.request, *self.page_dependencies())
        return super().get_context_data(**kwargs)


# The middleware --------------------------------------------------------------------------


def cacheable_request(request):
    if not getattr(settings, "PAGE_CACHE_ENABLED", True) or request.method != "GET":
        return False
    _language, path = split_language(request.path)  # /fr/documents/files/… is a download too
    if path.startswith(EXCLUDED_PREFIXES) or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cache_key(request):
    # The page's language is its address's (/fr/…, /es/…, English unprefixed), never the browser's:
    # PreferredLanguageRedirectMiddleware has already sent a French browser to /fr/.
    language, _path = split_language(request.path)
    # The host and scheme are part of the page (canonical links, absolute URLs in feeds).
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"portal:page:{language}:{digest}"


def cacheable_response(response):
    return response.status_code == 200 and not response.streaming and not response.cookies


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the cache; store what is safe to share."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_TIMEOUT", 24 * 60 * 60)

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        cache = page_cache()
        key = cache_key(request)
        entry = cache.get(key)
        if entry is not None and still_current(entry[0]):
            response = entry[1]
            # Feeds and calendars: a conditional request still gets its 304 from the cached copy.
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        # The page's tags are known only once it is rendered, so their versions are read after
        # it; a write during the render moves ANY_WRITE (bumped first, read last): not stored then.
        before = current_versions([ANY_WRITE])[ANY_WRITE]
        response = self.get_response(request)
        if cacheable_response(response):  # the response is rendered by now (the handler renders it)
            tags = declared_tags(request) - {ANY_WRITE}
            versions = current_versions([*tags, EVERYTHING, ANY_WRITE])
            if versions[ANY_WRITE] == before:
                if ANY_WRITE not in declared_tags(request):
                    del versions[ANY_WRITE]
                cache.set(key, (versions, response), self.timeout)
        return response


# Values computed from the data (option lists, figures) ---------------------------------
# "Themes of public meetings" and the like scan the large tables on every request; their
# answer changes only when data does, so it is cached with the versions of what it reads.


def cached_value(name, compute, depends_on=()):
    """`compute()`, cached until a write to the models `depends_on` lists (any write when none)."""
    if not getattr(settings, "CHOICE_CACHE_ENABLED", True):
        return compute()
    cache = page_cache()
    key = f"portal:value:{hashlib.sha256(name.encode()).hexdigest()}"
    versions = current_versions([*(tags_of(*depends_on) or [ANY_WRITE]), EVERYTHING])  # before reading the data
    entry = cache.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    cache.set(key, (versions, value), getattr(settings, "PAGE_CACHE_TIMEOUT", 24 * 60 * 60))
    return value


def versions_digest(*things):
    """A short fingerprint of the current versions of `things`' tags, for keys of cached fragments."""
    versions = current_versions([*(tags_of(*things) or [ANY_WRITE]), EVERYTHING])
    return hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:16]


def cached_subset(name, model, subset, depends_on=()):
    """A filter `queryset=` callable: rows of `model` whose primary keys `subset()` selects, cached.

    The cached query runs once per change of which rows it reads (the rows tags of the models
    `depends_on` lists, and of `model`); each request then reads `model` by primary key (a small
    table: themes, countries, processes), in the model's own order, so renamed options show at once.
    """

    def queryset(request=None):
        if not getattr(settings, "CHOICE_CACHE_ENABLED", True):
            return subset()
        dependencies = [rows_tag(other) for other in (model, *depends_on)] if depends_on else ()
        ids = cached_value(name, lambda: list(subset().values_list("pk", flat=True)), dependencies)
        return model.objects.filter(pk__in=ids)

    return queryset


def anonymous_value(request, name, compute, depends_on=()):
    """`cached_value()` for anonymous readers, per language; computed live for signed-in readers.

    For the sections of public pages: a signed-in participant also reads participants-only rows,
    and staff preview drafts, so what they see is never stored nor served from the cache.
    """
    if request.user.is_authenticated:
        return compute()
    return cached_value(f"{name}:{get_language()}", compute, depends_on)
