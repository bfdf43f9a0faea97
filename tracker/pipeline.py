"""The stages in the order data flows: ingest → sections → extract → link → score → store."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.bundled import bundled_dir
from tracker.extract import Extractor, Unit, commitment_key
from tracker.ingest import read_corpus
from tracker.link import (
    CandidateIndex,
    CommitmentView,
    ScoringRules,
    StatementView,
    followup_periods,
    function_words,
    stop_words,
)
from tracker.nlp import chosen_segmenter, load_pipeline
from tracker.normalize import normalize
from tracker.rules import Rules
from tracker.score import Context, assess
from tracker.sections import SectionSpan
from tracker.store import (
    Commitment,
    Document,
    IngestResult,
    Match,
    Section,
    SegmentCache,
    Statement,
    database_url,
    delete_units,
    open_store,
    session_scope,
    store_documents,
)

# Bump when extraction changes in code, so stored units are made again.
EXTRACTION_VERSION = "1"

# Told (stage, completed, total) as a long run advances, so a terminal can show progress.
ProgressHook = Callable[[str, int, int], None]


def ingest_paths(paths: list[Path], rules: Rules, engine: Engine, console: Console) -> IngestResult:
    """Read every file first, then store all in one transaction: a bad file writes nothing."""
    documents, warnings = read_corpus(paths, rules)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    return store_documents(engine, documents)


def extraction_fingerprint(rules: Rules, segmenter: str) -> str:
    """What stored units depend on: code version, segmenter and every rule file."""
    digest = hashlib.sha256(f"{EXTRACTION_VERSION}\0{segmenter}".encode())
    for path in sorted(rules.directory.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class CachedSegmenter:
    """Token spans from the store when this text was segmented before; the model loads lazily."""

    def __init__(self, session: Session, rules: Rules, segmenter: str | None = None) -> None:
        self.session = session
        self.rules = rules
        self.segmenter = chosen_segmenter(segmenter)
        names = (rules.directory / "names.toml").read_bytes()
        self.salt = hashlib.sha256(self.segmenter.encode() + names).hexdigest()

    def __call__(self, text: str) -> list[tuple[int, int]]:
        key = hashlib.sha256(f"{self.salt}\0{text}".encode()).hexdigest()
        cached = self.session.get(SegmentCache, key)
        if cached is not None:
            return [(start, end) for start, end in cached.spans]
        doc = load_pipeline(self.rules.directory, self.segmenter)(text)
        spans = [(token.idx, token.idx + len(token.text)) for token in doc]
        self.session.add(SegmentCache(key=key, spans=[list(span) for span in spans]))
        return spans


def extract_documents(
    engine: Engine, rules: Rules, street: str | None = None, progress: ProgressHook | None = None
) -> int:
    """(Re)extract the units of every document whose text or rules changed; returns how many."""
    segmenter = chosen_segmenter()
    fingerprint = extraction_fingerprint(rules, segmenter)
    extractor = Extractor.for_rules(rules)
    done = 0
    with session_scope(engine) as session:
        query = select(Document).order_by(Document.name)
        if street:
            query = query.where(Document.street == street)
        tokens_of = CachedSegmenter(session, rules, segmenter)
        documents = session.exec(query).all()
        for number, document in enumerate(documents):
            if progress:
                progress("extracting documents", number, len(documents))
            if document.extracted_with == fingerprint:
                continue
            delete_units(session, document)
            session.flush()
            norm = normalize(document.text)
            sections = session.exec(
                select(Section).where(Section.document_id == document.id).order_by(Section.ordinal)
            ).all()
            occurrences: Counter[tuple[str, str]] = Counter()
            for section in sections:
                span = SectionSpan(section.role, section.period, section.heading, section.start, section.end)
                for ordinal, unit in enumerate(extractor.extract(norm, span, rules, tokens_of)):
                    session.add(_row(document, section, unit, ordinal, occurrences))
            document.extracted_with = fingerprint
            session.add(document)
            done += 1
        if progress:
            progress("extracting documents", len(documents), len(documents))
    return done


def _row(
    document: Document,
    section: Section,
    unit: Unit,
    ordinal: int,
    occurrences: Counter[tuple[str, str]],
) -> Commitment | Statement:
    quantities = [
        {
            "quantity": q.value,
            "unit": q.unit,
            "comparator": q.comparator,
            "raw": q.raw,
            "kind": q.kind,
            "noun": q.noun,
        }
        for q in unit.quantities
    ]
    if unit.role == "plan":
        occurrences[(section.period, unit.text)] += 1
        return Commitment(
            id=commitment_key(
                document.name, section.period, unit.text, occurrences[(section.period, unit.text)]
            ),
            document_id=document.id,
            street=document.street,
            district=document.district,
            plan_doc=document.name,
            plan_period=section.period,
            section=unit.heading,
            ref=unit.ref,
            text=document.text[unit.start : unit.end],
            char_start=unit.start,
            char_end=unit.end,
            ordinal=ordinal,
            checkable=unit.checkable,
            items=unit.items,
            targets=quantities,
            deadline=unit.deadline,
            level=unit.level,
            tokens=unit.tokens,
        )
    return Statement(
        document_id=document.id,
        street=document.street,
        period=section.period,
        section=unit.heading,
        text=document.text[unit.start : unit.end],
        char_start=unit.start,
        char_end=unit.end,
        sentence_start=unit.sentence_start,
        sentence_end=unit.sentence_end,
        ordinal=ordinal,
        items=unit.items,
        quantities=quantities,
        level=unit.level,
        not_done=unit.not_done,
        tokens=unit.tokens,
    )


@dataclass
class ScoreStats:
    commitments: int = 0
    pairs_examined: int = 0
    all_pairs: int = 0
    extracted_documents: int = 0


def score(
    engine: Engine, rules: Rules, street: str | None = None, progress: ProgressHook | None = None
) -> ScoreStats:
    """Extract what changed, then link and score every commitment (of one street)."""
    extracted = extract_documents(engine, rules, street, progress)
    stats = score_commitments(engine, rules, street, progress)
    stats.extracted_documents = extracted
    return stats


def score_commitments(
    engine: Engine, rules: Rules, street: str | None = None, progress: ProgressHook | None = None
) -> ScoreStats:
    """Link every commitment to the follow-up of its street and period, and store its verdict."""
    scoring = ScoringRules.load(rules.directory)
    stops = stop_words(rules.directory)
    plain = function_words(rules.directory)
    streets = frozenset(rules.places.streets)
    extractor = Extractor.for_rules(rules)
    suffixes = tuple(sorted(extractor.names.suffixes, key=len, reverse=True))
    stats = ScoreStats()
    with session_scope(engine) as session:
        names = {d.id: d.name for d in session.exec(select(Document))}
        query = select(Commitment).order_by(Commitment.plan_doc, Commitment.ordinal)
        if street:
            query = query.where(Commitment.street == street)
        commitments = session.exec(query).all()
        by_street: dict[str | None, list[Commitment]] = {}
        for commitment in commitments:
            by_street.setdefault(commitment.street, []).append(commitment)
        for street_name, group in by_street.items():
            statements = (
                session.exec(
                    select(Statement).where(Statement.street == street_name).order_by(Statement.id)
                ).all()
                if street_name
                else []
            )
            periods = {s.period for s in statements}
            indexes: dict[tuple[str, ...], CandidateIndex] = {}
            docs_of: dict[tuple[str, ...], list[str]] = {}
            context = Context(
                scoring,
                street_name,
                streets,
                stops,
                suffixes,
                plain,
                lambda text: extractor.lexicon.level(text, []),
            )
            for commitment in group:
                view = _commitment_view(commitment)
                followup = followup_periods(commitment.plan_period, periods)
                candidates: list[StatementView] = []
                if followup and commitment.checkable:
                    index = indexes.get(followup.periods)
                    if index is None:
                        chosen = [
                            _statement_view(s, names, session)
                            for s in statements
                            if s.period in followup.periods
                        ]
                        index = indexes[followup.periods] = CandidateIndex(
                            chosen, plain, scoring.max_key_share
                        )
                    before = index.examined
                    candidates = index.candidates(view)
                    stats.pairs_examined += index.examined - before
                    stats.all_pairs += len(index.statements)
                verdict = assess(view, followup, candidates, context)
                followup_docs = []
                if followup:
                    if followup.periods not in docs_of:
                        docs_of[followup.periods] = sorted(
                            {names[s.document_id] for s in statements if s.period in followup.periods}
                        )
                    followup_docs = docs_of[followup.periods]
                session.merge(
                    Match(
                        commitment_id=commitment.id,
                        status=verdict.status,
                        reason=verdict.reason,
                        flags=verdict.flags,
                        ratio=verdict.ratio,
                        confidence=round(verdict.confidence, 3),
                        disputed=verdict.disputed,
                        followup_docs=followup_docs,
                        awaited_period=None if followup else commitment.plan_period,
                        evidence=[asdict(e) for e in verdict.evidence],
                        explanation=list(verdict.explanation),
                        candidates=verdict.candidates,
                        reported=verdict.reported,
                    )
                )
                stats.commitments += 1
                if progress:
                    progress("scoring commitments", stats.commitments, len(commitments))
    return stats


def _commitment_view(commitment: Commitment) -> CommitmentView:
    return CommitmentView(
        id=commitment.id,
        street=commitment.street,
        period=commitment.plan_period,
        text=commitment.text,
        items=commitment.items,
        targets=commitment.targets,
        level=commitment.level,
        deadline=commitment.deadline,
        checkable=commitment.checkable,
        tokens=commitment.tokens,
    )


def _statement_view(statement: Statement, names: dict[int, str], session: Session) -> StatementView:
    document = session.get(Document, statement.document_id)
    return StatementView(
        id=statement.id,
        doc=names[statement.document_id],
        period=statement.period,
        text=statement.text,
        sentence=document.text[statement.sentence_start : statement.sentence_end],
        sentence_start=statement.sentence_start,
        sentence_end=statement.sentence_end,
        items=statement.items,
        quantities=statement.quantities,
        level=statement.level,
        not_done=statement.not_done,
        tokens=statement.tokens,
    )


def demo_corpus() -> list[Path]:
    return [bundled_dir("seeds"), bundled_dir("fixtures") / "corpus"]


def demo_engine(db: str | None) -> tuple[Engine, str]:
    """The demo's own store: a SQLite file in the user data folder unless --db says otherwise."""
    if db is None:
        folder = Path(platformdirs.user_data_dir("tracker"))
        folder.mkdir(parents=True, exist_ok=True)
        db = str(folder / "demo.db")
    url = database_url(db)
    return open_store(url), url
