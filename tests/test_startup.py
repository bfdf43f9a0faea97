"""Commands that only read the store start without the Chinese pipeline (spaCy, pkuseg, jieba)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Runs one tracker command in a fresh interpreter, then prints the segmenter modules it imported.
PROBE = """
import json, sys
from tracker.cli import cli
try:
    cli(sys.argv[1:], prog_name="tracker")
except SystemExit:
    pass
segmenters = ("spacy", "spacy_pkuseg", "pkuseg", "jieba")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in segmenters)))
"""


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
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.splitlines()[-1]) == []
