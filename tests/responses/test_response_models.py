"""The responses app's tables match its models (a model change without its migration fails)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_have_their_migrations() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "responses", check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail(f"a migration is missing: {out.getvalue()}")
