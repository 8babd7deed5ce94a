"""``sentinelle attribute`` and ``sentinelle providers`` through the real command (subprocesses),
each test on its own copy of a migrated SQLite database, against the sandbox internet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from attribution_support import SandboxInternet, clean_env, database_copy, run_command


@pytest.fixture
def cli(sqlite_template: Path, tmp_path: Path, internet: SandboxInternet) -> Any:
    """``cli(*args, **env) -> CompletedProcess`` on a fresh database, with the sandbox's settings."""
    internet.reset_registries()
    data = database_copy(sqlite_template, tmp_path / "data")

    def run(*args: object, **extra: str) -> Any:
        return run_command(*args, env=clean_env(SENTINELLE_DATA_DIR=str(data), **{**internet.env(), **extra}))

    return run


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_attribute_prints_the_whole_chain_as_json_lines(cli: Any, internet: SandboxInternet) -> None:
    provider = internet.provider(style="linked")
    url = internet.site_url(provider, "/list/1.html")
    done = cli("attribute", url, "--hosts-file", internet.hosts, "--json")
    assert done.returncode == 0, done.stderr
    (result,) = lines(done.stdout)
    assert (result["url"], result["status"]) == (url, "ok")
    assert result["asn"]["asn"] == provider["asn"] and result["asn"]["source"]["file"] == str(internet.asn_db)
    assert result["addresses"]["source"] == "resolver SandboxResolver"
    assert result["rdap"]["network"]["source"]["redirects"][0].startswith(internet.sandbox.rdap_url)
    assert [r["email"] for r in result["recipients"]] == [provider["abuse_email"]]
    assert "1 URL(s) attributed, 0 flagged" in done.stderr
    again = lines(cli("attribute", url, "--hosts-file", internet.hosts, "--json").stdout)[0]
    assert again["rdap"]["network"]["source"]["cache"] == "cached"  # stored in the database
    assert again["id"] == result["id"]


def test_the_table_shows_each_step_with_its_source(cli: Any, internet: SandboxInternet) -> None:
    provider = internet.provider(style="none")
    done = cli("attribute", internet.site_url(provider), "--hosts-file", internet.hosts, COLUMNS="200")
    assert done.returncode == 0, done.stderr
    for text in ("RDAP network", provider["network_handle"], "rdap.registry.test", provider["rdap_registry"],
                 "abuse contact", provider["technical_email"], "recipient (hosting)", "FLAGGED",
                 "no-abuse-contact", "network (ASN)", f"AS{provider['asn']}"):
        assert text in done.stdout, text
    assert "1 flagged for an analyst" in done.stderr


def test_flags_are_listed_and_closed_with_a_resolution(cli: Any, internet: SandboxInternet) -> None:
    url = internet.site_url(internet.provider(registry="rdap.east.test"))
    assert cli("attribute", url, "--hosts-file", internet.hosts, "--json").returncode == 0
    flags = lines(cli("attribute", "--flags", "--json").stdout)
    assert sorted(f["reason"] for f in flags) == ["no-recipient", "rdap-unavailable"]
    unavailable = next(f for f in flags if f["reason"] == "rdap-unavailable")
    assert unavailable["retry_at"] is not None and unavailable["url"] == url
    closed = cli("attribute", "--resolve-flag", unavailable["id"], "--resolution", "asked the registry by mail")
    assert closed.returncode == 0, closed.stderr
    assert json.loads(closed.stdout)["resolution"] == "asked the registry by mail"
    assert [f["reason"] for f in lines(cli("attribute", "--flags", "--json").stdout)] == ["no-recipient"]
    assert cli("attribute", "--resolve-flag", unavailable["id"], "--resolution", "x").returncode == 2
    assert cli("attribute", "--retry-due", "--hosts-file", internet.hosts, "--json").stdout == ""  # not due


