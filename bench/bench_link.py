"""Time linking and scoring of the demo corpus, after extraction.

The demo corpus (tracker.pipeline.demo_corpus(): the five seeds and the
synthetic fixtures) is ingested into a throwaway SQLite store and extracted
once, outside the timing. Each run then calls pipeline.score_commitments: for
every commitment, pair it with the follow-up of its street and period, propose
candidates through the blocking index (CandidateIndex), assess them and store
the verdict. Five runs; the median is reported and written to
bench/results/link.json, with the pairs blocking examined against all
commitment x statement pairs of the paired plan and follow-up sections.

    .venv/bin/python bench/bench_link.py
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from bench.results import write_results  # noqa: E402
from tracker import pipeline  # noqa: E402
from tracker.link import followup_periods  # noqa: E402
from tracker.nlp import chosen_segmenter  # noqa: E402
from tracker.rules import load_rules  # noqa: E402
from tracker.store import Commitment, Document, Statement, open_store  # noqa: E402

RUNS = 5


def paired_pairs(engine) -> tuple[int, int, int]:
    """Commitment x statement pairs of every plan and the follow-up it is checked against.

    Returns (all commitments with a follow-up, their pairs, the pairs of the
    checkable ones: the pairs blocking chooses from).
    """
    with Session(engine) as session:
        periods: dict[str | None, dict[str, int]] = {}
        for street, period, count in session.exec(
            select(Statement.street, Statement.period, func.count()).group_by(
                Statement.street, Statement.period
            )
        ):
            periods.setdefault(street, {})[period] = count
        paired = pairs = checkable_pairs = 0
        for street, period, checkable in session.exec(
            select(Commitment.street, Commitment.plan_period, Commitment.checkable)
        ):
            counts = periods.get(street, {})
            followup = followup_periods(period, set(counts)) if street else None
            if followup is None:
                continue
            size = sum(counts[p] for p in followup.periods)
            paired += 1
            pairs += size
            checkable_pairs += size if checkable else 0
    return paired, pairs, checkable_pairs


def main() -> int:
    rules = load_rules()
    quiet = Console(file=io.StringIO())
    with tempfile.TemporaryDirectory(prefix="bench_link_") as folder:
        engine = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        started = time.perf_counter()
        pipeline.ingest_paths(pipeline.demo_corpus(), rules, engine, quiet)
        extracted = pipeline.extract_documents(engine, rules)
        prepare_seconds = time.perf_counter() - started

        # A second full pipeline.score extracts nothing: it only links and scores.
        started = time.perf_counter()
        rescore = pipeline.score(engine, rules)
        rescore_seconds = time.perf_counter() - started
        assert rescore.extracted_documents == 0, "pipeline.score re-extracted unchanged documents"

        seconds: list[float] = []
        stats = rescore
        for _ in range(RUNS):
            started = time.perf_counter()
            stats = pipeline.score_commitments(engine, rules)
            seconds.append(time.perf_counter() - started)

        with Session(engine) as session:
            documents = session.exec(select(func.count()).select_from(Document)).one()
            statements = session.exec(select(func.count()).select_from(Statement)).one()
            checkable = session.exec(
                select(func.count()).select_from(Commitment).where(Commitment.checkable)
            ).one()
        paired, pairs, checkable_pairs = paired_pairs(engine)
        engine.dispose()

    assert checkable_pairs == stats.all_pairs, (checkable_pairs, stats.all_pairs)
    median = statistics.median(seconds)
    figures = {
        "corpus": "demo (seeds/ + fixtures/corpus/)",
        "documents": documents,
        "commitments": stats.commitments,
        "checkable_commitments": checkable,
        "commitments_with_followup": paired,
        "statements": statements,
        "cross_pairs": stats.commitments * statements,
        "paired_pairs": pairs,
        "paired_pairs_checkable": stats.all_pairs,
        "pairs_examined": stats.pairs_examined,
        "examined_share": round(stats.pairs_examined / stats.all_pairs, 4) if stats.all_pairs else None,
        "runs": RUNS,
        "seconds": [round(s, 4) for s in seconds],
        "median_seconds": round(median, 4),
        "commitments_per_second": round(stats.commitments / median),
        "rescore_seconds": round(rescore_seconds, 4),
        "rescore_extracted_documents": rescore.extracted_documents,
        "ingest_extract_seconds": round(prepare_seconds, 3),
        "extracted_documents": extracted,
        "segmenter": chosen_segmenter(),
    }
    written = write_results("link", figures)
    print(
        f"link+score: {stats.commitments} commitments ({checkable} checkable, {paired} with a follow-up), "
        f"{statements} statements; paired pairs {pairs} ({stats.all_pairs} of checkable commitments), "
        f"examined by blocking {stats.pairs_examined} "
        f"({figures['examined_share']:.1%}); median {median:.3f} s of {RUNS} runs "
        f"({stats.commitments / median:,.0f} commitments/s); "
        f"pipeline.score re-run {rescore_seconds:.3f} s, extracted {rescore.extracted_documents}"
    )
    print(f"written to {written.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
