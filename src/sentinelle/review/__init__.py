"""Review media: bytes of unknown media found on confirmed pages, kept for analysts.

The only place sentinelle keeps media bytes. They are encrypted at rest (Fernet, with a key
from :mod:`.keys`), read only through an audited view, and deleted after the retention
period by :func:`.retention.purge_expired`.
"""
