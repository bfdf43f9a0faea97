"""The command line: help everywhere, bad input refused with exit 2 and nothing written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEEDS
from tracker.cli import cli


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def all_commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_with_an_example(name):
    result = invoke(name, "--help")
    assert result.exit_code == 0
    command = cli.commands[name]
    assert command.help and "Example:" in command.help


def test_top_level_help_lists_the_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for name in all_commands():
        assert name in result.output


def test_ingest_twice_reports_unchanged_and_keeps_five_documents(tmp_path):
    db = str(tmp_path / "t.db")
    first = invoke("--db", db, "ingest", str(SEEDS))
    second = invoke("--db", db, "ingest", str(SEEDS))
    assert first.exit_code == second.exit_code == 0
    assert first.output.count("added") == 5
    assert second.output.count("unchanged") == 5
    listed = invoke("--db", db, "docs", "--json")
    assert listed.output.count('"name"') == 5


def test_db_is_read_from_the_environment(tmp_path):
    db = tmp_path / "env.db"
    result = invoke("ingest", str(SEEDS / "000_c1d99a5c8820d14d.txt"), env={"TRACKER_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


def snapshot(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_bad_corpus(folder: Path, case: str) -> tuple[Path, str]:
    """A corpus folder with one bad input; returns the path to ingest and the expected problem."""
    folder.mkdir()
    shutil.copy(SEEDS / "001_89c76ec95f46d324.txt", folder)
    manifest = folder / "manifest.toml"
    if case == "empty":
        (folder / "empty.txt").write_bytes(b"")
        return folder, "empty.txt: empty file"
    if case == "binary":
        (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
        return folder, "image.txt: binary file"
    if case == "undecodable":
        (folder / "latin.txt").write_bytes("Crème brûlée, façade, naïve. ".encode("latin-1") * 30)
        return folder, "latin.txt: undecodable"
    if case == "no_section":
        (folder / "note.txt").write_text("这是一段普通的说明文字。\n没有任何标题。\n", "utf-8")
        return folder, "note.txt: no recognisable summary or plan section"
    if case == "manifest_missing_file":
        manifest.write_text('[[document]]\nfile = "absent.txt"\nstreet = "平湖街道"\n', "utf-8")
        return folder, "manifest.toml: names a missing file 'absent.txt'"
    if case == "manifest_outside":
        (folder.parent / "outside.txt").write_text("一、2024年工作总结\n完成道路3条。\n", "utf-8")
        manifest.write_text('[[document]]\nfile = "../outside.txt"\n', "utf-8")
        return folder, "manifest.toml: '../outside.txt' is outside the corpus folder"
    if case == "manifest_malformed":
        manifest.write_text('[[document]\nfile = "x.txt"\n', "utf-8")
        return folder, "manifest.toml: malformed manifest"
    raise AssertionError(case)


BAD_CASES = [
    "empty",
    "binary",
    "undecodable",
    "no_section",
    "manifest_missing_file",
    "manifest_outside",
    "manifest_malformed",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_gets_one_line_exit_2_and_leaves_the_store_unchanged(tmp_path, case):
    db = tmp_path / "t.db"
    assert invoke("--db", str(db), "ingest", str(SEEDS / "000_c1d99a5c8820d14d.txt")).exit_code == 0
    before = snapshot(db)
    corpus, problem = write_bad_corpus(tmp_path / "corpus", case)
    for command in ("ingest", "run"):
        result = invoke("--db", str(db), command, str(corpus))
        assert result.exit_code == 2
        message = result.output.strip()
        assert len(message.splitlines()) == 1
        assert problem in message
        assert message.startswith("Error: ")
    assert snapshot(db) == before


def test_unknown_manifest_key_is_a_warning_not_an_error(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(SEEDS / "000_c1d99a5c8820d14d.txt", corpus)
    (corpus / "manifest.toml").write_text(
        '[[document]]\nfile = "000_c1d99a5c8820d14d.txt"\nstreet = "西乡街道"\ncolour = "red"\n',
        "utf-8",
    )
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(corpus))
    assert result.exit_code == 0
    assert "unknown key 'colour'" in result.output


def test_missing_path_is_bad_input(tmp_path):
    result = invoke("--db", str(tmp_path / "t.db"), "ingest", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_bad_rules_folder_is_bad_input(tmp_path):
    result = invoke("--db", str(tmp_path / "t.db"), "--rules", str(tmp_path), "ingest", str(SEEDS))
    assert result.exit_code == 2
    assert "cruft.toml: rule file missing" in result.output


@pytest.mark.parametrize(
    ("db", "argv"),
    [
        ("/no/such/folder/tracker.db", ["ingest", str(SEEDS)]),
        ("/no/such/folder/tracker.db", ["score"]),
        ("nosuchdialect://host/db", ["run", str(SEEDS)]),
        ("postgresql+psycopg://who:secret@127.0.0.1:1/tracker", ["export", "--format", "jsonl", "-o", "-"]),
    ],
)
def test_a_store_that_cannot_be_opened_is_one_line_and_exit_2(db, argv):
    result = invoke("--db", db, *argv)
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "cannot open the store" in message
    assert "secret" not in message
