"""The verdict engine: done, partial, missing or unverifiable for one commitment.

The modules read as the decision: `decide` (the order of the checks), `items`
(named items, through the comparison levels of `comparisons`), `topic` (the
object's words), `quantities` (targets against reported figures), `level`
(the result reported), `lateness`, `scope` (whose result a statement is) and
`gate` (when "missing" may be said).
"""

from tracker.verdict.decide import assess
from tracker.verdict.model import Context, Evidence, Verdict
from tracker.verdict.scoring_rules import ScoringRules

__all__ = ["Context", "Evidence", "ScoringRules", "Verdict", "assess"]
