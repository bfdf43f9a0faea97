"""Only regular files are read: a FIFO, a folder, a symlink loop or a dangling symlink named like a
report is refused in one line (exit 2), never read, never hung on; an oversize file is refused from
its size; a manifest naming one file twice is refused."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEEDS
from tracker.cli import cli
from tracker.ingest import MAX_REPORT_BYTES, MAX_SOURCE_BYTES

SEED = SEEDS / "000_c1d99a5c8820d14d.txt"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()
    shutil.copy(SEED, path / "inside.txt")


def symlink_loop(path: Path) -> None:
    path.symlink_to(path.name)


def dangling_symlink(path: Path) -> None:
    path.symlink_to("gone.txt")


ODD_FILES = {
    "FIFO": (fifo, "not a regular file but a FIFO"),
    "folder": (folder, "not a regular file but a folder"),
    "symlink loop": (symlink_loop, "symlink loop"),
    "dangling symlink": (dangling_symlink, "dangling symlink"),
}


def refused_within(seconds: float, *args: str):
    """The command's result, or a failure when it hangs (as it did on a FIFO)."""
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(invoke(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"`tracker {' '.join(args)}` hung"
    return outcome[0]


@pytest.mark.parametrize("kind", list(ODD_FILES))
@pytest.mark.parametrize("command", ["run", "ingest"])
def test_a_path_named_like_a_report_that_is_not_a_regular_file_is_refused_in_one_line(
    tmp_path, kind, command
):
    make, problem = ODD_FILES[kind]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    odd = corpus / ("folder.txt" if kind == "folder" else "x.txt")
    make(odd)
    db = tmp_path / "store.db"
    named = () if kind == "folder" else (odd,)  # a folder named on the command line is a corpus
    for path in (corpus, *named):
        result = refused_within(60, "--db", str(db), command, str(path))
        assert result.exit_code == 2, result.output
        assert result.output.strip() == f"Error: {odd}: {problem}"
    assert not db.exists() or "000_" not in invoke("--db", str(db), "docs").output


def test_an_oversize_file_is_refused_from_its_size_without_being_read(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    huge = corpus / "huge.txt"
    with huge.open("wb") as handle:  # a sparse gigabyte: reading it would take seconds and memory
        handle.truncate(2**30)
    opened = []
    real_open = os.open
    monkeypatch.setattr(
        os, "open", lambda path, *args, **kw: opened.append(str(path)) or real_open(path, *args, **kw)
    )
    result = invoke("--db", str(tmp_path / "store.db"), "run", str(corpus))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {huge}: {2**30:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit for one file"
    )
    assert str(huge) not in opened


def test_a_text_over_the_report_limit_is_refused_from_its_size(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = SEED.read_bytes()
    big = corpus / "big.txt"
    big.write_bytes(seed * (MAX_REPORT_BYTES // len(seed) + 1))
    result = invoke("--db", str(tmp_path / "store.db"), "run", str(corpus))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {big}: {big.stat().st_size:,} bytes, "
        f"over the {MAX_REPORT_BYTES:,}-byte limit for one report (split it)"
    )


def test_a_manifest_naming_one_file_twice_is_refused_in_one_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    (corpus / "manifest.toml").write_text(
        f'[[document]]\nfile = "{SEED.name}"\nstreet = "西乡街道"\n\n'
        f'[[document]]\nfile = "./{SEED.name}"\nstreet = "福永街道"\n',
        encoding="utf-8",
    )
    result = invoke("--db", str(tmp_path / "store.db"), "run", str(corpus))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {corpus / 'manifest.toml'}: malformed manifest: './{SEED.name}' is listed twice (document 2)"
    )


def test_a_corpus_path_that_reads_like_rich_markup_is_printed_as_it_is(tmp_path):
    corpus = tmp_path / "x[" / "y]"  # the path holds "[/y]", a closing tag to Rich
    corpus.mkdir(parents=True)
    shutil.copy(SEED, corpus / "[bold]report.txt")
    (corpus / "manifest.toml").write_text('[[document]]\nfile = "[bold]report.txt"\nbogus = 1\n', "utf-8")
    result = invoke("--db", str(tmp_path / "store.db"), "ingest", str(corpus))
    assert result.exit_code == 0, result.output
    printed = result.output.replace("\n", "")  # as wrapped to the terminal's width
    assert f"warning: {corpus / 'manifest.toml'}: unknown key 'bogus'" in printed
    assert "added  [bold]report.txt" in printed
