"""Test settings: the production configuration with fast hashing and plain http."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from .base import *  # noqa: E402,F403

if "bench" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("bench")  # noqa: F405

# The test client speaks plain http; the redirect itself is checked in test_security.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collected static files in tests; WhiteNoise serves nothing and the finders do the rest.
STATIC_ROOT = None
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Pages are rendered afresh in tests; tests/portal/test_pagecache.py switches the cache on.
PAGE_CACHE_ENABLED = False
CHOICE_CACHE_ENABLED = False
# Tag versions of this test process alone: two runs at once in one checkout must not bump each other's.
PAGE_CACHE_VERSION_DIR = tempfile.mkdtemp(prefix="rcp-portal-test-versions-")
# Each test run counts rate limits in its own memory (tests/conftest.py clears every cache).
CACHES = {**CACHES, "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}}  # noqa: F405
