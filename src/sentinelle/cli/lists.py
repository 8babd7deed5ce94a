"""Loading the lists named by --list: list files, or stored lists by name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sentinelle.lists import HashList, ListsError, ListUsageError, read_list


class ListLoadError(Exception):
    """A --list argument could not be loaded; the message says which and why."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        #: True when the command line was at fault (exit 2), not the file (exit 3).
        self.usage = usage


def load_lists(
    names: Sequence[str], *, signal_type: str | None, threshold: int | None
) -> list[HashList]:
    """Read every list; any failure stops the command (nothing is scanned).

    An argument naming an existing file is read as a list file; any other is the name
    of a list stored in the database (its settings apply, even when it is disabled).
    """
    loaded: list[HashList] = []
    for name in names:
        if not Path(name).exists():
            loaded.append(_stored(name, threshold))
            continue
        try:
            loaded.append(read_list(name, signal_type=signal_type, threshold=threshold))
        except ListUsageError as exc:
            raise ListLoadError(f"list {name}: {exc}", usage=True) from None
        except OSError as exc:
            raise ListLoadError(f"list {name}: {exc.strerror or exc}") from None
        except ListsError as exc:
            raise ListLoadError(f"list {name}: {exc}") from None
    return loaded


def _stored(name: str, threshold: int | None) -> HashList:
    from sentinelle.cli.database import setup_django

    setup_django()
    from django.db import DatabaseError

    from sentinelle.banks.exceptions import UnknownList
    from sentinelle.banks.services import load_lists as load_stored

    try:
        (hash_list,) = load_stored([name])
    except UnknownList:
        raise ListLoadError(f"list {name}: no such file, and no stored list has that name") from None
    except DatabaseError as exc:
        raise ListLoadError(f"list {name}: no such file, and the database cannot be read ({exc})") from None
    if threshold is not None:
        hash_list.threshold = threshold
    return hash_list
