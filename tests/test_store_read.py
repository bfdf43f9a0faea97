"""store_read: report and export read through the driver the very rows the ORM stored, on every store."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import decisions, migrations
from tracker.store import Commitment, Document, Match, alembic_config, open_store, session_scope
from tracker.store_read import (
    CommitmentRow,
    MatchRow,
    StoreReader,
    connect,
    reading,
    reviews,
    scored_rows,
    status_counts,
    street_overview,
)
from tracker.verdicts import utc_text

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
            text="新建道路7条。",
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
                explanation=[{"rule": "item_exact", "left": "道路", "right": "道路"}],
                reported=[{"target": "7条", "reported": "5条"}],
            )
        )
    decisions.record(engine, "c1", "set", "ann", status="done", note="都建了")
    return engine


def by_url(url: str) -> AbstractContextManager[StoreReader]:
    return connect(url)


def by_engine(url: str) -> AbstractContextManager[StoreReader]:
    return reading(open_store(url))


@pytest.mark.parametrize("opened", [by_url, by_engine], ids=["driver", "engine"])
def test_the_reader_gives_the_rows_the_orm_stored(
    store_url: str, opened: Callable[[str], AbstractContextManager[StoreReader]]
):
    engine = scored_store(store_url)
    with opened(store_url) as store:
        [(commitment, match, source_url)] = scored_rows(store)
        found = reviews(store)
        counts = status_counts(store)
        [street] = street_overview(store)
    with Session(engine) as session:
        stored_commitment = session.get(Commitment, "c1")
        stored_match = session.get(Match, "c1")
        for name in CommitmentRow.__dataclass_fields__:
            assert getattr(commitment, name) == getattr(stored_commitment, name), name
        for name in MatchRow.__dataclass_fields__:
            assert getattr(match, name) == getattr(stored_match, name), name
    assert commitment.checkable is True and match.disputed is True  # not SQLite's 1
    assert isinstance(commitment.targets[0]["quantity"], float) and match.evidence == EVIDENCE
    assert source_url == "https://example.org/plan"
    [event] = decisions.history(engine)
    review = found["c1"]
    assert not review.changed and review.settled
    for name in ("id", "commitment_id", "reviewer", "decision", "status_before", "status_after", "note"):
        assert getattr(review.decision, name) == getattr(event, name), name
    assert utc_text(review.decision.at) == utc_text(event.at)
    assert counts == [("西乡街道", "宝安区", "2024", "partial", True, 1)]
    assert (street.street, street.documents, street.commitments) == ("西乡街道", 1, 1)


def test_a_review_made_against_a_verdict_since_changed_says_so(store_url):
    engine = scored_store(store_url)
    with session_scope(engine) as session:
        session.get(Match, "c1").evidence = []
    with connect(store_url) as store:
        assert reviews(store)["c1"].changed
        assert reviews(store, ["c1"]).keys() == {"c1"} and reviews(store, []) == {}


def test_the_reader_never_writes(store_url):
    scored_store(store_url)
    with connect(store_url) as store, pytest.raises(store.connection.Error):
        store.rows("DELETE FROM review_decision")
    with connect(store_url) as store:
        assert reviews(store)


def test_a_store_not_there_yet_is_made_as_by_every_other_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with connect(url) as store:
        assert street_overview(store) == [] and scored_rows(store) == []
        assert store.revision() == migrations.HEAD


def test_an_older_store_is_migrated_before_it_is_read(store_url):
    engine = create_engine(store_url)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), migrations.BASELINE)
        connection.commit()
    engine.dispose()
    with connect(store_url) as store:
        assert store.revision() == migrations.HEAD and reviews(store) == {}
