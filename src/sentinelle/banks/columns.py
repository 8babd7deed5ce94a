"""The enabled stored lists as the serving index's columns (read straight from the rows).

The order and the resolved values are those of ``Matcher(load_lists())``: lists by name,
entries in the order they were added, an entry's category falling back to its list's, the
list's PDQ threshold or the reference default.
"""

from __future__ import annotations

import logging

import numpy as np

from sentinelle.banks.models import KnownHash, StoredList
from sentinelle.banks.served_index import SIGNALS, EntryColumns
from sentinelle.banks.served_table import ListInfo
from sentinelle.hashing import PdqSignal
from sentinelle.matching import SIGNAL_WIDTHS

logger = logging.getLogger(__name__)
BATCH = 5_000


def columns_from_database() -> tuple[EntryColumns, list[ListInfo], list[str]]:
    stored = list(StoredList.objects.filter(enabled=True).order_by("name"))
    lists = [
        ListInfo(s.name, s.category or None, s.verified,
                 PdqSignal.default_threshold if s.threshold is None else s.threshold)
        for s in stored
    ]
    code_of_list = {s.id: code for code, s in enumerate(stored)}
    categories: dict[str, int] = {}
    signal_codes = {name: code for code, name in enumerate(SIGNALS)}
    list_code: list[int] = []
    category_code: list[int] = []
    signal_code: list[int] = []
    row: list[int] = []
    ids = bytearray()
    id_end: list[int] = []
    keys: dict[str, list[bytes]] = {name: [] for name in SIGNALS}
    rows = (KnownHash.objects.filter(list__in=stored).order_by("list__name", "id")
            .values_list("list_id", "signal_type", "hash", "category", "entry_id"))
    for list_id, signal, value, category, entry_id in rows.iterator(chunk_size=BATCH):
        if signal not in signal_codes:
            logger.warning("serving index: skipping a %r hash (unknown signal type)", signal)
            continue
        code = code_of_list[list_id]
        label = category or lists[code].category
        list_code.append(code)
        category_code.append(-1 if label is None else categories.setdefault(label, len(categories)))
        signal_code.append(signal_codes[signal])
        row.append(len(keys[signal]))
        keys[signal].append(bytes.fromhex(value))
        ids += entry_id.encode()
        id_end.append(len(ids))
    columns = EntryColumns(
        np.array(list_code, np.int32), np.array(category_code, np.int32), np.array(signal_code, np.uint8),
        np.array(row, np.int64), np.array(id_end, np.int64), np.frombuffer(bytes(ids), np.uint8).copy(),
        {name: np.frombuffer(b"".join(values), np.uint8).reshape(-1, SIGNAL_WIDTHS[name]).copy()
         for name, values in keys.items()},
    )
    return columns, lists, list(categories)
