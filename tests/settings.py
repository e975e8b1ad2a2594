"""Settings for the test suite: the real settings, with a throw-away data folder and fast hashing."""

import os
import tempfile

os.environ.setdefault("TORSION_DATA_DIR", tempfile.mkdtemp(prefix="torsion-test-"))
os.environ.setdefault("TORSION_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from torsion.web.settings import *  # noqa: E402,F403

# Hashing cost is irrelevant to what the tests check; the real settings' argon2 is tested separately.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "WARNING"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Run in the database named by the URL itself (a fresh one per CI run), not in a "test_" copy.
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}
