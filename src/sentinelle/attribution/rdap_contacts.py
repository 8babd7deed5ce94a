"""Which e-mail address in an RDAP object reaches the people who can act.

The entity with the role ``abuse`` (nested at any depth: registries put it inside the
registrant organisation, or straight on the network). Its address is in its own jCard, or
the entity is only named (handle and a ``self`` link) and must be fetched: ``follow(url)``
does that. Without one, :func:`fallback_contact` takes the registrant's, then the technical
and administrative contacts' address (the caller says so: "no abuse contact"). No Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from sentinelle.attribution.exceptions import RdapError
from sentinelle.attribution.rdap_objects import Entity

#: Roles tried, in order, when a network has no abuse contact.
FALLBACK_ROLES: Final = ("registrant", "technical", "administrative")

#: ``follow(url) -> (entity, the URL that answered)``; raises :class:`RdapError`.
Follow = Callable[[str], tuple[Entity, str]]


@dataclass(frozen=True)
class FoundContact:
    """An address found in RDAP, and where: the role it was found under, the entity, and
    the URL of the document that held it (the network's, or the entity's when followed)."""

    email: str
    name: str
    language: str | None
    role: str
    entity: str
    source_url: str
    followed: bool = False

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def abuse_contact(entities: Iterable[Entity], url: str, follow: Follow) -> FoundContact | None:
    return _first_with_role(entities, "abuse", url, follow)


def fallback_contact(entities: Iterable[Entity], url: str, follow: Follow) -> FoundContact | None:
    listed = list(entities)
    for role in FALLBACK_ROLES:
        found = _first_with_role(listed, role, url, follow)
        if found is not None:
            return found
    return None


def _first_with_role(entities: Iterable[Entity], role: str, url: str, follow: Follow) -> FoundContact | None:
    for entity in entities:
        if role not in entity.roles:
            continue
        found = _address(entity, role, url, follow)
        if found is not None:
            return found
    return None


def _address(entity: Entity, role: str, url: str, follow: Follow) -> FoundContact | None:
    card = entity.card
    if card.email:
        return FoundContact(card.email, card.name or card.org, card.language, role, entity.handle, url)
    if entity.self_url is None:
        return None
    try:
        fetched, answered = follow(entity.self_url)
    except RdapError:
        return None  # the caller reports the look-ups that failed
    for candidate in fetched.walk():
        if candidate is fetched or role in candidate.roles:
            card = candidate.card
            if card.email:
                return FoundContact(
                    card.email, card.name or card.org, card.language, role,
                    candidate.handle or entity.handle, answered, followed=True,
                )
    return None