def test_providers_commands_edit_the_directory_and_attribute_uses_it(cli: Any, internet: SandboxInternet) -> None:
    provider = internet.provider(style="embedded")
    steps = [
        ("providers", "add", "reseller-one", "--name", "Reseller One", "--countries", "CA,FR"),
        ("providers", "set-contact", "reseller-one", "abuse@reseller-one.test", "--language", "fr", "--preferred"),
        ("providers", "add-network", "reseller-one", provider["network"], "AS4200009999"),
        ("providers", "note", "reseller-one", "takes notices in French"),
    ]
    for step in steps:
        done = cli(*step)
        assert done.returncode == 0, (step, done.stderr)
    shown = json.loads(cli("providers", "show", "reseller-one").stdout)
    assert shown["networks"] == [provider["network"], "AS4200009999"]
    assert shown["contacts"][0]["address"] == "abuse@reseller-one.test" and shown["countries"] == "CA,FR"
    assert "takes notices in French" in shown["notes"]
    (listed,) = lines(cli("providers", "list", "--json").stdout)
    assert listed["slug"] == "reseller-one"
    table = cli("providers", "list", COLUMNS="200").stdout
    assert "reseller-one" in table and "abuse@reseller-one.test (fr, preferred)" in table

    result = lines(cli("attribute", internet.site_url(provider), "--hosts-file", internet.hosts, "--json").stdout)[0]
    assert result["directory"]["matched"] == f"network {provider['network']}"
    assert [(r["email"], r["language"], r["source"]) for r in result["recipients"]] == [
        ("abuse@reseller-one.test", "fr", "directory")]

    host = internet.site_url(provider).split("//")[1].split(":")[0]
    assert cli("providers", "override", "host", host, "reseller-one", "--reason", "moved").returncode == 0
    (override,) = lines(cli("providers", "overrides", "--json").stdout)
    assert (override["value"], override["provider"], override["reason"]) == (host, "reseller-one", "moved")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("providers", "add", "Bad Slug", "--name", "X"), 2, "slug"),
        (("providers", "set-contact", "nobody", "abuse@x.test"), 3, "no provider 'nobody'"),
        (("providers", "set-contact", "nobody", "not-mail"), 2, "not an e-mail address"),
        (("providers", "show", "nobody"), 3, "no provider"),
        (("providers", "update", "nobody"), 2, "nothing to change"),
        (("attribute", "ftp://x.example/"), 2, "http"),
        (("attribute",), 2, "give URLs"),
        (("attribute", "http://a.example/", "--flags"), 2, "give URLs, or one of"),
        (("attribute", "http://a.example/", "http://b.example/", "--address", "1.2.3.4"), 2, "exactly one URL"),
    ],
)
def test_bad_command_lines_exit_2_and_unknown_things_3(cli: Any, args: tuple[str, ...], code: int, message: str) -> None:
    done = cli(*args)
    assert done.returncode == code, done.stderr
    assert message in done.stderr


def test_an_unusable_asn_file_or_database_exits_3(cli: Any, internet: SandboxInternet, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("1.0.0.0\t1.0.0.255\tX\tUS\tNET\n")
    url = internet.site_url(internet.provider(style="embedded"))
    done = cli("attribute", url, "--hosts-file", internet.hosts, SENTINELLE_ASN_DB=str(bad))
    assert done.returncode == 3 and f"{bad} line 1: AS number 'X'" in done.stderr
    checked = cli("attribute", "--check-asn-db")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ranges"]["ipv6"] == 0
    assert cli("attribute", "--check-asn-db", "--asn-db", bad).returncode == 3
    empty = run_command("attribute", url, env=clean_env(SENTINELLE_DATA_DIR=str(tmp_path / "unmigrated")))
    assert empty.returncode == 3 and "sentinelle migrate" in empty.stderr
    refused = cli("attribute", url, SENTINELLE_EGRESS_ALLOW="127.64.0.0/10")
    assert refused.returncode == 3 and "SENTINELLE_EGRESS_ALLOW" in refused.stderr
