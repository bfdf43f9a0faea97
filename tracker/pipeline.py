"""The stages in the order data flows: ingest → sections → extract → link → score → store."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Row, delete, func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.bundled import bundled_dir
from tracker.contract import UNPLACED
from tracker.extract import Extractor, Unit, commitment_key
from tracker.gazetteer import Gazetteer, load_gazetteer
from tracker.ingest import IngestResult, read_changed
from tracker.link import (
    CandidateIndex,
    CommitmentView,
    Followup,
    StatementView,
    followup_periods,
    function_words,
    stop_words,
)
from tracker.nlp import chosen_segmenter, load_pipeline
from tracker.normalize import normalize
from tracker.rules import Rules, load_rules
from tracker.run_state import ScoreStats, extraction_fingerprint, segmentation_fingerprint
from tracker.sections import SectionSpan
from tracker.store import (
    Commitment,
    Document,
    Match,
    Section,
    SegmentCache,
    Statement,
    delete_units,
    open_store,
    session_scope,
    store_documents,
    stored_units_and_verdicts,
)
from tracker.store_read import database_url
from tracker.verdict import Context, ScoringRules, Verdict, assess, own_clauses
from tracker.verdict.scope import own_place_cores

# Told (stage, completed, total) as a long run advances, so a terminal can show progress.
ProgressHook = Callable[[str, int, int], None]


def ingest_paths(
    paths: list[Path], rules: Rules, engine: Engine, console: Console, skip_bad: bool = False
) -> IngestResult:
    """Read every changed file first, then store all in one transaction: a bad file writes
    nothing, unless skip_bad, when the good ones are stored and the bad ones listed."""
    with Session(engine) as session:
        stored = dict(session.exec(select(Document.name, Document.sha256)).all())
    documents, unchanged, warnings, bad = read_changed(paths, rules, stored, skip_bad)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)  # a path may hold "[/x]"
    result = store_documents(engine, documents)
    result.unchanged += unchanged
    result.skipped += [str(error) for error in bad]
    return result


class Segmenter:
    """Token spans of a text (of some parts of it) from the Chinese pipeline, which loads on first use."""

    def __init__(self, rules: Rules, segmenter: str | None = None) -> None:
        self.rules = rules
        self.segmenter = chosen_segmenter(segmenter)
        self.salt = segmentation_fingerprint(rules, self.segmenter)

    def key(self, text: str, parts: list[tuple[int, int]] | None = None) -> str:
        """The SegmentCache key of text (of its parts): the segmentation fingerprint and text."""
        chosen = "" if parts is None else f"\0{parts}"
        return hashlib.sha256(f"{self.salt}\0{text}{chosen}".encode()).hexdigest()

    def __call__(self, text: str, parts: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        return load_pipeline(self.rules.directory, self.segmenter).token_spans(text, parts)


class CachedSegmenter(Segmenter):
    """Token spans from the store when this text was segmented before; stores what it segments.

    As plain rows: no ORM object per text, and no flush of the session's pending changes before
    each look-up.
    """

    def __init__(self, session: Session, rules: Rules, segmenter: str | None = None) -> None:
        super().__init__(rules, segmenter)
        self.session = session

    def __call__(self, text: str, parts: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        key = self.key(text, parts)
        cache = SegmentCache.__table__
        cached = self.session.execute(select(cache.c.spans).where(cache.c.key == key)).scalar()
        if cached is not None:
            return [(start, end) for start, end in cached]
        spans = super().__call__(text, parts)
        self.session.execute(cache.insert(), {"key": key, "spans": spans})
        return spans


class RecordingSegmenter(Segmenter):
    """Keeps (cache key, spans) of every text it segments, for a process with the store to keep."""

    def __init__(self, rules: Rules, segmenter: str | None = None) -> None:
        super().__init__(rules, segmenter)
        self.segmented: list[tuple[str, list[tuple[int, int]]]] = []

    def __call__(self, text: str, parts: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        spans = super().__call__(text, parts)
        self.segmented.append((self.key(text, parts), spans))
        return spans


def store_segmented(session: Session, segmented: list[tuple[str, list[tuple[int, int]]]]) -> None:
    """Segmentations a worker made, into the SegmentCache (replacing an equal older one)."""
    spans_of = dict(segmented)  # a text in two parts of a document: segmented twice, stored once
    if spans_of:
        cache = SegmentCache.__table__
        session.execute(delete(cache).where(cache.c.key.in_(list(spans_of))))
        session.execute(cache.insert(), [{"key": key, "spans": spans} for key, spans in spans_of.items()])


# Set once in each worker process by _start_worker: the rules it extracts with, and its
# segmenter (whose cache key reads every rule file: once per worker, not once per document).
_worker: list[tuple[Rules, RecordingSegmenter]] = []


def _start_worker(parent: int, rules_dir: Path, segmenter: str) -> None:
    """Die with the parent; load the rules and the Chinese pipeline once per worker process
    (spaCy's zh does not pickle)."""
    _die_with(parent)
    rules = load_rules(rules_dir)
    load_pipeline(rules.directory, segmenter)
    _worker.append((rules, RecordingSegmenter(rules, segmenter)))


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Have Linux kill this worker when its parent ends, killed or not (prctl PR_SET_PDEATHSIG):
    a worker left behind by a killed run would do its work for nobody. End at once when the
    parent has already gone."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


# A document to extract: its text, its parts, and the townships that are its setting.
Work = tuple[str, list[SectionSpan], frozenset[str]]


def _extract_in_worker(
    text: str, spans: list[SectionSpan], setting: frozenset[str]
) -> tuple[list[list[Unit]], list[tuple[str, list[tuple[int, int]]]]]:
    """The units of each part of one document, and the segmentations made for them."""
    rules, tokens_of = _worker[0]
    tokens_of.segmented = []  # this document's only
    norm = normalize(text)
    extractor = Extractor.for_rules(rules).within(setting)
    return [extractor.extract(norm, span, rules, tokens_of) for span in spans], tokens_of.segmented


def _extracted(
    session: Session, rules: Rules, segmenter: str, work: list[Work], workers: int
) -> Iterator[tuple[list[list[Unit]], list[tuple[str, list[tuple[int, int]]]]]]:
    """Units per part of each (text, parts, setting), in order: here, or in `workers` processes.

    The pipeline is loaded here first, so that forked workers share it instead of each loading
    their own (where processes are spawned, the initializer loads it once per worker). Workers
    segment afresh and hand their segmentations back for this process to store.
    """
    if workers <= 1 or len(work) <= 1:
        tokens_of = CachedSegmenter(session, rules, segmenter)
        extractor = Extractor.for_rules(rules)
        for text, spans, setting in work:
            norm = normalize(text)
            within = extractor.within(setting)
            yield [within.extract(norm, span, rules, tokens_of) for span in spans], []
        return
    load_pipeline(rules.directory, segmenter)
    start_method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        min(workers, len(work)),
        mp_context=multiprocessing.get_context(start_method),
        initializer=_start_worker,
        initargs=(os.getpid(), rules.directory, segmenter),
    ) as pool:
        texts, spans, settings = zip(*work, strict=True)
        yield from pool.map(_extract_in_worker, texts, spans, settings)


