"""The WSGI application (``sentinelle serve`` loads it; any WSGI server can)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentinelle.settings")

application = get_wsgi_application()
