"""The job folder's journal: what a crawl finished, so a restarted crawl carries on.

Scrapy's own ``JOBDIR`` is not enough after a hard kill: its disk queue writes its index
only when it is closed cleanly, its seen-requests file is buffered, and a request taken
from the queue but not finished when the process dies is gone. The crawler therefore keeps
one append-only JSON Lines file, ``journal.jsonl``, in the job folder:

* ``job``: the first line; the crawl's seeds, run label and options (or the queue worker);
* ``claim``: a queued crawl request this worker took (its id and run label);
* ``page``: a page is *finished*: every sighting on it is in the database, its review
  media are stored, and its outcome is written (confirmed or not, the links it holds);
* ``done``: a crawl (seed set or request) is finished.

A line is written (one ``write`` to a file opened for appending) only after the database
holds what it states, so the journal never claims more than was recorded. On restart the
crawl starts again from its seeds: a page the journal lists is not fetched again, its
outcome is replayed (its links followed when it was confirmed, with the same limits), and
every other page is fetched and processed again. The database's idempotent sighting keys
(the same run label) make that repetition record nothing twice.

Lines are written with ``os.write`` (the data is in the kernel when the call returns, so a
killed process loses nothing) and the file is ``fsync``-ed when closed. After a power
failure the last lines may be missing: those pages are simply done again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sentinelle.crawl.normalize import normalize_url

FILE_NAME: Final = "journal.jsonl"
VERSION: Final = 1


@dataclass(frozen=True)
class FinishedPage:
    """A page the journal says is finished."""

    url: str
    final_url: str | None
    depth: int
    confirmed: bool
    links: tuple[str, ...]


@dataclass
class JournalState:
    """What an existing journal holds."""

    header: dict[str, Any] | None = None
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: dict[str, dict[str, FinishedPage]] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)

    def finished(self, origin: str, url: str) -> FinishedPage | None:
        return self.pages.get(origin, {}).get(normalize_url(url).key)

    def add(self, record: Mapping[str, Any]) -> None:
        kind = record.get("t")
        if kind == "job":
            self.header = dict(record)
        elif kind == "claim":
            self.claims[str(record["o"])] = dict(record)
        elif kind == "page":
            page = FinishedPage(
                url=str(record["u"]),
                final_url=record.get("f"),
                depth=int(record["d"]),
                confirmed=bool(record["c"]),
                links=tuple(str(link) for link in record.get("l", ())),
            )
            self.pages.setdefault(str(record["o"]), {})[normalize_url(page.url).key] = page
        elif kind == "done":
            self.done.add(str(record["o"]))


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]  # a line cut by a crash is not a record
    for line in complete.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            yield record


class Journal:
    """The journal of one job folder, open for appending."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / FILE_NAME
        self.state = JournalState()
        if self.path.exists():
            records = _compacted(list(_lines(self.path)))
            for record in records:
                self.state.add(record)
            self._rewrite(records)  # without a torn last line, nor finished crawls' pages
        self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    @property
    def resumed(self) -> bool:
        return self.state.header is not None

    def _rewrite(self, records: list[dict[str, Any]]) -> None:
        staging = self.path.with_suffix(".tmp")
        with staging.open("w", encoding="utf-8") as stream:
            for record in records:
                stream.write(_line(record))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(staging, self.path)

    def write(self, kind: str, **fields: Any) -> None:
        record = {"t": kind, **fields}
        self.state.add(record)
        if self._fd is not None:
            os.write(self._fd, _line(record).encode("utf-8"))

    def page(self, origin: str, page: FinishedPage) -> None:
        self.write(
            "page",
            o=origin,
            u=page.url,
            f=page.final_url,
            d=page.depth,
            c=page.confirmed,
            l=list(page.links),
        )

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None


def _compacted(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Without the pages and claims of finished crawls (their ``done`` lines stay)."""
    done = {str(r.get("o")) for r in records if r.get("t") == "done"}
    return [r for r in records if r.get("t") in ("job", "done") or str(r.get("o")) not in done]


def _line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=True) + "\n"


def header(*, seeds: list[str], run: str, options: dict[str, object]) -> dict[str, Any]:
    return {"version": VERSION, "seeds": seeds, "run": run, "options": options}
