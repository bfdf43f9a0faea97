"""The store as `report`, `export` and `streets` read it: plain SQL over the driver's connection.

Importing SQLModel and SQLAlchemy takes about half a second, longer than a report should take
whole. So the reading commands query the tables tracker.store declares through the driver
itself (sqlite3, or psycopg for PostgreSQL), in portable SQL, read-only and in one snapshot.
They do so on a store whose schema is at migrations.HEAD; any other store (older, not there
yet, or named by a URL this module does not open itself) goes through store.open_store first,
which migrates it or fails exactly as for every other command.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote

from tracker import migrations
from tracker.verdicts import Review, effective, evidence_digest

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEFAULT_DB = "tracker.db"


def database_url(db: str | None) -> str:
    """--db / TRACKER_DB as given: a URL, or a path to a SQLite file."""
    db = db or os.environ.get("TRACKER_DB") or DEFAULT_DB
    if db.startswith(("postgresql://", "postgres://")):  # the driver that comes with tracker
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (as SQLAlchemy reads it); None for any other store."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = unquote(url.removeprefix("sqlite:///"))
    return None if path in ("", ":memory:") else Path(path)


class UnknownStreet(Exception):
    """A street the store holds nothing of; the message names the closest stored ones."""


class AmbiguousStreet(Exception):
    """A street name several stored places share; the message lists them and how to choose."""


class StoredPlace(NamedTuple):
    """A place the store holds documents of: what `streets` lists one row of, and what `report`,
    `export` and `review` take one of (two same-named streets of two provinces are two)."""

    street: str | None
    district: str | None
    city: str | None
    province: str | None

    @property
    def shown(self) -> str:
        """province · city · district · street, the levels known."""
        above = [level for level in (self.province, self.city, self.district) if level]
        if not above:
            return f"{self.street or 'unknown street'} (place unknown)"
        return " · ".join([*above, self.street or "unknown street"])


def find_place(
    store: StoreReader,
    street: str,
    district: str | None = None,
    city: str | None = None,
    province: str | None = None,
) -> StoredPlace:
    """The one stored place of this street name and of the levels given.

    Raises UnknownStreet when none is, AmbiguousStreet (listing them) when several are: a name
    several places share is never read as all of them, nor as one of them guessed. A level given
    as "" chooses the place where it is unknown (a document whose place is ambiguous).
    """
    check_street(store, street)
    named = [row.place for row in street_overview(store) if row.street == street]
    given = {"district": district, "city": city, "province": province}.items()  # "": the level is unknown
    chosen = [
        place for place in named if all(value in (None, getattr(place, name) or "") for name, value in given)
    ]
    if len(chosen) == 1:
        return chosen[0]
    listed = "; ".join(place.shown for place in named)
    if not chosen:
        within = ", ".join(value or f"an unknown {name}" for name, value in given if value is not None)
        raise UnknownStreet(f"{street}: no such street in {within}; stored places of the name: {listed}")
    raise AmbiguousStreet(
        f"{street}: {len(chosen)} stored places share this name ({'; '.join(p.shown for p in chosen)}); "
        "choose one with --district, --city or --province"
    )


def check_street(store: StoreReader, street: str) -> None:
    """Raise UnknownStreet, naming the closest stored streets, when no document is of street."""
    streets = [row.street for row in street_overview(store) if row.street]
    if street in streets:
        return
    from rapidfuzz import fuzz, process  # only to name the streets close to a mistyped one

    close = [
        name for name, _, _ in process.extract(street, streets, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    ]
    if close:
        raise UnknownStreet(f"{street}: no such street; close names: {', '.join(close)}")
    raise UnknownStreet(f"{street}: no such street; stored streets: {', '.join(streets) or 'none'}")


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    """The columns of a commitment (tracker.store.Commitment) that report and export show."""

    id: str
    street: str | None
    district: str | None
    plan_doc: str
    plan_period: str
    section: str
    section_path: list[str]
    ref: str | None
    text: str
    char_start: int
    char_end: int
    checkable: bool
    items: list[str]
    targets: list[dict]
    deadline: str | None


@dataclass(frozen=True, slots=True)
class MatchRow:
    """The columns of a machine verdict (tracker.store.Match) that report and export show."""

    status: str
    reason: str | None
    flags: list[str]
    ratio: float | None
    confidence: float
    disputed: bool
    followup_docs: list[str]
    awaited_period: str | None
    evidence: list[dict]
    explanation: list[dict]
    reported: list[dict]


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One event of the review history (tracker.decisions.Decision)."""

    id: int
    commitment_id: str
    reviewer: str
    at: datetime
    decision: str
    status_before: str
    status_after: str
    reason: str | None
    evidence: list[dict]
    note: str | None
    machine_status: str
    machine_reason: str | None
    machine_digest: str
    undoes: int | None


