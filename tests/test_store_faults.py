"""A store that fails under a command: damaged (garbage over some pages), at a schema revision
this tracker does not know, or its PostgreSQL server lost mid-run. Each is one line naming the
store (password hidden) and the problem, exit code 1 or 2, never a traceback; and nothing is
written into a store that fails its integrity check."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

from tests.conftest import one_street
from tracker.cli import cli
from tracker.store_errors import shown_url

TRACKER = Path(sys.executable).parent / "tracker"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[Path, Path, str]:
    """(store, corpus, a commitment id): one street run into a SQLite store."""
    folder = tmp_path_factory.mktemp("faults")
    corpus = one_street(folder / "corpus")
    db = folder / "scored.db"
    assert invoke("--db", str(db), "run", str(corpus)).exit_code == 0
    assert (
        invoke("--db", str(db), "export", "--format", "jsonl", "-o", str(folder / "all.jsonl")).exit_code == 0
    )
    first = json.loads((folder / "all.jsonl").read_text("utf-8").splitlines()[0])
    return db, corpus, first["commitment_id"]


def damaged_copy(store: Path, into: Path, table: str | None) -> Path:
    """A copy of store with random bytes over one page: one of table's, or the middle of the file."""
    copy = shutil.copy(store, into / "damaged.db")
    with sqlite3.connect(copy) as connection:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        if table is None:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            page = pages // 2
        else:
            page = connection.execute(
                "SELECT max(pageno) FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,)
            ).fetchone()[0]
    garbage = random.Random(18).randbytes(size)
    with open(copy, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(garbage)
    return Path(copy)


def decisions_in(store: Path) -> int:
    with sqlite3.connect(store) as connection:
        return connection.execute("SELECT count(*) FROM review_decision").fetchone()[0]


def assert_one_line_naming(result, store: str, *problem: str) -> None:
    assert result.exit_code in (1, 2), result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and message.startswith(f"Error: {store}: "), message
    for words in problem:
        assert words in message


def test_a_decision_is_never_written_into_a_store_that_fails_its_integrity_check(scored, tmp_path):
    store, _, commitment = scored
    damaged = damaged_copy(store, tmp_path, "segmentcache")  # a table --decide does not read
    before = decisions_in(damaged)
    result = invoke("--db", str(damaged), "review", "--decide", commitment, "--accept", "--reviewer", "ann")
    assert_one_line_naming(result, f"sqlite:///{damaged}", "the store is damaged", "nothing was written")
    assert decisions_in(damaged) == before
    result = invoke("--db", str(damaged), "score")  # a command that always writes
    assert_one_line_naming(result, f"sqlite:///{damaged}", "the store is damaged")


def test_every_command_on_a_store_with_garbage_in_the_middle_answers_or_fails_in_one_line(scored, tmp_path):
    store, corpus, commitment = scored
    damaged = damaged_copy(store, tmp_path, None)
    commands = [
        ["report", "--street", "西乡街道"],
        ["report", "--all"],
        ["export", "--format", "csv", "-o", str(tmp_path / "out.csv")],
        ["explain", commitment],
        ["docs"],
        ["streets"],
        ["review", "--list"],
        ["review", "--history"],
        ["run", str(corpus)],
        ["score"],
        ["review", "--decide", commitment, "--accept", "--reviewer", "ann"],
    ]
    failed = []
    for command in commands:
        result = invoke("--db", str(damaged), *command)
        if result.exit_code != 0:
            failed.append(command[0])
            assert_one_line_naming(result, f"sqlite:///{damaged}")
    assert failed[-2:] == ["score", "review"]  # nothing written: no scores, no decision


def test_a_store_at_an_unknown_newer_revision_is_named_in_one_line_by_every_command(scored, tmp_path):
    store, corpus, _ = scored
    newer = Path(shutil.copy(store, tmp_path / "newer.db"))
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    for command in (["report", "--street", "西乡街道"], ["docs"], ["review", "--list"], ["run", str(corpus)]):
        result = invoke("--db", str(newer), *command)
        assert result.exit_code == 2
        assert_one_line_naming(result, f"sqlite:///{newer}", "revision 9999", "upgrade tracker")


def test_a_password_is_hidden_wherever_a_store_is_named():
    assert shown_url("postgresql+psycopg://ann:s3cret@db.example.org:5432/tracker") == (
        "postgresql+psycopg://ann:***@db.example.org:5432/tracker"
    )
    assert shown_url("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"


# The run holds its lock: an advisory lock in this database.
RUN_LOCK_TAKEN = """
SELECT EXISTS (
    SELECT 1 FROM pg_locks JOIN pg_database ON pg_database.oid = pg_locks.database
    WHERE locktype = 'advisory' AND datname = current_database()
)
"""
# What the run sees when its server goes: every connection of it closed by the server.
LOSE_THE_OTHER_SESSIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


def test_a_run_whose_postgresql_server_is_lost_ends_in_one_line(store_url, tmp_path):
    if not store_url.startswith("postgresql"):
        pytest.skip("a server to lose: PostgreSQL only")
    url = make_url(store_url).set(password="s3cret").render_as_string(hide_password=False)  # trust: ignored
    corpus = one_street(tmp_path / "corpus")
    run = subprocess.Popen(
        [TRACKER, "--db", url, "run", str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    server = create_engine(store_url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 120
    with server.connect() as connection:
        while not connection.execute(text(RUN_LOCK_TAKEN)).scalar():
            assert run.poll() is None and time.monotonic() < deadline, "the run never took the store"
            time.sleep(0.05)
        connection.execute(text(LOSE_THE_OTHER_SESSIONS))
    server.dispose()
    _, errors = run.communicate(timeout=300)
    assert run.returncode in (1, 2), errors
    message = errors.strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith(
        f"Error: {make_url(store_url).set(password='s3cret').render_as_string(hide_password=True)}: "
    )
    assert "s3cret" not in message
