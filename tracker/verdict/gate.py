"""The missing gate: `missing/not_mentioned` is said only when nothing in the summary reports on
the commitment's object."""

from __future__ import annotations

from tracker.link import CommitmentView
from tracker.verdict.model import Explanation, Verdict, short


def not_mentioned(commitment: CommitmentView, near_miss: bool, why: Explanation) -> Verdict:
    why.add("not_mentioned", short(commitment.text), "no statement reports on it", 0)
    return Verdict("missing", "not_mentioned", confidence=0.5 if near_miss else 0.85)
