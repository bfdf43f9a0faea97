"""The verdict engine: done, partial, missing or unverifiable for one commitment.

The modules read as the decision: `decide` (the order of the checks), `items`
(named items, read in a statement by `mentions` through the comparison levels of
`comparisons`), `topic` (the object's words), `objects` (the phrase the verb
applies to and its head noun), `quantities` (targets against reported figures),
`level` (the result reported), `judge` (quantities, then level, then
`lateness`), `scope` (whose result a statement is) and `gate` (when "missing"
may be said). `commonness` reads wordfreq's Chinese list; `scoring_rules` and
`model` hold the rules and the verdict.
"""

from tracker.verdict.decide import assess, own_clauses
from tracker.verdict.model import Context, Evidence, Verdict
from tracker.verdict.scoring_rules import ScoringRules

__all__ = ["Context", "Evidence", "ScoringRules", "Verdict", "assess", "own_clauses"]
