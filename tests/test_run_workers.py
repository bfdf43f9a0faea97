"""`tracker run --workers K` and re-runs: the same store whatever the number of processes, and a
re-run that does only the work its changes call for."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.conftest import FIXTURES, SEEDS
from tracker.cli import cli
from tracker.store import Commitment, Match, Statement, open_store


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def stored_outcome(db: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Every verdict (id, status, reason, evidence), every commitment's tokens and every statement
    (document, span, text)."""
    with Session(open_store(f"sqlite:///{db}")) as session:
        verdicts = [
            (m.commitment_id, m.status, m.reason, m.evidence)
            for m in session.exec(select(Match).order_by(Match.commitment_id))
        ]
        tokens = sorted((c.id, tuple(c.tokens)) for c in session.exec(select(Commitment)))
        statements = sorted(
            (s.document_id, s.char_start, s.char_end, s.text) for s in session.exec(select(Statement))
        )
    return verdicts, tokens, statements


def test_two_workers_store_the_same_ids_verdicts_and_statements_as_one(tmp_path):
    corpus = [str(SEEDS), str(FIXTURES / "corpus")]
    outcomes = []
    for workers in ("1", "2"):
        db = tmp_path / f"workers-{workers}.db"
        result = invoke("--db", str(db), "run", *corpus, "--workers", workers)
        assert result.exit_code == 0, result.output
        outcomes.append(stored_outcome(db))
    single, parallel = outcomes
    assert all(single)
    assert parallel == single


def scored_at_by_street(db: Path) -> dict[str, dict[str, object]]:
    with Session(open_store(f"sqlite:///{db}")) as session:
        on = Match.commitment_id == Commitment.id
        rows = session.exec(select(Commitment.street, Match.commitment_id, Match.scored_at).join(Match, on))
        by_street: dict[str, dict[str, object]] = {}
        for street, commitment_id, scored_at in rows:
            by_street.setdefault(street, {})[commitment_id] = scored_at
    return by_street


def test_rerun_scores_again_only_the_street_whose_report_changed(tmp_path):
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "t.db"
    assert invoke("--db", str(db), "run", str(corpus)).exit_code == 0
    before = scored_at_by_street(db)

    unchanged = invoke("--db", str(db), "run", str(corpus))
    assert "extracted 0 document(s); scored 0 commitments" in unchanged.output
    assert scored_at_by_street(db) == before

    xixiang = corpus / "000_c1d99a5c8820d14d.txt"
    xixiang.write_text(xixiang.read_text("utf-8").replace("2256个", "2300个"), "utf-8")
    changed = invoke("--db", str(db), "run", str(corpus))
    after = scored_at_by_street(db)
    assert f"extracted 1 document(s); scored {len(after['西乡街道'])} commitments" in changed.output
    assert all(
        after["西乡街道"][key] != when for key, when in before["西乡街道"].items() if key in after["西乡街道"]
    )
    assert {street: rows for street, rows in after.items() if street != "西乡街道"} == {
        street: rows for street, rows in before.items() if street != "西乡街道"
    }
