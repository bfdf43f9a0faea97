"""Commands that only read the store start without the Chinese pipeline (spaCy, pkuseg, jieba), and
`report`, `export` and a re-run of an unchanged corpus without the ORM: importing SQLModel and
SQLAlchemy alone takes half a second."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, one_street, scored_store
from tracker import run_state
from tracker.cli import cli
from tracker.nlp import bundled_pkuseg_model
from tracker.rules import load_rules
from tracker.run_state import extraction_fingerprint, segmentation_fingerprint

# Runs one tracker command in a fresh interpreter, then prints the top packages it imported.
PROBE = """
import json, sys
from tracker.cli import cli
try:
    cli(sys.argv[1:], prog_name="tracker")
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""
SEGMENTERS = {"spacy", "spacy_pkuseg", "pkuseg", "jieba"}
# The ORM and its migrations; fuzzy matching (for a mistyped street only) and XLSX.
HEAVY = {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "rapidfuzz", "openpyxl"}


def imported(argv: list[str]) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["report", "--street", "西乡街道"],
        ["export", "--street", "西乡街道", "--format", "jsonl", "-o", "OUT"],
        ["streets", "--json"],
    ],
    ids=lambda command: command[0],
)
def test_reading_commands_do_not_import_the_segmenter(tmp_path, command):
    argv = [
        "--db",
        str(tmp_path / "t.db"),
        *[str(tmp_path / "out.jsonl") if a == "OUT" else a for a in command],
    ]
    assert imported(argv) & SEGMENTERS == set()


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--street", "西乡街道"],
        ["report", "--all"],
        ["export", "--street", "西乡街道", "--format", "jsonl", "-o", "OUT"],
        ["export", "--format", "csv", "-o", "OUT"],
    ],
    ids=lambda command: "-".join(command[:2]),
)
def test_report_and_export_read_a_current_store_without_the_orm(tmp_path, command):
    db = tmp_path / "t.db"
    scored_store(f"sqlite:///{db}").dispose()
    argv = ["--db", str(db), *[str(tmp_path / "out") if a == "OUT" else a for a in command]]
    assert imported(argv) & (HEAVY | SEGMENTERS) == set()


def test_an_unchanged_rerun_loads_neither_the_orm_nor_the_segmenter(tmp_path):
    corpus, db = one_street(tmp_path / "corpus"), tmp_path / "t.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "run", str(corpus)]).exit_code == 0
    assert imported(["--db", str(db), "run", str(corpus)]) & (HEAVY | SEGMENTERS) == set()

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with (rules / "names.toml").open("a", encoding="utf-8") as names:
        names.write("\n# a rule file changed: the stored units are stale\n")
    assert "sqlalchemy" in imported(["--db", str(db), "--rules", str(rules), "run", str(corpus)])


def test_a_new_release_of_the_scoring_code_makes_a_rerun_score_again(tmp_path, monkeypatch):
    """Verdicts depend on the verdict engine as much as units on the rules: stored ones are stale after an
    upgrade."""
    package = tmp_path / "tracker"
    shutil.copytree(ROOT / "tracker", package, ignore=shutil.ignore_patterns("__pycache__"))
    rules = load_rules(ROOT / "rules")
    before = extraction_fingerprint(rules, "pkuseg")
    monkeypatch.setattr(run_state, "__file__", str(package / "run_state.py"))
    assert extraction_fingerprint(rules, "pkuseg") == before  # the same code, the same fingerprint
    with (package / "verdict" / "topic.py").open("a", encoding="utf-8") as score:
        score.write("\n# a scoring rule changed in code\n")
    assert extraction_fingerprint(rules, "pkuseg") != before


def test_another_pkuseg_model_makes_stored_units_and_token_spans_stale(tmp_path, monkeypatch):
    """A user who points TRACKER_PKUSEG_MODEL at another model gets its tokens, not the old ones."""
    rules = load_rules(ROOT / "rules")
    before = extraction_fingerprint(rules, "pkuseg"), segmentation_fingerprint(rules, "pkuseg")
    other = tmp_path / "model"
    shutil.copytree(bundled_pkuseg_model(), other)
    monkeypatch.setenv("TRACKER_PKUSEG_MODEL", str(other))
    after = extraction_fingerprint(rules, "pkuseg"), segmentation_fingerprint(rules, "pkuseg")
    assert after[0] != before[0] and after[1] != before[1]


def test_every_rule_file_keys_the_token_spans_not_only_the_names(tmp_path):
    """The names taught to the segmenter are found with verbs.toml, levels.toml and places.toml too."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    before = segmentation_fingerprint(load_rules(tmp_path / "rules"), "pkuseg")
    with (tmp_path / "rules" / "verbs.toml").open("a", encoding="utf-8") as verbs:
        verbs.write("\n# a verb added\n")
    assert segmentation_fingerprint(load_rules(tmp_path / "rules"), "pkuseg") != before
