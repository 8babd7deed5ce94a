"""The offline IP-to-ASN database: iptoasn.com's TSV files (plain or gzip), v4, v6 or combined.

One line per range, five tab-separated fields, sorted by the range's first address, ranges
not overlapping (https://iptoasn.com)::

    range_start  range_end  AS_number  country_code  AS_description
    1.0.0.0      1.0.0.255  13335      US            CLOUDFLARENET

Unrouted ranges have AS number 0, country ``None`` and description ``Not routed``. A file
with any malformed line is refused whole, with the line number (:class:`AsnDatabaseError`);
a look-up is a binary search (O(log n)). No Django here.
"""

from __future__ import annotations

import gzip
import os
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
from typing import Final

from sentinelle.attribution.exceptions import AsnDatabaseError

Address = IPv4Address | IPv6Address
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_NO_COUNTRY: Final = frozenset({"None", "Unknown", ""})
_MAX_ASN: Final = 2**32 - 1


@dataclass(frozen=True, slots=True)
class AsnRange:
    """One row: the range, its AS number (0: not routed), country (None if unknown), name."""

    first: Address
    last: Address
    asn: int
    country: str | None
    description: str

    @property
    def routed(self) -> bool:
        return self.asn != 0

    def as_dict(self) -> dict[str, object]:
        return {"range": f"{self.first}-{self.last}", "asn": self.asn, "country": self.country,
                "as_name": self.description, "routed": self.routed}


class _Table:
    """The ranges of one IP version, sorted, with their first addresses for bisection."""

    def __init__(self) -> None:
        self.firsts: list[int] = []
        self.rows: list[AsnRange] = []

    def add(self, row: AsnRange, where: str) -> None:
        if self.rows and int(row.first) <= int(self.rows[-1].last):
            raise AsnDatabaseError(
                f"{where}: range {row.first}-{row.last} overlaps or comes before "
                f"{self.rows[-1].first}-{self.rows[-1].last} (the file must be sorted)"
            )
        self.firsts.append(int(row.first))
        self.rows.append(row)

    def find(self, address: Address) -> AsnRange | None:
        position = bisect_right(self.firsts, int(address)) - 1
        if position < 0:
            return None
        row = self.rows[position]
        return row if int(address) <= int(row.last) else None


class AsnDatabase:
    """The ranges of one file; ``lookup(address)`` gives its row or ``None``."""

    def __init__(self, source: str, modified: datetime | None = None) -> None:
        self.source = source
        self.modified = modified  #: the file's modification time: the data's date
        self._tables = {4: _Table(), 6: _Table()}

    @classmethod
    def parse(cls, lines: Iterable[str], source: str = "<lines>", modified: datetime | None = None) -> AsnDatabase:
        database = cls(source, modified)
        for number, line in enumerate(lines, 1):
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            where = f"{source} line {number}"
            row = _row(text, where)
            database._tables[row.first.version].add(row, where)
        return database

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> AsnDatabase:
        """Read ``path`` (``.tsv`` or gzip, told apart by its first bytes)."""
        file = Path(path)
        try:
            modified = datetime.fromtimestamp(file.stat().st_mtime, UTC)
            with file.open("rb") as probe:
                zipped = probe.read(2) == b"\x1f\x8b"
            opener = gzip.open if zipped else open
            with opener(file, "rt", encoding="utf-8", newline="") as stream:
                return cls.parse(stream, str(file), modified)
        except FileNotFoundError:
            raise AsnDatabaseError(f"the IP-to-ASN file {file} does not exist") from None
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise AsnDatabaseError(f"the IP-to-ASN file {file} cannot be read: {error}") from None

    def lookup(self, address: Address) -> AsnRange | None:
        return self._tables[address.version].find(address)

    def counts(self) -> dict[str, int]:
        return {"ipv4": len(self._tables[4].rows), "ipv6": len(self._tables[6].rows)}

    def as_dict(self) -> dict[str, object]:
        date = self.modified.isoformat() if self.modified else None
        return {"file": self.source, "date": date, "ranges": self.counts()}


def _row(text: str, where: str) -> AsnRange:
    fields = text.split("\t")
    if len(fields) != 5:
        raise AsnDatabaseError(f"{where}: {len(fields)} tab-separated fields, 5 expected")
    start, end, number, country, description = fields
    try:
        first, last = ip_address(start.strip()), ip_address(end.strip())
    except ValueError as error:
        raise AsnDatabaseError(f"{where}: {error}") from None
    if first.version != last.version or int(first) > int(last):
        raise AsnDatabaseError(f"{where}: {start}-{end} is not a range")
    if not number.strip().isdigit() or int(number) > _MAX_ASN:
        raise AsnDatabaseError(f"{where}: AS number {number!r} is not a number from 0 to {_MAX_ASN}")
    code = country.strip()
    if code not in _NO_COUNTRY and not _COUNTRY.fullmatch(code):
        raise AsnDatabaseError(f"{where}: country {country!r} is not a two-letter code or None")
    return AsnRange(first, last, int(number), code if _COUNTRY.fullmatch(code) else None, description.strip())


_loaded: dict[tuple[str, int, int], AsnDatabase] = {}


def load_cached(path: str | os.PathLike[str]) -> AsnDatabase:
    """:meth:`AsnDatabase.load`, kept in memory until the file changes (size or time)."""
    file = Path(path).resolve()
    try:
        info = file.stat()
    except OSError:
        return AsnDatabase.load(file)  # raises the clear error
    key = (str(file), info.st_mtime_ns, info.st_size)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = AsnDatabase.load(file)
    return _loaded[key]
