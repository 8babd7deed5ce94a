"""The settings the demo runs under, set in its own process (and given to its children).

The demo's process environment is changed, never the user's shell: the database is the
folder's SQLite file (``DATABASE_URL`` is dropped), RDAP, the IP-to-ASN file, the egress
allow-list and the mail server are the sandbox's, links in notices point at the demo's
``sentinelle serve``, and the notice, recheck and escalation settings are the demo's plan.
Settings that would send anything elsewhere (another database, a Redis fleet, a webhook
secrets file, an audit anchor or index outside the folder) are removed. No Django here:
this runs before Django reads its settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sentinelle.demo.plan import DemoPlan

#: The sandbox's whole address space (docs/sandbox.md): 127.64.0.0/10 on its port only.
SANDBOX_SPACE: Final = "127.64.0.0/10"
SENDER: Final = "Sentinelle demo hotline <notices@demo-hotline.test>"
DROPPED: Final = (
    "DATABASE_URL", "SENTINELLE_AUDIT_ANCHOR", "SENTINELLE_INDEX_DIR", "SENTINELLE_WEBHOOK_SECRETS",
    "SENTINELLE_REDIS_URL", "SENTINELLE_REDIS_PREFIX", "SENTINELLE_LEGAL_BASIS_CSAM",
    "SENTINELLE_LEGAL_BASIS_HARMFUL", "SENTINELLE_XARF_CSAM_CLASSIFICATION", "SENTINELLE_NOTIFY_REGISTRAR",
)


@dataclass(frozen=True)
class Endpoints:
    """Where the demo's services listen."""

    sandbox_port: int
    rdap_url: str
    asn_db: Path
    smtp_url: str
    public_url: str  #: the demo's ``sentinelle serve``


def demo_settings(folder: Path, plan: DemoPlan, endpoints: Endpoints) -> dict[str, str]:
    return {
        "SENTINELLE_DATA_DIR": str(folder),
        "SENTINELLE_EGRESS_ALLOW": f"{SANDBOX_SPACE}:{endpoints.sandbox_port}",
        "SENTINELLE_RDAP_URL": endpoints.rdap_url,
        "SENTINELLE_ASN_DB": str(endpoints.asn_db),
        "SENTINELLE_SMTP_URL": endpoints.smtp_url,
        "SENTINELLE_PUBLIC_URL": endpoints.public_url,
        "SENTINELLE_NOTICE_FROM": SENDER,
        "SENTINELLE_NOTICE_ORG": "Sentinelle demo hotline",
        "SENTINELLE_NOTICE_WINDOW_MINUTES": str(plan.window_minutes),
        "SENTINELLE_NOTICE_TIMEOUT": "10",
        "SENTINELLE_NOTICE_CLAIM_SECONDS": "300",
        "SENTINELLE_RECHECK_HOURS": str(plan.recheck_hours),
        "SENTINELLE_ESCALATE_AFTER": str(plan.escalate_after),
        "SENTINELLE_ESCALATION_POLICY": plan.escalation,
    }


def apply(values: Mapping[str, str], dropped: tuple[str, ...] = DROPPED) -> dict[str, str | None]:
    """Set ``values`` in this process's environment and drop ``dropped``; what was there before."""
    previous = {name: os.environ.get(name) for name in (*values, *dropped)}
    for name in dropped:
        os.environ.pop(name, None)
    os.environ.update(values)
    return previous


def restore(previous: Mapping[str, str | None]) -> None:
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
