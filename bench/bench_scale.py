"""Time the whole `tracker run` on synthetic corpora of N and 2N streets, against the goals of issue 7.

For N streets (default 100) and for 2N, bench/corpus.py makes the corpus
(a plan and its follow-up per street); then, each `tracker` command a
subprocess with a fresh SQLite store:

- cold `run` (wall time, peak memory of the process) and its rate in
  characters of the summary and plan parts per second, next to the raw
  pkuseg segmentation of the very same texts, timed in a subprocess of this
  run (this process stays small: Linux counts a parent's memory at fork into
  the peak it reports for the child). The pipeline itself segments only the
  sentences of checkable commitments, so its rate can pass the segmenter's;
- a warm re-run of the unchanged corpus, against the cold run;
- at N only: `report` and `export --format jsonl` of one street and
  `tracker --help` (median of 5), with whether each imported a segmenter;
  `run --workers K` with K = every core, its speed-up over one worker and
  whether it stored the same ids and verdicts;
- the scaling time(2N) / time(N).

The cold runs and the raw segmenter are measured in --rounds rounds, each
round N then 2N, pipeline then segmenter, and the fastest of each kept (as
timeit does): this machine's speed drifts by ±10% over minutes, which alone
moved one scaling measurement from 1.97 to 2.33. Every sample is in the file.

Every command reads a copy of rules/ taken at the start (--rules), so that edits to the
rules during a long benchmark do not make the warm re-run extract again. Figures and goals go
to bench/results/scale-N.json.

    .venv/bin/python bench/bench_scale.py --streets 100
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate, street_names  # noqa: E402
from bench.results import write_results  # noqa: E402
from tracker.extract import Extractor  # noqa: E402
from tracker.ingest import read_corpus  # noqa: E402
from tracker.normalize import NormalizedText, normalize  # noqa: E402
from tracker.rules import Rules, load_rules  # noqa: E402
from tracker.sections import SectionSpan  # noqa: E402

TRACKER = Path(sys.executable).parent / "tracker"
SEGMENTER_MODULES = ("spacy", "spacy_pkuseg", "pkuseg", "jieba")
REPEATS = 5
GOALS = {
    "pipeline_vs_segmenter": (">=", 0.8),
    "cold_over_warm": (">=", 50.0),
    "report_seconds": ("<", 0.5),
    "export_seconds": ("<", 0.5),
    "help_seconds": ("<", 0.3),
    "scaling_2n_over_n": ("<=", 2.1),
    "peak_memory_mb": ("<", 1500.0),
}


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_mb: float


def timed(argv: list[str], log: Path) -> Timed:
    """Wall time and peak resident memory of one subprocess; its output goes to log."""
    with log.open("ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit code {process.returncode}; see {log}")
    return Timed(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def median_seconds(argv: list[str], log: Path) -> float:
    return statistics.median(timed(argv, log).seconds for _ in range(REPEATS))


def imported_segmenters(argv: list[str]) -> list[str]:
    """The segmenter modules a tracker command imports (python -X importtime)."""
    code = "import sys; from tracker.cli import cli; sys.exit(cli(prog_name='tracker'))"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *argv], capture_output=True, text=True, check=True
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    return sorted(m for m in modules if m.split(".")[0] in SEGMENTER_MODULES)


def corpus_sections(corpus: Path, rules: Rules) -> Iterator[tuple[NormalizedText, SectionSpan]]:
    """Every summary and plan part of the corpus, with its report's normalised text."""
    documents, _ = read_corpus([corpus], rules)
    for document in documents:
        norm = normalize(document.text)
        for section in document.sections:
            yield norm, section


def part_texts(corpus: Path, rules_dir: Path) -> list[str]:
    """The text the pipeline reads: every summary and plan part, normalised."""
    return [
        norm.text[norm.normalized_offset(section.start) : norm.normalized_offset(section.end)]
        for norm, section in corpus_sections(corpus, load_rules(rules_dir))
    ]


def raw_segmenter(corpus: Path, rules_dir: Path) -> dict[str, float]:
    """pkuseg alone (model as tracker.nlp loads it, load not timed) over all the text the pipeline
    reads: {"chars", "seconds"}. Runs as `bench_scale.py --segment CORPUS --rules DIR`."""
    import spacy_pkuseg

    from tracker.nlp import bundled_pkuseg_model

    texts = part_texts(corpus, rules_dir)
    model = os.environ.get("TRACKER_PKUSEG_MODEL") or str(bundled_pkuseg_model())
    segmenter = spacy_pkuseg.pkuseg(model, user_dict="default")
    started = time.perf_counter()
    for text in texts:
        segmenter.cut(text)
    return {"chars": sum(map(len, texts)), "seconds": time.perf_counter() - started}


