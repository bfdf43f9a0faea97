"""Odd corpora through the command line: each is taken whole or refused in one line, exit code 2,
with the store left as it was (the plain bad files are in test_cli.py)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.conftest import SEEDS
from tracker.cli import cli
from tracker.ingest import MAX_SOURCE_BYTES
from tracker.store import Document, open_store

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def fingerprint(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def stored_texts(db: Path) -> dict[str, str]:
    with Session(open_store(f"sqlite:///{db}")) as session:
        return {d.name: d.text for d in session.exec(select(Document))}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store that already holds one seed, so "unchanged" can be checked."""
    db = tmp_path / "t.db"
    assert invoke("--db", str(db), "ingest", str(SEED_FILES[0])).exit_code == 0
    return db


def assert_refused(result, db: Path, before: str, *expected: str) -> None:
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and message.startswith("Error: ")
    for part in expected:
        assert part in message
    assert fingerprint(db) == before


def test_a_50_mb_file_is_refused_naming_the_file_and_the_limit(tmp_path, store):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILES[1], corpus)
    seed = SEED_FILES[2].read_bytes()
    (corpus / "dump.txt").write_bytes(seed * (50 * 2**20 // len(seed) + 1))
    before = fingerprint(store)
    for command in ("ingest", "run"):
        result = invoke("--db", str(store), command, str(corpus))
        assert_refused(result, store, before, "dump.txt", f"{MAX_SOURCE_BYTES:,}-byte limit")


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name[:3])
def test_a_report_on_one_line_is_taken_whole_or_refused_in_one_line(tmp_path, store, seed):
    one_line = tmp_path / seed.name
    one_line.write_text(seed.read_text("utf-8").replace("\r", "").replace("\n", ""), "utf-8")
    before = fingerprint(store)
    result = invoke("--db", str(store), "run", str(one_line))
    if result.exit_code == 2:
        assert_refused(result, store, before, f"{one_line}: ")
        return
    assert result.exit_code == 0, result.output
    assert stored_texts(store)[seed.name] == one_line.read_text("utf-8")
    listed = [json.loads(line) for line in invoke("--db", str(store), "docs", "--json").output.splitlines()]
    assert any(doc["name"] == seed.name and doc["sections"] for doc in listed)


def test_a_folder_of_mixed_encodings_is_stored_as_the_same_text(tmp_path):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    encodings = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]
    originals = {seed.name: seed.read_text("utf-8") for seed in SEED_FILES[: len(encodings)]}
    for (name, text), encoding in zip(originals.items(), encodings, strict=True):
        (corpus / name).write_bytes(text.encode(encoding))
    db = tmp_path / "t.db"
    result = invoke("--db", str(db), "ingest", str(corpus))
    assert result.exit_code == 0, result.output
    assert result.output.count("added") == len(encodings)
    assert stored_texts(db) == originals


def test_the_same_report_under_two_names_is_stored_once_and_the_copy_named_a_duplicate(tmp_path):
    corpus = tmp_path / "dups"
    corpus.mkdir()
    shutil.copy(SEED_FILES[0], corpus / "a_original.txt")
    shutil.copy(SEED_FILES[0], corpus / "b_copy.txt")
    db = tmp_path / "t.db"
    result = invoke("--db", str(db), "run", str(corpus))
    assert result.exit_code == 0, result.output
    assert "b_copy.txt: same content as a_original.txt, skipped" in result.output
    assert list(stored_texts(db)) == ["a_original.txt"]


@pytest.mark.parametrize("escape", ["absolute path", "symlink"])
def test_a_manifest_reaching_outside_the_corpus_is_refused(tmp_path, store, escape):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILES[3], corpus)
    outside = tmp_path / "outside.txt"
    shutil.copy(SEED_FILES[1], outside)
    if escape == "absolute path":
        named = str(outside)
    else:
        named = "inside.txt"
        os.symlink(outside, corpus / named)
    (corpus / "manifest.toml").write_text(f'[[document]]\nfile = "{named}"\nstreet = "平湖街道"\n', "utf-8")
    before = fingerprint(store)
    for command in ("ingest", "run"):
        result = invoke("--db", str(store), command, str(corpus))
        assert_refused(result, store, before, "manifest.toml", "is outside the corpus folder")
