"""Data files ship with the package: an installed tracker finds rules/ and its demo corpus."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_carries_rules_seeds_and_fixtures(tmp_path: Path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tracker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rule_file in sorted((ROOT / "rules").glob("*.toml")):
        assert f"tracker/rule_files/{rule_file.name}" in names
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        assert f"tracker/seed_files/{seed.name}" in names
    assert "tracker/seed_files/manifest.toml" in names
    for report in sorted((ROOT / "fixtures" / "corpus").glob("*")):
        assert f"tracker/fixture_files/corpus/{report.name}" in names
    for gold in sorted((ROOT / "fixtures" / "gold").glob("*.jsonl")):
        assert f"tracker/fixture_files/gold/{gold.name}" in names
    for template in sorted((ROOT / "tracker" / "templates").iterdir()):
        assert f"tracker/templates/{template.name}" in names
    migrations = ROOT / "tracker" / "migrations"
    for script in sorted(
        [*migrations.glob("*.py"), *migrations.glob("*.mako"), *migrations.glob("versions/*.py")]
    ):
        assert f"tracker/migrations/{script.relative_to(migrations).as_posix()}" in names
