"""Settings for the test suite: the production settings with test-only secrets."""

import os

os.environ.setdefault("SECRET_KEY", "insecure-test-only-key")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Tests serve no collected static files; WhiteNoise would warn about the missing folder.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Per-process caches: the pinned query counts of the API and pages count no cache queries.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api-responses",
        "TIMEOUT": 300,
    },
}
# Jobs run when enqueued (after commit); tests of the queue itself switch to the database.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["default"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.InMemoryStorage",
}
# The test client speaks plain http without a proxy.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
