"""The same run on SQLite and PostgreSQL: the same export, stable across re-runs, decisions kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import one_street
from tracker import decisions
from tracker.cli import cli
from tracker.store import open_store
from tracker.store_read import database_url


def exported(url: str, folder: Path) -> list[dict]:
    path = folder / "export.jsonl"
    result = CliRunner().invoke(cli, ["--db", url, "export", "--format", "jsonl", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def reported(url: str, *options: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, "report", *options, "--width", "200"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def sqlite_run(tmp_path_factory) -> str:
    """One street's run on a SQLite file: what every store must give."""
    folder = tmp_path_factory.mktemp("sqlite")
    url = f"sqlite:///{folder / 'store.db'}"
    result = CliRunner().invoke(cli, ["--db", url, "run", str(one_street(folder / "corpus"))])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def on_sqlite(sqlite_run, tmp_path_factory) -> list[dict]:
    """The export of one street's run on a SQLite file."""
    return exported(sqlite_run, tmp_path_factory.mktemp("export"))


def test_a_run_exports_the_same_rows_on_every_store_and_a_rerun_keeps_them_and_the_decisions(
    store_url, tmp_path, on_sqlite
):
    corpus = one_street(tmp_path / "corpus")
    assert CliRunner().invoke(cli, ["--db", store_url, "run", str(corpus)]).exit_code == 0
    rows = exported(store_url, tmp_path)
    assert rows == on_sqlite and len(rows) > 100

    engine = open_store(store_url)
    target = rows[0]["commitment_id"]
    decisions.record(engine, target, "set", "ann", status="partial", reason="items_short", note="2 of 3")
    rerun = CliRunner().invoke(cli, ["--db", store_url, "run", str(corpus)])
    assert rerun.exit_code == 0 and "extracted 0 document(s)" in rerun.output

    after = {row["commitment_id"]: row for row in exported(store_url, tmp_path)}
    assert [row["commitment_id"] for row in rows] == list(after)
    assert (after[target]["status"], after[target]["reason"]) == ("partial", "items_short")
    assert after[target]["review"]["reviewer"] == "ann" and after[target]["review"]["note"] == "2 of 3"
    assert all(after[row["commitment_id"]] == row for row in rows[1:])


def test_a_run_reports_the_same_on_every_store_and_shows_a_decision(store_url, sqlite_run, tmp_path):
    assert (
        CliRunner().invoke(cli, ["--db", store_url, "run", str(one_street(tmp_path / "corpus"))]).exit_code
        == 0
    )
    for options in (["--street", "西乡街道"], ["--all"]):
        assert reported(store_url, *options) == reported(sqlite_run, *options)
    target = exported(store_url, tmp_path)[0]["commitment_id"]
    decisions.record(open_store(store_url), target, "set", "ann", status="missing", reason="not_mentioned")
    report = reported(store_url, "--street", "西乡街道", "--status", "missing")
    assert f"id {target[:8]}" in report and "by ann" in report


def test_a_plain_postgresql_url_gets_the_driver_that_comes_with_tracker():
    assert database_url("postgresql://ann@db.example.org/tracker") == (
        "postgresql+psycopg://ann@db.example.org/tracker"
    )
    assert database_url("postgresql+psycopg://ann@db/t") == "postgresql+psycopg://ann@db/t"
