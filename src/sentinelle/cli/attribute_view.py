"""The table ``sentinelle attribute`` prints for one URL: each step, what it found, its source."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def show_chain(chain: dict[str, Any], console: Console | None = None) -> None:
    out = console or Console()
    table = Table(title=f"{chain['url']}  [{chain['status']}]", title_justify="left", show_lines=True)
    table.add_column("step")
    table.add_column("found")
    table.add_column("source")
    for step, found, source in rows(chain):
        table.add_row(step, found, source)
    out.print(table)


def rows(chain: dict[str, Any]) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = [("host", chain["host"], "the URL")]
    addresses = chain.get("addresses") or {}
    found.append(("addresses", ", ".join(addresses.get("values", [])) or addresses.get("error", "-"),
                  addresses.get("source", "")))
    asn = chain.get("asn")
    if asn is not None:
        source = asn.get("source") or {}
        text = f"AS{asn['asn']} {asn.get('as_name', '')} ({asn.get('country') or '-'})" if "asn" in asn else "-"
        found.append(("network (ASN)", text, f"{source.get('file', 'no ASN file')} of {source.get('date', '-')}"))
    for step in ("override", "directory"):
        match = chain.get(step)
        if match:
            found.append((step, f"{match['provider']} ({match['kind']})", match["matched"]
                          + (f": {match['reason']}" if match.get("reason") else "")))
    found += _rdap_rows(chain.get("rdap"), "")
    cdn = chain.get("cdn")
    if cdn:
        found.append(("CDN", cdn["name"], cdn["recognised_by"]))
        origin = cdn.get("origin") or {}
        text = origin.get("origin_ip") or origin.get("error", "-")
        found.append(("origin", text, origin.get("lookup", "")))
        found += _rdap_rows(origin.get("rdap"), "origin ")
    registrar = chain.get("registrar")
    if registrar:
        contact = (registrar.get("contact") or {}).get("email")
        text = f"{registrar.get('registrar', '')} {contact or registrar.get('error') or registrar.get('skipped', '')}"
        found.append(("registrar", text.strip(), _source(registrar.get("source"))))
    for recipient in chain.get("recipients", []):
        where = recipient["email"] or recipient["webhook_url"]
        found.append((f"recipient ({recipient['role']})", f"{recipient['name']} <{where}> [{recipient['language']}]",
                      recipient["source"] + (f", provider {recipient['provider']}" if recipient["provider"] else "")))
    for reason in chain.get("reasons", []):
        found.append(("FLAGGED", reason["reason"], reason["detail"]))
    for note in chain.get("notes", []):
        found.append(("note", note, ""))
    return found


def _rdap_rows(rdap: dict[str, Any] | None, prefix: str) -> list[tuple[str, str, str]]:
    if not rdap:
        return []
    found: list[tuple[str, str, str]] = []
    network = rdap.get("network")
    if network:
        text = f"{network['handle']} {network['range']} {network['name']} ({network['country'] or '-'})"
        found.append((f"{prefix}RDAP network", text, _source(network.get("source"))))
    for parent in rdap.get("parents", []):
        found.append((f"{prefix}parent network", f"{parent['handle']} {parent['range']} {parent['name']}",
                      _source(parent.get("source"))))
    for followed in rdap.get("entities_followed", []):
        found.append((f"{prefix}entity followed", followed.get("error", "ok"), _source(followed)))
    contact = rdap.get("contact")
    if contact:
        found.append((f"{prefix}abuse contact", f"{contact['email']} ({contact['role']}, via {contact['via']})",
                      f"{contact['source_url']} entity {contact['entity']}"))
    for problem in rdap.get("problems", []):
        found.append((f"{prefix}problem", problem["reason"], problem["detail"]))
    return found


def _source(source: dict[str, Any] | None) -> str:
    if not source or "query" not in source:
        return ""
    chain = " -> ".join([*source.get("redirects", []), source.get("answered_by", "")]) or source["query"]
    if "cache" not in source:
        return chain
    return f"{chain} ({source['cache']}, {_age(source.get('age_seconds', 0))} old)"


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
