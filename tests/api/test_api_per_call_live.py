"""The per-call path on a real ``sentinelle serve`` with two workers: tokens cached in each
worker are still refused at once when revoked, rate limits hold across the workers, and the
buffered call records are all written when the server stops."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from support.cli import clean_env, run_cli
from support.serving import served

CALLS = 12


@dataclass(frozen=True)
class Site:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[str]


def issue(env: dict[str, str], *extra: str) -> dict[str, object]:
    done = run_cli("partners", "token", "issue", "cached-partner", "--scope", "match", *extra, env=env)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("per-call-site")
    env = clean_env(str(folder / "data"))
    env["SENTINELLE_API_TOKEN_CACHE_SECONDS"] = "3600"  # only the generation can refresh a token
    env["SENTINELLE_API_RECORD_FLUSH_SECONDS"] = "3600"  # records written by batch or at exit only
    env["SENTINELLE_API_RECORD_BATCH"] = "5"  # the writer threads write batches, the exit the rest
    assert run_cli("migrate", env=env).returncode == 0
    assert run_cli("partners", "create", "cached-partner", env=env).returncode == 0
    with served(env, folder / "serve.log", workers=2) as (url, process):
        yield Site(url.rstrip("/"), env, process)


def match(site: Site, token: object) -> int:
    body = {"hashes": [{"signal_type": "sha256", "hash": "ab" * 32}]}
    # a new connection each time: calls spread over both workers
    answer = requests.post(f"{site.url}/api/v1/match/hashes", json=body, timeout=60,
                           headers={"Authorization": f"Bearer {token}", "Connection": "close"})
    return answer.status_code


def test_a_cached_token_is_refused_on_the_call_after_its_revocation(site: Site) -> None:
    issued = issue(site.env, "--rate-limit", "0")
    assert [match(site, issued["token"]) for _ in range(CALLS)] == [200] * CALLS  # cached in both workers
    done = run_cli("partners", "token", "revoke", str(issued["prefix"]), env=site.env)
    assert done.returncode == 0, done.stderr
    assert [match(site, issued["token"]) for _ in range(6)] == [401] * 6


def test_a_rate_limit_is_shared_by_the_workers(site: Site) -> None:
    issued = issue(site.env, "--rate-limit", "5")
    statuses = [match(site, issued["token"]) for _ in range(9)]
    if statuses.count(429) != 4:  # a minute boundary crossed mid-test: counts restarted
        statuses = [match(site, issued["token"]) for _ in range(9)]
    assert statuses.count(200) == 5 and statuses.count(429) == 4


def test_buffered_records_are_all_written_when_the_server_stops(site: Site) -> None:
    issued = issue(site.env, "--rate-limit", "0")
    assert [match(site, issued["token"]) for _ in range(CALLS)] == [200] * CALLS
    site.process.terminate()  # graceful: each worker writes its buffer as it exits
    site.process.wait(timeout=60)
    script = ("import django, sys; django.setup(); from sentinelle.partners.models import ApiCall; "
              "print(ApiCall.objects.filter(token__prefix=sys.argv[1], route='match_hash_batch').count())")
    counted = subprocess.run([sys.executable, "-c", script, str(issued["prefix"])], capture_output=True,
                             env={**site.env, "DJANGO_SETTINGS_MODULE": "sentinelle.settings"},
                             text=True, timeout=120, check=False)
    assert counted.returncode == 0, counted.stderr
    assert int(counted.stdout.strip()) == CALLS
