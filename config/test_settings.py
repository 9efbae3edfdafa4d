"""Settings for the test suite: the real settings, with a key and fast password hashing.

DATABASE_URL and REDIS_URL pass through, so CI runs the same suite on PostgreSQL and Redis.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-deployment-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# A real (SMTP) configuration, as production must have; pytest-django swaps in the in-memory
# outbox, so nothing is sent. Child processes (daphne, manage.py) inherit it.
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:25")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run Celery tasks in-process; the worker/beat wiring is exercised by the task module.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# The audit checkpoints of a test run go to a file of its own, never into the checkout.
AUDIT_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="ao-audit-")) / "checkpoints.jsonl"
