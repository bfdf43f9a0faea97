"""The SQLModel store: a SQLite file by default, PostgreSQL by URL.

Documents are keyed by file name and content hash: ingesting the same file
again changes nothing, a changed file replaces its old version. The reading commands
(report, export, streets) query these tables without the ORM: see tracker.store_read.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ColumnElement, Connection, DateTime, Text, delete, func, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlmodel import Field, Session, SQLModel, create_engine, select

from tracker import migrations
from tracker.ingest import IngestedDocument, IngestResult
from tracker.store_errors import StoreBusy, StoreDamaged, StoreUnavailable, shown_url

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    path: str
    sha256: str = Field(index=True)
    text_sha256: str | None = Field(default=None, index=True)  # ingest.content_digest
    encoding: str
    title: str
    street: str | None = Field(default=None, index=True)
    district: str | None = None
    city: str | None = None
    province: str | None = None
    place: str | None = Field(default=None, index=True)  # identity pairing compares; None: unpaired
    place_note: str | None = None  # why a document is never paired (ambiguous or unknown place)
    source_url: str | None = None
    published: str | None = None
    years: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    extracted_with: str | None = None  # fingerprint of the extraction that made its units
    synthetic: bool = False  # its first line says it is made-up test material


class Section(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    ordinal: int
    role: str  # "summary" | "plan"
    period: str
    heading: str
    start: int
    end: int


class Commitment(SQLModel, table=True):
    """One checkable (or vague) promise of a plan part."""

    id: str = Field(primary_key=True)  # stable across re-runs of the same documents
    document_id: int = Field(foreign_key="document.id", index=True)
    street: str | None = Field(default=None, index=True)
    district: str | None = None
    place: str | None = Field(default=None, index=True)
    plan_doc: str
    plan_period: str
    section: str
    # the part heading, then each sub-heading down to `section` ("一、…", "(一)…")
    section_path: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ref: str | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    char_start: int
    char_end: int
    ordinal: int
    checkable: bool
    items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    targets: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    deadline: str | None = None
    level: str | None = None
    tokens: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Statement(SQLModel, table=True):
    """One outcome statement of a summary part."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    street: str | None = Field(default=None, index=True)
    place: str | None = Field(default=None, index=True)
    period: str = Field(index=True)
    section: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    char_start: int
    char_end: int
    sentence_start: int
    sentence_end: int
    ordinal: int
    items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    quantities: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    level: str | None = None
    not_done: bool = False


