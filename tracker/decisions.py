"""Reviewers' decisions on the machine's verdicts: an append-only history beside the scores.

Decisions are keyed by the commitment id, which is stable across re-runs of the same documents,
and live in their own table that scoring never touches, so they outlive every re-run. Each one
records the machine verdict it was made against (status, reason, a digest of the quoted
evidence): when a later run changes that verdict, the commitment shows as "changed since review"
instead of silently keeping or dropping the decision. Rows are only ever appended; an undo is an
event that cancels the decision before it, and the effective decision of a commitment is the last
one no undo cancelled.

What a decision does to the verdict a reader sees:
- accept, pick, set settle it: the reviewer's status, reason and evidence replace the machine's,
  and the commitment leaves the review queue;
- reject (the machine is wrong, no replacement given) and unsure keep the machine's verdict, and
  the commitment stays in the queue, still disputed, until someone settles it.

Reviewers share a store: a decision is made against the history its reviewer was shown and takes
the next place (sequence) in it, unique per commitment, so when two decide on the same history
the second is refused, told about the first, and never silently overrides it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from tracker import store_read
from tracker.contract import REASONS, STATUSES
from tracker.rules import RulesError, read_rule_file
from tracker.store import Commitment, Document, Match, commitment_detail, scored_commitments, starts_with
from tracker.verdicts import Review, effective, evidence_digest, outcome, quote, quotes, utc_text

DECISIONS = ("accept", "reject", "unsure", "pick", "set", "undo")  # settling ones: verdicts.SETTLING


class ReviewError(Exception):
    """A decision that cannot be recorded: names the commitment and the problem."""


class DecisionConflict(ReviewError):
    """Someone else decided on the commitment after the reviewer's view of it: names who, what, when."""


