"""docs/sandbox.md names every construct and hostile case, and its examples are real."""

from __future__ import annotations

import re
from pathlib import Path

from sentinelle.sandbox import Construct, HostileCase, build_world
from sentinelle.sandbox.traps import HOSTILE_PATHS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sandbox.md").read_text(encoding="utf-8")


def _rows(heading: str) -> list[str]:
    section = DOC.split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_every_construct_has_a_row_with_a_real_example_page() -> None:
    world = build_world(0, images=200)
    paths = {page.location.path for page in world.pages}
    rows = _rows("Constructs")
    assert {row.split("`")[1] for row in rows} == {str(c) for c in Construct}
    for row in rows:
        example = re.findall(r"`(/[^`]*)`", row.rsplit("|", 2)[-2])
        assert example and example[0] in paths, row


def test_every_hostile_case_has_its_path() -> None:
    rows = {row.split("`")[1]: row.split("`")[3] for row in _rows("Hostile cases")}
    assert rows == {str(case): path for case, (path, _) in HOSTILE_PATHS.items()}
    assert set(rows) == {str(case) for case in HostileCase}


def test_named_examples_are_those_of_seed_0() -> None:
    world = build_world(0, images=200)
    site = world.site("www.glade-1.example")
    assert site is not None and str(site.ip) == "127.64.1.10"
    assert world.provider(site.provider).name == "Marram Networks"
    assert world.sites[-1].host == "www.labyrinth-9.example"
    assert "0a0798927150" in {m.token for m in world.known_originals}