class Match(SQLModel, table=True):
    """The automated verdict for one commitment, with its evidence and explanation."""

    commitment_id: str = Field(primary_key=True)
    status: str = Field(index=True)
    reason: str | None = None
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ratio: float | None = None
    confidence: float
    disputed: bool = Field(default=False, index=True)
    followup_docs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    awaited_period: str | None = None
    evidence: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    explanation: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    candidates: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reported: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    scored_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class SegmentCache(SQLModel, table=True):
    """Token spans of a text, by hash of segmenter, name rules and text: never segment twice."""

    key: str = Field(primary_key=True)
    spans: list[list[int]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def open_store(url: str) -> Engine:
    """An engine on the store, its schema first brought to the newest migration."""
    try:
        engine = create_engine(url)
        migrate(engine)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise StoreUnavailable(f"{shown_url(url)}: cannot open the store: {reason}") from error
    return engine


def stored_revision(connection: Connection) -> str | None:
    """The migration the store's schema is at; None for an empty store or one made before migrations."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Upgrade the schema to migrations.HEAD with alembic; a current store costs one query.

    One process migrates at a time (PostgreSQL: a transaction advisory lock; SQLite: BEGIN
    IMMEDIATE), the others wait and then find the store current. A store made before migrations
    existed (tables, no alembic_version) is stamped at the baseline revision, then upgraded.
    """
    with engine.connect() as connection:
        if stored_revision(connection) == migrations.HEAD:
            return
    from alembic import command

    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        elif engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        revision = stored_revision(connection)
        if revision != migrations.HEAD:
            config = alembic_config(connection)
            if revision is not None and not _known_revision(config, revision):
                raise StoreUnavailable(
                    f"{engine.url.render_as_string(hide_password=True)}: the store's schema is at revision "
                    f"{revision}, which this tracker does not know (a newer tracker wrote it): "
                    "upgrade tracker to use this store"
                )
            if revision is None and inspect(connection).has_table("document"):
                command.stamp(config, migrations.BASELINE)
            command.upgrade(config, "head")
        connection.commit()


def _known_revision(config: AlembicConfig, revision: str) -> bool:
    from alembic.script import ScriptDirectory

    return revision in {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def check_integrity(engine: Engine) -> None:
    """Refuse to write into a SQLite store that fails `PRAGMA quick_check` (damaged: garbage over
    some of its pages), naming the damage; a write there could spread it. A few milliseconds
    for a store of some megabytes. PostgreSQL checks its own pages."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as connection:
            found = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check")]
    except DatabaseError as error:  # a page too damaged to walk
        found = [str(error.orig)]
    if found != ["ok"]:
        raise StoreDamaged(
            f"{engine.url.render_as_string(hide_password=True)}: the store is damaged ({found[0]}); "
            "nothing was written: restore it from a copy"
        )


def alembic_config(connection: Connection) -> AlembicConfig:
    """Alembic's configuration, built in code: the scripts ship in the package, the store is open."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "tracker:migrations")
    config.attributes["connection"] = connection
    return config


# PostgreSQL advisory lock keys (one number space per database): migrating, and running.
MIGRATION_LOCK_KEY = 7_372_616_300_001
RUN_LOCK_KEY = 7_372_616_300_002


class RunLock(SQLModel, table=True):
    """Who holds a PostgreSQL store for a run: one row while a run, score or ingest writes it."""

    __tablename__ = "run_lock"

    name: str = Field(default="run", primary_key=True)
    command: str
    host: str
    pid: int
    started_at: datetime = Field(
        default_factory=lambda: datetime.now(UTC), sa_column=Column(DateTime(timezone=True), nullable=False)
    )


def _busy(holder: RunLock | None) -> StoreBusy:
    if holder is None:
        return StoreBusy("the store is busy: another run is writing it; try again when it ends")
    started = holder.started_at.strftime("%Y-%m-%d %H:%M:%S")
    return StoreBusy(
        f"the store is busy: `tracker {holder.command}` (pid {holder.pid} on {holder.host}, "
        f"started {started} UTC) is writing it; try again when it ends"
    )


# The run lock's descriptors (the flock's file, the advisory lock's socket) while it is held. A
# process forked meanwhile (a worker of `run --workers K`) must not keep them: a worker left
# alive by a killed run would hold the lock, and every later run be refused.
_run_lock_descriptors: set[int] = set()


def _drop_run_lock_in_child() -> None:
    """In a forked child: each run-lock descriptor made to point at /dev/null, so the lock stays
    the parent's alone and goes when the parent ends."""
    if _run_lock_descriptors:
        nothing = os.open(os.devnull, os.O_RDWR)
        for descriptor in _run_lock_descriptors:
            os.dup2(nothing, descriptor, inheritable=False)
        os.close(nothing)
        _run_lock_descriptors.clear()


os.register_at_fork(after_in_child=_drop_run_lock_in_child)


@contextmanager
def _held_by_this_process(descriptor: int) -> Iterator[None]:
    _run_lock_descriptors.add(descriptor)
    try:
        yield
    finally:
        _run_lock_descriptors.discard(descriptor)


@contextmanager
def exclusive_run(engine: Engine, command: str) -> Iterator[None]:
    """Hold the store for one writing command; raise StoreBusy at once while another holds it.

    Both locks belong to the running process and go when it ends, killed or not, so a crashed
    run never blocks the next one: PostgreSQL's session advisory lock on a connection kept open
    for the run, and an flock on the file `<SQLite file>.lock` beside a SQLite store (the lock
    file stays; a SQLite store is never written for locking). A process forked during the run
    holds neither (see _drop_run_lock_in_child).
    """
    check_integrity(engine)
    this_run = RunLock(command=command, host=socket.gethostname(), pid=os.getpid())
    if engine.dialect.name == "postgresql":
        with _advisory_run_lock(engine, this_run):
            yield
    elif engine.url.database and engine.url.database != ":memory:":
        with _file_run_lock(Path(f"{engine.url.database}.lock"), this_run):
            yield
    else:  # an in-memory store belongs to one process
        yield


@contextmanager
def _advisory_run_lock(engine: Engine, this_run: RunLock) -> Iterator[None]:
    with engine.connect() as connection:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": RUN_LOCK_KEY}).scalar():
            row = connection.execute(select(RunLock)).first()
            connection.rollback()
            raise _busy(RunLock.model_validate(row._mapping) if row else None)
        connection.execute(delete(RunLock))  # left by a run that was killed
        connection.execute(RunLock.__table__.insert().values(**this_run.model_dump()))
        connection.commit()
        try:
            with _held_by_this_process(connection.connection.dbapi_connection.fileno()):
                yield
        finally:
            connection.execute(delete(RunLock))
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": RUN_LOCK_KEY})
            connection.commit()


@contextmanager
def _file_run_lock(path: Path, this_run: RunLock) -> Iterator[None]:
    with path.open("a+", encoding="utf-8") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            try:
                named = json.loads(file.read())
                named["started_at"] = datetime.fromisoformat(named["started_at"])
                holder = RunLock(**named)
            except ValueError:  # the holder has not written its name yet
                holder = None
            raise _busy(holder) from None
        file.truncate(0)
        file.write(this_run.model_dump_json(exclude={"name"}))
        file.flush()
        try:
            with _held_by_this_process(file.fileno()):
                yield
        finally:
            file.truncate(0)
            fcntl.flock(file, fcntl.LOCK_UN)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def store_documents(engine: Engine, documents: list[IngestedDocument]) -> IngestResult:
    """Add, replace or skip each document, all in one transaction."""
    result = IngestResult()
    with session_scope(engine) as session:
        for incoming in documents:
            stored = session.exec(select(Document).where(Document.name == incoming.name)).first()
            if stored and stored.sha256 == incoming.sha256:
                result.unchanged.append(incoming.name)
                continue
            twin = session.exec(
                select(Document).where(
                    Document.text_sha256 == incoming.text_sha256, Document.name != incoming.name
                )
            ).first()
            if twin:
                result.duplicates.append((incoming.name, twin.name))
                continue
            if stored:
                delete_document_parts(session, stored)
                result.replaced.append(incoming.name)
            else:
                stored = Document(name=incoming.name, path="", sha256="", encoding="", title="", text="")
                result.added.append(incoming.name)
            _fill(stored, incoming)
            session.add(stored)
            session.flush()
            for ordinal, span in enumerate(incoming.sections):
                session.add(
                    Section(
                        document_id=stored.id,
                        ordinal=ordinal,
                        role=span.role,
                        period=span.period,
                        heading=span.heading,
                        start=span.start,
                        end=span.end,
                    )
                )
    return result


def _fill(stored: Document, incoming: IngestedDocument) -> None:
    for name in (
        "path",
        "sha256",
        "text_sha256",
        "encoding",
        "title",
        "street",
        "district",
        "city",
        "province",
        "place",
        "place_note",
        "source_url",
        "published",
        "years",
        "text",
        "synthetic",
    ):
        setattr(stored, name, getattr(incoming, name))
    stored.ingested_at = datetime.now(UTC)


def delete_document_parts(session: Session, document: Document) -> None:
    """Remove what was derived from a document's old text (sections and units)."""
    delete_units(session, document)
    for section in session.exec(select(Section).where(Section.document_id == document.id)):
        session.delete(section)
    document.extracted_with = None


def delete_units(session: Session, document: Document) -> None:
    """Remove a document's units and every verdict of its place, which rested on them.

    In the same transaction as the new units, so that a run killed before scoring again leaves
    those commitments without a verdict (to be scored) rather than with a stale one.
    """
    place = Commitment.place.is_(None) if document.place is None else Commitment.place == document.place
    session.exec(delete(Match).where(Match.commitment_id.in_(select(Commitment.id).where(place))))
    for model in (Commitment, Statement):
        for row in session.exec(select(model).where(model.document_id == document.id)):
            session.delete(row)


def stored_units_and_verdicts(session: Session) -> tuple[set[int], set[str | None]]:
    """The documents that have units and the places that have verdicts: those delete_units can
    find anything of (on a first run, none: no need to ask for each document)."""
    documents: set[int] = set()
    for model in (Commitment, Statement):
        documents |= set(session.exec(select(model.document_id).distinct()))
    on_commitment = Match.commitment_id == Commitment.id
    places = set(session.exec(select(Commitment.place).join(Match, on_commitment).distinct()))
    return documents, places


def list_documents(engine: Engine) -> list[tuple[Document, list[Section]]]:
    with Session(engine) as session:
        documents = session.exec(select(Document).order_by(Document.street, Document.name)).all()
        return [
            (
                document,
                list(
                    session.exec(
                        select(Section).where(Section.document_id == document.id).order_by(Section.ordinal)
                    )
                ),
            )
            for document in documents
        ]


def scored_commitments(engine: Engine) -> list[tuple[Commitment, Match]]:
    """Every commitment with its verdict, in plan order."""
    with Session(engine) as session:
        rows = session.exec(
            select(Commitment, Match)
            .join(Match, Match.commitment_id == Commitment.id)
            .order_by(Commitment.plan_doc, Commitment.ordinal)
        ).all()
        return [(commitment, match) for commitment, match in rows]


def commitment_ids_starting_with(engine: Engine, prefix: str) -> list[str]:
    """Ids of the commitments whose id starts with prefix, so a short unique prefix can name one."""
    with Session(engine) as session:
        query = select(Commitment.id).where(starts_with(Commitment.id, prefix))
        return sorted(session.exec(query).all())


def starts_with(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """column starts with prefix, as a comparison: no LIKE pattern, which SQLite refuses past
    50,000 bytes and which a prefix's % and _ would turn into wildcards."""
    return func.substr(column, 1, len(prefix)) == prefix


@dataclass
class Candidate:
    """A statement the scorer weighed for a commitment, with its score and document."""

    score: float
    doc: str
    statement: Statement


@dataclass
class CommitmentDetail:
    """Everything `tracker explain` shows about one commitment; match is None until it is scored."""

    commitment: Commitment
    match: Match | None
    source_url: str | None
    candidates: list[Candidate]


def commitment_detail(engine: Engine, commitment_id: str) -> CommitmentDetail | None:
    """One commitment, its verdict and its candidate statements (those still stored), or None."""
    with Session(engine) as session:
        commitment = session.get(Commitment, commitment_id)
        if commitment is None:
            return None
        match = session.get(Match, commitment_id)
        document = session.get(Document, commitment.document_id)
        candidates = []
        for candidate in match.candidates if match else []:
            statement = session.get(Statement, candidate["statement_id"])
            if statement is not None:
                source = session.get(Document, statement.document_id)
                candidates.append(Candidate(candidate["score"], source.name, statement))
        return CommitmentDetail(commitment, match, document.source_url if document else None, candidates)
