"""Accuracy against gold labels (interfaces.md "Gold labels"): what `tracker eval` reports.

A gold line names its commitment by an anchor, a short substring of the plan
text that lies inside exactly one extracted commitment of that plan. Its
evidence is right when a cited evidence text holds the evidence anchor.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.contract import STATUSES
from tracker.ingest import InputError
from tracker.normalize import compact
from tracker.store import Commitment, Match

GOLD_KEYS = {"plan_doc", "anchor", "status"}


@dataclass
class GoldLine:
    source: str
    plan_doc: str
    anchor: str
    status: str
    reason: str | None
    evidence_anchor: str | None
    raw: dict


@dataclass
class Outcome:
    gold: GoldLine
    commitment_id: str | None
    predicted: str | None = None
    reason: str | None = None
    evidence_ok: bool | None = None
    problem: str | None = None  # "anchor not found", "anchor in 2 commitments"


@dataclass
class Scores:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def found(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.predicted]

    def anchors_found(self) -> float:
        return len(self.found) / len(self.outcomes) if self.outcomes else 0.0

    def accuracy(self) -> float:
        found = self.found
        return sum(o.predicted == o.gold.status for o in found) / len(found) if found else 0.0

    def per_status(self) -> dict[str, tuple[float, float, float, int]]:
        """status -> (precision, recall, F1, gold support)."""
        result = {}
        for status in STATUSES:
            tp = sum(o.predicted == status and o.gold.status == status for o in self.found)
            predicted = sum(o.predicted == status for o in self.found)
            support = sum(o.gold.status == status for o in self.found)
            precision = tp / predicted if predicted else 0.0
            recall = tp / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            result[status] = (precision, recall, f1, support)
        return result

    def macro_f1(self) -> float:
        present = [f1 for _, _, f1, support in self.per_status().values() if support]
        return sum(present) / len(present) if present else 0.0

    def reason_accuracy(self) -> float:
        both = [o for o in self.found if o.predicted == o.gold.status and o.gold.reason is not None]
        return sum(o.reason == o.gold.reason for o in both) / len(both) if both else 0.0

    def evidence_accuracy(self) -> float:
        judged = [o for o in self.found if o.evidence_ok is not None]
        return sum(bool(o.evidence_ok) for o in judged) / len(judged) if judged else 0.0

    def confusion(self) -> Counter[tuple[str, str]]:
        return Counter((o.gold.status, o.predicted or "") for o in self.found)

    def as_dict(self) -> dict:
        return {
            "gold_lines": len(self.outcomes),
            "anchors_found": round(self.anchors_found(), 4),
            "status_accuracy": round(self.accuracy(), 4),
            "macro_f1": round(self.macro_f1(), 4),
            "reason_accuracy": round(self.reason_accuracy(), 4),
            "evidence_accuracy": round(self.evidence_accuracy(), 4),
            "per_status": {
                status: {
                    "precision": round(p, 4),
                    "recall": round(r, 4),
                    "f1": round(f, 4),
                    "support": n,
                }
                for status, (p, r, f, n) in self.per_status().items()
            },
            "confusion": {
                f"{gold}->{predicted}": n for (gold, predicted), n in sorted(self.confusion().items())
            },
        }


def read_gold(paths: list[Path]) -> list[GoldLine]:
    """Gold lines from .jsonl files (or folders of them); a bad line is bad input."""
    files = [f for p in paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]
    lines = []
    for file in files:
        try:
            content = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(file, f"cannot read gold file ({error})") from None
        for number, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(file, f"line {number}: not JSON ({error.msg})") from None
            if not isinstance(data, dict) or not set(data) >= GOLD_KEYS or data["status"] not in STATUSES:
                raise InputError(file, f"line {number}: needs plan_doc, anchor and a status of {STATUSES}")
            lines.append(
                GoldLine(
                    f"{file.name}:{number}",
                    data["plan_doc"],
                    data["anchor"],
                    data["status"],
                    data.get("reason"),
                    data.get("evidence_anchor"),
                    data,
                )
            )
    if not lines:
        raise InputError(", ".join(map(str, paths)), "no gold lines")
    return lines


def evaluate(engine: Engine, gold: list[GoldLine]) -> Scores:
    scores = Scores()
    with Session(engine) as session:
        by_doc: dict[str, list[tuple[Commitment, str]]] = {}
        for commitment in session.exec(select(Commitment)):
            by_doc.setdefault(commitment.plan_doc, []).append((commitment, compact(commitment.text)))
        for line in gold:
            anchor = compact(line.anchor)
            holders = [c for c, text in by_doc.get(line.plan_doc, []) if anchor in text]
            if len(holders) != 1:
                problem = "anchor not found" if not holders else f"anchor in {len(holders)} commitments"
                scores.outcomes.append(Outcome(line, None, problem=problem))
                continue
            match = session.get(Match, holders[0].id)
            outcome = Outcome(
                line,
                holders[0].id,
                match.status if match else None,
                match.reason if match else None,
            )
            if line.evidence_anchor and match:
                wanted = compact(line.evidence_anchor)
                outcome.evidence_ok = any(wanted in compact(e["text"]) for e in match.evidence)
            scores.outcomes.append(outcome)
    return scores
