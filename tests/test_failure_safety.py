"""A run killed in the middle leaves a consistent store, and the next run completes it, on both stores.

Consistent means, for what the killed run left:
- ingest is all or nothing: either no document is stored, or every one with all its parts;
- a document is extracted or not: with its extraction fingerprint it has exactly the commitments
  of an uninterrupted run, without it none at all;
- scoring is all or nothing: either no commitment has a verdict, or every one has; and once a
  report is extracted anew, no verdict resting on its old text is left;
and the run lock died with the run, so the next run goes ahead and ends with the same commitment
ids and verdicts as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import one_street
from tracker.cli import cli
from tracker.store import Commitment, Document, Match, Section, open_store

TRACKER = Path(sys.executable).parent / "tracker"


class Snapshot:
    """What a store holds, by document name, to compare stores on different backends."""

    def __init__(self, url: str) -> None:
        with Session(open_store(url)) as session:
            names = {d.id: d.name for d in session.exec(select(Document))}
            self.extracted = {d.name for d in session.exec(select(Document)) if d.extracted_with}
            self.parts: dict[str, list[tuple]] = {name: [] for name in names.values()}
            for s in session.exec(select(Section).order_by(Section.document_id, Section.ordinal)):
                self.parts[names[s.document_id]].append((s.role, s.period, s.heading, s.start, s.end))
            self.commitments: dict[str, set[tuple]] = {name: set() for name in names.values()}
            for c in session.exec(select(Commitment)):
                self.commitments[c.plan_doc].add((c.id, c.char_start, c.char_end))
            self.verdicts = {m.commitment_id: (m.status, m.reason) for m in session.exec(select(Match))}


SUMMARY = "synthetic_xixiang_2025_summary.txt"


def change_the_followup(corpus: Path) -> None:
    """Drop the summary's second half: the 2025 plan's verdicts change."""
    summary = corpus / SUMMARY
    lines = summary.read_text("utf-8").splitlines()
    summary.write_text("\n".join(lines[: len(lines) // 2]) + "\n", "utf-8")


def uninterrupted_run(folder: Path, changed: bool) -> Snapshot:
    url = f"sqlite:///{folder / 'store.db'}"
    corpus = one_street(folder / "corpus")
    if changed:
        change_the_followup(corpus)
    result = CliRunner().invoke(cli, ["--db", url, "run", str(corpus)])
    assert result.exit_code == 0, result.output
    return Snapshot(url)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict[bool, Snapshot]:
    """Uninterrupted runs on SQLite: of the street's reports as they are, and with the follow-up changed."""
    return {
        changed: uninterrupted_run(tmp_path_factory.mktemp("uninterrupted"), changed)
        for changed in (False, True)
    }


def documents_stored(engine: Engine, corpus: Path) -> bool:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Document)).one() > 0


def changed_followup_extracted(engine: Engine, corpus: Path) -> bool:
    changed = hashlib.sha256((corpus / SUMMARY).read_bytes()).hexdigest()
    with Session(engine) as session:
        summary = session.exec(select(Document).where(Document.name == SUMMARY)).one()
        return summary.sha256 == changed and summary.extracted_with is not None


# Where to kill: the store shows the stage before is committed, then wait this long. A first
# run is killed while extracting; a re-run after the follow-up changed, while scoring again.
KILL_POINTS = {
    "first run, while extracting": (False, documents_stored, 1.0),
    "re-run of a changed follow-up, while scoring": (True, changed_followup_extracted, 0.0),
}


@pytest.mark.parametrize("stage", list(KILL_POINTS))
def test_a_run_killed_in_the_middle_leaves_a_consistent_store_and_the_next_run_completes(
    store_url, tmp_path, uninterrupted, stage
):
    changed, reached, delay = KILL_POINTS[stage]
    expected = uninterrupted[changed]
    corpus = one_street(tmp_path / "corpus")
    if changed:
        assert expected.verdicts != uninterrupted[False].verdicts  # the change matters
        assert CliRunner().invoke(cli, ["--db", store_url, "run", str(corpus)]).exit_code == 0
        change_the_followup(corpus)
    command = [TRACKER, "--db", store_url, "run", corpus]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    engine = open_store(store_url)  # one engine to watch the run: one connection, not one per look
    wait_until(lambda: reached(engine, corpus) or run.poll() is not None)
    engine.dispose()
    time.sleep(delay)
    assert run.poll() is None, f"the run ended before it could be killed {stage}: {run.communicate()[0]}"
    run.kill()
    run.wait()

    left = Snapshot(store_url)
    assert left.parts in ({}, uninterrupted[False].parts, expected.parts)
    for name in left.parts:
        extracted = expected.commitments[name] if name in left.extracted else set()
        assert left.commitments[name] == extracted, name
    if changed:  # no verdict resting on the old follow-up survives: all are to be scored again
        assert left.extracted == set(expected.parts) and left.verdicts == {}
    else:
        committed = {c[0] for found in left.commitments.values() for c in found}
        assert left.verdicts in ({}, {key: expected.verdicts[key] for key in committed})

    result = CliRunner().invoke(cli, ["--db", store_url, "run", str(corpus)])
    assert result.exit_code == 0, result.output
    completed = Snapshot(store_url)
    assert completed.parts == expected.parts
    assert completed.commitments == expected.commitments
    assert completed.verdicts == expected.verdicts


def wait_until(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
