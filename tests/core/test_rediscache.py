"""core.rediscache: Django's Redis backend with one client per connection pool."""

import subprocess
import sys

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from core.rediscache import RedisCache


def test_the_backend_keeps_one_client_per_pool_and_is_django_s_backend():
    cache = RedisCache("redis://127.0.0.1:6379/9,redis://127.0.0.1:6379/10", {})
    assert isinstance(cache, DjangoRedisCache)
    client = cache._cache
    writer = client.get_client("a", write=True)
    assert client.get_client("b", write=True) is writer  # the first server takes the writes
    assert writer.connection_pool is client._get_connection_pool(write=True)
    readers = {id(client.get_client("c")) for _ in range(20)}
    assert len(readers) <= 2  # one per server, never one per call


def settings_read_afresh(**environment):
    """The cache backend and session engine a fresh process configures with `environment`."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    completed = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": "", **environment},
        check=True,
    )
    return completed.stdout.split()


def test_the_settings_choose_it_and_cached_sessions_when_a_redis_url_is_set():
    assert settings_read_afresh(REDIS_URL="redis://127.0.0.1:6379/9") == [
        "core.rediscache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_without_redis_sessions_stay_in_the_database_alone():
    """A worker's local-memory copy of a session would outlive a sign-out seen by another worker."""
    assert settings_read_afresh() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]
