"""Shared fixtures: the real seeds, the bundled rules, throwaway stores."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tracker.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"
STREET_FILES = (
    SEEDS / "000_c1d99a5c8820d14d.txt",
    FIXTURES / "corpus" / "synthetic_xixiang_2024_plan.txt",
    FIXTURES / "corpus" / "synthetic_xixiang_2025_summary.txt",
)


def one_street(folder: Path) -> Path:
    """西乡街道's reports in a new folder: the real seed with its synthetic plan and follow-up.

    A whole run of them takes seconds: enough to be interrupted, short enough to repeat per store.
    """
    folder.mkdir()
    for path in STREET_FILES:
        shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


# The PostgreSQL server the store tests also run against; .ci/run starts one and sets this.
PG_URL = os.environ.get("TRACKER_TEST_PG_URL")
NO_POSTGRESQL = "no PostgreSQL server: set TRACKER_TEST_PG_URL (.ci/run starts one and sets it)"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store on each backend: a SQLite file, or a database of its own on the server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not PG_URL:
        pytest.skip(NO_POSTGRESQL)
    server = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()
