"""The world's "known" list: reference PDQ and MD5 of every listed original.

The originals are benign generated pictures; the categories (``csam``,
``harmful-abusive``) are labels on stand-ins, so that the rest of sentinelle
can be exercised end to end without any real material.
"""

from __future__ import annotations

from sentinelle.hashing import digests, reference_pdq_of
from sentinelle.lists import HashList, ListEntry
from sentinelle.sandbox.imagefiles import ImageStore
from sentinelle.sandbox.model import Media, World


def list_id(world: World, media: Media) -> str:
    """The list entry id of a listed original: ``sandbox-<seed>-<media id>``."""
    return f"sandbox-{world.seed}-{media.id}"


def source_list_id(world: World, media: Media) -> str | None:
    """The list entry id a copy or variant should match, None for distractors."""
    if media.category is None:
        return None
    return list_id(world, world.media[media.picture])


def known_list(
    world: World, images: ImageStore | None = None, *, name: str | None = None
) -> HashList:
    """One PDQ and one MD5 entry per original, computed on the served bytes (reference path).

    ``images`` is the store of a running sandbox (its cache is reused), else a new one.

    The list is marked verified: in the sandbox these hashes stand for ones analysts
    confirmed, so that automatic notices can be exercised.
    """
    store = images if images is not None else ImageStore(world, cache_size=1)
    entries: list[ListEntry] = []
    for media in world.known_originals:
        data = store.bytes_of(media.id)
        note = f"benign sandbox picture (seed {world.seed}, image {media.id})"
        ident = list_id(world, media)
        pdq = reference_pdq_of(data)
        entries.append(ListEntry("pdq", pdq.hash, media.category, ident, note))
        entries.append(ListEntry("md5", digests(data).md5, media.category, ident, note))
    return HashList(
        name or f"sandbox-{world.seed}-known",
        entries,
        verified=True,
        source=f"sentinelle sandbox, seed {world.seed}",
    )
