"""The API on a real ``sentinelle serve``, set up with the real CLI, checked by schemathesis.

The partner and its token are made with ``sentinelle partners`` (so the CLI is exercised
end to end), then schemathesis generates requests for every operation from the live schema
and checks that none answers 5xx and that every answer (status, content type, body, headers)
is what the schema says. ``/match/url`` is left out: its generated URLs would be fetched
(name lookups leave the machine, and tests never reach the internet).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from support.cli import clean_env, run_cli
from support.serving import served

HASHES = [f"{n:064x}" for n in range(1, 6)]


@dataclass(frozen=True)
class LiveApi:
    url: str
    token: str
    env: dict[str, str]


def cli_json(*args: object, env: dict[str, str]) -> dict[str, object]:
    done = run_cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    folder = tmp_path_factory.mktemp("api-site")
    env = clean_env(str(folder / "data"))
    assert run_cli("migrate", env=env).returncode == 0
    listing = folder / "shared.txt"
    listing.write_text("\n".join(HASHES) + "\n")
    assert run_cli("lists", "import", listing, "--signal-type", "sha256", "--category", "csam", env=env).returncode == 0
    created = cli_json("partners", "create", "live-partner", "--lists", "shared", env=env)
    assert created["lists"] == ["shared"]
    issued = cli_json("partners", "token", "issue", "live-partner", "--scope", "match", "--scope", "lists:read",
                      "--scope", "reports:write", "--scope", "notices:respond", "--rate-limit", "0", env=env)
    with served(env, folder / "serve.log") as (url, _):
        yield LiveApi(url.rstrip("/"), str(issued["token"]), env)


def test_health_needs_no_token_and_readiness_reports_the_index(live_api: LiveApi) -> None:
    assert requests.get(f"{live_api.url}/api/v1/healthz", timeout=30).json() == {"status": "ok"}
    ready = requests.get(f"{live_api.url}/api/v1/readyz", timeout=60)  # builds the index if missing
    assert ready.status_code == 200, ready.text
    index = ready.json()["details"]["index"]
    assert ready.json()["status"] == "ready" and index["loaded"] is True and index["current"] is True


def test_the_cli_token_works_and_revoking_it_locks_it_out(live_api: LiveApi) -> None:
    auth = {"Authorization": f"Bearer {live_api.token}"}
    page = requests.get(f"{live_api.url}/api/v1/lists/shared/changes", headers=auth, timeout=30)
    assert page.status_code == 200 and {c["hash"] for c in page.json()["changes"]} == set(HASHES)
    listed = run_cli("partners", "list", "--json", env=live_api.env)
    (partner,) = [json.loads(x) for x in listed.stdout.splitlines()]
    assert live_api.token not in listed.stdout
    assert partner["tokens"][0]["last_used_at"] is not None
    spare = cli_json("partners", "token", "issue", "live-partner", "--scope", "match", env=live_api.env)
    revoked = cli_json("partners", "token", "revoke", str(spare["prefix"]), env=live_api.env)
    assert revoked["state"] == "revoked" and revoked["changed"] is True
    refused = requests.get(f"{live_api.url}/api/v1/lists/shared/changes",
                           headers={"Authorization": f"Bearer {spare['token']}"}, timeout=30)
    assert refused.status_code == 401


def test_the_cli_refuses_bad_input_with_usage_or_failure_codes(live_api: LiveApi) -> None:
    env = live_api.env
    assert run_cli("partners", "create", "live-partner", env=env).returncode == 2  # exists
    assert run_cli("partners", "create", "x", "--lists", "no-such-list", env=env).returncode == 2
    assert run_cli("partners", "create", "y", "--provider", "999", env=env).returncode == 2
    assert run_cli("partners", "token", "issue", "nobody", "--scope", "match", env=env).returncode == 3
    assert run_cli("partners", "token", "issue", "live-partner", "--scope", "admin", env=env).returncode == 2
    assert run_cli("partners", "token", "revoke", "snt_nothing-like-it", env=env).returncode == 3
    assert run_cli("partners", "lists", "live-partner", "shared,no-such-list", env=env).returncode == 2
    assert cli_json("partners", "lists", "live-partner", "shared", env=env)["lists"] == ["shared"]
    table = run_cli("partners", "list", env={**env, "COLUMNS": "250"})
    assert table.returncode == 0 and "live-partner" in table.stdout and live_api.token not in table.stdout


def test_no_server_error_and_every_answer_matches_the_schema(live_api: LiveApi) -> None:
    """Each operation gets up to 25 generated requests (valid and invalid) with a valid token."""
    schema = schemathesis.openapi.from_url(f"{live_api.url}/api/v1/openapi.json", timeout=30)
    schema = schema.exclude(path="/api/v1/match/url")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance, response_headers_conformance]
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tested.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(base_url=live_api.url, headers={"Authorization": f"Bearer {live_api.token}"},
                                   timeout=60, checks=checks)

        call()
    assert "POST /api/v1/reports" in tested and "GET /api/v1/lists/{name}/changes" in tested
    assert not any("/match/url" in label for label in tested)


def test_schemathesis_is_not_vacuous(live_api: LiveApi) -> None:
    """The live schema holds the operations the run above covers."""
    paths = requests.get(f"{live_api.url}/api/v1/openapi.json", timeout=30).json()["paths"]
    assert {"/api/v1/lists/{name}/changes", "/api/v1/reports", "/api/v1/notices/{reference}/responses"} <= set(paths)
    assert Path(live_api.env["SENTINELLE_DATA_DIR"]).exists()
