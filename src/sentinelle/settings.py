"""Django settings, built from the environment (see sentinelle.config and docs/settings.md)."""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path

import dj_database_url

from sentinelle.config import data_dir, flag, setting


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

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sentinelle.audit",
    "sentinelle.banks",
    "sentinelle.donotact",
    "sentinelle.crawl",
    "sentinelle.sightings",
    "sentinelle.review",
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "sentinelle.urls"
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
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"sentinelle": {"handlers": ["stderr"], "level": "INFO"}},
}
