"""Files other processes need to use a running sandbox: known list, manifest, hosts,
IP-to-ASN data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sentinelle.lists import write_list
from sentinelle.sandbox.asn import FILE_NAME as ASN_FILE_NAME
from sentinelle.sandbox.asn import asn_table
from sentinelle.sandbox.knownlist import known_list
from sentinelle.sandbox.manifest import write_manifest
from sentinelle.sandbox.resolver import hosts_file_text
from sentinelle.sandbox.server import Sandbox


@dataclass(frozen=True)
class ExportedFiles:
    known_list: Path  #: CSV hash list (sentinelle.lists format)
    manifest: Path  #: ground truth, JSON Lines
    hosts: Path  #: /etc/hosts format, for SandboxResolver.from_hosts_file or curl --resolve
    takedown_logs: Path  #: folder of the providers' JSON Lines logs
    asn_db: Path  #: IP-to-ASN data, iptoasn.com format (ip2asn-v4.tsv)


def export_files(sandbox: Sandbox, folder: str | os.PathLike[str]) -> ExportedFiles:
    """Write the files of a running sandbox into ``folder`` (created if needed)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    files = ExportedFiles(
        target / "known.csv",
        target / "manifest.jsonl",
        target / "hosts",
        sandbox.log_folder,
        target / ASN_FILE_NAME,
    )
    write_list(known_list(sandbox.world, sandbox.images), files.known_list)
    write_manifest(sandbox.world, sandbox.port, files.manifest)
    files.hosts.write_text(hosts_file_text(sandbox.world), encoding="utf-8")
    files.asn_db.write_text(asn_table(sandbox.world), encoding="utf-8", newline="\n")
    return files
