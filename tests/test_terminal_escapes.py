"""Control characters in report text, file and street names, notes and reviewer names never
reach the terminal raw: every output prints them as escapes (a plan line could clear another
reviewer's screen), and an error stays on one line whatever the names it quotes hold."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess

import pytest
from click.testing import CliRunner

from tracker import terminal
from tracker.cli import cli

# What a terminal obeys: clear the screen, a title (OSC ... BEL), C1's CSI, a bidi override.
CLEAR, TITLE, CSI, OVERRIDE = "\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\u202e"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
PLAN = f"""【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
深圳市宝安区西乡街道办事处2025年工作计划
一、2025年工作计划
(一)城市建设{CLEAR}。
新建道路7条{CLEAR}。
完成公园建设5个{TITLE}。
开工建设学校2所{CSI}{OVERRIDE}。
(二)城市管理。
{"持续提升城市精细化管理水平。" * 120}
"""  # long enough that its few control characters do not make it read as a binary file
NAME = f"plan{CSI}.txt"
MANIFEST = f"""[[document]]
file = "{NAME}"
street = "西乡街道"
district = "宝安区{OVERRIDE}"
"""


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[str, list[str]]:
    """A store of the plan, with a decision whose note and reviewer hold control characters."""
    folder = tmp_path_factory.mktemp("escapes")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / NAME).write_text(PLAN, encoding="utf-8")
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    db = str(folder / "store.db")
    assert invoke("--db", db, "run", str(corpus)).exit_code == 0
    out = folder / "all.jsonl"
    assert invoke("--db", db, "export", "--format", "jsonl", "-o", str(out)).exit_code == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert any(CLEAR in row["text"] for row in rows)  # the export keeps the text exact
    ids = [row["commitment_id"] for row in rows]
    decided = invoke(
        "--db",
        db,
        "review",
        "--decide",
        ids[0],
        "--reject",
        "--note",
        f"see{TITLE}",
        "--reviewer",
        f"ann{CLEAR}",
    )
    assert decided.exit_code == 0, decided.output
    assert not RAW.search(decided.output)
    return db, ids


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--street", "西乡街道"],
        ["report", "--all"],
        ["explain", "{id}"],
        ["docs"],
        ["docs", "--json"],
        ["streets"],
        ["streets", "--json"],
        ["review", "--list"],
        ["review", "--list", "--json"],
        ["review", "--history"],
        ["review", "--history", "--json"],
    ],
    ids=" ".join,
)
def test_no_control_character_reaches_the_output_raw(hostile, command):
    db, ids = hostile
    result = invoke("--db", db, *(part.format(id=ids[0]) for part in command))
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.output), repr(RAW.search(result.output))
    if "--json" in command:  # escaped as JSON does: each line still reads back
        values = [json.loads(line) for line in result.output.splitlines() if line.strip()]
        assert values


def test_the_review_screen_shows_control_characters_escaped(hostile):
    from tests.conftest import REVIEW_RULES
    from tracker import decisions
    from tracker.review import ReviewApp
    from tracker.rules import load_rules
    from tracker.store import open_store
    from tracker.verdict import ScoringRules

    db, ids = hostile
    engine = open_store(f"sqlite:///{db}")
    items = decisions.queue(engine, ScoringRules.load(load_rules().directory).dispute_below)
    assert items[0].commitment.id == ids[0]  # the rejected one, its reviewer and note hostile
    app = ReviewApp(engine, f"bob{CLEAR}", items, REVIEW_RULES)
    screens = []

    async def review() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            screens.append(app.export_screenshot())

    asyncio.run(review())
    assert "\\u001b[2J" in screens[0]  # the plan's, the reviewer's: shown, escaped
    assert not RAW.search(screens[0])


def test_the_svg_of_a_report_is_xml_whatever_its_text_holds(hostile, tmp_path):
    from xml.etree import ElementTree

    db, _ = hostile
    picture = tmp_path / "street.svg"
    result = invoke("--db", db, "report", "--street", "西乡街道", "--svg", str(picture))
    assert result.exit_code == 0, result.output
    assert not RAW.search(picture.read_text("utf-8"))
    ElementTree.parse(picture)


def test_an_error_line_quoting_a_name_with_a_newline_or_escape_stays_one_line(tmp_path):
    bad = tmp_path / f"bad\n{CLEAR}name.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = invoke("--db", str(tmp_path / "store.db"), "run", str(bad))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert not RAW.search(result.output)
    assert "bad\\u000a\\u001b[2Jname.txt" in result.output


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("清屏\x1b[2J", "清屏\\u001b[2J"),
        ("标题\x1b]0;x\x07", "标题\\u001b]0;x\\u0007"),
        ("\x9b31m红", "\\u009b31m红"),
        ("\u202edoc.txt", "\\u202edoc.txt"),
        ("两行\n文字", "两行\n文字"),
        ("制表\t符", "制表\\u0009符"),
    ],
)
def test_a_control_character_is_shown_as_its_escape(text, shown):
    assert terminal.escaped(text) == shown
    assert terminal.one_line(text) == shown.replace("\n", "\\u000a")


def test_a_long_id_prefix_is_one_short_line_not_a_traceback(hostile):
    db, _ = hostile
    prefix = "c" * 50_000
    for command in (
        ["explain", prefix],
        ["review", "--history", prefix],
        ["review", "--decide", prefix, "--accept"],
    ):
        result = invoke("--db", db, *command)
        assert result.exit_code == 2
        assert result.output.strip() == f"Error: {'c' * 40}… (50,000 characters): no commitment has this id"


def test_the_temporary_files_of_a_killed_export_are_removed_by_the_next(hostile, tmp_path):
    db, _ = hostile
    gone = subprocess.Popen(["true"])  # its pid: an export that ended without cleaning up
    gone.wait()
    (tmp_path / f".out.csv.{gone.pid}.0badcafe.tmp").write_text("half a file")
    (tmp_path / f".out.csv.{os.getpid()}.0badcafe.tmp").write_text("an export still running")
    (tmp_path / ".other.csv.1.0badcafe.tmp").write_text("another file's")
    result = invoke("--db", db, "export", "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".other.csv.1.0badcafe.tmp",
        f".out.csv.{os.getpid()}.0badcafe.tmp",
        "out.csv",
    ]
