"""Loading the lists named by --list."""

from __future__ import annotations

from collections.abc import Sequence

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
    """Read every list file; any failure stops the command (nothing is scanned)."""
    loaded: list[HashList] = []
    for name in names:
        try:
            loaded.append(read_list(name, signal_type=signal_type, threshold=threshold))
        except FileNotFoundError:
            raise ListLoadError(f"list {name}: no such file") from None
        except OSError as exc:
            raise ListLoadError(f"list {name}: {exc.strerror or exc}") from None
        except ListUsageError as exc:
            raise ListLoadError(f"list {name}: {exc}", usage=True) from None
        except ListsError as exc:
            raise ListLoadError(f"list {name}: {exc}") from None
    return loaded
