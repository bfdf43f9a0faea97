"""A commitment with named items: each item by the statements that name it and report a result."""

from __future__ import annotations

from tracker.extract import LEVELS
from tracker.link import CommitmentView, StatementView
from tracker.normalize import compact
from tracker.verdict.comparisons import NameHit
from tracker.verdict.gate import not_mentioned, things_named
from tracker.verdict.judge import judge
from tracker.verdict.level import disagree, item_level, item_not_done, statement_level
from tracker.verdict.mentions import ItemReader
from tracker.verdict.model import Context, Explanation, Verdict, cite, short, unique
from tracker.verdict.scoring_rules import ScoringRules
from tracker.verdict.words import topic_words


def by_items(
    commitment: CommitmentView, statements: list[StatementView], ctx: Context, why: Explanation
) -> Verdict:
    rules = ctx.rules
    hits: dict[str, list[tuple[StatementView, NameHit]]] = {item: [] for item in commitment.items}
    reader = ItemReader.of(commitment, ctx)
    near_miss = False
    for statement in statements:
        for item in commitment.items:
            hit, decoy = reader.hit(item, statement)
            if decoy:
                rule, what = decoy
                why.add(rule, item, what, -1.0 if rule == "numeral_differs" else 0)
                near_miss = True
            if hit is None:
                continue
            if not (statement.level or statement.quantities or statement.not_done):
                # Something is said about the item ("服务永成光电…扩大生产规模"), no result word:
                # work under way at most.
                why.add("names_without_result", item, short(statement.text), 0)
            why.add(f"item_{hit.how}", item, hit.mention, hit.score)
            hits[item].append((statement, hit))
    found = [item for item in commitment.items if hits[item]]
    if not found:
        why.add("items_unmentioned", ", ".join(commitment.items), "no statement reports on them", 0)
        return not_mentioned(commitment, near_miss, ctx, why)
    things = things_named(commitment, ctx)
    if things and not any(item in found for item in things):
        # "在A村、B村建成日间照料中心2个": the places named, the thing to be built there never
        why.add("object_unmentioned", ", ".join(things), "only the places it was to be done at", 0)
        return not_mentioned(commitment, True, ctx, why)
    words = topic_words(commitment.tokens, ctx)
    best = {item: _best(hits[item], words, rules.behind_schedule_words) for item in found}
    others = {item: [compact(other) for other in commitment.items if other != item] for item in found}
    progressing = [item for item in found if not item_not_done(*best[item], ctx, others[item])]
    used = unique([best[item][0] for item in found])
    confidence = sum(best[item][1].score for item in found) / len(found) * rules.confidence.items
    if not progressing:
        why.add("reported_not_done", ", ".join(found), short(used[0].text), -1.0)
        return Verdict("missing", "reported_not_done", confidence=confidence, evidence=cite(used))
    statuses: list[tuple[str, float | None]] = []
    level_of = {item: item_level(*best[item], ctx, others[item], commitment.text) for item in progressing}
    promised = LEVELS.index(commitment.level or "start")
    delivered = [item for item in progressing if LEVELS.index(level_of[item]) >= promised]
    if len(progressing) < len(commitment.items) or 0 < len(delivered) < len(progressing):
        # Some items delivered, others not reported, reported not done or still below the promise.
        shorter = delivered if delivered else progressing
        missing_items = [i for i in commitment.items if i not in shorter]
        ratio = len(shorter) / len(commitment.items)
        why.add("items_short", ", ".join(missing_items), f"{len(shorter)}/{len(commitment.items)}", -0.5)
        statuses.append(("items_short", ratio))
    reported_levels: list[str | None] = [level_of[item] for item in progressing]
    disagreeing = any(disagree(hits[item]) for item in progressing)
    if disagreeing:
        why.add("statements_disagree", commitment.text[:20], "levels differ between statements", -0.3)
    verdict = judge(commitment, [best[item][0] for item in progressing], reported_levels, statuses, ctx, why)
    verdict.confidence = confidence * (rules.confidence.items_disagree if disagreeing else 1.0)
    verdict.disputed = disagreeing or _close_second(hits, best, rules)
    verdict.evidence = cite(used)
    verdict.candidates = _ranking(hits)
    return verdict


def _best(
    hits: list[tuple[StatementView, NameHit]], words: list[str], behind: tuple[str, ...] = ()
) -> tuple[StatementView, NameHit]:
    """The statement naming the item best, then sharing most of the commitment's words. A statement
    reporting work done on the item outweighs one saying only that it missed its schedule
    ("…完成主体装修" in the body, "…未能按期建成" among the problems: real delivery short of the
    promise)."""
    undone = [pair for pair in hits if pair[0].not_done]
    if undone and all(any(w in pair[0].compact_text for w in behind) for pair in undone):
        hits = [pair for pair in hits if not pair[0].not_done and pair[0].level] or hits
    return max(
        hits,
        key=lambda pair: (
            pair[1].score,
            sum(word in pair[0].compact_text for word in words),
            not pair[0].not_done,
            LEVELS.index(statement_level(pair[0])),
            -pair[0].id,
        ),
    )


def _close_second(hits: dict, best: dict, rules: ScoringRules) -> bool:
    for item, (statement, hit) in best.items():
        others = [
            h.score
            for s, h in hits[item]
            if s.id != statement.id and statement_level(s) != statement_level(statement)
        ]
        if others and hit.score - max(others) < rules.close_candidates:
            return True
    return False


def _ranking(hits: dict) -> list[dict]:
    seen: dict[int, float] = {}
    for pairs in hits.values():
        for statement, hit in pairs:
            seen[statement.id] = max(seen.get(statement.id, 0), hit.score)
    ranked = sorted(seen.items(), key=lambda entry: -entry[1])
    return [{"statement_id": i, "score": round(s, 3)} for i, s in ranked][:5]
