"""Django settings, built from the environment (see sentinelle.config and docs/settings.md)."""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from sentinelle.config import data_dir, flag, public_url, setting


def _secret_key(folder: Path) -> str:
    given = setting("SENTINELLE_SECRET_KEY")
    if given:
        return given
    path = folder / "secret.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
        warnings.warn(f"generated a secret key in {path}; set SENTINELLE_SECRET_KEY in production", stacklevel=1)
    return path.read_text().strip()


DATA_DIR = data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = flag("SENTINELLE_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in (setting("SENTINELLE_ALLOWED_HOSTS") or "").split(",") if h.strip()]
PUBLIC_URL = public_url()
_public = urlsplit(PUBLIC_URL)
_public_host = f"[{_public.hostname}]" if ":" in str(_public.hostname) else str(_public.hostname)
if _public_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_public_host)

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sentinelle.audit",
    "sentinelle.banks",
    "sentinelle.donotact",
    "sentinelle.crawl",
    "sentinelle.sightings",
    "sentinelle.review",
    "sentinelle.attribution",
    "django_tasks",
    "django_tasks_db",
    "sentinelle.notices",
    "django.contrib.staticfiles",
    "sentinelle.web",
    "sentinelle.responses",
    "sentinelle.tipline",
    "django.contrib.sessions",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sentinelle.accounts",
    "sentinelle.statistics",
    "sentinelle.console",
    "sentinelle.referrals",
    "sentinelle.classification",
    "sentinelle.partners",
]

# Background work: Django's Tasks API (the django-tasks backport), stored in the database and
# run by `sentinelle worker` (see docs/notices.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The web server (`sentinelle serve`, docs/web.md): security headers, static files, CSRF.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sentinelle.web.security.SecurityHeadersMiddleware",
    "sentinelle.api.middleware.ApiMiddleware",  # /api/: its own short path (caps, errors, records)
    "django.contrib.sessions.middleware.SessionMiddleware",  # staff logins (docs/accounts.md)
    "django.middleware.locale.LocaleMiddleware",  # /en/ and /fr/ (the tipline)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# The partner API's rate-limit counters (docs/api.md): Redis when a fleet's Redis is set, else
# the database (the table is a migration of sentinelle.partners: no createcachetable step).
_redis = setting("SENTINELLE_REDIS_URL")
_cache: dict[str, object] = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                              "LOCATION": "sentinelle_cache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
if _redis:
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis,
              "KEY_PREFIX": f"{setting('SENTINELLE_REDIS_PREFIX')}cache"}
CACHES = {"default": _cache}
ROOT_URLCONF = "sentinelle.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.i18n"]},
    }
]
STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # served from the installed package: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
CSRF_FAILURE_VIEW = "sentinelle.web.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = _public.scheme == "https"
CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]
# same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with a form's
# POST, which CSRF protection must refuse. Nothing on the pages leads off-site anyway.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # no page takes uploads
# Staff accounts (docs/accounts.md): password then TOTP; sessions in the database, cookie
# HttpOnly, SameSite=Lax, Secure with an https public URL (above), gone when the browser closes.
LOGIN_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "sentinelle"
# Failed codes count towards SENTINELLE_LOGIN_MAX_FAILURES (accounts/lockout.py) instead of
# django-otp's growing delays, which would refuse a right code typed just after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 0
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_url = setting("DATABASE_URL")
if _url:
    DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "sentinelle.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while a writer writes; IMMEDIATE avoids lock upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_capability_links": {"()": "sentinelle.web.logs.RedactCapabilityLinks"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler"},
        "web_errors": {"class": "logging.StreamHandler", "filters": ["no_capability_links"]},
    },
    "loggers": {
        "sentinelle": {"handlers": ["stderr"], "level": "INFO"},
        # Server errors (5xx) with their traceback; paths with a signed link are redacted.
        "django.request": {"handlers": ["web_errors"], "level": "ERROR", "propagate": False},
    },
}
