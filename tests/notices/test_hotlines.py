"""The hotline directory: every change audited with before and after, bad values refused with
nothing changed, through the services and the real ``sentinelle hotlines`` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.services import Actor
from sentinelle.notices.exceptions import InvalidRecipient, UnknownHotline
from sentinelle.notices.hotlines import hotline_for, recipient, remove_hotline, set_hotline
from sentinelle.notices.models import Hotline
from support.cli import clean_env, run_cli


@pytest.mark.django_db
def test_hotlines_are_set_changed_and_removed_with_an_audit_trail(operator: Actor) -> None:
    set_hotline("be", name="Child Focus", email="reports@hotline-be.test", language="fr", actor=operator)
    set_hotline("BE", name="Child Focus", email="reports@hotline-be.test", webhook_url="https://hotline-be.test/in",
                webhook_secret_ref="be.hook", language="fr", note="answers in French", actor=operator)
    found = hotline_for(" be ")
    assert found is not None and found.country == "BE" and found.webhook_secret_ref == "be.hook"
    who = recipient(found)
    assert (who.key, who.role, who.language, who.email) == ("hotline:BE", "hotline", "fr", "reports@hotline-be.test")
    remove_hotline("be", actor=operator, reason="merged into another")
    assert hotline_for("BE") is None
    created, changed, removed = AuditEvent.objects.filter(target_type="hotline").order_by("seq")
    assert (created.action, created.before, created.after["email"]) == ("hotline:set", None, "reports@hotline-be.test")
    assert changed.before["webhook_url"] == "" and changed.after["webhook_url"] == "https://hotline-be.test/in"
    assert (removed.action, removed.after, removed.details) == ("hotline:remove", None, {"reason": "merged into another"})
    with pytest.raises(UnknownHotline):
        remove_hotline("BE", actor=operator)


@pytest.mark.django_db
@pytest.mark.parametrize(("country", "options", "message"), [
    ("Belgium", {"email": "r@x.test"}, "two letters"),
    ("B1", {"email": "r@x.test"}, "two letters"),
    ("BE", {"email": "not-an-address"}, "not an email address"),
    ("BE", {}, "neither an email address nor a webhook"),
    ("BE", {"webhook_url": "https://x.test/in"}, "needs the name of its secret"),
    ("BE", {"webhook_url": "ftp://x.test/in", "webhook_secret_ref": "x.hook"}, "not an http"),
    ("BE", {"email": "r@x.test", "language": "de"}, "language is en or fr"),
])
def test_bad_values_change_nothing(operator: Actor, country: str, options: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidRecipient, match=message):
        set_hotline(country, name="A hotline", actor=operator, **options)
    assert not Hotline.objects.exists() and not AuditEvent.objects.filter(target_type="hotline").exists()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hotlines-db")
    done = run_cli("migrate", env=clean_env(str(folder)))
    assert done.returncode == 0, done.stderr
    return folder


def test_the_command(migrated: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(migrated, data)
    env = clean_env(str(data))
    added = run_cli("hotlines", "set", "fr", "--name", "Point de Contact", "--email", "signalements@pdc.test",
                    "--language", "fr", env=env)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["country"] == "FR"
    listed = run_cli("hotlines", "list", "--json", env=env)
    assert [json.loads(line)["email"] for line in listed.stdout.splitlines()] == ["signalements@pdc.test"]
    table = run_cli("hotlines", "list", env=env)
    assert "Point de Contact" in table.stdout
    bad = run_cli("hotlines", "set", "FR", "--name", "x", "--email", "nope", env=env)
    assert bad.returncode == 2 and "not an email address" in bad.stderr
    assert run_cli("hotlines", "remove", "DE", env=env).returncode == 3
    assert run_cli("hotlines", "remove", "fr", "--reason", "test over", env=env).returncode == 0
    assert run_cli("hotlines", "list", "--json", env=env).stdout == ""
    verified = run_cli("audit", "verify", env=env)
    assert verified.returncode == 0 and json.loads(verified.stdout)["events"] == 2
