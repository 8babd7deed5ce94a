"""RDAP query paths (RFC 9082): ``/ip/<address>``, ``/ip/<prefix>``, ``/domain/<name>``,
``/entity/<handle>``, ``/autnum/<n>`` and ``/help``, checked before anything is looked up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sentinelle.sandbox.internet import as_network

KINDS: Final = ("ip", "domain", "entity", "autnum")
_LABEL: Final = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_HANDLE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True, slots=True)
class Query:
    kind: str  #: ``ip``, ``domain``, ``entity``, ``autnum`` or ``help``
    value: str

    @property
    def text(self) -> str:
        return f"{self.kind} {self.value}"


def _problem(kind: str, value: str) -> str | None:
    if not value:
        return f"a {kind} query needs a value: /{kind}/<value>"
    if kind == "ip" and as_network(value) is None:
        return f"{value!r} is not an IP address or prefix"
    if kind == "autnum" and not (value.isdigit() and int(value) < 2**32):
        return f"{value!r} is not an AS number"
    if kind == "domain" and not all(_LABEL.fullmatch(label) for label in value.split(".")):
        return f"{value!r} is not a domain name"
    if kind == "entity" and not _HANDLE.fullmatch(value):
        return f"{value!r} is not an entity handle"
    return None


def parse_query(path: str) -> Query | str:
    """The query of ``path``, or a message saying why it is not one (an HTTP 400)."""
    stripped = path.strip("/")
    if stripped in ("", "help"):
        return Query("help", "")
    kind, _, value = stripped.partition("/")
    if kind not in KINDS:
        return f"{path!r} is not an RDAP query this server answers ({', '.join(KINDS)}, help)"
    if kind == "domain":
        value = value.lower().removesuffix(".")
    problem = _problem(kind, value)
    return Query(kind, value) if problem is None else problem
