"""Run time against the number of part headings in one report: it must grow linearly.

A report under the size limit can hold thousands of part headings ("一、2024年工作总结",
"二、2025年工作计划", each over one line). Cutting the parts used to walk every line of the
text once per part (2,000 heading blocks: 43 s; 4,000: 161 s). This writes synthetic reports
of N = 1,000, 2,000 and 4,000 heading blocks and times `tracker run` on each in a subprocess
on a fresh SQLite store: the processor time of the subprocess (user + system, which the other
processes of a shared machine do not inflate as they do the wall time, also written), fastest
of --rounds; then the ratio of each time to the one of half as many headings: linear is at
most 2 (less, as loading the pipeline costs the same), quadratic 4. Goal: every ratio under 2.5.

    .venv/bin/python bench/bench_headings.py
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_results  # noqa: E402

TRACKER = Path(sys.executable).parent / "tracker"
BLOCKS = (1_000, 2_000, 4_000)
GOAL_RATIO = 2.5
BLOCK = {
    "summary": ("一、2024年工作总结", "完成道路建设3条,新建公园2个。"),
    "plan": ("二、2025年工作计划", "新建学校2所,完成老旧小区改造4个。"),
}


def heading_report(blocks: int) -> str:
    """A synthetic report of `blocks` part headings, summary and plan in turn, one line under each."""
    lines = [
        "【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。",
        "深圳市宝安区西乡街道办事处工作报告",
    ]
    for number in range(blocks):
        lines += BLOCK["summary" if number % 2 == 0 else "plan"]
    return "\n".join(lines) + "\n"


def timed_run(report: Path, folder: Path) -> tuple[float, float]:
    """(processor seconds, wall seconds) of `tracker run` on the report, on a fresh store."""
    store = folder / f"store-{time.monotonic_ns()}.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([TRACKER, "--db", str(store), "run", str(report)], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    seconds: dict[int, list[float]] = {blocks: [] for blocks in BLOCKS}
    wall: dict[int, list[float]] = {blocks: [] for blocks in BLOCKS}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        reports = {}
        for blocks in BLOCKS:
            reports[blocks] = folder / f"headings-{blocks}.txt"
            reports[blocks].write_text(heading_report(blocks), encoding="utf-8")
        for _ in range(rounds):
            for blocks in BLOCKS:
                cpu, elapsed = timed_run(reports[blocks], folder)
                seconds[blocks].append(cpu)
                wall[blocks].append(elapsed)
        sizes = {blocks: reports[blocks].stat().st_size for blocks in BLOCKS}
    fastest = {blocks: min(times) for blocks, times in seconds.items()}
    ratios = {
        f"{blocks}/{blocks // 2}": round(fastest[blocks] / fastest[blocks // 2], 2) for blocks in BLOCKS[1:]
    }
    figures = {
        "blocks": list(BLOCKS),
        "bytes": sizes,
        "cpu_seconds": {blocks: [round(s, 2) for s in times] for blocks, times in seconds.items()},
        "wall_seconds": {blocks: [round(s, 2) for s in times] for blocks, times in wall.items()},
        "fastest_cpu_seconds": {blocks: round(s, 2) for blocks, s in fastest.items()},
        "ratios": ratios,
        "goal_ratio_below": GOAL_RATIO,
        "linear": all(ratio < GOAL_RATIO for ratio in ratios.values()),
    }
    written = write_results("headings", figures)
    for blocks in BLOCKS:
        processor = f"run {fastest[blocks]:.2f} s of processor time"
        print(f"{blocks:>5} heading blocks ({sizes[blocks]:,} bytes): {processor}")
    print("ratios " + ", ".join(f"{name}: {ratio}" for name, ratio in ratios.items()))
    print(f"linear (every ratio < {GOAL_RATIO}): {'met' if figures['linear'] else 'MISSED'}")
    print(f"written to {written.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
