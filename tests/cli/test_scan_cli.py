"""``sentinelle scan`` and ``sentinelle hash`` through the real command line."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from sentinelle.hashing import reference_pdq_of
from support.cli import run_cli
from support.pictures import draw_picture, encode, flip_bits


def sentinelle(*args: object) -> subprocess.CompletedProcess[str]:
    return run_cli(*args)


def records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of benign pictures, some of them altered copies of listed ones."""
    root = tmp_path_factory.mktemp("scan")
    (root / "sub").mkdir()
    known, other = draw_picture(1), draw_picture(2)
    (root / "a-known.jpg").write_bytes(encode(known, quality=90))
    (root / "b-rotated.png").write_bytes(encode(known.transpose(Image.Transpose.ROTATE_90), "PNG"))
    (root / "sub" / "c-other.jpg").write_bytes(encode(other))
    (root / "sub" / "d-broken.jpg").write_bytes(encode(other)[:500])
    (root / "sub" / "e-notes.txt").write_text("not a picture")
    listed = reference_pdq_of(encode(known, quality=90)).hash
    (root / "list.csv").write_text(
        "signal_type,hash,category,id\n"
        f"pdq,{flip_bits(listed, 5)},csam,K1\n"
        f"md5,{hashlib.md5(b'not a picture').hexdigest()},harmful-abusive,T1\n"
    )
    return root


def test_scan_writes_one_object_per_file_in_order(tree: Path) -> None:
    done = sentinelle("scan", tree / "a-known.jpg", tree / "b-rotated.png", tree / "sub", "--list", tree / "list.csv", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    out = records(done.stdout)
    names = [Path(str(r["path"])).name for r in out]
    assert names == ["a-known.jpg", "b-rotated.png", "c-other.jpg", "d-broken.jpg", "e-notes.txt"]
    fields = {"path", "size", "md5", "sha1", "sha256", "pdq", "quality", "pdq_path", "matches", "error"}
    assert all(fields <= set(r) for r in out)
    by_name = dict(zip(names, out, strict=True))
    known_match = by_name["a-known.jpg"]["matches"]
    assert [(m["list"], m["id"], m["category"], m["distance"]) for m in known_match] == [("list", "K1", "csam", 5)]  # type: ignore[union-attr]
    assert by_name["a-known.jpg"]["pdq_path"] == "reference"  # confirmed
    rotated = by_name["b-rotated.png"]["matches"]
    assert [m["transform"] for m in rotated] == ["rotate270"]  # type: ignore[union-attr]
    assert by_name["c-other.jpg"]["matches"] == [] and by_name["c-other.jpg"]["pdq_path"] == "fast"
    assert by_name["d-broken.jpg"]["error"]["kind"] == "corrupt"  # type: ignore[index]
    assert [m["id"] for m in by_name["e-notes.txt"]["matches"]] == ["T1"]  # type: ignore[union-attr]
    assert by_name["e-notes.txt"]["error"]["kind"] == "unsupported"  # type: ignore[index]
    assert "scanned 5 files (3 images" in done.stderr
    assert "matched: 3 files (3 matches); errors: corrupt 1, unsupported 1" in done.stderr


def test_parallel_scan_gives_the_same_output(tree: Path, tmp_path: Path) -> None:
    one = sentinelle("scan", tree, "--list", tree / "list.csv", "--jobs", "1")
    two = sentinelle("scan", tree, "--list", tree / "list.csv", "--jobs", "2", "--output", tmp_path / "out.jsonl")
    assert two.returncode == 0 and two.stdout == ""
    assert (tmp_path / "out.jsonl").read_text() == one.stdout


def test_fail_on_match_exit_codes(tree: Path) -> None:
    matched = sentinelle("scan", tree / "a-known.jpg", "--list", tree / "list.csv", "--fail-on-match")
    assert matched.returncode == 1
    clean = sentinelle("scan", tree / "sub" / "c-other.jpg", "--list", tree / "list.csv", "--fail-on-match")
    assert clean.returncode == 0
    missing = sentinelle("scan", tree / "nothing-here.jpg", "--list", tree / "list.csv")
    assert missing.returncode == 0  # a per-file problem, in the output
    assert records(missing.stdout)[0]["error"] == {"kind": "not-found", "reason": "no such file"}


def test_list_problems_stop_before_scanning(tree: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("signal_type,hash\npdq,123\nmd5,zz\n")
    done = sentinelle("scan", tree, "--list", bad)
    assert done.returncode == 3 and done.stdout == ""
    assert "line 2:" in done.stderr and "line 3:" in done.stderr
    absent = sentinelle("scan", tree, "--list", tmp_path / "absent.csv")
    assert absent.returncode == 3 and "no such file, and the database cannot be read" in absent.stderr
    text = tmp_path / "plain.txt"
    text.write_text(hashlib.md5(b"x").hexdigest() + "\n")
    assert sentinelle("scan", tree, "--list", text).returncode == 2  # needs --signal-type
    assert sentinelle("scan", tree, "--list", text, "--signal-type", "md5").returncode == 0
    assert sentinelle("scan", tree).returncode == 2  # no list
    assert sentinelle("scan", "--list", text).returncode == 2  # no path


def test_hash_prints_reference_values_and_fast_ones_on_request(tree: Path) -> None:
    picture = tree / "a-known.jpg"
    data = picture.read_bytes()
    done = sentinelle("hash", picture, "--dihedral")
    (record,) = records(done.stdout)
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["sha1"] == hashlib.sha1(data).hexdigest()
    assert record["pdq"] == reference_pdq_of(data).hash and record["pdq_path"] == "reference"
    assert list(record["dihedral"]) == [  # type: ignore[arg-type]
        "original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flipplus1", "flipminus1",
    ]
    assert "matches" not in record
    (fast,) = records(sentinelle("hash", picture, "--fast").stdout)
    assert fast["pdq_path"] == "fast" and fast["md5"] == record["md5"]


def test_cli_reference_is_current() -> None:
    generated = subprocess.run(
        [sys.executable, str(Path(__file__).parents[2] / "scripts" / "cli_docs.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
