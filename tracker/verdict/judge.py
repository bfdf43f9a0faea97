"""Quantities, then level, then lateness, on the evidence found: the verdict once a match is made."""

from __future__ import annotations

from tracker.extract import LEVELS
from tracker.link import CommitmentView, StatementView
from tracker.verdict.lateness import late
from tracker.verdict.model import Context, Explanation, Verdict
from tracker.verdict.quantities import compare_targets


def judge(
    commitment: CommitmentView,
    statements: list[StatementView],
    levels: list[str | None],
    statuses: list[tuple[str, float | None]],
    ctx: Context,
    why: Explanation,
) -> Verdict:
    """The first shortfall found is the reason: items (in statuses already), quantity, level."""
    reported, shortfalls = compare_targets(commitment, statements, ctx, why)
    statuses.extend(shortfalls)
    promised = commitment.level or "start"
    reached = [level for level in levels if level]
    if (
        reported
        and len(reported) == len(commitment.targets)
        and not statuses
        and (not commitment.items or len({statement.id for statement in statements}) == 1)
        and "nearly_done" not in reached
    ):
        # Every target met: the amount reported is the result promised. Not for named items
        # reported in several statements, whose own clauses say how far each got ("…主体完工,
        # 8个应急管理服务站加快建设"), nor when the statement says the result is still to come
        # ("4个社区的项目即将投入运行"). Items one statement names together share its amount
        # ("A路(B段)人行道改造1200米", "A、B两村整治撂荒地1300余亩").
        reached = ["done"]
    if reached and LEVELS.index(min(reached, key=LEVELS.index)) < LEVELS.index(promised):
        lowest = min(reached, key=LEVELS.index)
        why.add("level_short", promised, lowest, -0.5)
        statuses.append(("level_short", None))
    elif reached:
        why.add("level_met", promised, max(reached, key=LEVELS.index), 0.5)
    flags = ["late"] if late(commitment, statements, ctx.rules.deadline_months) else []
    if flags:
        why.add("late", commitment.deadline or "", "reported after the deadline", 0)
    if statuses:
        reason, ratio = statuses[0]
        return Verdict("partial", reason, flags=flags, ratio=ratio, reported=reported)
    return Verdict("done", None, flags=flags, reported=reported)
