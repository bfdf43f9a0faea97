"""Shared fixtures: the real seeds, the bundled rules, throwaway stores."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from tracker import decisions
from tracker.rules import Rules, load_rules
from tracker.store import Commitment, Document, Match, open_store, session_scope

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


# What the review screen never offers as evidence (rules/review.toml), for tests that build it.
REVIEW_RULES = decisions.ReviewRules.load(load_rules().directory)


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


EVIDENCE = [{"doc": "summary.txt", "text": "建成道路5条", "char_start": 3, "char_end": 9, "statement_id": 9}]


def scored_store(url: str) -> Engine:
    """One plan with one scored commitment, written through the ORM, and a reviewer's decision on it."""
    engine = open_store(url)
    with session_scope(engine) as session:
        document = Document(
            name="plan.txt",
            path="plan.txt",
            sha256="a1",
            encoding="utf-8",
            title="工作计划",
            street="西乡街道",
            district="宝安区",
            source_url="https://example.org/plan",
            years=[2024],
            text="【合成测试样本】\n新建道路7条。",
            synthetic=True,
        )
        session.add(document)
        session.flush()
        session.add(
            Commitment(
                id="c1",
                document_id=document.id,
                street="西乡街道",
                district="宝安区",
                plan_doc="plan.txt",
                plan_period="2024",
                section="一、城市建设",
                section_path=["2024年工作计划", "一、城市建设"],
                ref="1",
                text="新建道路7条",
                char_start=0,
                char_end=6,
                ordinal=0,
                checkable=True,
                items=["道路"],
                targets=[{"quantity": 7.0, "unit": "条", "comparator": ">=", "raw": "7条"}],
            )
        )
        session.add(
            Match(
                commitment_id="c1",
                status="partial",
                reason="quantity_short",
                flags=["interim"],
                ratio=5 / 7,
                confidence=0.875,
                disputed=True,
                followup_docs=["summary.txt"],
                evidence=EVIDENCE,
                explanation=[{"rule": "item_exact", "left": "道路", "right": "道路", "weight": 1.0}],
                reported=[{"target": "7条", "reported": "5条"}],
            )
        )
    decisions.record(engine, "c1", "set", "ann", status="done", note="都建了")
    return engine
