"""Time extraction of every plan and summary section of the five seeds, with segmentation.

The Chinese pipeline is loaded once, outside the timing; every run then segments
each section afresh as a run does (the sentences scoring reads, no SegmentCache) and
extracts its units. Three runs; the median is reported and written to
bench/results/extract.json. Target: under 5 s per run once the model is loaded.

    .venv/bin/python bench/bench_extract.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_results  # noqa: E402
from tracker.extract import Extractor  # noqa: E402
from tracker.ingest import read_corpus  # noqa: E402
from tracker.nlp import load_pipeline  # noqa: E402
from tracker.normalize import normalize  # noqa: E402
from tracker.rules import load_rules  # noqa: E402

SEEDS = ROOT / "seeds"
RUNS = 3
TARGET_SECONDS = 5.0


def main() -> int:
    rules = load_rules()
    documents, _ = read_corpus([SEEDS], rules)

    started = time.perf_counter()
    nlp = load_pipeline(rules.directory)
    nlp.token_spans("加载模型")  # the first call finishes loading the segmenter
    load_seconds = time.perf_counter() - started
    tokens_of = nlp.token_spans  # as the pipeline segments: the sentences scoring reads

    extractor = Extractor.for_rules(rules)
    work = [(normalize(d.text), s) for d in documents for s in d.sections if s.role in ("plan", "summary")]
    chars = sum(
        len(norm.text[norm.normalized_offset(s.start) : norm.normalized_offset(s.end)]) for norm, s in work
    )

    seconds: list[float] = []
    units = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        units = sum(len(extractor.extract(norm, section, rules, tokens_of)) for norm, section in work)
        seconds.append(time.perf_counter() - started)

    median = statistics.median(seconds)
    figures = {
        "documents": len(documents),
        "sections": len(work),
        "units": units,
        "chars": chars,
        "runs": RUNS,
        "seconds": [round(s, 4) for s in seconds],
        "median_seconds": round(median, 4),
        "chars_per_second": round(chars / median),
        "model_load_seconds": round(load_seconds, 3),
        "segmenter": nlp.segmenter,
        "target_seconds": TARGET_SECONDS,
        "within_target": median < TARGET_SECONDS,
    }
    written = write_results("extract", figures)
    print(
        f"extract: {len(work)} sections of {len(documents)} seeds, {chars} chars, {units} units; "
        f"median {median:.3f} s of {RUNS} runs ({chars / median:,.0f} chars/s); "
        f"model load {load_seconds:.2f} s; target < {TARGET_SECONDS:.0f} s: "
        f"{'met' if median < TARGET_SECONDS else 'MISSED'}"
    )
    print(f"written to {written.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
