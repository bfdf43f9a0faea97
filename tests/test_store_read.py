"""store_read: report and export read through the driver the very rows the ORM stored, on every store."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlmodel import Session

from tests.conftest import EVIDENCE, scored_store
from tracker import decisions, migrations
from tracker.store import Commitment, Match, alembic_config, open_store, session_scope
from tracker.store_read import (
    CommitmentRow,
    MatchRow,
    StoredPlace,
    StoreReader,
    connect,
    plan_documents,
    reading,
    reviews,
    scored_rows,
    status_counts,
    street_overview,
    synthetic_documents,
)
from tracker.verdicts import utc_text


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
        [(commitment, match, plan)] = scored_rows(store)
        found = reviews(store)
        counts = status_counts(store)
        synthetic = synthetic_documents(store)
        documents = plan_documents(store)
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
    assert plan == ("https://example.org/plan", "工作计划", None, None, None)
    [event] = decisions.history(engine)
    review = found["c1"]
    assert not review.changed and review.settled
    for name in ("id", "commitment_id", "reviewer", "decision", "status_before", "status_after", "note"):
        assert getattr(review.decision, name) == getattr(event, name), name
    assert utc_text(review.decision.at) == utc_text(event.at)
    place = StoredPlace("西乡街道", "宝安区", None, None)
    assert counts == [(place, "2024", "partial", True, True, 1)]
    assert commitment.section_path == ["2024年工作计划", "一、城市建设"]
    assert (synthetic, documents) == ({"plan.txt"}, {(place, "2024"): {"plan.txt", "summary.txt"}})
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
