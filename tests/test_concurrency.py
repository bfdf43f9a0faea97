"""Two reviewers on one commitment, two runs on one store: nothing is lost silently, on both stores."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from textual.widgets import Static

from tests.conftest import REVIEW_RULES, one_street
from tracker import decisions
from tracker.cli import cli
from tracker.review import ReviewApp
from tracker.store import Commitment, Document, Match, RunLock, exclusive_run, open_store

TRACKER = Path(sys.executable).parent / "tracker"


def scored_store(url: str, commitments: int = 1) -> Engine:
    """A store holding disputed verdicts on a few commitments, as a run leaves them."""
    engine = open_store(url)
    with Session(engine) as session:
        document = Document(
            name="plan.txt", path="plan.txt", sha256="0", encoding="utf-8", title="计划", text=""
        )
        session.add(document)
        session.flush()
        for number in range(commitments):
            commitment_id = f"c{number}"
            session.add(
                Commitment(
                    id=commitment_id,
                    document_id=document.id,
                    street="西乡街道",
                    plan_doc="plan.txt",
                    plan_period="2025",
                    section="一、",
                    text=f"建成{number + 1}号公园。",
                    char_start=0,
                    char_end=7,
                    ordinal=number,
                    checkable=True,
                )
            )
            session.add(Match(commitment_id=commitment_id, status="missing", confidence=0.4, disputed=True))
        session.commit()
    return engine


def test_two_reviewers_deciding_at_once_keep_the_first_and_tell_the_second(store_url):
    scored_store(store_url)
    engines = [open_store(store_url), open_store(store_url)]
    outcomes: dict[str, list] = {"ann": [], "bob": []}
    for seen in range(6):  # each round, both decide on the history of `seen` decisions at once
        start = threading.Barrier(2)

        def decide(engine: Engine, reviewer: str, seen: int = seen, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                outcomes[reviewer].append(decisions.record(engine, "c0", "reject", reviewer, seen=seen))
            except decisions.DecisionConflict as error:
                outcomes[reviewer].append(error)

        threads = [threading.Thread(target=decide, args=pair) for pair in zip(engines, outcomes, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        trail = decisions.history(engines[0], "c0")
        assert len(trail) == seen + 1  # one of the two recorded, never both, never neither
        winner = trail[-1]
        loser = next(reviewer for reviewer in outcomes if reviewer != winner.reviewer)
        refusal = outcomes[loser][-1]
        assert isinstance(refusal, decisions.DecisionConflict)
        assert f"{winner.reviewer} decided reject" in str(refusal) and "not recorded" in str(refusal)
        assert decisions.utc_text(winner.at) in str(refusal)


def test_a_decision_written_while_another_commits_is_refused_by_the_store(store_url):
    """The race a read-then-write check misses: the other decision commits between the two."""
    engine = scored_store(store_url)
    refused: list[decisions.DecisionConflict] = []
    with Session(open_store(store_url)) as other:  # bob's decision, written but not yet committed
        other.add(
            decisions.Decision(
                commitment_id="c0",
                sequence=1,
                reviewer="bob",
                decision="set",
                status_before="missing",
                status_after="done",
                machine_status="missing",
                machine_digest="-",
            )
        )
        other.flush()

        def ann_decides() -> None:
            try:
                decisions.record(engine, "c0", "accept", "ann")
            except decisions.DecisionConflict as error:
                refused.append(error)

        ann = threading.Thread(target=ann_decides)
        ann.start()
        time.sleep(0.5)  # ann has read a history without bob's decision and waits to write
        other.commit()
        ann.join()
    assert len(refused) == 1 and "bob decided set done" in str(refused[0])
    assert [(e.reviewer, e.decision) for e in decisions.history(engine, "c0")] == [("bob", "set")]


def test_a_stale_decision_on_the_command_line_is_refused_naming_the_other(store_url):
    engine = scored_store(store_url)
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", store_url, "review", "--list", "--json"])
    assert '"decisions": 0' in listed.output
    first = runner.invoke(
        cli, ["--db", store_url, "review", "--decide", "c0", "--accept", "--reviewer", "ann"]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        cli, ["--db", store_url, "review", "--decide", "c0", "--reject", "--seen", "0", "--reviewer", "bob"]
    )
    assert second.exit_code == 2
    assert "c0: not recorded: ann decided accept missing" in second.output
    assert [e.reviewer for e in decisions.history(engine, "c0")] == ["ann"]


def test_the_review_screen_refuses_a_stale_decision_and_shows_the_other(store_url):
    engine = scored_store(store_url, commitments=2)
    items = decisions.queue(engine, dispute_below=0.5)
    app = ReviewApp(engine, "ann", items, REVIEW_RULES)

    async def review() -> None:
        async with app.run_test(size=(200, 50)) as pilot:
            decisions.record(open_store(store_url), "c0", "set", "bob", status="done")  # on bob's screen
            await pilot.press("r")  # ann rejects the verdict she was shown
            shown = str(app.review_screen.query_one("#commitment", Static).render())
            assert "c0" in shown and "set: done" in shown and "by bob" in shown
            assert any("bob decided set done" in n.message for n in app._notifications)
            await pilot.press("r")  # now made against bob's decision: recorded
            assert "c1" in str(app.review_screen.query_one("#commitment", Static).render())

    asyncio.run(review())
    assert [(e.reviewer, e.decision) for e in decisions.history(engine, "c0")] == [
        ("bob", "set"),
        ("ann", "reject"),
    ]


def lock_held(engine: Engine) -> bool:
    """A run holds the store: the name in its lock file (SQLite) or its run_lock row (PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        path = Path(f"{engine.url.database}.lock")
        return path.exists() and path.read_text("utf-8") != ""
    with Session(engine) as session:
        return session.exec(select(RunLock)).first() is not None


def test_a_second_run_while_one_runs_is_refused_naming_the_first(store_url, tmp_path):
    corpus = one_street(tmp_path / "corpus")
    first = subprocess.Popen(
        [TRACKER, "--db", store_url, "run", corpus],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    watch = open_store(store_url)
    while not lock_held(watch):
        assert first.poll() is None and time.monotonic() < deadline, "the first run never took the store"
        time.sleep(0.02)
    for command in (["run", str(corpus)], ["score"], ["ingest", str(corpus)]):
        refused = CliRunner().invoke(cli, ["--db", store_url, *command])
        assert refused.exit_code == 2
        message = refused.output.strip()
        assert len(message.splitlines()) == 1
        assert f"`tracker run` (pid {first.pid} on " in message and "is writing it" in message
    assert first.poll() is None, "the first run ended before the others were refused"
    output, _ = first.communicate(timeout=300)
    assert first.returncode == 0, output
    again = CliRunner().invoke(cli, ["--db", store_url, "run", str(corpus)])
    assert again.exit_code == 0, again.output
    assert "extracted 0 document(s)" in again.output


def test_the_run_lock_keeps_runs_apart_never_reviewers(store_url):
    engine = scored_store(store_url)
    with exclusive_run(open_store(store_url), "run"):
        assert decisions.record(engine, "c0", "accept", "ann").sequence == 1


def test_a_decision_while_a_run_holds_the_sqlite_write_lock_is_refused_not_lost(tmp_path):
    engine = scored_store(f"sqlite:///{tmp_path / 'store.db'}")
    run = sqlite3.connect(tmp_path / "store.db")
    run.execute("BEGIN IMMEDIATE")  # as a run's extraction or scoring transaction does
    with pytest.raises(decisions.ReviewError, match="c0: not recorded: the store is busy"):
        decisions.record(engine, "c0", "accept", "ann")
    run.rollback()
    assert decisions.record(engine, "c0", "accept", "ann").sequence == 1