class PlanSource(NamedTuple):
    """Where a plan document came from: its address, title and publication date, and its place's
    city and province (the commitment holds its street and district)."""

    source_url: str | None
    title: str | None
    published: str | None
    city: str | None = None
    province: str | None = None


class Scored(NamedTuple):
    """A scored commitment, its verdict and where its plan came from."""

    commitment: CommitmentRow
    match: MatchRow
    plan: PlanSource


# What the drivers hand back differently: SQLite gives JSON as text, booleans as 0 and 1, and
# times as text; psycopg gives them parsed.
JSON_COLUMNS = frozenset(
    ("items", "targets", "flags", "followup_docs", "evidence", "explanation", "reported", "section_path")
)
BOOLEAN_COLUMNS = frozenset(("checkable", "disputed"))
TIME_COLUMNS = frozenset(("at",))


def _decode(name: str, value: Any) -> Any:
    if name in JSON_COLUMNS:
        return json.loads(value) if isinstance(value, str) else value
    if name in BOOLEAN_COLUMNS:
        return bool(value)
    if name in TIME_COLUMNS and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


@cache
def _names(row_class: type) -> tuple[str, ...]:
    if hasattr(row_class, "_fields"):  # a NamedTuple
        return row_class._fields
    return tuple(column.name for column in fields(row_class))


def _columns(row_class: type, table: str) -> str:
    """The SELECT list of a row class: its fields are the table's column names."""
    return ", ".join(f"{table}.{name}" for name in _names(row_class))


def _row(row_class: type, values: Sequence[Any]) -> Any:
    return row_class(*(_decode(name, value) for name, value in zip(_names(row_class), values, strict=True)))


def _one_of(column: str, values: Collection[Any]) -> str:
    """column IN (?, …); for no values a condition no row meets (an empty IN () is not portable)."""
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "1 = 0"


class StoreReader:
    """A DB-API connection inside a read-only snapshot of the store."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self.connection = connection
        self.placeholder = "?" if dialect == "sqlite" else "%s"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of sql, its parameters marked ? (no query here holds another ? or a %)."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql.replace("?", self.placeholder), tuple(params))
            return cursor.fetchall()
        finally:
            cursor.close()

    def revision(self) -> str | None:
        """The migration the schema is at; None for a store without one (new, or made before them)."""
        try:
            found = self.rows("SELECT version_num FROM alembic_version")
        except self.connection.Error:  # no such table
            return None
        return found[0][0] if found else None


# Opens the read-only transaction that makes every query of a command see the same store.
SNAPSHOT = {"sqlite": "BEGIN", "postgresql": "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"}


@contextmanager
def _snapshot(connection: Any, dialect: str) -> Iterator[StoreReader]:
    cursor = connection.cursor()
    cursor.execute(SNAPSHOT[dialect])
    cursor.close()
    try:
        yield StoreReader(connection, dialect)
    finally:
        connection.rollback()


@contextmanager
def connect(url: str) -> Iterator[StoreReader]:
    """A reader on the store at url; a store not at HEAD is first opened (and migrated) by open_store."""
    opened = _driver_connection(url)
    if opened is not None:
        connection, dialect = opened
        with closing(connection), _snapshot(connection, dialect) as store:
            if store.revision() == migrations.HEAD:
                yield store
                return
    from tracker.store import open_store  # SQLAlchemy after all: to migrate, or to say what is wrong

    engine = open_store(url)
    try:
        with reading(engine) as store:
            yield store
    finally:
        engine.dispose()


def _driver_connection(url: str) -> tuple[Any, str] | None:
    """The driver's own read-only connection to a SQLite file or a psycopg server, with its dialect.

    None for any other URL (one with options, say), or when the driver cannot connect: open_store
    then creates the store, or fails with SQLAlchemy's message like every other command.
    """
    if url.startswith("sqlite:///"):
        path = sqlite_file(url)
        if path is None:
            return None
        try:
            return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True), "sqlite"
        except sqlite3.Error:  # no such file yet
            return None
    if url.startswith("postgresql+psycopg://") and "?" not in url:
        import psycopg  # a fifth of a second: only for a PostgreSQL store

        try:
            return psycopg.connect("postgresql://" + url.removeprefix("postgresql+psycopg://")), "postgresql"
        except psycopg.Error:
            return None
    return None


@contextmanager
def reading(engine: Engine) -> Iterator[StoreReader]:
    """A reader on a connection of the engine's pool, for callers that have opened the store anyway."""
    connection = engine.raw_connection()
    try:
        with _snapshot(connection, engine.dialect.name) as store:
            yield store
    finally:
        connection.close()


