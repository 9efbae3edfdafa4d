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

# Under pytest-xdist each worker process has its own test database (pytest-django suffixes the
# name); it needs its own Redis namespace too, or one worker's websocket test would receive
# another's pushes. Set in the environment so the daphne processes the tests start inherit it.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_prefix = os.environ.get("CHANNELS_PREFIX", "action-office")
if _worker and not _prefix.endswith(f"-{_worker}"):
    os.environ["CHANNELS_PREFIX"] = f"{_prefix}-{_worker}"

from config.settings import *  # noqa: E402, F403

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

# Audit rows are linked by the committing thread: a test sees the chain as soon as it commits.
AUDIT_LINK_IN_BACKGROUND = False

# The test process keeps one connection per thread, as Django's test cases expect (they wrap
# each test in a transaction on that connection); the servers the tests start use the pool.
_options = DATABASES["default"].get("OPTIONS")  # noqa: F405
if isinstance(_options, dict):
    _options.pop("pool", None)

# WhiteNoise looks static files up when asked instead of listing STATIC_ROOT when its middleware
# is built: the test client builds the middleware anew for every client, and a checkout where
# `collectstatic` once ran (`make serve`, the benchmarks) made each one list a thousand files.
WHITENOISE_AUTOREFRESH = True
