"""The same run on SQLite and PostgreSQL: the same export, stable across re-runs, decisions kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import one_street
from tracker import decisions
from tracker.cli import cli
from tracker.store import database_url, open_store


def exported(url: str, folder: Path) -> list[dict]:
    path = folder / "export.jsonl"
    result = CliRunner().invoke(cli, ["--db", url, "export", "--format", "jsonl", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory) -> list[dict]:
    """The export of one street's run on a SQLite file: what every store must give."""
    folder = tmp_path_factory.mktemp("sqlite")
    url = f"sqlite:///{folder / 'store.db'}"
    result = CliRunner().invoke(cli, ["--db", url, "run", str(one_street(folder / "corpus"))])
    assert result.exit_code == 0, result.output
    return exported(url, folder)


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


def test_a_plain_postgresql_url_gets_the_driver_that_comes_with_tracker():
    assert database_url("postgresql://ann@db.example.org/tracker") == (
        "postgresql+psycopg://ann@db.example.org/tracker"
    )
    assert database_url("postgresql+psycopg://ann@db/t") == "postgresql+psycopg://ann@db/t"
