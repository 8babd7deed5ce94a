"""The lists' background task (Django's Tasks API; run by ``sentinelle worker``)."""

from __future__ import annotations

from django_tasks import task

from sentinelle.banks import serving


@task()
def rebuild_serving_index() -> str:
    """Build the API's serving index for the lists as they are now (nothing when it is current)."""
    return serving.build()
