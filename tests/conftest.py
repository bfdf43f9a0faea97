"""Shared fixtures: the real seeds, the bundled rules, throwaway stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"
