"""`tracker review` on the demo corpus: decisions stored at once, append-only, outliving re-runs.

The store is built once per module; every test works on its own copy of it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from textual.widgets import Input, Static

from tests.conftest import FIXTURES, REVIEW_RULES, SEEDS
from tracker import decisions
from tracker.cli import cli
from tracker.review import ReviewApp
from tracker.rules import load_rules
from tracker.store import open_store, scored_commitments
from tracker.verdict import ScoringRules

TRACKER = Path(sys.executable).parent / "tracker"
TMUX = shutil.which("tmux")
DISPUTE_BELOW = ScoringRules.load(load_rules().directory).dispute_below


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built_db(tmp_path_factory) -> Path:
    """The pipeline run once on the seeds and the synthetic corpus."""
    db = tmp_path_factory.mktemp("review") / "demo.db"
    result = invoke("--db", str(db), "run", str(SEEDS), str(FIXTURES / "corpus"))
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(built_db, tmp_path) -> Path:
    copy = tmp_path / "review.db"
    shutil.copy(built_db, copy)
    return copy


def engine_of(db: Path) -> Engine:
    return open_store(f"sqlite:///{db}")


def export_jsonl(db: Path, folder: Path) -> dict[str, dict]:
    path = folder / "export.jsonl"
    result = invoke("--db", str(db), "export", "--format", "jsonl", "-o", str(path))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return {row["commitment_id"]: row for row in rows}


def listed(db: Path) -> dict[str, dict]:
    result = invoke("--db", str(db), "review", "--list", "--json")
    assert result.exit_code == 0, result.output
    return {row["commitment_id"]: row for row in map(json.loads, result.output.splitlines())}


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_app_accepts_rejects_picks_sets_with_a_note_and_undoes(db, tmp_path):
    engine = engine_of(db)
    items = decisions.queue(engine, DISPUTE_BELOW)
    assert all(item.left for item in items) and len(items) > 10
    pick_at = next(
        n
        for n, item in enumerate(items)
        if n > 1 and len(decisions.candidate_quotes(engine, item.commitment.id, REVIEW_RULES)) > 1
    )
    accepted, rejected, picked, set_, undone = (items[n] for n in (0, 1, pick_at, pick_at + 1, pick_at + 2))
    shown = decisions.candidate_quotes(engine, picked.commitment.id, REVIEW_RULES)
    cited = next((n for n, c in enumerate(shown) if c.cited_by(picked.match)), 0)  # where p starts
    second_candidate = shown[(cited + 1) % len(shown)].evidence
    app = ReviewApp(engine, "tester", items, REVIEW_RULES)
    counter = app.review_screen.query_one

    async def review() -> None:
        async with app.run_test(size=(200, 50)) as pilot:
            assert f"{len(items)} left of {len(items)}" in str(counter("#counter", Static).render())
            await pilot.press("a")  # accept, then on to the next
            await pilot.press("r")
            await pilot.press(*["j"] * (pick_at - 2))
            await pilot.press("l", "p", "home", "enter")  # the one after the cited one is the evidence: done
            await pilot.press("n")
            app.screen.query_one(Input).value = "the summary never names it"
            await pilot.press("enter")
            await pilot.press("s", "home", "down", "down", "enter", "down", "enter")  # missing, not_mentioned
            await pilot.press("a", "u")  # accept, then take it back
            await pilot.press("k", "k")  # back to the picked one
            statements = app.review_screen.query_one("#statements", Static)
            assert "score " in str(statements.render()) and "picked by the reviewer" in str(
                statements.render()
            )
            await pilot.press("b")  # blind: no score, no machine citation
            assert "score " not in str(statements.render()) and "cited by" not in str(statements.render())
            assert second_candidate["text"] in str(statements.render())
            assert f"{len(items) - 4} left of {len(items)}" in str(counter("#counter", Static).render())

    asyncio.run(review())

    trail = decisions.history(engine)
    assert [(e.commitment_id, e.decision, e.reviewer) for e in trail] == [
        (accepted.commitment.id, "accept", "tester"),
        (rejected.commitment.id, "reject", "tester"),
        (picked.commitment.id, "pick", "tester"),
        (set_.commitment.id, "set", "tester"),
        (undone.commitment.id, "accept", "tester"),
        (undone.commitment.id, "undo", "tester"),
    ]
    assert trail[-1].undoes == trail[-2].id
    decided = (accepted, rejected, picked, set_)
    assert [e.machine_status for e in trail[:4]] == [item.match.status for item in decided]
    found = decisions.reviews(engine)
    assert set(found) == {item.commitment.id for item in decided}
    assert found[picked.commitment.id].decision.evidence == [second_candidate]
    assert found[set_.commitment.id].decision.status_before == set_.match.status
    assert found[set_.commitment.id].decision.note == "the summary never names it"

    rows = export_jsonl(db, tmp_path)
    row = rows[accepted.commitment.id]
    assert row["status"] == accepted.match.status and "reviewed" in row["flags"]
    assert row["review"]["decision"] == "accept" and row["review"]["reviewer"] == "tester"
    assert row["review"]["at"].endswith("Z") and not row["disputed"]
    row = rows[rejected.commitment.id]
    assert row["status"] == rejected.match.status and row["reason"] == rejected.match.reason
    assert row["review"]["decision"] == "reject" and "reviewed" in row["flags"] and row["disputed"]
    row = rows[picked.commitment.id]
    assert (row["status"], row["evidence"], row["review"]["decision"]) == ("done", [second_candidate], "pick")
    row = rows[set_.commitment.id]
    assert (row["status"], row["reason"], row["evidence"]) == ("missing", "not_mentioned", [])
    assert row["review"] == {
        "decision": "set",
        "status": "missing",
        "reviewer": "tester",
        "at": row["review"]["at"],
        "note": "the summary never names it",
    }
    row = rows[undone.commitment.id]
    assert row["review"] is None and "reviewed" not in row["flags"] and row["status"] == undone.match.status

    queue = listed(db)
    assert accepted.commitment.id not in queue and picked.commitment.id not in queue
    assert queue[rejected.commitment.id]["state"] == "reject"  # still disputed: no status replaced it
    assert queue[undone.commitment.id]["state"] == "open"


def test_the_app_filters_by_street_and_records_unsure(db):
    engine = engine_of(db)
    items = decisions.queue(engine, DISPUTE_BELOW)
    pinghu = [item for item in items if item.commitment.street == "平湖街道"]
    assert 0 < len(pinghu) < len(items)
    app = ReviewApp(engine, "tester", items, REVIEW_RULES)

    async def review() -> None:
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.press("f")
            app.screen.query_one(Input).value = "平湖街道"
            await pilot.press("enter", "m")
            counter = str(app.review_screen.query_one("#counter", Static).render())
            assert f"item 2/{len(pinghu)}" in counter and "filter “平湖街道”" in counter

    asyncio.run(review())
    [event] = decisions.history(engine)
    assert (event.commitment_id, event.decision) == (pinghu[0].commitment.id, "unsure")
    assert listed(db)[pinghu[0].commitment.id]["state"] == "unsure"


def test_undo_appends_an_event_and_never_deletes(db):
    engine = engine_of(db)
    target = decisions.queue(engine, DISPUTE_BELOW)[0].commitment.id
    decisions.record(engine, target, "set", "ann", status="partial", reason="items_short")
    decisions.record(engine, target, "unsure", "bob")
    decisions.record(engine, target, "undo", "bob")
    assert decisions.reviews(engine)[target].decision.decision == "set"
    decisions.record(engine, target, "undo", "ann")
    assert target not in decisions.reviews(engine)
    with pytest.raises(decisions.ReviewError, match="no decision to undo"):
        decisions.record(engine, target, "undo", "ann")
    assert [e.decision for e in decisions.history(engine, target)] == ["set", "unsure", "undo", "undo"]


def test_decide_and_history_on_the_command_line(db):
    engine = engine_of(db)
    target = decisions.queue(engine, DISPUTE_BELOW)[0].commitment.id
    ids = [commitment.id for commitment, _ in scored_commitments(engine)]
    prefix = next(target[:n] for n in range(1, 17) if sum(i.startswith(target[:n]) for i in ids) == 1)
    result = invoke(
        "--db", str(db), "review", "--decide", prefix, "--status", "partial", "--reason", "level_short",
        "--note", "only started", "--reviewer", "ann",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"set: {target}" in result.output
    result = invoke("--db", str(db), "review", "--decide", target, "--reject", "--reviewer", "bob")
    assert result.exit_code == 0, result.output
    trail = [
        json.loads(line)
        for line in invoke("--db", str(db), "review", "--history", prefix, "--json").output.splitlines()
    ]
    assert [(e["decision"], e["reviewer"], e["status_after"]) for e in trail] == [
        ("set", "ann", "partial"),
        ("reject", "bob", trail[0]["machine_status"]),
    ]
    assert trail[0]["note"] == "only started" and trail[0]["reason"] == "level_short"
    assert target in invoke("--db", str(db), "review", "--history").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--decide", "ZZZ", "--accept"], "ZZZ: no commitment has this id"),
        (["--decide", "c", "--accept"], "ambiguous"),
        (["--decide", "{id}"], "needs one of --status, --accept, --reject and --unsure"),
        (["--decide", "{id}", "--accept", "--reject"], "needs one of"),
        # with a note, whatever the machine said of the first queued commitment: the reason is the fault
        (
            ["--decide", "{id}", "--status", "done", "--reason", "items_short", "--note", "x"],
            "does not go with done",
        ),
        (["--decide", "{id}", "--accept", "--reason", "vague"], "a reason goes with a status"),
        (["--list", "--history"], "choose one of"),
        (["--note", "x"], "go with --decide"),
    ],
)
def test_bad_decisions_exit_2_and_write_nothing(db, args, message):
    target = decisions.queue(engine_of(db), DISPUTE_BELOW)[0].commitment.id
    result = invoke("--db", str(db), "review", *(arg.format(id=target) for arg in args))
    assert result.exit_code == 2
    assert message in result.output
    assert decisions.history(engine_of(db)) == []


def test_reviewer_comes_from_the_environment(db):
    target = decisions.queue(engine_of(db), DISPUTE_BELOW)[0].commitment.id
    result = CliRunner().invoke(
        cli, ["--db", str(db), "review", "--decide", target, "--accept"], env={"TRACKER_REVIEWER": "carol"}
    )
    assert result.exit_code == 0, result.output
    assert decisions.history(engine_of(db))[0].reviewer == "carol"


def test_decisions_survive_a_rerun_of_the_same_corpus(db, tmp_path):
    engine = engine_of(db)
    items = decisions.queue(engine, DISPUTE_BELOW)
    decisions.record(engine, items[0].commitment.id, "accept", "ann", note="fine")
    decisions.record(engine, items[1].commitment.id, "set", "ann", status="done")
    decisions.record(engine, items[2].commitment.id, "reject", "bob")
    candidate = decisions.candidate_quotes(engine, items[3].commitment.id, REVIEW_RULES)
    if candidate:
        decisions.record(
            engine, items[3].commitment.id, "pick", "bob", status="partial", evidence=candidate[0].evidence
        )
    before = [e.model_dump() for e in decisions.history(engine)]
    reviews_before = {key: (r.decision.id, r.changed) for key, r in decisions.reviews(engine).items()}
    exported_before = {key: row for key, row in export_jsonl(db, tmp_path).items() if row["review"]}

    result = invoke("--db", str(db), "run", str(SEEDS), str(FIXTURES / "corpus"))
    assert result.exit_code == 0, result.output

    assert [e.model_dump() for e in decisions.history(engine)] == before
    assert {key: (r.decision.id, r.changed) for key, r in decisions.reviews(engine).items()} == reviews_before
    assert not any(changed for _, changed in reviews_before.values())
    exported_after = {key: row for key, row in export_jsonl(db, tmp_path).items() if row["review"]}
    assert exported_after == exported_before and len(exported_after) == len(reviews_before)


def test_a_changed_followup_shows_changed_since_review(db, tmp_path):
    engine = engine_of(db)
    done = [
        (commitment, match)
        for commitment, match in scored_commitments(engine)
        if match.status == "done" and match.evidence
    ]
    summaries = {path.name: path for path in (FIXTURES / "corpus").glob("*.txt")}
    target, target_match = next((c, m) for c, m in done if {e["doc"] for e in m.evidence} <= set(summaries))
    edited = target_match.evidence[0]["doc"]
    control = next(
        c for c, m in done if all(e["doc"] != edited for e in m.evidence) and c.street != target.street
    )
    decisions.record(engine, target.id, "accept", "ann")
    decisions.record(engine, control.id, "accept", "ann")
    assert target.id not in listed(db)  # settled: out of the queue

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    shutil.copytree(FIXTURES / "corpus", corpus / "fixtures")
    summary = corpus / "fixtures" / edited
    text = summary.read_text("utf-8")
    for evidence in target_match.evidence:
        assert evidence["text"] in text
        text = text.replace(evidence["text"], "")
    summary.write_text(text, "utf-8")
    result = invoke("--db", str(db), "run", str(corpus / "seeds"), str(corpus / "fixtures"))
    assert result.exit_code == 0, result.output
    assert "replaced" in result.output

    found = decisions.reviews(engine)
    assert found[target.id].changed and found[target.id].decision.decision == "accept"
    assert not found[control.id].changed
    queue = listed(db)
    assert queue[target.id]["state"] == "changed since review"
    assert queue[target.id]["review"]["decision"] == "accept"
    assert control.id not in queue
    rows = export_jsonl(db, tmp_path)
    assert "changed_since_review" in rows[target.id]["flags"] and "reviewed" in rows[target.id]["flags"]
    assert rows[target.id]["review"]["status"] == "done" and rows[target.id]["disputed"]
    assert rows[control.id]["flags"].count("changed_since_review") == 0
    table = invoke("--db", str(db), "review", "--list").output
    assert "changed since" in table


def gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped counts as ended)."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" in status.read_text()
    except FileNotFoundError:
        return True


class Terminal:
    """`tracker review` in a real terminal: a tmux server of its own, so nothing else is touched."""

    def __init__(self, db: Path, socket: Path) -> None:
        self.socket = str(socket)
        command = f"exec env TRACKER_DB={db} {TRACKER} review --reviewer tester"
        self.tmux("new-session", "-d", "-s", "review", "-x", "200", "-y", "50", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", self.socket, *args], check=True, capture_output=True, text=True
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "review")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(db, tmp_path):
    if TMUX is None:
        pytest.skip("tmux is not installed")
    opened = Terminal(db, tmp_path / "tmux.socket")
    yield opened
    opened.close()


def test_a_key_in_a_real_terminal_stores_the_decision(db, terminal):
    first = decisions.queue(engine_of(db), DISPUTE_BELOW)
    wait_for(lambda: f"{len(first)} left of {len(first)}" in terminal.screen())
    assert first[0].commitment.id in terminal.screen()
    terminal.tmux("send-keys", "-t", "review", "a")
    wait_for(lambda: len(decisions.history(engine_of(db))) == 1)
    event = decisions.history(engine_of(db))[0]
    assert (event.commitment_id, event.decision, event.reviewer) == (
        first[0].commitment.id,
        "accept",
        "tester",
    )
    wait_for(lambda: f"{len(first) - 1} left of {len(first)}" in terminal.screen())


def test_a_decision_survives_killing_the_process_right_after_its_key(db, terminal):
    first = decisions.queue(engine_of(db), DISPUTE_BELOW)
    wait_for(lambda: f"{len(first)} left of {len(first)}" in terminal.screen())
    pid = int(terminal.tmux("display-message", "-p", "-t", "review", "#{pane_pid}"))
    terminal.tmux("send-keys", "-t", "review", "r")
    connection = sqlite3.connect(db, timeout=5)

    def written() -> bool:
        return connection.execute("select count(*) from review_decision").fetchone()[0] == 1

    wait_for(written, seconds=5)
    os.kill(pid, signal.SIGKILL)
    connection.close()
    wait_for(lambda: gone(pid))
    with sqlite3.connect(db) as check:
        assert check.execute("pragma integrity_check").fetchone()[0] == "ok"
    event = decisions.history(engine_of(db))[0]
    assert (event.commitment_id, event.decision) == (first[0].commitment.id, "reject")
    assert listed(db)[first[0].commitment.id]["state"] == "reject"
