"""Place, parts and refusals on real report pages, against a reader's own truth.

The pages and the truth stay outside the repository (they are copies of web
pages); this script only reads them:

    .venv/bin/python bench/real_pages.py PAGES_DIR TRUTH.toml [--json OUT]

TRUTH.toml holds one [[page]] table per page:

    [[page]]
    file = "01.txt"                 # under PAGES_DIR
    url = "https://…"               # where the page came from
    province = "浙江省"
    city = "湖州市"
    district = "安吉县"             # county or district; "" when there is none
    street = "昌硕街道"             # 街道/镇/乡 the text names; "" when it names none
    kind = "街道"                   # only when street is "": what the page is (街道, 镇 or 乡)
    refuse = false                  # true only for a page without a year or a report part
    parts = [{ role = "summary", period = "2022", heading = "一、2022年工作回顾" }]
    note = "judgement calls"

Each page is ingested alone, by the `tracker` command line of this checkout
(run in this process through click's test runner, or with --subprocess as the
installed script), into a fresh SQLite store, and `tracker docs --json` is read
back: so the script sees what a user sees, whatever fields the store grows
(province, ambiguity…), and needs no change when the detection does. It prints one row per page (address,
truth, detected) and the figures of issue 16's acceptance line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLACE_LEVELS = ("province", "city", "district", "street")
# Other names the stored place may come under, as later versions name them.
LEVEL_ALIASES = {"district": ("district", "county"), "street": ("street", "township", "town")}
# Suffixes a detected street may carry that the truth leaves out.
STREET_SUFFIXES = ("人民政府", "办事处")
ADMIN_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")


@dataclass
class Truth:
    file: str
    url: str
    province: str
    city: str
    district: str
    street: str
    refuse: bool
    parts: list[tuple[str, str]]
    headings: list[str]
    kind: str = ""
    note: str = ""

    @property
    def township_kind(self) -> str:
        """街道, 镇 or 乡 (民族乡 counts as 乡), from the name or, for an unnamed one, `kind`."""
        for kind in ("街道", "镇", "乡"):
            if self.street.endswith(kind):
                return kind
        return self.kind


@dataclass
class Detected:
    refused: str | None  # the one-line message when ingest refused the page
    place: dict[str, str] = field(default_factory=dict)
    parts: list[tuple[str, str]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # other fields docs --json shows


def load_truth(path: Path) -> list[Truth]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pages = []
    for entry in data.get("page", []):
        parts = entry.get("parts", [])
        pages.append(
            Truth(
                file=entry["file"],
                url=entry.get("url", ""),
                province=entry.get("province", ""),
                city=entry.get("city", ""),
                district=entry.get("district", ""),
                street=entry.get("street", ""),
                refuse=bool(entry.get("refuse", False)),
                parts=[(p["role"], str(p["period"])) for p in parts],
                headings=[p.get("heading", "") for p in parts],
                kind=entry.get("kind", ""),
                note=entry.get("note", ""),
            )
        )
    return pages


def tracker_command() -> list[str]:
    """The `tracker` script beside this Python, else the package's entry point."""
    script = Path(sys.executable).with_name("tracker")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tracker.cli import cli; cli()"]


def json_objects(text: str) -> list[dict[str, Any]]:
    """Every JSON object printed one after another (one a line, or wrapped)."""
    decoder = json.JSONDecoder()
    objects, position = [], 0
    while (start := text.find("{", position)) != -1:
        value, position = decoder.raw_decode(text, start)
        objects.append(value)
    return objects


