"""Django settings for tests: sentinelle's own, with a throw-away data folder.

``DATABASE_URL`` passes through, so the same tests run on PostgreSQL when it is set
(scripts/test does that when the server at 127.0.0.1:5432 answers, and always under CI).
"""

import os
import tempfile

os.environ.setdefault("SENTINELLE_DATA_DIR", tempfile.mkdtemp(prefix="sentinelle-test-"))
os.environ.setdefault("SENTINELLE_SECRET_KEY", "test-only-secret-key-not-for-production")

from sentinelle.settings import *  # noqa: F403
