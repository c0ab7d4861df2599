"""A cache of anonymous public pages that any write to the portal's data invalidates at once.

Built on Django's cache framework (`caches`, Redis or local memory, as configured). Django's
own per-site cache (UpdateCacheMiddleware / FetchFromCacheMiddleware) is not used because it
only expires entries after a timeout: a change would show only once its pages time out. What is
kept custom is only what Django cannot do: the generation in every key, moved on each write, and
the rule of which requests may be shared.

Every cached page's key contains a *generation*: a value stored in the cache and replaced
whenever a row of the portal's own apps is saved or deleted or a many-to-many set changes.
A write therefore makes every cached page unreachable on the very next request
(invalidation, not expiry); the stale entries simply age out of the cache.

Why signals here, when the portal otherwise keeps side effects out of them: a page can show
rows of any model, and rows are written by the admin, spreadsheet imports, the API, the
exchange workflow, fixtures and the shell. Listening to post_save / post_delete /
m2m_changed for the portal's apps is the one place that sees every one of those paths;
the handler only changes a cache key, never data. Writes that bypass signals
(`QuerySet.update()`, `bulk_create()`) must call `bump_generation()` themselves, as
`generate_synthetic` does.

Only anonymous requests are served from or stored into the cache: a GET without a session or
messages cookie and without an Authorization header, outside the admin, the API and file
downloads. Only complete 200 answers without Set-Cookie are stored, so a page carrying a CSRF
token or a message is never shared.
"""

import hashlib
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from core.languages import split_language

GENERATION_KEY = "portal:pagecache:generation"
# Apps whose rows public pages show; sessions, auth and login-throttling writes do not count.
WATCHED_APPS = {"reference", "rcps", "meetings", "recommendations", "surveys", "exchange", "practices"}
# The members' area is never shared, not even its private calendar links (a revoked key must stop at once).
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/media/", "/static/", "/documents/files/", "/members/")


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def generation_file():
    """Where the generation lives when the cache is local memory: a file every worker of this host reads.

    Local memory is private to each worker process, so a write handled by one worker would not
    reach the others through it; a few bytes in a file do (one small read per request).
    """
    configured = getattr(settings, "PAGE_CACHE_GENERATION_FILE", "")
    if configured:
        return Path(configured)
    project = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"rcp-portal-pagecache-{project}"


def _shared_cache():
    return not isinstance(page_cache(), LocMemCache)


def current_generation():
    if _shared_cache():
        generation = page_cache().get(GENERATION_KEY)
    else:
        try:
            generation = generation_file().read_text() or None
        except OSError:
            generation = None
    return generation if generation is not None else bump_generation()


def bump_generation(**kwargs):
    """Make every cached page stale. A fresh value (not an increment) needs no atomic counter."""
    generation = str(time.time_ns())
    if _shared_cache():
        page_cache().set(GENERATION_KEY, generation, None)
    else:
        path = generation_file()
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(generation)
        partial.replace(path)  # atomic: a reader never sees a half-written value
    return generation


def _on_write(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        bump_generation()
        _bump_again_on_commit()


def _bump_on_commit():
    bump_generation()


def _bump_again_on_commit():
    """Bump once more when the transaction commits.

    Between the write and the commit another request may still read the old rows and store
    them under the new generation; the bump at commit makes that copy unreachable too.
    One callback per transaction, however many rows it writes.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: the write is already visible
    if any(entry[1] is _bump_on_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump_on_commit)


def _on_m2m_write(sender, action, **kwargs):
    # `sender` is the through model; post_* actions only, when the rows have changed.
    if action.startswith("post_"):
        _on_write(sender)


def connect_signals():
    post_save.connect(_on_write, dispatch_uid="portal.pagecache.post_save")
    post_delete.connect(_on_write, dispatch_uid="portal.pagecache.post_delete")
    m2m_changed.connect(_on_m2m_write, dispatch_uid="portal.pagecache.m2m_changed")


def cacheable_request(request):
    if not getattr(settings, "PAGE_CACHE_ENABLED", True) or request.method != "GET":
        return False
    _language, path = split_language(request.path)  # /fr/documents/files/… is a download too
    if path.startswith(EXCLUDED_PREFIXES) or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cache_key(request, generation):
    # The page's language is its address's (/fr/…, /es/…, English unprefixed), never the browser's:
    # PreferredLanguageRedirectMiddleware has already sent a French browser to /fr/.
    language, _path = split_language(request.path)
    # The host and scheme are part of the page (canonical links, absolute URLs in feeds).
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"portal:page:{generation}:{language}:{digest}"


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
        key = cache_key(request, current_generation())
        response = cache.get(key)
        if response is not None:
            # Feeds and calendars: a conditional request still gets its 304 from the cached copy.
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        response = self.get_response(request)
        if cacheable_response(response):  # the response is rendered by now (the handler renders it)
            cache.set(key, response, self.timeout)
        return response


# Option lists of filter forms ---------------------------------------------------------
# "Themes of public meetings" and the like scan the large tables on every request; their
# answer changes only when data does, so it is cached under the same generation as pages.


def cached_value(name, compute):
    """`compute()`, cached until the next write to the portal's data."""
    if not getattr(settings, "CHOICE_CACHE_ENABLED", True):
        return compute()
    cache = page_cache()
    key = f"portal:value:{current_generation()}:{hashlib.sha256(name.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, getattr(settings, "PAGE_CACHE_TIMEOUT", 24 * 60 * 60))
    return value


def cached_subset(name, model, subset):
    """A filter `queryset=` callable: rows of `model` whose primary keys `subset()` selects, cached.

    The cached query runs once per generation; each request then reads `model` by primary key
    (a small table: themes, countries, processes), in the model's own order.
    """

    def queryset(request=None):
        if not getattr(settings, "CHOICE_CACHE_ENABLED", True):
            return subset()
        ids = cached_value(name, lambda: list(subset().values_list("pk", flat=True)))
        return model.objects.filter(pk__in=ids)

    return queryset
