"""The verdict a reader sees: the machine's, unless a reviewer's decision settles it.

Pure rules over stored rows, kept apart from tracker.decisions (which records decisions through
the ORM) so that `report` and `export` apply them without importing SQLAlchemy. They take the
ORM's rows (tracker.store, tracker.decisions) and the plain ones of tracker.store_read alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.decisions import Decision
    from tracker.store import Match
    from tracker.store_read import DecisionRow, MatchRow

# The decisions that replace the machine's status, reason and evidence.
SETTLING = ("accept", "pick", "set")


def quote(doc: str, text: str, char_start: int, char_end: int) -> dict[str, Any]:
    """Evidence as the export cites it: document, text and offsets, never a statement id
    (statement ids change whenever a summary is extracted again)."""
    return {"doc": doc, "text": text, "char_start": char_start, "char_end": char_end}


def quotes(evidence: list[dict]) -> list[dict[str, Any]]:
    return [quote(e["doc"], e["text"], e["char_start"], e["char_end"]) for e in evidence]


def evidence_digest(evidence: list[dict]) -> str:
    """What the evidence quotes, hashed: equal for equal quotes whatever the statement ids."""
    data = json.dumps(sorted(tuple(e.values()) for e in quotes(evidence)), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def effective(events: Sequence[Decision | DecisionRow]) -> Decision | DecisionRow | None:
    """The last decision that no undo cancelled, of one commitment's events in recorded order."""
    undone = {event.undoes for event in events if event.decision == "undo"}
    return next((e for e in reversed(events) if e.decision != "undo" and e.id not in undone), None)


def outcome(
    match: Match | MatchRow, decision: Decision | DecisionRow | None
) -> tuple[str, str | None, list[dict[str, Any]]]:
    """Status, reason and evidence a reader sees: the reviewer's where a decision settles them."""
    if decision is not None and decision.decision in SETTLING:
        return decision.status_after, decision.reason, decision.evidence
    return match.status, match.reason, quotes(match.evidence)


def checked(counts: Mapping[str, int]) -> int:
    """Commitments checked against a follow-up report that covers their period."""
    return counts.get("done", 0) + counts.get("partial", 0) + counts.get("missing", 0)


def fulfilment_rate(counts: Mapping[str, int]) -> float | None:
    """(done + ½·partial) over the commitments checked against a follow-up; None when none were."""
    if not checked(counts):
        return None
    return (counts.get("done", 0) + 0.5 * counts.get("partial", 0)) / checked(counts)


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC; SQLite hands back naive datetimes, which were stored as UTC."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Review:
    """The effective decision on a commitment and whether the machine's verdict moved since."""

    decision: DecisionRow
    changed: bool

    @property
    def settled(self) -> bool:
        return self.decision.decision in SETTLING and not self.changed

    @property
    def state(self) -> str:
        return "changed since review" if self.changed else self.decision.decision

    @property
    def flags(self) -> list[str]:
        return ["reviewed", "changed_since_review"] if self.changed else ["reviewed"]

    def contract(self) -> dict[str, Any]:
        """The export contract's `review` object."""
        return {
            "decision": self.decision.decision,
            "status": self.decision.status_after,
            "reviewer": self.decision.reviewer,
            "at": utc_text(self.decision.at),
            "note": self.decision.note,
        }