SCORED = f"""
SELECT {_columns(CommitmentRow, "c")}, {_columns(MatchRow, "m")}, {_columns(PlanSource, "d")}
FROM commitment AS c
JOIN "match" AS m ON m.commitment_id = c.id
JOIN document AS d ON d.id = c.document_id
"""


def place_condition(place: StoredPlace, table: str) -> tuple[list[str], list[str]]:
    """The SQL conditions (and their parameters) that the rows of table of this place meet."""
    conditions, params = [], []
    for level, value in place._asdict().items():
        if value is None:
            conditions.append(f"{table}.{level} IS NULL")
        else:
            conditions.append(f"{table}.{level} = ?")
            params.append(value)
    return conditions, params


def place_documents(store: StoreReader, place: StoredPlace) -> set[int]:
    """The ids of the documents of this place."""
    conditions, params = place_condition(place, "d")
    found = store.rows(f"SELECT d.id FROM document AS d WHERE {' AND '.join(conditions)}", params)
    return {document_id for (document_id,) in found}


def scored_rows(
    store: StoreReader, place: StoredPlace | None = None, commitment_ids: Collection[str] | None = None
) -> list[Scored]:
    """Scored commitments (all, of one place, or these) with verdict and plan source, in export order.

    Sorted in Python by (street, plan_doc, char_start, id), unknown streets last, so that the
    order is the same on SQLite and PostgreSQL whatever their collation and NULL placement.
    """
    conditions, params = place_condition(place, "d") if place is not None else ([], [])
    if commitment_ids is not None:
        conditions.append(_one_of("c.id", commitment_ids))
        params.extend(commitment_ids)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    split, source = len(_names(CommitmentRow)), len(PlanSource._fields)
    rows = [
        Scored(
            _row(CommitmentRow, values[:split]),
            _row(MatchRow, values[split:-source]),
            PlanSource(*values[-source:]),
        )
        for values in store.rows(SCORED + where, params)
    ]
    return sorted(
        rows,
        key=lambda row: (
            row.commitment.street is None,
            row.commitment.street or "",
            row.commitment.plan_doc,
            row.commitment.char_start,
            row.commitment.id,
        ),
    )


class StatusCount(NamedTuple):
    """How many commitments of a place's plan period have this status, disputed or not, interim or not."""

    place: StoredPlace
    plan_period: str
    status: str
    disputed: bool
    interim: bool
    count: int


def status_counts(store: StoreReader) -> list[StatusCount]:
    """The commitments of every place and plan period counted by status, dispute and interim check.

    Counted in the database so that comparing streets never loads the commitments' texts.
    """
    rows = store.rows(
        """
        SELECT street, district, city, province, plan_period, status, disputed, interim, count(*)
        FROM (
            SELECT d.street, d.district, d.city, d.province, c.plan_period, m.status, m.disputed,
                CASE WHEN CAST(m.flags AS TEXT) LIKE ? THEN 1 ELSE 0 END AS interim
            FROM commitment AS c JOIN "match" AS m ON m.commitment_id = c.id
            JOIN document AS d ON d.id = c.document_id
        ) AS verdict
        GROUP BY street, district, city, province, plan_period, status, disputed, interim
        """,
        ['%"interim"%'],
    )
    return [
        StatusCount(StoredPlace(*values[:4]), period, status, bool(disputed), bool(interim), count)
        for *values, period, status, disputed, interim, count in rows
    ]


def plan_documents(store: StoreReader) -> dict[tuple[StoredPlace, str], set[str]]:
    """(place, plan period) -> its plan documents and the follow-up reports they were checked against."""
    found: dict[tuple[StoredPlace, str], set[str]] = {}
    for *values, period, plan_doc, followups in store.rows(
        "SELECT DISTINCT d.street, d.district, d.city, d.province, c.plan_period, c.plan_doc,"
        ' CAST(m.followup_docs AS TEXT) FROM commitment AS c JOIN "match" AS m ON m.commitment_id = c.id'
        " JOIN document AS d ON d.id = c.document_id"
    ):
        found.setdefault((StoredPlace(*values), period), set()).update([plan_doc, *json.loads(followups)])
    return found


