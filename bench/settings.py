"""Settings for benchmark runs: production settings served over plain http on loopback.

Used by `manage.py bench` for the gunicorn workers it starts and for its own
query counting, so both see the same configuration.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-never-used-in-production-0123456789")
os.environ.setdefault("DEBUG", "false")

from portal.settings.base import *  # noqa: E402,F403

if "bench" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("bench")  # noqa: F405

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Loopback http: no TLS redirect, no Secure-only cookies (the admin benchmarks send a session cookie).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
# Measure the application, not static file hashing.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
