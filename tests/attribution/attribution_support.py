"""Helpers for the attribution tests: the sandbox internet and its ground truth, migrated databases.

Everything is on loopback: the sandbox's RDAP registries, CDN and sites (127.64.0.0/10). The
tests allow exactly that range on the sandbox's port, as the crawl tests do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 7
IMAGES = 60
#: pytest-django's database for these tests on PostgreSQL: DATABASE_URL=.../h4attr
POSTGRES_HINT = "postgres://postgres@127.0.0.1:5432/h4attr"


@dataclass
class SandboxInternet:
    """A running sandbox (in a thread of the test process), its files and its manifest."""

    thread: Any
    sandbox: Any
    folder: Path
    records: list[dict[str, Any]]

    @property
    def port(self) -> int:
        return int(self.sandbox.port)

    @property
    def allow(self) -> str:
        return f"127.64.0.0/10:{self.port}"

    @property
    def asn_db(self) -> Path:
        return self.folder / "ip2asn-v4.tsv"

    @property
    def hosts(self) -> Path:
        return self.folder / "hosts"

    def env(self) -> dict[str, str]:
        """The settings attribution needs to work against this sandbox."""
        return {"SENTINELLE_RDAP_URL": self.sandbox.rdap_url, "SENTINELLE_EGRESS_ALLOW": self.allow,
                "SENTINELLE_ASN_DB": str(self.asn_db)}

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [record for record in self.records if record["type"] == kind]

    def provider(self, *, style: str | None = None, registry: str | None = None) -> dict[str, Any]:
        """The first provider with that abuse style and/or RDAP registry."""
        for record in self.of_type("provider"):
            if (style is None or record["abuse_style"] == style) and (
                registry is None or record["rdap_registry"] == registry
            ):
                return record
        raise LookupError(f"no provider with style {style} in registry {registry}")

    def site_url(self, provider: dict[str, Any], path: str = "/") -> str:
        sites = [s for s in self.of_type("site") if s["provider"] == provider["slug"] and s["role"] == "ordinary"]
        return f"http://{sites[0]['host']}:{self.port}{path}"

    @property
    def cdn(self) -> dict[str, Any]:
        (record,) = self.of_type("cdn")
        return record

    @property
    def fronted(self) -> dict[str, Any]:
        (record,) = self.of_type("fronted-site")
        return record

    def reset_registries(self) -> None:
        """Every registry back to its state at start (east down, the others up)."""
        (rdap,) = self.of_type("rdap")
        for registry in rdap["registries"]:
            self.sandbox.set_rdap_up(registry["host"], bool(registry["starts_up"]))

    def requests_to(self, registry: str) -> int:
        return sum(1 for r in self.sandbox.rdap_requests if registry in (r.registry, f"rdap.{r.registry}.test"))


def start_internet(folder: Path) -> SandboxInternet:
    from sentinelle.sandbox import SandboxThread, build_world, export_files

    thread = SandboxThread(build_world(SEED, images=IMAGES), log_folder=folder / "takedowns")
    sandbox = thread.start()
    files = export_files(sandbox, folder)
    records = [json.loads(line) for line in files.manifest.read_text().splitlines()]
    return SandboxInternet(thread, sandbox, folder, records)


# --- the real command, on its own migrated SQLite database ---------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("SENTINELLE_")}
    env["SENTINELLE_SECRET_KEY"] = "test-only"
    env.update(extra)
    return env


def run_command(*args: object, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sentinelle", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def migrated_template(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    done = run_command("migrate", env=clean_env(SENTINELLE_DATA_DIR=str(folder)))
    assert done.returncode == 0, done.stderr[-3000:]
    return folder


def database_copy(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sentinelle.sqlite3", "sentinelle.sqlite3-wal", "sentinelle.sqlite3-shm", "secret.key"):
        if (template / name).exists():
            shutil.copy2(template / name, folder / name)
    return folder
