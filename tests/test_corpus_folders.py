"""Reading folders (issue 16): the nearest manifest, every bad file at once, --skip-bad, and the
same report in another encoding or with other line endings stored once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import cli
from tracker.ingest import read_corpus

REPORT = (
    "【合成测试样本 SYNTHETIC】本页为虚构的测试材料。\n"
    "某某街道{year}年工作总结和{next}年工作计划\n"
    "一、{year}年工作总结\n全年新建道路{roads}条,完成投资{money}亿元。\n"
    "二、{next}年工作计划\n新建公园2个,改造小区3个。\n"
)


def report(year: int, roads: int = 3, money: int = 2) -> str:
    return REPORT.format(year=year, next=year + 1, roads=roads, money=money)


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def manifest(folder: Path, entries: dict[str, str]) -> None:
    body = "".join(
        f'[[document]]\nfile = "{name}"\nstreet = "{street}"\n\n' for name, street in entries.items()
    )
    write(folder / "manifest.toml", body)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_each_file_is_read_with_the_manifest_nearest_above_it(rules, tmp_path):
    root = tmp_path / "cases"
    write(root / "a.txt", report(2021))
    write(root / "north" / "b.txt", report(2022))
    write(root / "north" / "deeper" / "c.txt", report(2023))
    write(root / "south" / "d.txt", report(2024))
    write(root / "south" / "own" / "e.txt", report(2020))
    manifest(root, {"a.txt": "甲街道", "south/d.txt": "丁街道"})
    manifest(root / "north", {"b.txt": "乙街道", "deeper/c.txt": "丙街道"})
    manifest(root / "south" / "own", {"e.txt": "戊镇"})
    documents, _ = read_corpus([root], rules)
    assert {d.name: d.street for d in documents} == {
        "a.txt": "甲街道",
        "b.txt": "乙街道",
        "c.txt": "丙街道",
        "d.txt": "丁街道",
        "e.txt": "戊镇",
    }


def bad_folder(folder: Path) -> list[str]:
    """A folder of two good reports and three bad files; the bad files' names."""
    write(folder / "good-2021.txt", report(2021))
    write(folder / "good-2022.txt", report(2022))
    write(folder / "empty.txt", "")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    write(folder / "note.txt", "这是一段普通的说明文字。\n没有任何标题。\n")
    return ["empty.txt: empty file", "image.txt: binary file", "note.txt: no recognisable summary"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def test_every_bad_file_is_named_at_once_one_line_each_and_nothing_is_stored(tmp_path):
    problems = bad_folder(tmp_path / "corpus")
    db = tmp_path / "t.db"
    assert invoke("--db", str(db), "ingest", str(tmp_path / "corpus" / "good-2021.txt")).exit_code == 0
    before = digest(db)
    for command in ("ingest", "run"):
        result = invoke("--db", str(db), command, str(tmp_path / "corpus"))
        assert result.exit_code == 2
        lines = result.output.strip().splitlines()
        assert lines[0].startswith("Error: 3 files: bad input, nothing stored")
        for problem in problems:
            assert sum(problem in line for line in lines[1:]) == 1, (problem, lines)
        assert len(lines) == 4
    assert digest(db) == before


def test_skip_bad_stores_the_good_files_and_lists_the_bad_ones(tmp_path):
    problems = bad_folder(tmp_path / "corpus")
    db = str(tmp_path / "t.db")
    result = invoke("--db", db, "run", "--skip-bad", str(tmp_path / "corpus"))
    assert result.exit_code == 0
    skipped = [line for line in result.output.splitlines() if "skipped" in line]
    assert len(skipped) == 3
    for problem in problems:
        assert any(problem in line for line in skipped)
    listed = invoke("--db", db, "docs", "--json").output
    assert listed.count('"name"') == 2 and "good-2021.txt" in listed and "good-2022.txt" in listed


def test_same_report_in_another_encoding_or_with_other_line_endings_is_a_duplicate(tmp_path):
    text = report(2023)
    folder = tmp_path / "copies"
    write(folder / "a-utf8.txt", text)
    write(folder / "b-gbk.txt", text, "gb18030")
    write(folder / "c-crlf.txt", text, newline="\r\n")
    write(folder / "d-bom.txt", text, "utf-8-sig", "\r\n")
    write(folder / "e-other.txt", report(2023, roads=4))
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(folder))
    assert result.exit_code == 0
    added = [line.split()[-1] for line in result.output.splitlines() if line.strip().startswith("added")]
    assert added == ["a-utf8.txt", "e-other.txt"]
    for name in ("b-gbk.txt", "c-crlf.txt", "d-bom.txt"):
        assert f"{name}: same content as a-utf8.txt" in result.output


def test_a_bad_manifest_is_named_once_and_skips_only_the_files_it_governs(tmp_path):
    root = tmp_path / "cases"
    write(root / "broken" / "a.txt", report(2021))
    write(root / "broken" / "b.txt", report(2022))
    write(root / "broken" / "manifest.toml", "[[document]\nfile = 'a.txt'\n")
    write(root / "fine" / "c.txt", report(2023))
    manifest(root / "fine", {"c.txt": "丙街道"})
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", "--skip-bad", str(root))
    assert result.exit_code == 0
    skipped = [line for line in result.output.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and "manifest.toml: malformed manifest" in skipped[0]
    assert [line.split()[-1] for line in result.output.splitlines() if "added" in line] == ["c.txt"]