def extract_documents(
    engine: Engine,
    rules: Rules,
    street: str | None = None,
    progress: ProgressHook | None = None,
    workers: int = 1,
) -> int:
    """(Re)extract the units of every document whose text or rules changed; returns how many.

    With workers > 1 the documents are segmented and extracted in that many processes; this
    process writes every row, in document order, so the result is the same as with one.
    """
    segmenter = chosen_segmenter()
    fingerprint = extraction_fingerprint(rules, segmenter)
    with session_scope(engine) as session:
        query = select(Document).order_by(Document.name)
        if street:
            query = query.where(Document.street == street)
        documents = session.exec(query).all()
        stale = [d for d in documents if d.extracted_with != fingerprint]
        current = len(documents) - len(stale)  # up to date: counted as done
        sections: dict[int | None, list[Section]] = {document.id: [] for document in stale}
        if stale:  # one query for all, not one per document
            for section in session.exec(select(Section).order_by(Section.document_id, Section.ordinal)):
                if section.document_id in sections:
                    sections[section.document_id].append(section)
        gazetteer = load_gazetteer(rules.directory) if stale else None
        work = [
            (
                d.text,
                [SectionSpan(s.role, s.period, s.heading, s.start, s.end) for s in sections[d.id]],
                gazetteer.setting_of(d.city, d.street),
            )
            for d in stale
        ]
        with_units, with_verdicts = stored_units_and_verdicts(session)
        extracted = _extracted(session, rules, segmenter, work, workers)
        for number, (document, (units, segmented)) in enumerate(zip(stale, extracted, strict=True)):
            if progress:
                progress("extracting documents", current + number, len(documents))
            if document.id in with_units or document.place in with_verdicts:
                delete_units(session, document)
                with_verdicts.discard(document.place)  # its verdicts are gone
                session.flush()
            store_segmented(session, segmented)
            commitments: list[dict[str, Any]] = []
            statements: list[dict[str, Any]] = []
            occurrences: Counter[tuple[str, str]] = Counter()
            for section, section_units in zip(sections[document.id], units, strict=True):
                for ordinal, unit in enumerate(section_units):
                    if unit.role == "plan":
                        occurrences[(section.period, unit.text)] += 1
                        occurrence = occurrences[(section.period, unit.text)]
                        commitments.append(_commitment_row(document, section, unit, ordinal, occurrence))
                    else:
                        statements.append(_statement_row(document, section, unit, ordinal))
            # one INSERT per table (rows, not ORM objects); statement ids follow unit order
            for model, rows in ((Commitment, commitments), (Statement, statements)):
                if rows:
                    session.execute(model.__table__.insert(), rows)
            document.extracted_with = fingerprint
            session.add(document)
        if progress:
            progress("extracting documents", len(documents), len(documents))
    return len(stale)


