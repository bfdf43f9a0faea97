"""The decision for one commitment, in a fixed order; the first check that decides wins.

Not checkable → vague; no follow-up → no_followup; statements of other
streets lose those clauses; then the evidence, item by item (tracker.verdict.items)
or by the object's words (tracker.verdict.topic); an interim check turns
"missing" into not_yet_due. Every step appends (rule, left, right, weight)
records, so the report, the review screen and the export show the same
explanation.
"""

from __future__ import annotations

from tracker.contract import UNPLACED
from tracker.link import CommitmentView, Followup, StatementView
from tracker.verdict.gate import look_again
from tracker.verdict.items import by_items
from tracker.verdict.model import Context, Explanation, Verdict, short
from tracker.verdict.scope import other_street_in, without_other_streets
from tracker.verdict.topic import by_topic


def assess(
    commitment: CommitmentView,
    followup: Followup | None,
    candidates: list[StatementView],
    ctx: Context,
    summary: list[StatementView] | None = None,
) -> Verdict:
    """The verdict on commitment from the candidate statements blocking proposed; summary, every
    statement of the follow-up without other streets' clauses (own_clauses), is where the missing
    gate looks again (the candidates if None)."""
    why = Explanation()
    if not commitment.checkable:
        why.add("not_checkable", commitment.text, "no name, number, deadline or deliverable", 0)
        return Verdict("unverifiable", "vague", confidence=ctx.rules.confidence.vague, explanation=why)
    if ctx.unplaced:
        why.add("no_followup", commitment.period, f"not paired: {ctx.unplaced}", 0)
        return Verdict(
            "unverifiable",
            "no_followup",
            flags=[UNPLACED],
            confidence=ctx.rules.confidence.no_followup,
            explanation=why,
        )
    if followup is None:
        why.add("no_followup", commitment.period, f"no summary of {commitment.period} ingested", 0)
        return Verdict(
            "unverifiable", "no_followup", confidence=ctx.rules.confidence.no_followup, explanation=why
        )
    why.add("followup", commitment.period, "+".join(followup.periods), 0)
    usable = _this_street(candidates, ctx, why)
    if commitment.items:
        verdict = by_items(commitment, usable, ctx, why)
    else:
        verdict = by_topic(commitment, usable, ctx, why)
    if verdict.status == "missing" and verdict.reason == "not_mentioned":
        everything = usable if summary is None else summary
        verdict = look_again(commitment, verdict, everything, ctx, why)
    if followup.interim:
        verdict.flags.append("interim")
        if verdict.status == "missing":
            why.add("interim", verdict.reason or "", "period not over: no evidence yet", 0)
            verdict.status, verdict.reason = "unverifiable", "not_yet_due"
    verdict.explanation = why
    verdict.disputed = verdict.disputed or verdict.confidence < ctx.rules.dispute_below
    return verdict


def own_clauses(statements: list[StatementView], ctx: Context) -> list[StatementView]:
    """The statements without their clauses on other streets, nothing recorded: the summary the
    missing gate reads, made once per street and follow-up, not once per commitment."""
    return _this_street(statements, ctx, Explanation())


def _this_street(statements: list[StatementView], ctx: Context, why: Explanation) -> list[StatementView]:
    """The statements without their clauses on other streets (recorded in why)."""
    usable = []
    for statement in statements:
        street = other_street_in(statement, ctx.street, ctx.streets)
        if street:
            why.add("other_street", short(statement.text), street, 0)
            statement = without_other_streets(statement, ctx.street, ctx.streets)
        if statement is not None:
            usable.append(statement)
    return usable