def tracker_in_process(args: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the `tracker` command line, run in this process."""
    from click.testing import CliRunner

    from tracker.cli import cli

    result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1"})
    if result.exception and not isinstance(result.exception, SystemExit):
        return 1, result.stdout, f"{type(result.exception).__name__}: {result.exception}"
    return result.exit_code, result.stdout, result.stderr


def tracker_subprocess(args: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the `tracker` script of this checkout."""
    env = os.environ | {"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(tracker_command() + args, capture_output=True, text=True, env=env)
    return done.returncode, done.stdout, done.stderr


def detect(page: Path, command: str, tracker: Callable[[list[str]], tuple[int, str, str]]) -> Detected:
    """Ingest (or run) one page alone into a fresh store and read `docs --json` back."""
    with tempfile.TemporaryDirectory(prefix="real-pages-") as folder:
        corpus = Path(folder, "corpus")
        corpus.mkdir()
        shutil.copy(page, corpus / page.name)
        store = ["--db", str(Path(folder, "store.db"))]
        code, out, err = tracker(store + [command, str(corpus)])
        if code != 0:
            lines = (err or out).strip().splitlines() or [f"exit {code}"]
            return Detected(refused=lines[-1].replace(str(corpus) + "/", ""))
        code, out, err = tracker(store + ["docs", "--json"])
        if code != 0:
            return Detected(refused=f"docs --json failed: {(err or out).strip()}")
    documents = json_objects(out)
    if not documents:
        return Detected(refused="ingested, but docs --json shows no document")
    return read_document(documents[0])


def read_document(document: dict[str, Any]) -> Detected:
    """Place, parts and every other field of one `docs --json` object, read generically."""
    nested = document.get("place") if isinstance(document.get("place"), dict) else {}
    place = {}
    for level in PLACE_LEVELS:
        for key in LEVEL_ALIASES.get(level, (level,)):
            value = document.get(key) or nested.get(key)
            if value:
                place[level] = str(value)
                break
    sections = document.get("sections") or []
    known = {"name", "sections", "place", "start", "end", *PLACE_LEVELS, *sum(LEVEL_ALIASES.values(), ())}
    return Detected(
        refused=None,
        place=place,
        parts=[(s.get("role", ""), str(s.get("period", ""))) for s in sections],
        headings=[s.get("heading") or "" for s in sections],
        extra={k: v for k, v in document.items() if k not in known and v not in (None, "", [], {})},
    )


def same_street(truth: str, detected: str | None) -> bool:
    if not detected:
        return False
    for suffix in STREET_SUFFIXES:
        detected = detected.removesuffix(suffix)
    return detected == truth


def same_division(truth: str, detected: str | None) -> bool:
    """Province, city or county equal up to its suffix (浙江 = 浙江省)."""
    if not truth or not detected:
        return False

    def bare(name: str) -> str:
        for suffix in ADMIN_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name.removesuffix(suffix)
        return name

    return bare(truth) == bare(detected)


def parts_text(parts: list[tuple[str, str]]) -> str:
    return " + ".join(f"{role} {period}" for role, period in parts) or "-"


@dataclass
class Outcome:
    truth: Truth
    detected: Detected

    @property
    def street_named(self) -> bool:
        """A report page (not one to refuse) whose text names its street."""
        return bool(self.truth.street) and not self.truth.refuse

    @property
    def contradicted_levels(self) -> list[str]:
        """Levels above the street where the detected name is none of the truth's names.

        A level the truth leaves empty is not checked, and a detected name may sit one
        level off (a county-level city under a province is a city to one reader and a
        county to another), so only a name the truth does not hold at all contradicts it.
        """
        truth_names = [getattr(self.truth, level) for level in ("province", "city", "district")]
        return [
            level
            for level in ("province", "city", "district")
            if getattr(self.truth, level)
            and (detected := self.detected.place.get(level))
            and not any(same_division(name, detected) for name in truth_names)
        ]

    @property
    def street_right(self) -> bool:
        """The street the text names, under no province, city or county that contradicts it."""
        named = same_street(self.truth.street, self.detected.place.get("street"))
        return named and not self.contradicted_levels

    @property
    def ambiguous(self) -> bool:
        """docs --json says the place is ambiguous (a field named so, or a place note saying so)."""
        return any(
            ("ambig" in key and value) or ("place" in key and "ambiguous" in str(value))
            for key, value in self.detected.extra.items()
        )

    @property
    def wrong_street(self) -> bool:
        """Placed in a street that is not the page's: another name, or the name in another place."""
        detected = self.detected.place.get("street")
        return bool(detected) and not self.street_right

    @property
    def parts_exact(self) -> bool:
        if self.truth.refuse:
            return self.detected.refused is not None
        return self.detected.refused is None and self.detected.parts == self.truth.parts

    def levels_right(self) -> dict[str, bool | None]:
        """Per place level above the street: right, wrong, or None when the truth has none."""
        return {
            level: same_division(getattr(self.truth, level), self.detected.place.get(level))
            if getattr(self.truth, level)
            else None
            for level in ("province", "city", "district")
        }


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    named = [o for o in outcomes if o.street_named]
    refused = [o for o in outcomes if o.detected.refused is not None]
    levels: dict[str, list[bool]] = {"province": [], "city": [], "district": []}
    for outcome in outcomes:
        for level, right in outcome.levels_right().items():
            if right is not None:
                levels[level].append(right)
    kinds = Counter(o.truth.township_kind or "?" for o in outcomes)
    return {
        "pages": len(outcomes),
        "provinces": len({o.truth.province for o in outcomes if o.truth.province}),
        "township_kinds": dict(kinds),
        "street_named": len(named),
        "street_right": sum(o.street_right for o in named),
        "street_right_resolved": sum(o.street_right and not o.ambiguous for o in named),
        "wrong_street": sum(o.wrong_street for o in outcomes),
        "parts_exact": sum(o.parts_exact for o in outcomes),
        "refused": len(refused),
        "refused_legitimately": sum(o.truth.refuse for o in refused),
        "should_refuse": sum(o.truth.refuse for o in outcomes),
        "levels_right": {level: [sum(v), len(v)] for level, v in levels.items()},
    }


def print_report(outcomes: list[Outcome]) -> dict[str, Any]:
    print("| page | address | truth: place / parts | detected: place / parts | street | parts |")
    print("|---|---|---|---|---|---|")
    for o in outcomes:
        t, d = o.truth, o.detected
        truth_place = "/".join(filter(None, (t.province, t.city, t.district, t.street or "(street unnamed)")))
        truth_parts = "REFUSE" if t.refuse else parts_text(t.parts)
        if d.refused is not None:
            detected_text = f"REFUSED: {d.refused}"
        else:
            detected_place = "/".join(d.place.get(level) or "?" for level in PLACE_LEVELS)
            detected_text = f"{detected_place} / {parts_text(d.parts)}"
            notes = [f"{k}: {v}" for k, v in d.extra.items() if "place" in k or "ambig" in k]
            if notes:
                detected_text += f" [{'; '.join(notes)}]"
        street = (
            "—"
            if not o.street_named and not o.wrong_street
            else ("WRONG" if o.wrong_street else ("ok" if o.street_right else "miss"))
        )
        print(
            f"| {t.file} | {t.url} | {truth_place} / {truth_parts} | {detected_text} | {street} | "
            f"{'ok' if o.parts_exact else 'WRONG'} |"
        )
    result = figures(outcomes)
    print()
    print(f"pages {result['pages']}, provinces {result['provinces']}, by kind {result['township_kinds']}")
    print(f"street right on pages that name it: {percent(result['street_right'], result['street_named'])}")
    print(
        "  of which resolved to one place (not marked ambiguous): "
        f"{percent(result['street_right_resolved'], result['street_named'])}"
    )
    print(f"pages placed in a wrong street: {result['wrong_street']}")
    for level, (right, whole) in result["levels_right"].items():
        print(f"{level} right where the truth names one: {percent(right, whole)}")
    print(f"parts exact (roles and periods, in order): {percent(result['parts_exact'], result['pages'])}")
    print(
        f"refused: {result['refused']}, of which legitimate {result['refused_legitimately']} "
        f"(pages that should be refused: {result['should_refuse']})"
    )
    for o in outcomes:
        if o.detected.refused is not None:
            verdict = "legitimate" if o.truth.refuse else "WRONG"
            print(f"  refused {o.truth.file} ({verdict}): {o.detected.refused}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("pages", type=Path, help="folder of page .txt files")
    parser.add_argument("truth", type=Path, help="truth TOML ([[page]] tables)")
    parser.add_argument(
        "--command", default="ingest", choices=("ingest", "run"), help="tracker command per page"
    )
    parser.add_argument("--json", type=Path, help="also write every page's truth, detection and the figures")
    parser.add_argument(
        "--subprocess", action="store_true", help="run the tracker script per call instead of in this process"
    )
    args = parser.parse_args()
    if not args.subprocess:
        sys.path.insert(0, str(ROOT))  # this checkout's tracker, whatever is installed
    tracker = tracker_subprocess if args.subprocess else tracker_in_process
    outcomes = [
        Outcome(t, detect(args.pages / t.file, args.command, tracker)) for t in load_truth(args.truth)
    ]
    result = print_report(outcomes)
    if args.json:
        rows = [
            {
                "truth": o.truth.__dict__,
                "detected": o.detected.__dict__,
                "street_right": o.street_right,
                "wrong_street": o.wrong_street,
                "parts_exact": o.parts_exact,
            }
            for o in outcomes
        ]
        args.json.write_text(
            json.dumps({"figures": result, "pages": rows}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
