"""The demo's folder: it never writes where it did not make the folder; --fresh starts over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinelle.demo.exceptions import FolderInUse
from sentinelle.demo.folder import MARKER, default_folder, prepare
from support.cli import clean_env, run_cli


def test_a_folder_the_demo_did_not_make_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "sentinelle.sqlite3").write_bytes(b"someone's database")
    for extra in ((), ("--fresh",)):
        done = run_cli("demo", "--data-dir", folder, "--json", *extra, env=clean_env(str(tmp_path / "x")))
        assert done.returncode == 3 and "was not made by `sentinelle demo`" in done.stderr
        assert done.stdout == ""
    assert [p.name for p in folder.iterdir()] == ["sentinelle.sqlite3"]
    assert (folder / "sentinelle.sqlite3").read_bytes() == b"someone's database"


def test_an_earlier_demo_needs_fresh(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / MARKER).write_text(json.dumps({"made_by": "sentinelle demo", "status": "finished"}))
    (folder / "sentinelle.sqlite3").write_bytes(b"an earlier demo")
    done = run_cli("demo", "--data-dir", folder, env=clean_env(str(tmp_path / "x")))
    assert done.returncode == 3 and "give --fresh" in done.stderr
    assert (folder / "sentinelle.sqlite3").read_bytes() == b"an earlier demo"


def test_fresh_empties_only_a_folder_the_demo_made(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    (folder / "mail").mkdir(parents=True)
    (folder / "mail" / "0001.eml").write_text("x")
    (folder / MARKER).write_text(json.dumps({"made_by": "sentinelle demo"}))
    assert prepare(folder, fresh=True) == folder.resolve()
    assert [p.name for p in folder.iterdir()] == [MARKER]
    assert json.loads((folder / MARKER).read_text())["status"] == "running"
    with pytest.raises(FolderInUse, match="earlier demo"):
        prepare(folder, fresh=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(FolderInUse, match="is a file"):
        prepare(tmp_path / "file", fresh=True)


def test_the_default_folder_follows_the_data_dir_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SENTINELLE_DATA_DIR", raising=False)
    assert default_folder() == Path("sentinelle-demo")
    monkeypatch.setenv("SENTINELLE_DATA_DIR", str(tmp_path))
    assert default_folder() == tmp_path / "demo"


@pytest.mark.parametrize("args", [("--images", "5"), ("--seed", "-1"), ("--serve-port", "70000")])
def test_bad_options_are_usage_errors_and_make_no_folder(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_cli("demo", "--data-dir", tmp_path / "demo", *args, env=clean_env(str(tmp_path / "x")))
    assert done.returncode == 2, done.stderr
    assert not (tmp_path / "demo").exists()


def test_the_command_line_defaults_are_the_plans() -> None:
    from sentinelle.cli.main import build_parser
    from sentinelle.demo.plan import DemoPlan

    args = build_parser().parse_args(["demo"])
    assert (args.seed, args.images) == (DemoPlan().seed, DemoPlan().images)
