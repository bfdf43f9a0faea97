"""The result level a statement reports, for the commitment's object or one of its items."""

from __future__ import annotations

import re

from tracker.extract import LEVELS
from tracker.link import StatementView
from tracker.normalize import compact
from tracker.verdict.comparisons import NameHit
from tracker.verdict.model import Context


def statement_level(statement: StatementView) -> str:
    """The level a statement reports; a bare amount ("调解纠纷2775宗") is a done amount,
    a statement about the item with no result word reports work under way."""
    if statement.level:
        return statement.level
    return "done" if statement.quantities else "start"


def reaches(level: str | None, promised: str | None) -> bool:
    return level is not None and LEVELS.index(level) >= LEVELS.index(promised or "start")


def item_level(
    statement: StatementView, hit: NameHit, ctx: Context, others: list[str] = (), promise: str = ""
) -> str:
    """The level reported for this item: that of its own clause within the statement.

    "纬二路、纬三路建成通车,纬四路完成前期规划设计" reports 纬四路 at the
    preparation level, whatever the rest of the statement says. A clause
    without a result word takes the next clause's ("…安居福汇阁,主体已封顶");
    when that clause speaks of another item (`others`), a bare amount in the
    item's own clause is a done amount ("西关、东城片区1160户群众喜迁新居,北关…").
    Where the clauses say the very result promised (`promise`, the commitment's
    text) again, that result's level is the one reported ("…完成场景建设,已提交
    省级验收申请" against "通过省级验收").
    """
    parts = re.split(r"[,,;;]", statement.compact_text)
    own = _own_clauses(parts, hit, others)
    if ctx.promised_level_of and (
        level := ctx.promised_level_of(promise, "，".join(own) or statement.compact_text)
    ):
        return level
    if not own or ctx.level_of is None:
        return _clause_level(statement, parts, None, ctx)
    for part in own[:2]:
        if level := ctx.level_of(part):
            return level
    followed_by_another_item = len(own) == 1 and parts[-1] != own[0]
    if followed_by_another_item and any(compact(q["raw"]) in own[0] for q in statement.quantities):
        return "done"
    return statement_level(statement)


def item_not_done(statement: StatementView, hit: NameHit, ctx: Context, others: list[str] = ()) -> bool:
    """Whether the statement says this item's work did not happen: one of the item's own clauses
    says so (up to the clause naming another item). "A、B项目已复工,C项目尚未复工" says it of C,
    not of A and B: a statement reporting part delivered and part not."""
    if not statement.not_done:
        return False
    parts = re.split(r"[,,;;]", statement.compact_text)
    own = _own_clauses(parts, hit, others)
    if not own or ctx.not_done_of is None:
        return True
    return any(ctx.not_done_of(part) for part in own)


def _own_clauses(parts: list[str], hit: NameHit, others: list[str]) -> list[str]:
    """The clauses that speak of the item: its own, and those after it up to one that names another
    item; none when the statement is one clause or the item is not found in it."""
    head = hit.mention.split("…")[0]
    where = next((i for i, part in enumerate(parts) if head and head in part), None)
    if where is None or len(parts) == 1:
        return []
    own = [parts[where]]
    for part in parts[where + 1 :]:
        if any(other and other in part for other in others):
            break
        own.append(part)
    return own


def topic_level(statement: StatementView, words: list[str], ctx: Context, promise: str = "") -> str:
    """The level reported for the commitment's object: that of the clause holding most of its words.

    "围堤施工全面完成,纳土、地基处理工程完成85%" reports the fill and ground works
    nearly done, whatever the dyke's clause says. Where the statement's sentence
    says the very result promised (`promise`) again, that result's level is the
    one reported ("…完成管道安装,竣工验收工作正在推进" against "推动…竣工验收").
    """
    if ctx.promised_level_of and (level := ctx.promised_level_of(promise, compact(statement.sentence))):
        return level
    parts = re.split(r"[,,;;]", statement.compact_text)
    held = [sum(word in part for word in words) for part in parts]
    return _clause_level(statement, parts, held.index(max(held)), ctx)


def _clause_level(statement: StatementView, parts: list[str], where: int | None, ctx: Context) -> str:
    """The level of clause `where` of the statement, or of the next clause when it has no result
    word ("…安居福汇阁,主体已封顶"); the whole statement's when there is no such clause."""
    if where is None or len(parts) == 1 or ctx.level_of is None:
        return statement_level(statement)
    for part in parts[where : where + 2]:
        if level := ctx.level_of(part):
            return level
    return statement_level(statement)


def disagree(hits: list[tuple[StatementView, NameHit]]) -> bool:
    """Statements on one item that report levels far apart, or done and not done."""
    levels = {LEVELS.index(statement_level(s)) for s, _ in hits if not s.not_done}
    finished = any(s.not_done for s, _ in hits) and len(levels) > 0
    return (max(levels) - min(levels) >= 2 if levels else False) or (finished and max(levels) == 3)
