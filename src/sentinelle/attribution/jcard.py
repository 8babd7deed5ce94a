"""jCard (RFC 7095), the vCard in JSON that RDAP entities carry as ``vcardArray``.

    ["vcard", [["version", {}, "text", "4.0"],
               ["fn", {}, "text", "Marram Networks Abuse"],
               ["email", {"pref": "1"}, "text", "abuse@marram-networks.test"],
               ["lang", {"pref": "1"}, "language-tag", "fr"]]]

Only what attribution needs is read: the formatted name, the kind, the organisation, e-mail
addresses and languages (each in ``pref`` order, 1 first), telephone numbers. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sentinelle.attribution.exceptions import RdapMalformed


@dataclass(frozen=True)
class VCard:
    name: str = ""
    kind: str = ""
    org: str = ""
    emails: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @property
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    @property
    def language(self) -> str | None:
        return self.languages[0] if self.languages else None


def parse_vcard(value: Any, url: str = "") -> VCard:
    """The card in ``value`` (an entity's ``vcardArray``); :class:`RdapMalformed` if not jCard."""
    if not (isinstance(value, list) and len(value) == 2 and value[0] == "vcard" and isinstance(value[1], list)):
        raise RdapMalformed("vcardArray is not a jCard", url)
    found: dict[str, list[tuple[int, int, str]]] = {}
    for position, item in enumerate(value[1]):
        if not (isinstance(item, list) and len(item) >= 4 and isinstance(item[0], str)):
            raise RdapMalformed(f"jCard property {position} is not [name, parameters, type, value]", url)
        name, parameters = item[0].lower(), item[1] if isinstance(item[1], dict) else {}
        text = _text(item[3:])
        if text:
            found.setdefault(name, []).append((_pref(parameters), position, text))
    return VCard(
        name=_first(found, "fn"),
        kind=_first(found, "kind").lower(),
        org=_first(found, "org"),
        emails=_ordered(found, "email"),
        languages=_ordered(found, "lang"),
        phones=_ordered(found, "tel"),
    )


def _text(values: list[Any]) -> str:
    """A property's value as text; structured values (``org``: a list) are joined."""
    parts: list[str] = []
    for value in values:
        if isinstance(value, list):
            parts.extend(str(v) for v in value if isinstance(v, str | int) and str(v))
        elif isinstance(value, str | int):
            parts.append(str(value))
    return "; ".join(part.strip() for part in parts if part.strip())


def _pref(parameters: dict[str, Any]) -> int:
    value: Any = parameters.get("pref")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return int(value)
    return 100


def _ordered(found: dict[str, list[tuple[int, int, str]]], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.removeprefix("tel:").removeprefix("mailto:") for _, _, text in sorted(found.get(name, []))))


def _first(found: dict[str, list[tuple[int, int, str]]], name: str) -> str:
    values = _ordered(found, name)
    return values[0] if values else ""