def _quantity_rows(unit: Unit) -> list[dict[str, Any]]:
    return [q.as_row() for q in unit.quantities]


def _commitment_row(
    document: Document, section: Section, unit: Unit, ordinal: int, occurrence: int
) -> dict[str, Any]:
    """The Commitment row of a plan unit; occurrence tells apart equal texts of one plan period."""
    return {
        "id": commitment_key(document.name, section.period, unit.text, occurrence),
        "document_id": document.id,
        "street": document.street,
        "district": document.district,
        "place": document.place,
        "plan_doc": document.name,
        "plan_period": section.period,
        "section": unit.heading,
        "section_path": list(unit.section_path),
        "ref": unit.ref,
        "text": document.text[unit.start : unit.end],
        "char_start": unit.start,
        "char_end": unit.end,
        "ordinal": ordinal,
        "checkable": unit.checkable,
        "items": unit.items,
        "targets": _quantity_rows(unit),
        "deadline": unit.deadline,
        "level": unit.level,
        "tokens": unit.tokens,
    }


def _statement_row(document: Document, section: Section, unit: Unit, ordinal: int) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "street": document.street,
        "place": document.place,
        "period": section.period,
        "section": unit.heading,
        "text": document.text[unit.start : unit.end],
        "char_start": unit.start,
        "char_end": unit.end,
        "sentence_start": unit.sentence_start,
        "sentence_end": unit.sentence_end,
        "ordinal": ordinal,
        "items": unit.items,
        "quantities": _quantity_rows(unit),
        "level": unit.level,
        "not_done": unit.not_done,
    }


def score(
    engine: Engine,
    rules: Rules,
    street: str | None = None,
    progress: ProgressHook | None = None,
    workers: int = 1,
    changed_only: bool = False,
) -> ScoreStats:
    """Extract what changed (in `workers` processes), then link and score every commitment (of one street).

    With changed_only (a re-run of `run`), only the places with a document (re)extracted now or
    a commitment never scored are scored again: the verdicts of the others cannot have changed.
    """
    with _fewer_young_collections():
        changed = _places_to_extract(engine, rules) if changed_only else None
        extracted = extract_documents(engine, rules, street, progress, workers)
        if changed is not None:
            changed |= _places_never_scored(engine)
        stats = score_commitments(engine, rules, street, progress, only_places=changed)
    stats.extracted_documents = extracted
    return stats


