"""Make a synthetic corpus of N streets, each a plan and its follow-up summary, for the scale benchmark.

Every street gets an invented name (青溪街道, 松湾街道, …). Its plan is a
shuffle of lines from the plan parts of seeds/ and fixtures/corpus/, its
follow-up a shuffle of lines from their summary parts, with every street name
of the gazetteer (and a masked XX街道) replaced by the street's own name. The
same N and seed always give the same files.

    .venv/bin/python bench/corpus.py /tmp/corpus-100 --streets 100
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.gazetteer import TOWNSHIP_END, load_gazetteer  # noqa: E402
from tracker.ingest import read_corpus  # noqa: E402
from tracker.place import MASKED_STREET  # noqa: E402
from tracker.rules import Rules, load_rules  # noqa: E402

SOURCES = (ROOT / "seeds", ROOT / "fixtures" / "corpus")
# 32 × 36 invented two-character names; none is a street of Shenzhen, the sources' city.
FIRST_CHARS = "青松柏桂兰竹梅荷菊杏桃李枫柳榕椰棠楠芷蕙芦苇茗萍蓉莺鹭鹤燕雁鸥鸿"
SECOND_CHARS = "溪湾塘岭坪田畈岸洲浦坑滩冈埔埗涌垅峪谷泉潭湄渚屿坝堤陂墩岙峒冲汀沚渡矶港"
DISTRICT, CITY = "宝安区", "深圳市"
PLAN_YEAR = 2024
PLAN_LINES = 30  # about 3,000 characters, like the seeds' plan parts
SUMMARY_LINES = 12  # about 4,500 characters, like their summary parts


@dataclass(frozen=True)
class LinePools:
    """The body lines of every plan part and every summary part of the source reports."""

    plan: list[str]
    summary: list[str]


def street_names(count: int) -> list[str]:
    """count distinct invented street names, in a fixed order."""
    if count > len(FIRST_CHARS) * len(SECOND_CHARS):
        raise ValueError(f"at most {len(FIRST_CHARS) * len(SECOND_CHARS)} streets")
    first = len(FIRST_CHARS)
    return [f"{FIRST_CHARS[i % first]}{SECOND_CHARS[i // first]}街道" for i in range(count)]


def line_pools(rules: Rules) -> LinePools:
    documents, _ = read_corpus(list(SOURCES), rules)
    pools: dict[str, list[str]] = {"plan": [], "summary": []}
    for document in documents:
        for section in document.sections:
            body = document.text[section.start : section.end].split("\n")[1:]
            pools[section.role] += [line.strip() for line in body if line.strip()]
    return LinePools(plan=pools["plan"], summary=pools["summary"])


def place_pattern(rules: Rules) -> re.Pattern[str]:
    """Any gazetteer street, with or without 街道, or a masked street; longest first."""
    shenzhen = load_gazetteer(rules.directory).neighbours(CITY)
    names = sorted({TOWNSHIP_END.sub("", name) for name in shenzhen}, key=len, reverse=True)
    return re.compile(f"{MASKED_STREET.pattern}|(?:{'|'.join(map(re.escape, names))})(?:街道)?")


def generate(folder: Path, streets: int, seed: int = 7) -> list[Path]:
    """Write 2 × streets report files and their manifest.toml into folder; returns the files."""
    rules = load_rules()
    pools = line_pools(rules)
    places = place_pattern(rules)
    chooser = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    manifest: list[str] = []
    for number, street in enumerate(street_names(streets)):
        bare = street.removesuffix("街道")

        def rename(line: str, bare: str = bare) -> str:
            return places.sub(lambda m: bare + ("街道" if m.group().endswith("街道") else ""), line)

        plan = [rename(line) for line in chooser.sample(pools.plan, PLAN_LINES)]
        summary = [rename(line) for line in chooser.sample(pools.summary, SUMMARY_LINES)]
        documents = {
            f"street{number:04d}_{PLAN_YEAR}_plan.txt": [
                f"{CITY}{DISTRICT}{street}办事处{PLAN_YEAR}年工作计划",
                f"一、{PLAN_YEAR}年工作计划",
                *plan,
            ],
            f"street{number:04d}_{PLAN_YEAR}_summary.txt": [
                f"{CITY}{DISTRICT}{street}办事处{PLAN_YEAR}年工作总结",
                f"一、{PLAN_YEAR}年工作总结",
                *summary,
            ],
        }
        for name, lines in documents.items():
            path = folder / name
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            files.append(path)
            manifest.append(
                f'[[document]]\nfile = "{name}"\nstreet = "{street}"\n'
                f'district = "{DISTRICT}"\ncity = "{CITY}"\n'
            )
    (folder / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--streets", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = generate(args.folder, args.streets, args.seed)
    chars = sum(len(path.read_text("utf-8")) for path in files)
    print(f"{len(files)} reports of {args.streets} streets, {chars:,} characters, in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
