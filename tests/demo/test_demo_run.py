"""``sentinelle demo`` end to end: each simulated provider plays its part, the mail went out,
the database is left usable and agrees with ``sentinelle stats``. No timing is asserted."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

from demo_support import DemoRun, provider, world

from sentinelle.sandbox import PolicyAction, read_log
from support.cli import run_cli

DAY = 86400


def test_the_immediate_provider_removed_everything_and_said_so(demo: DemoRun) -> None:
    row = demo.recipient(provider(PolicyAction.IMMEDIATE).slug)
    assert row["noticed"] > 0 and row["removed"] == row["noticed"] and row["open"] == 0
    assert row["answers"] >= 1 and row["reminders"] == 0 and row["escalated"] == 0
    # it answered "removed" on the response page, so the recheck came at once: minutes, not a day
    assert 0 < row["median_seconds"] <= 3600 and row["p90_seconds"] <= 3600
    answers = demo.rows("SELECT r.kind FROM responses_noticeresponse r JOIN notices_notice n ON n.id = r.notice_id "
                        "WHERE n.recipient_email = ?", row["email"])
    assert answers and {kind for (kind,) in answers} == {"removed"}


def test_the_delayed_provider_removed_later_and_was_reminded_meanwhile(demo: DemoRun) -> None:
    late, quick = demo.recipient(provider(PolicyAction.DELAYED).slug), demo.recipient(provider(PolicyAction.IMMEDIATE).slug)
    assert late["noticed"] > 0 and late["removed"] == late["noticed"]
    assert late["median_seconds"] >= 30 * 3600 > quick["p90_seconds"]
    assert late["reminders"] >= 1 and late["escalated"] == 0
    cdn = demo.recipient(world().internet.cdn.slug)  # the CDN passed its notice on to the same provider
    assert cdn["party"] == "cdn" and cdn["noticed"] > 0 and cdn["removed"] == cdn["noticed"]


def test_the_disputing_provider_disputed_on_the_response_page(demo: DemoRun) -> None:
    row = demo.recipient(provider(PolicyAction.DISPUTE).slug)
    assert row["noticed"] > 0 and row["disputed"] == row["noticed"] and row["removed"] == 0
    statuses = demo.rows("SELECT i.status FROM notices_noticeitem i JOIN notices_notice n ON n.id = i.notice_id "
                         "WHERE n.kind = 'notice' AND n.recipient_email = ?", row["email"])
    assert {status for (status,) in statuses} == {"disputed"}
    kinds = demo.rows("SELECT r.kind, r.needs_analyst FROM responses_noticeresponse r "
                      "JOIN notices_notice n ON n.id = r.notice_id WHERE n.recipient_email = ?", row["email"])
    assert kinds and set(kinds) == {("dispute", 1)}


def test_the_never_provider_was_reminded_then_escalated_and_flagged(demo: DemoRun) -> None:
    never = provider(PolicyAction.NEVER)
    row = demo.recipient(never.slug)
    assert row["noticed"] > 0 and row["removed"] == 0 and row["open"] == row["noticed"]
    assert row["reminders"] == 2  # SENTINELLE_ESCALATE_AFTER, the demo's plan
    assert row["escalated"] == row["flagged"] == row["noticed"]
    upstream = world().internet.upstream_of(never.slug)
    assert upstream is not None
    escalated_to = {(e["role"], e["email"]) for e in demo.summary["escalations"]}
    assert ("upstream", upstream.abuse_email) in escalated_to
    assert ("hotline", f"reports@hotline-{never.country.lower()}.test") in escalated_to
    flags = demo.rows("SELECT DISTINCT i.analyst_flag FROM notices_noticeitem i JOIN notices_notice n "
                      "ON n.id = i.notice_id WHERE n.kind = 'notice' AND n.recipient_email = ?", row["email"])
    assert flags == [("law-enforcement",)]


def test_the_mail_sink_received_every_message_that_was_sent(demo: DemoRun) -> None:
    files = sorted((demo.folder / "mail").glob("*.eml"))
    received = {str(message_from_bytes(f.read_bytes(), policy=policy.default)["Message-ID"]) for f in files}
    sent = {mid for (mid,) in demo.rows("SELECT message_id FROM notices_notice WHERE status = 'sent'")}
    assert len(files) == demo.summary["mail"]["received"] == len(sent) > 0
    assert received == sent
    kinds = {kind for (kind,) in demo.rows("SELECT DISTINCT kind FROM notices_notice WHERE status = 'sent'")}
    assert kinds == {"notice", "reminder", "escalation"}


def test_the_providers_logs_show_what_they_did(demo: DemoRun) -> None:
    quick, dispute = provider(PolicyAction.IMMEDIATE), provider(PolicyAction.DISPUTE)
    log = read_log(demo.folder / "takedowns" / f"{quick.slug}.jsonl")
    assert {r["via"] for r in log if r["event"] == "request"} == {"mail"}
    assert len([r for r in log if r["event"] == "removed"]) == demo.recipient(quick.slug)["noticed"]
    assert [r["kind"] for r in log if r["event"] == "answer" and r["answered"]] == ["removed"]
    log = read_log(demo.folder / "takedowns" / f"{dispute.slug}.jsonl")
    assert not [r for r in log if r["event"] == "removed"]
    assert "dispute" in {r["kind"] for r in log if r["event"] == "answer" and r["answered"]}


def test_matches_of_the_unverified_list_wait_for_an_analyst(demo: DemoRun) -> None:
    intake = demo.summary["stats"]["matches"]["intake"]
    assert intake["noticed"] > 0 and intake["analyst"] > 0
    waiting = demo.rows(
        "SELECT DISTINCT m.list_name FROM notices_sightingintake s JOIN sightings_match m "
        "ON m.sighting_id = s.sighting_id WHERE s.state = 'analyst'")
    assert waiting == [(demo.summary["lists"]["unverified"],)]


def test_the_run_settled_with_nothing_missing(demo: DemoRun) -> None:
    clock = demo.summary["clock"]
    assert clock["reason"] == "settled" and clock["task_failures"] == []
    assert clock["simulated_seconds"] >= 5 * DAY  # notice, two reminders, upstream, hotline, flag: a day apart
    assert demo.summary["missing"] == []
    assert clock["happened"] and "rdap.east.test" in clock["happened"][0]["label"]
    stats = demo.summary["stats"]
    assert stats["crawl"]["pages"] > 0 and stats["crawl"]["images"] > 0 and stats["matches"]["sightings"] > 0


def test_the_database_is_left_usable_and_agrees_with_sentinelle_stats(demo: DemoRun) -> None:
    env = {**demo.env, "SENTINELLE_DATA_DIR": str(demo.folder)}
    stats = run_cli("stats", "--json", env=env)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout) == demo.summary["stats"]
    verified = run_cli("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    marker = json.loads((demo.folder / "demo.json").read_text())
    assert marker["status"] == "finished" and marker["public_url"] == demo.summary["serve"]["public_url"]
    assert f"SENTINELLE_DATA_DIR={demo.folder}" in demo.stderr and "sentinelle serve --bind" in demo.stderr