@contextmanager
def _fewer_young_collections(allocations: int = 10_000) -> Iterator[None]:
    """Collect the youngest generation every `allocations` container allocations instead of
    Python's 700, while extracting and scoring.

    Most of what a run allocates (units, rows, views, verdicts) lives for one clause, document
    or street and is freed by reference counting; collected every 700 allocations, the part
    still alive is walked and promoted again and again. In a 100-street run the collector's
    pauses come to 0.15 s instead of 0.55 s. The thresholds are restored after.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(allocations, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _places_to_extract(engine: Engine, rules: Rules) -> set[str | None]:
    fingerprint = extraction_fingerprint(rules, chosen_segmenter())
    stale = or_(Document.extracted_with.is_(None), Document.extracted_with != fingerprint)
    with Session(engine) as session:
        return set(session.exec(select(Document.place).where(stale).distinct()))


def _places_never_scored(engine: Engine) -> set[str | None]:
    unscored = (
        select(Commitment.place)
        .outerjoin(Match, Match.commitment_id == Commitment.id)
        .where(Match.commitment_id.is_(None))
        .distinct()
    )
    with Session(engine) as session:
        return set(session.exec(unscored))


@dataclass(frozen=True)
class _Scoring:
    """What scoring reads from the rules once per run, for every street."""

    rules: ScoringRules
    stop_words: frozenset[str]
    function_words: frozenset[str]
    gazetteer: Gazetteer
    extractor: Extractor
    suffixes: tuple[str, ...]  # name suffixes, longest first

    @classmethod
    def load(cls, rules: Rules) -> _Scoring:
        extractor = Extractor.for_rules(rules)
        return cls(
            ScoringRules.load(rules.directory),
            stop_words(rules.directory),
            function_words(rules.directory),
            load_gazetteer(rules.directory),
            extractor,
            tuple(sorted(extractor.names.suffixes, key=len, reverse=True)),
        )

    def context(self, street: str | None, place: str | None) -> Context:
        """What scoring needs for the commitments of one place ("province/city/district/street")."""
        city = place.split("/")[1] if place else None
        return Context(
            self.rules,
            street,
            self.gazetteer.neighbours(city),
            self.stop_words,
            self.suffixes,
            self.function_words,
            lambda text: self.extractor.lexicon.level(text, []),
            quantity_rules=self.extractor.quantities.rules,
            not_done_of=self.extractor.lexicon.says_not_done,
            promised_level_of=self.extractor.lexicon.promised_result_level,
            own_places=own_place_cores(place.split("/") if place else [], self.rules.matching),
        )


def score_commitments(
    engine: Engine,
    rules: Rules,
    street: str | None = None,
    progress: ProgressHook | None = None,
    only_places: set[str | None] | None = None,
) -> ScoreStats:
    """Link every commitment (of one street, of only_places) to the follow-up of its place and
    period, and store its verdict.

    Place by place, in one transaction: a place's commitments, statements and verdicts are
    read, scored and written before the next place's are read, so what is held in memory (and
    what the garbage collector walks) is one street's, however many streets the corpus has.
    A plan is paired only with the summaries of its own place (province, city, district and
    street): a same-named street elsewhere is another place, and a plan whose place is unknown
    or ambiguous is paired with nothing.
    """
    if only_places is not None and not only_places:
        return ScoreStats()
    scoring = _Scoring.load(rules)
    stats = ScoreStats()
    with session_scope(engine) as session:
        places = _places_to_score(session, street, only_places)
        total = sum(places.values())

        def scored(done: int) -> None:
            if progress:
                progress("scoring commitments", done, total)

        for place in places:
            _score_place(session, scoring, place, stats, scored)
    return stats


def _places_to_score(
    session: Session, street: str | None, only_places: set[str | None] | None
) -> dict[str | None, int]:
    """The places whose commitments are to be scored, with how many each has, in the order of
    their first plan document (the order their verdicts were always written in)."""
    query = (
        select(Commitment.place, func.count())
        .group_by(Commitment.place)
        .order_by(func.min(Commitment.plan_doc))
    )
    if street:
        query = query.where(Commitment.street == street)
    if only_places is not None:
        named = Commitment.place.in_([s for s in only_places if s is not None])
        query = query.where(or_(named, Commitment.place.is_(None)) if None in only_places else named)
    return {place: count for place, count in session.execute(query)}


def _score_place(
    session: Session,
    scoring: _Scoring,
    place: str | None,
    stats: ScoreStats,
    scored: Callable[[int], None],
) -> None:
    """Score the commitments of one place against its statements; insert or update their verdicts."""
    # Rows, not ORM objects: scoring only reads them, and building objects costs as much again.
    same_place = Commitment.place.is_(None) if place is None else Commitment.place == place
    commitments = session.execute(
        select(Commitment.__table__).where(same_place).order_by(Commitment.plan_doc, Commitment.ordinal)
    ).all()
    same_place_statements = select(Statement.__table__).where(Statement.place == place).order_by(Statement.id)
    statements = session.execute(same_place_statements).all() if place else []
    unplaced = (
        dict(session.execute(select(Document.id, Document.place_note).where(Document.place.is_(None))).all())
        if place is None
        else {}
    )
    documents = session.execute(
        select(Document.id, Document.name, Document.text).where(
            Document.id.in_(sorted({s.document_id for s in statements}))
        )
    ).all()
    names = {document_id: name for document_id, name, _ in documents}
    texts = {document_id: text for document_id, _, text in documents}
    periods = {s.period for s in statements}
    # the street's stored verdicts, read at once: one query, not one per commitment
    verdicts = select(Match).join(Commitment, Match.commitment_id == Commitment.id).where(same_place)
    stored = {m.commitment_id: m for m in session.exec(verdicts)}
    new_matches: list[dict[str, Any]] = []
    indexes: dict[tuple[str, ...], CandidateIndex] = {}
    # per follow-up, its statements without other streets' clauses: what the missing gate reads
    summaries: dict[tuple[str, ...], list[StatementView]] = {}
    docs_of: dict[tuple[str, ...], list[str]] = {}
    context = scoring.context(commitments[0].street if commitments else None, place)
    for commitment in commitments:
        view = _commitment_view(commitment)
        followup = followup_periods(commitment.plan_period, periods)
        candidates: list[StatementView] = []
        summary: list[StatementView] | None = None  # from summaries
        if followup and commitment.checkable:
            index = indexes.get(followup.periods)
            if index is None:
                chosen = [
                    _statement_view(s, names, texts) for s in statements if s.period in followup.periods
                ]
                index = indexes[followup.periods] = CandidateIndex(
                    chosen, scoring.function_words, scoring.rules.max_key_share
                )
                summaries[followup.periods] = own_clauses(index.statements, context)
            before = index.examined
            candidates = index.candidates(view)
            summary = summaries[followup.periods]
            stats.pairs_examined += index.examined - before
            stats.all_pairs += len(index.statements)
        if place is None:
            note = unplaced.get(commitment.document_id) or "place unknown"
            verdict = assess(view, None, [], replace(context, street=commitment.street, unplaced=note))
        else:
            verdict = assess(view, followup, candidates, context, summary)
        followup_docs = []
        if followup:
            if followup.periods not in docs_of:
                docs_of[followup.periods] = sorted(
                    {names[s.document_id] for s in statements if s.period in followup.periods}
                )
            followup_docs = docs_of[followup.periods]
        match = _match_row(commitment, verdict, followup, followup_docs)
        if commitment.id in stored:
            stored[commitment.id].sqlmodel_update(match)
        else:
            new_matches.append(match)
        stats.commitments += 1
        scored(stats.commitments)
    if new_matches:
        session.execute(Match.__table__.insert(), new_matches)


def _match_row(
    commitment: Row[Any], verdict: Verdict, followup: Followup | None, followup_docs: list[str]
) -> dict[str, Any]:
    """The Match row of a commitment's verdict."""
    return {
        "commitment_id": commitment.id,
        "status": verdict.status,
        "reason": verdict.reason,
        "flags": verdict.flags,
        "ratio": verdict.ratio,
        "confidence": round(verdict.confidence, 3),
        "disputed": verdict.disputed,
        "followup_docs": followup_docs,
        "awaited_period": None if followup or UNPLACED in verdict.flags else commitment.plan_period,
        "evidence": [asdict(e) for e in verdict.evidence],
        "explanation": list(verdict.explanation),
        "candidates": verdict.candidates,
        "reported": verdict.reported,
        "scored_at": datetime.now(UTC),
    }


def _commitment_view(commitment: Commitment | Row[Any]) -> CommitmentView:
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


def _statement_view(
    statement: Statement | Row[Any], names: dict[int, str], texts: dict[int, str]
) -> StatementView:
    return StatementView(
        id=statement.id,
        doc=names[statement.document_id],
        period=statement.period,
        text=statement.text,
        sentence=texts[statement.document_id][statement.sentence_start : statement.sentence_end],
        sentence_start=statement.sentence_start,
        sentence_end=statement.sentence_end,
        items=statement.items,
        quantities=statement.quantities,
        level=statement.level,
        not_done=statement.not_done,
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