class Decision(SQLModel, table=True):
    """One event of the review history; rows are appended, never updated or deleted."""

    __tablename__ = "review_decision"
    # Two reviewers deciding on the same history both take its next place: the second one fails.
    __table_args__ = (UniqueConstraint("commitment_id", "sequence", name="uq_review_decision_sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: str = Field(index=True)
    sequence: int  # the place of this event in its commitment's history: 1, 2, …
    reviewer: str
    at: datetime = Field(
        default_factory=lambda: datetime.now(UTC), sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    decision: str  # one of DECISIONS
    status_before: str  # the status the reviewer was shown
    status_after: str  # the status a reader sees once this event is recorded
    reason: str | None = None
    evidence: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str | None = None
    machine_status: str  # the machine's verdict this decision was made against …
    machine_reason: str | None = None
    machine_digest: str  # … and a digest of the evidence it quoted
    undoes: int | None = None  # an undo: the id of the decision it cancels


def reviews(engine: Engine, commitment_ids: Collection[str] | None = None) -> dict[str, Review]:
    """store_read.reviews on a connection of the engine: the review screen and the queue have one open."""
    with store_read.reading(engine) as store:
        return store_read.reviews(store, commitment_ids)


def record(
    engine: Engine,
    commitment_id: str,
    decision: str,
    reviewer: str,
    *,
    status: str | None = None,
    reason: str | None = None,
    evidence: dict[str, Any] | None = None,
    note: str | None = None,
    seen: int | None = None,
) -> Decision:
    """Append one decision in its own transaction, so a crash right after it loses nothing.

    accept takes the machine's verdict; pick cites `evidence` (a quote) with `status`; set gives
    `status` and keeps the evidence shown for done and partial, none otherwise; undo cancels the
    effective decision. Raises ReviewError for what cannot be decided.

    Optimistic locking: `seen` is how many decisions on the commitment the reviewer was shown
    (None: the history as it stands now). If another was recorded since, or one is recorded
    between reading the history and writing (the unique place in the history), nothing is
    written and DecisionConflict names the other decision.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    if (status is not None) != (decision in ("pick", "set")):
        raise ReviewError(f"{commitment_id}: a status goes with pick and set only")
    if status is not None and status not in STATUSES:
        raise ReviewError(f"{commitment_id}: unknown status {status!r}; one of {', '.join(STATUSES)}")
    if reason is not None and status is None:
        raise ReviewError(f"{commitment_id}: a reason goes with a status (pick and set only)")
    if reason is not None and reason not in REASONS[status]:
        allowed = ", ".join(REASONS[status]) or "none"
        raise ReviewError(f"{commitment_id}: reason {reason!r} does not go with {status}; allowed: {allowed}")
    if (evidence is not None) != (decision == "pick"):
        raise ReviewError(f"{commitment_id}: pick, and only pick, cites a statement")
    with Session(engine, expire_on_commit=False) as session:
        match = session.get(Match, commitment_id)
        if match is None:
            raise ReviewError(f"{commitment_id}: not scored yet, nothing to review")
        events = list(session.exec(_trail(commitment_id)))
        if seen is not None and seen != len(events):
            raise _conflict(commitment_id, events[seen:])
        current = effective(events)
        shown_status, _, shown_evidence = outcome(match, current)
        undoes = None
        if decision == "undo":
            if current is None:
                raise ReviewError(f"{commitment_id}: no decision to undo")
            undoes = current.id
            status, reason, _ = outcome(match, effective([e for e in events if e is not current]))
            cited = []
        elif decision == "accept":
            status, reason, cited = match.status, match.reason, quotes(match.evidence)
        elif decision in ("reject", "unsure"):
            status, cited = match.status, []
        elif decision == "pick":
            cited = [quote(evidence["doc"], evidence["text"], evidence["char_start"], evidence["char_end"])]
        else:
            cited = shown_evidence if status in ("done", "partial") else []
        event = Decision(
            commitment_id=commitment_id,
            sequence=len(events) + 1,
            reviewer=reviewer,
            decision=decision,
            status_before=shown_status,
            status_after=status,
            reason=reason,
            evidence=cited,
            note=note,
            machine_status=match.status,
            machine_reason=match.reason,
            machine_digest=evidence_digest(match.evidence),
            undoes=undoes,
        )
        session.add(event)
        try:
            session.commit()
        except IntegrityError:  # another decision took this place in the history first
            session.rollback()
            raise _conflict(commitment_id, list(session.exec(_trail(commitment_id)))[len(events) :]) from None
        except OperationalError as error:  # SQLite: a run kept the write lock longer than the wait
            session.rollback()
            raise ReviewError(
                f"{commitment_id}: not recorded: the store is busy ({error.orig}); try again"
            ) from None
        return event


def record_from_command_line(
    engine: Engine,
    commitment_id: str,
    decision: str,
    reviewer: str,
    *,
    status: str | None = None,
    reason: str | None = None,
    candidate: int | None = None,
    note: str | None = None,
    seen: int | None = None,
    rules: ReviewRules,
) -> Decision:
    """`review --decide`: record, where candidate (numbered from 1 as `explain` does) makes a set a pick.

    On the command line a reviewer sees no statement, so a status the machine did not give must
    say what it rests on: the candidate statement that is the evidence, or a note.
    """
    if candidate is not None:
        found = candidate_quotes(engine, commitment_id, rules)
        if candidate > len(found):
            raise ReviewError(f"{commitment_id}: no candidate statement {candidate}; it has {len(found)}")
        decision, evidence = "pick", found[candidate - 1].evidence
    else:
        evidence = None
        if status is not None and not note:
            with Session(engine) as session:
                match = session.get(Match, commitment_id)
            if match is not None and status != match.status:
                raise ReviewError(
                    f"{commitment_id}: {status} is not the machine's verdict ({match.status}): name the "
                    f"evidence with --evidence N (the candidates of `tracker explain {commitment_id}`) "
                    "or say why with --note"
                )
    return record(
        engine, commitment_id, decision, reviewer,
        status=status, reason=reason, evidence=evidence, note=note, seen=seen,
    )  # fmt: skip


def _conflict(commitment_id: str, since: list[Decision]) -> DecisionConflict:
    """The refusal of a decision made on an outdated history, naming the first decision since."""
    if not since:
        return DecisionConflict(f"{commitment_id}: not recorded: its review history changed; look again")
    first = since[0]
    what = " ".join(part for part in (first.decision, first.status_after, first.reason) if part)
    more = f" (and {len(since) - 1} decision(s) after it)" if len(since) > 1 else ""
    return DecisionConflict(
        f"{commitment_id}: not recorded: {first.reviewer} decided {what} at {utc_text(first.at)}{more} "
        "since you looked; look again and decide"
    )


def decision_counts(engine: Engine) -> dict[str, int]:
    """How many decisions each reviewed commitment's history holds (what a reviewer has seen)."""
    query = select(Decision.commitment_id, func.count()).group_by(Decision.commitment_id)
    with Session(engine) as session:
        return dict(session.exec(query).all())


def _trail(commitment_id: str | None) -> SelectOfScalar[Decision]:
    query = select(Decision).order_by(Decision.id)
    return query if commitment_id is None else query.where(Decision.commitment_id == commitment_id)


def history(engine: Engine, commitment_id: str | None = None) -> list[Decision]:
    """The review trail in recorded order: all of it, or one commitment's."""
    with Session(engine) as session:
        return list(session.exec(_trail(commitment_id)))


def reviewed_ids_starting_with(engine: Engine, prefix: str) -> list[str]:
    """Ids with a review trail that start with prefix: a commitment may have gone since its review."""
    query = select(Decision.commitment_id).where(starts_with(Decision.commitment_id, prefix))
    with Session(engine) as session:
        return sorted(set(session.exec(query)))


@dataclass
class QueueItem:
    """A commitment in the review queue with its machine verdict and its effective review."""

    commitment: Commitment
    match: Match
    review: Review | None
    seen: int = 0  # decisions in its history when loaded: a decision is made against these

    @property
    def state(self) -> str:
        return self.review.state if self.review else "open"

    @property
    def left(self) -> bool:
        """Nobody has judged it yet, or the machine moved since they did."""
        return self.review is None or self.review.changed

    @property
    def status(self) -> str:
        return outcome(self.match, self.review.decision if self.review else None)[0]


def in_queue(match: Match, review: Review | None, dispute_below: float) -> bool:
    """Disputed or low-confidence verdicts nobody settled, and decisions the machine moved from."""
    if review is not None:
        return not review.settled
    return match.disputed or match.confidence < dispute_below


def queue(
    engine: Engine,
    dispute_below: float,
    documents: Collection[int] | None = None,
    status: str | None = None,
    section: str | None = None,
) -> list[QueueItem]:
    """The review queue in plan order: of these plan documents (one place's), of the status a
    reader sees, of a section whose heading holds these words."""
    found = reviews(engine)
    counts = decision_counts(engine)
    items = []
    for commitment, match in scored_commitments(engine):
        review = found.get(commitment.id)
        if not in_queue(match, review, dispute_below):
            continue
        item = QueueItem(commitment, match, review, counts.get(commitment.id, 0))
        if documents is not None and commitment.document_id not in documents:
            continue
        if status is not None and item.status != status:
            continue
        if section is not None and section not in commitment.section:
            continue
        items.append(item)
    return items


# What a run-in headline has none of (rules/review.toml): a comma, 、 or ; inside; and what is
# not counted in its length: quotes, the closing 。, spaces.
CLAUSE_MARKS = re.compile(r"[,，、;；]")
UNCOUNTED = re.compile(r"[“”‘’\"'。\s]")


@dataclass(frozen=True)
class ReviewRules:
    """rules/review.toml: what the review screen never offers as evidence."""

    headline_chars: int

    @classmethod
    def load(cls, directory: Path) -> ReviewRules:
        value = read_rule_file(directory, "review.toml").get("headline_chars")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RulesError(f"{directory / 'review.toml'}: 'headline_chars' must be a whole number")
        return cls(value)

    def is_headline(self, sentence: str, after: str, reports: bool) -> bool:
        """A run-in headline: it heads the statements after it in its paragraph, never evidence.

        after is the text right after the sentence; reports says whether the sentence has a
        figure or names an item reported done (then it is evidence, however short).
        """
        bare = UNCOUNTED.sub("", sentence)
        return (
            sentence.rstrip().endswith("。")
            and after.strip(" \t\u3000")[:1] not in ("", "\n", "\r")
            and len(bare) <= self.headline_chars
            and not CLAUSE_MARKS.search(bare)
            and not reports
        )


@dataclass(frozen=True)
class CandidateQuote:
    """A candidate statement as a reviewer weighs it: its sentence (what a pick cites) and details."""

    score: float
    evidence: dict[str, Any]
    statement: str
    quantities: list[str]  # the quantities' raw text, to highlight

    def cited_by(self, match: Match) -> bool:
        """The machine's evidence quotes this sentence (or a clause of it)."""
        where = (self.evidence["doc"], self.evidence["char_start"])
        return any((cited["doc"], cited["char_start"]) == where for cited in match.evidence)


def candidate_quotes(engine: Engine, commitment_id: str, rules: ReviewRules) -> list[CandidateQuote]:
    """The scorer's candidates, best first, each quoted by its sentence like the machine's evidence.

    Run-in headlines ("大铲湾片区加快蝶变。") are left out: a reviewer never picks one as evidence.
    """
    detail = commitment_detail(engine, commitment_id)
    if detail is None:
        return []
    with Session(engine) as session:
        texts = {
            candidate.statement.document_id: session.get(Document, candidate.statement.document_id).text
            for candidate in detail.candidates
        }
    found = []
    for candidate in detail.candidates:
        statement = candidate.statement
        document = texts[statement.document_id]
        text = document[statement.sentence_start : statement.sentence_end]
        reports = bool(statement.quantities) or (statement.level == "done" and bool(statement.items))
        if rules.is_headline(text, document[statement.sentence_end : statement.sentence_end + 2], reports):
            continue
        found.append(
            CandidateQuote(
                candidate.score,
                quote(candidate.doc, text, statement.sentence_start, statement.sentence_end),
                statement.text,
                [q["raw"] for q in statement.quantities],
            )
        )
    return found
