"""A hash list ("bank") in memory: its entries and what applies to all of them.

Every :class:`ListEntry` is valid once built: the signal type is known, the hash
is canonical lowercase hex of the right length, the category follows the label
rule, and the id and note can be written to every format and read back. So any
list held in memory can be exported, and re-importing the export gives it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from sentinelle.hashing.exceptions import InvalidHash, UnknownSignalType
from sentinelle.hashing.signals import SIGNAL_TYPES, PdqSignal, signal_type
from sentinelle.lists.categories import validate_category
from sentinelle.lists.exceptions import InvalidCategory, InvalidEntry, InvalidHashList, quoted

#: The fields of an entry, in the order every format writes them.
ENTRY_FIELDS: Final = ("signal_type", "hash", "category", "id", "note")
#: The fields every entry must have.
REQUIRED_FIELDS: Final = ("signal_type", "hash")
#: Longest entry id, in characters.
MAX_ID_LENGTH: Final = 256
#: Longest entry note, in characters.
MAX_NOTE_LENGTH: Final = 4096
#: PDQ distances run from 0 to 256, so a threshold does too.
MAX_THRESHOLD: Final = 256


def canonical_signal_type(name: str) -> str:
    """The canonical name of a signal type given in any case, or :class:`InvalidEntry`."""
    try:
        return signal_type(name.strip().lower()).name
    except UnknownSignalType:
        known = ", ".join(SIGNAL_TYPES)
        raise InvalidEntry(f"unknown signal type {quoted(name)} (known: {known})") from None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _check_id(value: str) -> None:
    if len(value) > MAX_ID_LENGTH:
        raise InvalidEntry(f"id is over {MAX_ID_LENGTH} characters")
    if any(char < " " or char == "\x7f" for char in value):
        raise InvalidEntry(f"id {quoted(value)} contains a control character")
    if _has_surrogate(value):
        raise InvalidEntry("id is not valid Unicode text (lone surrogate)")


def _check_note(value: str) -> None:
    if len(value) > MAX_NOTE_LENGTH:
        raise InvalidEntry(f"note is over {MAX_NOTE_LENGTH} characters")
    if "\x00" in value:
        raise InvalidEntry("note contains a NUL character")
    if _has_surrogate(value):
        raise InvalidEntry("note is not valid Unicode text (lone surrogate)")


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed hash. ``category`` None means the list's category applies.

    Building one normalises the signal type and hash to lowercase, turns empty
    category, id and note into None, and raises :class:`InvalidEntry` otherwise.
    """

    signal_type: str
    hash: str
    category: str | None = None
    id: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        name = canonical_signal_type(self.signal_type)
        try:
            value = SIGNAL_TYPES[name].normalize(self.hash)
        except InvalidHash as error:
            raise InvalidEntry(error.reason) from None
        category = self.category or None
        if category is not None:
            try:
                validate_category(category)
            except InvalidCategory as error:
                raise InvalidEntry(str(error)) from None
        entry_id = self.id or None
        if entry_id is not None:
            _check_id(entry_id)
        note = self.note or None
        if note is not None:
            _check_note(note)
        for attribute, normal in (
            ("signal_type", name),
            ("hash", value),
            ("category", category),
            ("id", entry_id),
            ("note", note),
        ):
            object.__setattr__(self, attribute, normal)


@dataclass(slots=True)
class HashList:
    """A named list of hashes with the settings that apply to all its entries.

    ``verified`` says analysts confirmed the hashes (only verified lists trigger
    automatic notices); lists read from files start unverified. ``threshold`` is
    the PDQ near-match threshold, None for the reference default (31).
    """

    name: str
    entries: list[ListEntry] = field(default_factory=list)
    category: str | None = None
    verified: bool = False
    threshold: int | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidHashList("a hash list needs a non-empty name")
        if self.category is not None:
            validate_category(self.category)
        threshold = self.threshold
        if threshold is not None and (
            isinstance(threshold, bool)
            or not isinstance(threshold, int)
            or not 0 <= threshold <= MAX_THRESHOLD
        ):
            raise InvalidHashList(
                f"a PDQ threshold is an integer from 0 to {MAX_THRESHOLD}, got {threshold!r}"
            )

    @property
    def pdq_threshold(self) -> int:
        """The PDQ near-match threshold in force: the list's own or the reference default."""
        return PdqSignal.default_threshold if self.threshold is None else self.threshold

    def category_of(self, entry: ListEntry) -> str | None:
        """The category of ``entry``: its own, else the list's."""
        return entry.category or self.category
