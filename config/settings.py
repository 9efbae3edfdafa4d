"""Settings for Action Office, read from the environment (see .env.example).

With no DATABASE_URL / REDIS_URL the project runs on the embedded default: SQLite and the
in-memory channel layer, with background jobs run eagerly. That is the single-user demo; a
school deploys on PostgreSQL and Redis.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# `make run` (DEBUG on) shows the pages people see in production for 403, 404 and 500, not
# Django's technical pages with the URL list (config/middleware.py).
FRIENDLY_ERROR_PAGES = env_bool("FRIENDLY_ERROR_PAGES", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY: required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Our config: collectstatic leaves out viewflow's vendored sources (see config/apps.py).
    "config.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "rest_framework",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "viewflow",
    "viewflow.workflow",
    "casework",
    "workflows",
    "counselling",
    "support",
    "plans",
]

MIDDLEWARE = [
    # GET /health/ for the balancer and the service manager: answered before the host check
    # and the HTTPS redirect, with one SELECT 1 and a Redis PING (config/health.py).
    "config.health.HealthCheckMiddleware",
    "config.middleware.FriendlyErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "casework.middleware.RequestIdMiddleware",
    "config.logs.AccessLogMiddleware",
    # Below WhiteNoise: static files keep their long cache; every page, API answer and PDF
    # (personal data, all of them) is no-store, with the CSP and Permissions-Policy headers.
    "csp.middleware.CSPMiddleware",
    "config.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session verified by a second factor; a superuser's unverified session reaches
    # only the two-factor enrolment page (casework/services/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.TwoFactorRequiredMiddleware",
    # Every page needs a login, except those marked otherwise (login, language switch); the
    # API's views opt out and answer 401/403 as JSON themselves.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "config.middleware.StopIterationGuardMiddleware",
    # Last: turns a sign-in refused by the lock-out into the page or JSON that says so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.web.context.live",
                "counselling.context.nav",
                "support.context.nav",
                "plans.context.nav",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default is one person clicking through a demo; give concurrent requests
    # of that one person a moment instead of an immediate "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["timeout"] = 20  # type: ignore[index]
else:
    # A pool of connections per process (psycopg's pool through Django's OPTIONS): without it
    # every request opens a new PostgreSQL connection, about 5 ms and 2 ms of server CPU each.
    # CONN_MAX_AGE is no answer under ASGI (each request runs in its own thread, and the
    # connections it leaves behind are never reused). A deployment needs, per worker process,
    # up to DATABASE_POOL_MAX connections, plus one per Celery worker process.
    if env_bool("DATABASE_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["pool"] = {  # type: ignore[index]
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "casework.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out user name or client before any password is
# checked, so the right password does not get through a lock-out either.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after AXES_FAILURE_LIMIT wrong passwords for AXES_COOLOFF_MINUTES after the latest
# failure, per user name from any address. Per client address too only with
# LOGIN_LOCKOUT_PER_CLIENT=1: a school's staff usually share one public address (NAT), and there
# five wrong passwords typed by anyone would lock the whole school out. Behind a proxy set
# AXES_IPWARE_PROXY_COUNT to the number of proxies so the client's address is the real one.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = ["username"]
if env_bool("LOGIN_LOCKOUT_PER_CLIENT", False):
    AXES_LOCKOUT_PARAMETERS.append("ip_address")
else:
    # axes warns without an address among the parameters, for lock-outs keyed on a user agent
    # or a cookie that an attacker can rotate. Ours is keyed on the user name, which a guesser
    # cannot rotate without guessing another account; the reason for leaving the address out
    # is above.
    SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_SENSITIVE_PARAMETERS = ["password", "token", "otp_token"]
# Password-reset requests: at most this many an hour per client address and per e-mail.
PASSWORD_RESET_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_LIMIT_PER_HOUR", 5)
# API tokens expire this many hours after sign-in (a password change revokes them sooner).
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 7 * 24)

# The issuer name the authenticator app shows next to the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Action Office")

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Romanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates are written one way on the Romanian pages (config/formats/ro/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Bucharest")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# viewflow ships source maps that reference files it does not ship; keep the .map files and
# let the manifest storage leave unresolvable references alone (see docs/DEPLOYMENT.md).
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = DEBUG

REDIS_URL = env_redis_url("REDIS_URL")

if REDIS_URL:
    # redis-py 8 defaults to a 5 s socket timeout, the same as channels-redis' blocking wait:
    # idle consumers would die with TimeoutError. Give the socket more room than the wait.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": env_str("CHANNELS_PREFIX", "action-office"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # One Redis may serve several deployments (or test runs): the same namespace as
            # the channel layer keeps their throttles and caches apart.
            "KEY_PREFIX": env_str("CHANNELS_PREFIX", "action-office"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs: Celery on Redis when there is one; in the embedded default they run
# eagerly in the calling process (and `manage.py run_due_jobs` does the periodic work).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "run-due-jobs": {"task": "workflows.tasks.run_due_jobs", "schedule": 300.0},
    # Report steps are due in days, not minutes: once an hour reminds in good time.
    "report-reminders": {"task": "counselling.tasks.send_report_reminders", "schedule": 3600.0},
    # A plan's terms begin on a day, and its indicators turn at risk by the day: hourly is enough.
    "plan-reminders": {"task": "plans.tasks.send_plan_reminders", "schedule": 3600.0},
    # The audit trail's head is signed outside the database every few minutes (a deleted newest
    # row is caught once checkpointed), and the whole chain is verified every night.
    "audit-checkpoint": {"task": "casework.tasks.audit_checkpoint", "schedule": 300.0},
    # Rows are linked onto the chain right after their commit; this links any a worker that
    # stopped in between left behind.
    "audit-link": {"task": "casework.tasks.audit_link", "schedule": 60.0},
    "audit-verify": {
        "task": "casework.tasks.audit_verify",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every assessment goes stale at midnight; recomputing them at night spares the first list
    # of the morning from doing it while someone waits (docs/PERFORMANCE.md, county rehearsal).
    "risk-recompute": {
        "task": "casework.tasks.risk_recompute",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Where the audit trail's signed checkpoints are appended, and the key that signs them. Both
# live outside the database so that its owner can neither forge nor remove a checkpoint.
AUDIT_CHECKPOINT_FILE = Path(
    env_str("AUDIT_CHECKPOINT_FILE") or BASE_DIR / "var" / "audit-checkpoints.jsonl"
)
AUDIT_CHECKPOINT_KEY = env_str("AUDIT_CHECKPOINT_KEY")
# Audit rows are linked onto the hash chain after their transaction commits: by a thread of the
# worker that wrote them (off the request's path), or, when off, by the committing thread itself.
# On SQLite (the embedded default) a second writer thread only meets "database is locked": there
# the committing thread links.
AUDIT_LINK_IN_BACKGROUND = env_bool(
    "AUDIT_LINK_IN_BACKGROUND",
    default=DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
)
ADMINS = [("", email) for email in env_list("ADMIN_EMAILS", [])]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.api.token_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "casework.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Action Office API",
    "DESCRIPTION": "Case management for the action offices that prevent drop-out in VET schools.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: no CDN, works on a closed school network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "casework.models.case.Stage.choices",
        "LibraryEntryStatusEnum": "casework.models.library.LIBRARY_STATUS_CHOICES",
        "RiskLevelEnum": "casework.models.risk.RiskLevel.choices",
        "MeetingKindEnum": "workflows.api.enums.MEETING_KINDS",
        "MeetingStatusEnum": "workflows.api.enums.MEETING_STATUSES",
        "DecisionKindEnum": "workflows.api.enums.DECISION_KINDS",
        "AttendanceStatusEnum": "workflows.api.enums.ATTENDANCE_STATUSES",
        "AttendanceRecordEnum": "workflows.api.meetings.ATTENDANCE_RECORDED",
        "ReferralStatusEnum": "casework.api.enums.REFERRAL_STATUSES",
        "ObjectiveStatusEnum": "casework.api.enums.OBJECTIVE_STATUSES",
        "TimelineKindEnum": "casework.api.enums.TIMELINE_KINDS",
        "SignalKindEnum": "casework.models.signals.SignalKind.choices",
        "FunctionEnum": "casework.models.case.Function.choices",
        "ActivityKindEnum": "counselling.models.ActivityKind.choices",
        "ReportKindEnum": "counselling.models.ReportKind.choices",
        "ReportStatusEnum": "counselling.models.ReportStatus.choices",
        "OpportunityKindEnum": "support.kinds.Kind.choices",
        "PartnerKindEnum": "support.models.PartnerKind.choices",
        "ParticipationStatusEnum": "support.models.Status.choices",
        "EnrolmentStatusEnum": "casework.models.student.Enrolment.choices",
        "PositionEnum": "casework.models.positions.PositionKind.choices",
    },
}

# Security. Off-DEBUG defaults are the safe ones; a deployment behind a TLS-terminating proxy
# sets SECURE_PROXY_SSL_HEADER_ENABLED=1 and keeps the rest.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): scripts only from our own static files — no template
# has an inline script or event handler (tests/config/test_headers.py checks). Inline *styles*
# stay allowed: viewflow's Material templates use style attributes, and a style cannot run code.
# The websocket is same-origin ('self' covers ws:/wss: to this host in current browsers).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features the product never uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The case library: entries must describe at least k students of the school's register
# (k-anonymity), and exports name this organisation as their publisher.
LIBRARY_K_ANONYMITY = env_int("LIBRARY_K_ANONYMITY", 5)
LIBRARY_ORGANISATION_NAME = env_str("LIBRARY_ORGANISATION_NAME", "Action Office")
# The Ed25519 key that signs library exports: a file readable by the server's user only (made
# on first use, mode 0600), kept out of the database so dumps and backups never carry it. In
# production point this at a secret mount outside the code (docs/LIBRARY.md, "Signature").
LIBRARY_SIGNING_KEY_FILE = Path(
    env_str("LIBRARY_SIGNING_KEY_FILE") or BASE_DIR / "var" / "library-signing-key.pem"
)

# Imports (students, signals; API, admin and commands alike): a bigger file is refused with a
# 400 naming the limit. 25 MB holds several hundred thousand rows; an XLSX workbook (a zip) may
# unpack to at most IMPORT_MAX_UNPACKED_BYTES of XML.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 25 << 20)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 200 << 20)

# SMTP from EMAIL_URL or EMAIL_HOST; with DEBUG off nothing else starts (see config/env.py).
_EMAIL = env_email(debug=DEBUG)
EMAIL_BACKEND = str(_EMAIL["EMAIL_BACKEND"])
EMAIL_HOST = str(_EMAIL.get("EMAIL_HOST", "localhost"))
EMAIL_PORT = int(str(_EMAIL.get("EMAIL_PORT", 25)))
EMAIL_HOST_USER = str(_EMAIL.get("EMAIL_HOST_USER", ""))
EMAIL_HOST_PASSWORD = str(_EMAIL.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_TLS = bool(_EMAIL.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_EMAIL.get("EMAIL_USE_SSL", False))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "action-office@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line is masked: no calendar key, one-time link or searched name (config/logs.py).
    "filters": {
        "mask_secrets": {"()": "config.logs.MaskSecretsFilter"},
        "client_errors": {"()": "config.logs.ClientErrorWithoutTracebackFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_secrets", "client_errors"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes: failures and lock-outs (WARNING) are kept, each successful login is not.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