def pipeline_segmented_chars(corpus: Path, rules_dir: Path) -> dict[str, int]:
    """{"chars"}: the characters the pipeline segments (the sentences of checkable commitments),
    as its extractor asks for them, counted without segmenting. Runs as
    `bench_scale.py --count CORPUS --rules DIR`."""
    rules = load_rules(rules_dir)
    extractor = Extractor.for_rules(rules)
    asked: list[int] = []

    def counted(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
        asked.append(sum(end - start for start, end in parts))
        return []

    for norm, section in corpus_sections(corpus, rules):
        extractor.extract(norm, section, rules, counted)
    return {"chars": sum(asked)}


def in_subprocess(mode: str, corpus: Path, rules_dir: Path) -> dict[str, float]:
    """What this script prints as `--segment` or `--count` on corpus."""
    argv = [sys.executable, __file__, mode, str(corpus), "--rules", str(rules_dir)]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return json.loads(output.splitlines()[-1])  # pkuseg prints a note of its own before


def verdicts(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT commitment_id, status FROM match ORDER BY commitment_id").fetchall()


def tracker(work: Path, db: Path, *argv: str) -> list[str]:
    """A tracker command line on this store with the benchmark's copy of the rules."""
    return [str(TRACKER), "--db", f"sqlite:///{db}", "--rules", str(work / "rules"), *argv]


def run_argv(work: Path, db: Path, corpus: Path, workers: int) -> list[str]:
    return tracker(work, db, "run", str(corpus), "--workers", str(workers))


@dataclass
class SizeSamples:
    """Every cold run and raw segmenter time of one corpus size, over the rounds."""

    streets: int
    cold: list[Timed]
    segmenter_seconds: list[float]
    part_chars: int = 0


def measure_round(samples: SizeSamples, work: Path, log: Path) -> None:
    """One cold run on a fresh store, then the raw segmenter, on the corpus of this size."""
    streets = samples.streets
    corpus, db = work / f"corpus-{streets}", work / f"cold-{streets}.db"
    db.unlink(missing_ok=True)
    print(f"  {streets} streets: cold run {len(samples.cold) + 1} …", flush=True)
    samples.cold.append(timed(run_argv(work, db, corpus, 1), log))
    print(f"  {streets} streets: raw segmenter {len(samples.segmenter_seconds) + 1} …", flush=True)
    raw = in_subprocess("--segment", corpus, work / "rules")
    samples.part_chars = int(raw["chars"])
    samples.segmenter_seconds.append(raw["seconds"])


def size_figures(samples: SizeSamples, work: Path, log: Path) -> dict[str, Any]:
    """The fastest cold run and segmenter time, the highest peak memory, and a warm re-run
    (fastest of 3) on the store of the last cold run."""
    streets = samples.streets
    corpus, db = work / f"corpus-{streets}", work / f"cold-{streets}.db"
    print(f"  {streets} streets: warm re-runs …", flush=True)
    warm = min((timed(run_argv(work, db, corpus, 1), log) for _ in range(3)), key=lambda t: t.seconds)
    cold_seconds = min(t.seconds for t in samples.cold)
    segmenter_seconds = min(samples.segmenter_seconds)
    chars = samples.part_chars
    files = sorted(corpus.glob("*.txt"))
    return {
        "streets": streets,
        "documents": len(files),
        "file_chars": sum(len(path.read_text("utf-8")) for path in files),
        "part_chars": chars,
        "chars_the_pipeline_segments": int(in_subprocess("--count", corpus, work / "rules")["chars"]),
        "commitments": len(verdicts(db)),
        "cold_seconds": round(cold_seconds, 2),
        "cold_seconds_samples": [round(t.seconds, 2) for t in samples.cold],
        "cold_peak_memory_mb": round(max(t.peak_mb for t in samples.cold)),
        "pipeline_chars_per_second": round(chars / cold_seconds),
        "segmenter_seconds": round(segmenter_seconds, 2),
        "segmenter_seconds_samples": [round(s, 2) for s in samples.segmenter_seconds],
        "segmenter_chars_per_second": round(chars / segmenter_seconds),
        "pipeline_vs_segmenter": round(segmenter_seconds / cold_seconds, 3),
        "warm_seconds": round(warm.seconds, 3),
        "warm_peak_memory_mb": round(warm.peak_mb),
        "cold_over_warm": round(cold_seconds / warm.seconds, 1),
    }


def measure_commands(streets: int, work: Path, log: Path) -> dict[str, Any]:
    """report, export and --help against the store of the cold run at N."""
    street = street_names(1)[0]
    db = work / f"cold-{streets}.db"
    report = tracker(work, db, "report", "--street", street)
    output = str(work / "one.jsonl")
    export = tracker(work, db, "export", "--street", street, "--format", "jsonl", "-o", output)
    return {
        "report_street": street,
        "report_seconds": round(median_seconds(report, log), 3),
        "report_imports": imported_segmenters(report[1:]),
        "export_seconds": round(median_seconds(export, log), 3),
        "export_imports": imported_segmenters(export[1:]),
        "help_seconds": round(median_seconds([str(TRACKER), "--help"], log), 3),
        "help_imports": imported_segmenters(["--help"]),
    }


def measure_workers(streets: int, work: Path, log: Path, single: dict[str, Any]) -> dict[str, Any]:
    """A cold run with one worker per core, against the fastest one-worker cold run and the raw
    segmenter (which runs in one process)."""
    workers = os.cpu_count() or 1
    db = work / f"workers-{streets}.db"
    print(f"  {streets} streets: cold run with {workers} workers …", flush=True)
    parallel = timed(run_argv(work, db, work / f"corpus-{streets}", workers), log)
    return {
        "workers": workers,
        "seconds": round(parallel.seconds, 2),
        "peak_memory_mb_of_parent": round(parallel.peak_mb),
        "speedup_over_one_worker": round(single["cold_seconds"] / parallel.seconds, 2),
        "pipeline_vs_segmenter": round(
            single["part_chars"] / parallel.seconds / single["segmenter_chars_per_second"], 3
        ),
        "same_verdicts_as_one_worker": verdicts(db) == verdicts(work / f"cold-{streets}.db"),
    }


def against_goals(values: dict[str, float]) -> dict[str, dict[str, Any]]:
    checks = {">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}
    return {
        name: {"goal": f"{sign} {bound}", "value": value, "met": checks[sign](float(value), bound)}
        for name, (sign, bound) in GOALS.items()
        for value in [values[name]]
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streets", type=int, default=100, help="N: measured at N and 2N streets")
    parser.add_argument("--rounds", type=int, default=3, help="cold runs of each size; the fastest is kept")
    parser.add_argument("--segment", type=Path, help=argparse.SUPPRESS)  # the raw segmenter's subprocess
    parser.add_argument("--count", type=Path, help=argparse.SUPPRESS)  # the characters it segments
    parser.add_argument("--rules", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.segment:
        print(json.dumps(raw_segmenter(args.segment, args.rules)))
        return 0
    if args.count:
        print(json.dumps(pipeline_segmented_chars(args.count, args.rules)))
        return 0
    n = args.streets
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as folder:
        work = Path(folder)
        shutil.copytree(ROOT / "rules", work / "rules")
        log = work / "tracker.log"
        print(f"bench_scale: N = {n}", flush=True)
        for streets in (n, 2 * n):  # both first: a size the generator cannot make fails at once
            generate(work / f"corpus-{streets}", streets)
        sizes = [SizeSamples(streets, [], []) for streets in (n, 2 * n)]
        for _ in range(args.rounds):
            for samples in sizes:
                measure_round(samples, work, log)
        at_n, at_2n = (size_figures(samples, work, log) for samples in sizes)
        commands = measure_commands(n, work, log)
        workers = measure_workers(n, work, log, at_n)
    scaling = round(at_2n["cold_seconds"] / at_n["cold_seconds"], 3)
    goals = against_goals(
        {
            "pipeline_vs_segmenter": at_n["pipeline_vs_segmenter"],
            "cold_over_warm": at_n["cold_over_warm"],
            "report_seconds": commands["report_seconds"],
            "export_seconds": commands["export_seconds"],
            "help_seconds": commands["help_seconds"],
            "scaling_2n_over_n": scaling,
            "peak_memory_mb": at_n["cold_peak_memory_mb"],
        }
    )
    figures = {
        "streets": n,
        "segmenter": "pkuseg",
        "rounds": args.rounds,
        "at_n": at_n,
        "at_2n": at_2n,
        "scaling_2n_over_n": scaling,
        "commands_at_n": commands,
        "workers_at_n": workers,
        "goals": goals,
    }
    written = write_results(f"scale-{n}", figures)
    for name, goal in goals.items():
        print(f"  {name:<24} {goal['value']:>10} goal {goal['goal']:<8} {'met' if goal['met'] else 'MISSED'}")
    print(f"  workers: {workers}")
    print(f"written to {written.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