def reviews(store: StoreReader, commitment_ids: Collection[str] | None = None) -> dict[str, Review]:
    """The effective review of every reviewed commitment (or of these), by commitment id.

    A review is `changed` when the machine's verdict (status, reason, quoted evidence) is no longer
    the one it was made against, or is gone.
    """
    where = "" if commitment_ids is None else f"WHERE {_one_of('d.commitment_id', commitment_ids)}"
    events: dict[str, list[DecisionRow]] = {}
    machine: dict[str, tuple[Any, ...]] = {}
    for values in store.rows(
        f"""
        SELECT {_columns(DecisionRow, "d")}, m.status, m.reason, m.evidence
        FROM review_decision AS d LEFT JOIN "match" AS m ON m.commitment_id = d.commitment_id
        {where} ORDER BY d.id
        """,
        list(commitment_ids or ()),
    ):
        event = _row(DecisionRow, values[:-3])
        events.setdefault(event.commitment_id, []).append(event)
        machine[event.commitment_id] = values[-3:]
    found = {}
    for commitment_id, trail in events.items():
        decision = effective(trail)
        if decision is not None:
            status, reason, evidence = machine[commitment_id]
            now = None if status is None else (status, reason, evidence_digest(_decode("evidence", evidence)))
            made_against = (decision.machine_status, decision.machine_reason, decision.machine_digest)
            found[commitment_id] = Review(decision, now != made_against)
    return found


@dataclass
class StreetOverview:
    """What is stored for one street (one place): `tracker streets` lists one of these a row."""

    street: str | None
    district: str | None
    documents: int
    plan_periods: list[str]
    summary_periods: list[str]
    commitments: int
    city: str | None = None
    province: str | None = None
    note: str | None = None  # why its documents pair with nothing (an ambiguous or unknown place)

    @property
    def place(self) -> StoredPlace:
        return StoredPlace(self.street, self.district, self.city, self.province)


def street_overview(store: StoreReader) -> list[StreetOverview]:
    """One row per place (unknown streets last), from the documents, their parts and commitments:
    two same-named streets of different provinces are two rows."""
    documents = store.rows("SELECT id, street, district, city, province, place_note FROM document")
    parts = store.rows("SELECT document_id, role, period FROM section")
    counts = store.rows("SELECT document_id, count(*) FROM commitment GROUP BY document_id")
    row_of: dict[int, StreetOverview] = {}
    rows: dict[tuple[str | None, ...], StreetOverview] = {}
    for document_id, street, district, city, province, note in documents:
        row = rows.setdefault(
            (street, district, city, province), StreetOverview(street, district, 0, [], [], 0, city, province)
        )
        row.documents += 1
        row.note = row.note or note
        row_of[document_id] = row
    for document_id, role, period in parts:
        row = row_of[document_id]
        periods = row.plan_periods if role == "plan" else row.summary_periods
        if period not in periods:
            periods.append(period)
    for document_id, count in counts:
        if document_id in row_of:
            row_of[document_id].commitments += count
    for row in rows.values():
        row.plan_periods.sort()
        row.summary_periods.sort()
    order = lambda row: (row.street is None, row.street or "", row.province or "", row.city or "")  # noqa: E731
    return sorted(rows.values(), key=order)


def synthetic_documents(store: StoreReader) -> frozenset[str]:
    """Names of the documents whose first line says they are synthetic (made-up test material)."""
    return frozenset(name for (name,) in store.rows("SELECT name FROM document WHERE synthetic = ?", [True]))


def stored_documents(store: StoreReader) -> dict[str, tuple[str, str | None]]:
    """name -> (sha256, fingerprint of the extraction that made its units) of every document."""
    return {
        name: (sha256, made_with)
        for name, sha256, made_with in store.rows("SELECT name, sha256, extracted_with FROM document")
    }


def unscored_commitments(store: StoreReader) -> int:
    """How many commitments have no verdict yet."""
    rows = store.rows(
        'SELECT count(*) FROM commitment AS c LEFT JOIN "match" AS m ON m.commitment_id = c.id'
        " WHERE m.commitment_id IS NULL"
    )
    return rows[0][0]
