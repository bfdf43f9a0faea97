"""The SQLModel store: a SQLite file by default, PostgreSQL by URL.

Documents are keyed by file name and content hash: ingesting the same file
again changes nothing, a changed file replaces its old version.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, Column, Text
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, create_engine, func, select

from tracker.ingest import IngestedDocument

DEFAULT_DB = "tracker.db"


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    path: str
    sha256: str = Field(index=True)
    encoding: str
    title: str
    street: str | None = Field(default=None, index=True)
    district: str | None = None
    city: str | None = None
    source_url: str | None = None
    published: str | None = None
    years: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    extracted_with: str | None = None  # fingerprint of the extraction that made its units


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
    plan_doc: str
    plan_period: str
    section: str
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
    tokens: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


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


def database_url(db: str | None) -> str:
    """--db / TRACKER_DB as given: a URL, or a path to a SQLite file."""
    db = db or os.environ.get("TRACKER_DB") or DEFAULT_DB
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def open_store(url: str) -> Engine:
    # Registers the review tables; imported here because tracker.decisions imports this module.
    import tracker.decisions  # noqa: F401

    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    return engine


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


@dataclass
class IngestResult:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (name, stored twin)


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
                select(Document).where(Document.sha256 == incoming.sha256, Document.name != incoming.name)
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
        "encoding",
        "title",
        "street",
        "district",
        "city",
        "source_url",
        "published",
        "years",
        "text",
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
    for model in (Commitment, Statement):
        for row in session.exec(select(model).where(model.document_id == document.id)):
            session.delete(row)


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


def scored_by_id(engine: Engine, commitment_ids: list[str]) -> list[tuple[Commitment, Match]]:
    """These commitments with their verdicts (the reviewed ones, when counts are corrected)."""
    query = (
        select(Commitment, Match)
        .join(Match, Match.commitment_id == Commitment.id)
        .where(Commitment.id.in_(commitment_ids))
    )
    with Session(engine) as session:
        return [(commitment, match) for commitment, match in session.exec(query).all()]


def export_rows(engine: Engine, street: str | None = None) -> list[tuple[Commitment, Match, str | None]]:
    """Every scored commitment with its verdict and its plan's source URL, in export order.

    Sorted in Python by (street, plan_doc, char_start, id), unknown streets last, so that the
    order is the same on SQLite and PostgreSQL whatever their collation and NULL placement.
    """
    query = (
        select(Commitment, Match, Document.source_url)
        .join(Match, Match.commitment_id == Commitment.id)
        .join(Document, Document.id == Commitment.document_id)
    )
    if street is not None:
        query = query.where(Commitment.street == street)
    with Session(engine) as session:
        rows = [(commitment, match, url) for commitment, match, url in session.exec(query).all()]
    return sorted(
        rows,
        key=lambda row: (
            row[0].street is None,
            row[0].street or "",
            row[0].plan_doc,
            row[0].char_start,
            row[0].id,
        ),
    )


def commitment_ids_starting_with(engine: Engine, prefix: str) -> list[str]:
    """Ids of the commitments whose id starts with prefix, so a short unique prefix can name one."""
    with Session(engine) as session:
        query = select(Commitment.id).where(Commitment.id.startswith(prefix, autoescape=True))
        return sorted(session.exec(query).all())


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


@dataclass
class StreetOverview:
    """What is stored for one street: `tracker streets` lists one of these a row."""

    street: str | None
    district: str | None
    documents: int
    plan_periods: list[str]
    summary_periods: list[str]
    commitments: int


def street_overview(engine: Engine) -> list[StreetOverview]:
    """One row per street (unknown streets last), from the documents, their parts and commitments."""
    with Session(engine) as session:
        documents = session.exec(select(Document.id, Document.street, Document.district)).all()
        parts = session.exec(select(Section.document_id, Section.role, Section.period)).all()
        counts = session.exec(select(Commitment.street, func.count()).group_by(Commitment.street)).all()
    street_of = {document_id: street for document_id, street, _ in documents}
    rows: dict[str | None, StreetOverview] = {}
    for _, street, district in documents:
        row = rows.setdefault(street, StreetOverview(street, district, 0, [], [], 0))
        row.documents += 1
        row.district = row.district or district
    for document_id, role, period in parts:
        row = rows[street_of[document_id]]
        periods = row.plan_periods if role == "plan" else row.summary_periods
        if period not in periods:
            periods.append(period)
    for street, count in counts:
        if street in rows:
            rows[street].commitments = count
    for row in rows.values():
        row.plan_periods.sort()
        row.summary_periods.sort()
    return sorted(rows.values(), key=lambda row: (row.street is None, row.street or ""))


def status_counts(engine: Engine) -> list[tuple[str | None, str | None, str, str, bool, int]]:
    """(street, district, plan period, status, disputed, count) over every scored commitment.

    Counted in the database so that comparing streets never loads the commitments' texts.
    """
    query = (
        select(
            Commitment.street,
            Commitment.district,
            Commitment.plan_period,
            Match.status,
            Match.disputed,
            func.count(),
        )
        .join(Match, Match.commitment_id == Commitment.id)
        .group_by(
            Commitment.street, Commitment.district, Commitment.plan_period, Match.status, Match.disputed
        )
    )
    with Session(engine) as session:
        return [tuple(row) for row in session.exec(query).all()]
