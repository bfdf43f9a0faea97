"""The verdict for one commitment: done, partial, missing or unverifiable.

The checks run in a fixed order and the first that decides wins: not
checkable → vague; no follow-up → no_followup; then the evidence, item by
item (a name the statement reports a result for), or, for a commitment
without names, the statement on the same object with a comparable quantity.
Every step appends (rule, left, right, weight) records, so the report, the
review screen and the export show the same explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from tracker.extract import LEVELS
from tracker.link import (
    CommitmentView,
    Followup,
    NameHit,
    ScoringRules,
    StatementView,
    mention_context,
    name_match,
    numeral_conflict,
    other_street_in,
    wider_scope,
    without_other_streets,
)
from tracker.names import quoted_phrases
from tracker.normalize import compact

# 第三批, 第二期 …, and a batch named by its year (2022年批次): a different one is other work.
ORDINAL = re.compile(
    r"第([0-9]+|[一二三四五六七八九十]+)(批|期|次|届|轮|标段)|((?:19|20)[0-9]{2})年度?(批次)"
)
CJK_BIGRAM = re.compile(r"(?=([\u4e00-\u9fff]{2}))")  # every pair of Chinese characters, overlapping
MONTH = re.compile(r"(20\d{2}年)?(\d{1,2}|[一二三四五六七八九十]{1,2})月")
CN_MONTHS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}
DEADLINE_MONTHS = {
    "一季度": 3,
    "第一季度": 3,
    "二季度": 6,
    "第二季度": 6,
    "上半年": 6,
    "三季度": 9,
    "第三季度": 9,
    "年中": 6,
    "下半年": 12,
    "年底": 12,
    "年末": 12,
    "年内": 12,
    "四季度": 12,
}


@dataclass
class Evidence:
    doc: str
    text: str
    char_start: int
    char_end: int
    statement_id: int


@dataclass
class Verdict:
    status: str
    reason: str | None
    flags: list[str] = field(default_factory=list)
    ratio: float | None = None
    confidence: float = 1.0
    disputed: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    explanation: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)
    reported: list[dict] = field(default_factory=list)


class Explanation(list):
    def add(self, rule: str, left: str, right: str, weight: float) -> None:
        self.append({"rule": rule, "left": left, "right": right, "weight": round(weight, 3)})


@dataclass(frozen=True)
class Context:
    """What an assessment needs besides the pair: rules, the street, the stop words, name suffixes."""

    rules: ScoringRules
    street: str | None
    streets: frozenset[str]
    stop_words: frozenset[str]
    suffixes: tuple[str, ...] = ()  # longest first
    function_words: frozenset[str] = frozenset()
    level_of: Callable[[str], str | None] | None = None  # the result level a text reports

    def suffix_of(self, item: str) -> str | None:
        return next((suffix for suffix in self.suffixes if item.endswith(suffix)), None)


def assess(
    commitment: CommitmentView,
    followup: Followup | None,
    candidates: list[StatementView],
    ctx: Context,
) -> Verdict:
    why = Explanation()
    if not commitment.checkable:
        why.add("not_checkable", commitment.text, "no name, number, deadline or deliverable", 0)
        return Verdict("unverifiable", "vague", confidence=0.8, explanation=why)
    if followup is None:
        why.add("no_followup", commitment.period, f"no summary of {commitment.period} ingested", 0)
        return Verdict("unverifiable", "no_followup", confidence=1.0, explanation=why)
    why.add("followup", commitment.period, "+".join(followup.periods), 0)
    usable = []
    for statement in candidates:
        street = other_street_in(statement, ctx.street, ctx.streets)
        if street:
            why.add("other_street", _short(statement.text), street, 0)
            statement = without_other_streets(statement, ctx.street, ctx.streets)
        if statement is not None:
            usable.append(statement)
    if commitment.items:
        verdict = _by_items(commitment, usable, ctx, why)
    else:
        verdict = _by_topic(commitment, usable, ctx, why)
    if followup.interim:
        verdict.flags.append("interim")
        if verdict.status == "missing":
            why.add("interim", verdict.reason or "", "period not over: no evidence yet", 0)
            verdict.status, verdict.reason = "unverifiable", "not_yet_due"
    verdict.explanation = why
    verdict.disputed = verdict.disputed or verdict.confidence < ctx.rules.dispute_below
    return verdict


def _by_items(
    commitment: CommitmentView, statements: list[StatementView], ctx: Context, why: Explanation
) -> Verdict:
    rules = ctx.rules
    hits: dict[str, list[tuple[StatementView, NameHit]]] = {item: [] for item in commitment.items}
    suffixes = {item: ctx.suffix_of(item) for item in commitment.items}
    near_miss = False
    for statement in statements:
        for item in commitment.items:
            hit = name_match(item, statement, rules, suffixes[item])
            if hit is None:
                if conflict := numeral_conflict(item, statement):
                    why.add("numeral_differs", item, conflict, -1.0)
                    near_miss = True
                continue
            if context := mention_context(item, statement, rules):
                why.add(f"{context}_mention", item, _short(statement.text), 0)
                near_miss = True
                continue
            if not (statement.level or statement.quantities or statement.not_done):
                # Something is said about the item ("服务永成光电…扩大生产规模"), no result word:
                # work under way at most.
                why.add("names_without_result", item, _short(statement.text), 0)
            why.add(f"item_{hit.how}", item, hit.mention, hit.score)
            hits[item].append((statement, hit))
    found = [item for item in commitment.items if hits[item]]
    if not found:
        why.add("items_unmentioned", ", ".join(commitment.items), "no statement reports on them", 0)
        return _missing(commitment, near_miss, why)
    words = _topic_words(commitment.tokens, ctx)
    best = {item: _best(hits[item], words) for item in found}
    progressing = [item for item in found if not best[item][0].not_done]
    used = _unique([best[item][0] for item in found])
    confidence = sum(best[item][1].score for item in found) / len(found) * 0.95
    if not progressing:
        why.add("reported_not_done", ", ".join(found), _short(used[0].text), -1.0)
        return Verdict("missing", "reported_not_done", confidence=confidence, evidence=_evidence(used))
    statuses = []
    level_of = {item: _item_level(best[item][0], best[item][1], ctx) for item in progressing}
    promised = LEVELS.index(commitment.level or "start")
    delivered = [item for item in progressing if LEVELS.index(level_of[item]) >= promised]
    if len(progressing) < len(commitment.items) or 0 < len(delivered) < len(progressing):
        # Some items delivered, others not reported, reported not done or still below the promise.
        short = delivered if delivered else progressing
        missing_items = [i for i in commitment.items if i not in short]
        ratio = len(short) / len(commitment.items)
        why.add("items_short", ", ".join(missing_items), f"{len(short)}/{len(commitment.items)}", -0.5)
        statuses.append(("items_short", ratio))
    reported_levels = [level_of[item] for item in progressing]
    disagree = any(_disagree(hits[item]) for item in progressing)
    if disagree:
        why.add("statements_disagree", commitment.text[:20], "levels differ between statements", -0.3)
    verdict = _judge(commitment, [best[item][0] for item in progressing], reported_levels, statuses, ctx, why)
    verdict.confidence = confidence * (0.7 if disagree else 1.0)
    verdict.disputed = disagree or _close_second(hits, best, rules)
    verdict.evidence = _evidence(used)
    verdict.candidates = _ranking(hits)
    return verdict


def _by_topic(
    commitment: CommitmentView, statements: list[StatementView], ctx: Context, why: Explanation
) -> Verdict:
    """No names (or none found): the statement on the same object.

    Same object: most of the commitment's content words stand in the
    statement; with targets, the statement must also carry a comparable
    quantity of this street (not a district-wide one); without, a result word
    and more of the content words.
    """
    rules = ctx.rules
    words = _topic_words(commitment.tokens, ctx)
    if not words:
        return _missing(commitment, False, why)
    scored = []
    ordinals = dict(_ordinals(compact(commitment.text)))
    # Per target, the words of its own clause; the commitment's character pairs: both once.
    clause_words = [_clause_words(commitment.tokens, ctx, commitment.text, t) for t in commitment.targets]
    pairs = _bigrams(compact(commitment.text))
    quoted = [q for q in quoted_phrases(compact(commitment.text)) if len(q) >= 3]
    target_leads = [_lead(commitment.text, t["raw"]) for t in commitment.targets]
    for statement in statements:
        if differing := _ordinal_differs(ordinals, statement):
            why.add("numeral_differs", differing[0], differing[1], -1.0)
            continue
        share = own = _share(words, statement.compact_text)
        local = _local_quantities(statement, rules)
        comparable = [t for t in commitment.targets if _comparable(t, local, rules)]
        if comparable:
            # The clause that holds the target says what is counted ("…,上半年走访企业不少于2000家次").
            sentence = compact(statement.sentence)
            share = max(
                [share]
                + [
                    _share(words_of_clause, sentence)
                    for target, words_of_clause in zip(commitment.targets, clause_words, strict=True)
                    if target in comparable
                ]
            )
        if commitment.targets:
            accepted = bool(comparable) and (
                share >= rules.topic_containment or (share > 0 and _same_figures(commitment.targets, local))
            )
        else:
            needed = min(1.0, rules.topic_containment + 0.15)
            shared_pairs = len(pairs & _bigrams(statement.compact_text))
            # character pairs: a measure that a segmenter's slips ("区派/发城/中村") cannot break
            share = max(share, shared_pairs / len(pairs) if pairs else 0.0)
            accepted = share >= needed and bool(statement.level or local or statement.not_done)
            # Half the words and the very result promised, in this street: no accusation of
            # "missing"; a low-confidence match that goes to review.
            accepted = accepted or (
                share >= rules.topic_containment
                and shared_pairs >= 4
                and _reaches(_level(statement), commitment.level)
                and not wider_scope(statement.text, rules)
            )
            # A quoted name of the plan ("推出“XX免查”") said again with a result: the same object.
            if not accepted and (said := [q for q in quoted if q in statement.compact_text]):
                accepted = bool(statement.level or statement.not_done)
                if accepted:
                    why.add("quoted_name", said[0], _short(statement.text), 0.5)
                    share = max(share, rules.topic_containment)
        if accepted:
            exact = any(_same_value(t, local) for t in comparable)
            lead = max((_lead_overlap(lead, statement.text) for lead in target_leads), default=0)
            score = share + (0.1 if comparable else 0) + (0.1 if exact else 0)
            scored.append((score, own, lead, statement))
        elif share >= rules.topic_containment:
            why.add("topic_near", _short(statement.text), f"{share:.2f}", 0)
    if not scored:
        return _missing(commitment, any(r["rule"] == "topic_near" for r in why), why)
    # Clauses of one sentence share its words. On a tie, the clause that says the words itself wins,
    # then the one whose words lead like the target's ("宣传讲座196场", not "示范活动26场").
    scored.sort(key=lambda entry: (-entry[0], -entry[1], -entry[2], entry[3].id))
    score, _, _, statement = scored[0]
    why.add("topic_match", " ".join(words), _short(statement.text), min(score, 1.0))
    if statement.not_done:
        why.add("reported_not_done", _short(commitment.text), _short(statement.text), -1.0)
        return Verdict(
            "missing", "reported_not_done", confidence=min(score, 1.0) * 0.8, evidence=_evidence([statement])
        )
    # With targets, the whole statement's level, as the count may stand in another clause.
    level = _level(statement) if commitment.targets else _topic_level(statement, words, ctx)
    verdict = _judge(commitment, [statement], [level], [], ctx, why)
    verdict.confidence = min(score, 1.0) * 0.85
    second = scored[1][0] if len(scored) > 1 else 0
    verdict.disputed = score - second < rules.close_candidates
    verdict.evidence = _evidence([statement])
    verdict.candidates = [
        {"statement_id": entry[3].id, "score": round(min(entry[0], 1.0), 3)} for entry in scored[:5]
    ]
    return verdict


def _reaches(level: str | None, promised: str | None) -> bool:
    return level is not None and LEVELS.index(level) >= LEVELS.index(promised or "start")


def _ordinal_differs(ordinals: dict[str, str], statement: StatementView) -> tuple[str, str] | None:
    """第三批 against 第二批 of the same kind: a different batch, phase or round, not this one."""
    for number, kind in _ordinals(statement.compact_text):
        promised = next((n for n, k in ordinals.items() if k == kind), None)
        if promised is not None and promised != number and number not in ordinals:
            return _written(promised, kind), _written(number, kind)
    return None


def _ordinals(text: str) -> list[tuple[str, str]]:
    return [(number or year, kind or batch) for number, kind, year, batch in ORDINAL.findall(text)]


def _written(number: str, kind: str) -> str:
    return f"{number}年{kind}" if kind == "批次" else f"第{number}{kind}"


def _share(words: list[str], text: str) -> float:
    """The share of the words that text (a statement's clause, or its sentence) holds."""
    return sum(word in text for word in words) / len(words) if words else 0.0


def _bigrams(text: str) -> set[str]:
    return set(CJK_BIGRAM.findall(text))


def _clause_words(tokens: list[str], ctx: Context, text: str, target: dict) -> list[str]:
    """The words of the clause holding the target, common nouns included ("开展招商活动20场以上");
    none when that clause has fewer than two."""
    raw = compact(target["raw"])
    clause = next((part for part in re.split(r"[,，;；:：]", compact(text)) if raw in part), "")
    found = [word for word in _content_words(tokens) if word in clause and word not in ctx.function_words]
    found = list(dict.fromkeys(found))
    return found if len(found) >= 2 else []


def _content_words(tokens: list[str]) -> list[str]:
    return [
        t
        for t in tokens
        if len(t) >= 2 and re.search(r"[\u4e00-\u9fff]", t) and not any(char.isdigit() for char in t)
    ]


def _topic_words(tokens: list[str], ctx: Context) -> list[str]:
    """Content words of a commitment: no verbs, function words, numbers or common nouns.

    A commitment made only of common words ("招引重点项目10宗以上") keeps its
    common nouns, and one made only of verbs ("完成…挂牌督办整治任务") its verbs.
    """
    words = [t for t in _content_words(tokens) if t not in ctx.streets]  # 新桥 says where, not what
    common = ctx.function_words | ctx.rules.topic_stop_words
    for excluded in (ctx.stop_words | ctx.rules.topic_stop_words, common, ctx.function_words, frozenset()):
        kept = [t for t in words if t not in excluded]
        if kept:
            return list(dict.fromkeys(kept))
    return []


def _local_quantities(statement: StatementView, rules: ScoringRules) -> list[dict]:
    """The statement's quantities outside district- or city-wide segments."""
    text = statement.compact_text
    if not statement.quantities or not any(word in text for word in rules.wider_scope_words):
        return list(statement.quantities)  # no wider segment: the common case, without splitting
    wide = [seg for seg in re.split(r"[,,;;]", text) if wider_scope(seg, rules)]
    return [q for q in statement.quantities if not any(compact(q["raw"]) in seg for seg in wide)]


def _same_figures(targets: list[dict], quantities: list[dict]) -> bool:
    """Every target stands in the statement with its very figure, and the figures are telling:
    two or more, or one that no one rounds ("提高6栋234户…" and "惠及6栋楼234户居民")."""
    if not all(_same_value(t, quantities) for t in targets):
        return False
    return len(targets) >= 2 or not _round(targets[0]["quantity"])


def _round(value: float) -> bool:
    return value < 100 or float(value).is_integer() and int(value) % 10 == 0


def _same_value(target: dict, quantities: list[dict]) -> bool:
    return any(q["unit"] == target["unit"] and q["quantity"] == target["quantity"] for q in quantities)


def _judge(
    commitment: CommitmentView,
    statements: list[StatementView],
    levels: list[str | None],
    statuses: list[tuple[str, float]],
    ctx: Context,
    why: Explanation,
) -> Verdict:
    """Quantities, then level, on the evidence found; the first shortfall found is the reason."""
    reported = []
    for target in commitment.targets:
        quantity = _comparable_in(target, commitment.text, statements, ctx.rules)
        if quantity is None:
            why.add("quantity_unreported", target["raw"], "", 0)
            continue
        reported.append({"target": target["raw"], "reported": quantity["raw"]})
        value, goal = quantity["quantity"], target["quantity"]
        if target["comparator"] in ("<=", "<"):
            if value > goal:
                why.add("bound_missed", target["raw"], quantity["raw"], -0.5)
                statuses.append(("bound_missed", goal / value if value else 0.0))
            else:
                why.add("bound_kept", target["raw"], quantity["raw"], 0.5)
            continue
        ratio = value / goal if goal else 1.0
        short = ratio < 1 or (  # "近800场" falls short of "不少于800场"; "约800场" of "超过800场"
            ratio == 1
            and (
                quantity["comparator"] == "<"
                or (quantity["comparator"] in ("~", "<=") and target["comparator"] == ">")
            )
        )
        why.add(
            "quantity_short" if short else "quantity_met",
            target["raw"],
            quantity["raw"],
            -0.5 if short else 0.5,
        )
        if short:
            statuses.append(("quantity_short", round(ratio, 3)))
    promised = commitment.level or "start"
    reached = [level for level in levels if level]
    if (
        reported
        and len(reported) == len(commitment.targets)
        and not statuses
        and not commitment.items
        and "nearly_done" not in reached
    ):
        # Every target met: the amount reported is the result promised. Not for named items,
        # whose own clauses say how far each got ("…主体完工,8个应急管理服务站加快建设"), nor
        # when the statement says the result is still to come ("4个社区的项目即将投入运行").
        reached = ["done"]
    if reached and LEVELS.index(min(reached, key=LEVELS.index)) < LEVELS.index(promised):
        lowest = min(reached, key=LEVELS.index)
        why.add("level_short", promised, lowest, -0.5)
        statuses.append(("level_short", None))
    elif reached:
        why.add("level_met", promised, max(reached, key=LEVELS.index), 0.5)
    flags = ["late"] if _late(commitment, statements) else []
    if flags:
        why.add("late", commitment.deadline or "", "reported after the deadline", 0)
    if statuses:
        reason, ratio = statuses[0]
        return Verdict("partial", reason, flags=flags, ratio=ratio, reported=reported)
    return Verdict("done", None, flags=flags, reported=reported)


def _missing(commitment: CommitmentView, near_miss: bool, why: Explanation) -> Verdict:
    why.add("not_mentioned", _short(commitment.text), "no statement reports on it", 0)
    return Verdict("missing", "not_mentioned", confidence=0.5 if near_miss else 0.85)


def _level(statement: StatementView) -> str:
    """The level a statement reports; a bare amount ("调解纠纷2775宗") is a done amount,
    a statement about the item with no result word reports work under way."""
    if statement.level:
        return statement.level
    return "done" if statement.quantities else "start"


def _best(hits: list[tuple[StatementView, NameHit]], words: list[str]) -> tuple[StatementView, NameHit]:
    """The statement naming the item best, then sharing most of the commitment's words."""
    return max(
        hits,
        key=lambda pair: (
            pair[1].score,
            sum(word in pair[0].compact_text for word in words),
            not pair[0].not_done,
            LEVELS.index(_level(pair[0])),
            -pair[0].id,
        ),
    )


def _item_level(statement: StatementView, hit: NameHit, ctx: Context) -> str:
    """The level reported for this item: that of its own clause within the statement.

    "纬二路、纬三路建成通车,纬四路完成前期规划设计" reports 纬四路 at the
    preparation level, whatever the rest of the statement says. A clause
    without a result word takes the next clause's ("…安居福汇阁,主体已封顶").
    """
    parts = re.split(r"[,,;;]", statement.compact_text)
    head = hit.mention.split("…")[0]
    where = next((i for i, part in enumerate(parts) if head and head in part), None)
    return _clause_level(statement, parts, where, ctx)


def _topic_level(statement: StatementView, words: list[str], ctx: Context) -> str:
    """The level reported for the commitment's object: that of the clause holding most of its words.

    "围堤施工全面完成,纳土、地基处理工程完成85%" reports the fill and ground works
    nearly done, whatever the dyke's clause says.
    """
    parts = re.split(r"[,,;;]", statement.compact_text)
    held = [sum(word in part for word in words) for part in parts]
    return _clause_level(statement, parts, held.index(max(held)), ctx)


def _clause_level(statement: StatementView, parts: list[str], where: int | None, ctx: Context) -> str:
    """The level of clause `where` of the statement, or of the next clause when it has no result
    word ("…安居福汇阁,主体已封顶"); the whole statement's when there is no such clause."""
    if where is None or len(parts) == 1 or ctx.level_of is None:
        return _level(statement)
    for part in parts[where : where + 2]:
        if level := ctx.level_of(part):
            return level
    return _level(statement)


def _disagree(hits: list[tuple[StatementView, NameHit]]) -> bool:
    levels = {LEVELS.index(_level(s)) for s, _ in hits if not s.not_done}
    finished = any(s.not_done for s, _ in hits) and len(levels) > 0
    return (max(levels) - min(levels) >= 2 if levels else False) or (finished and max(levels) == 3)


def _close_second(hits: dict, best: dict, rules: ScoringRules) -> bool:
    for item, (statement, hit) in best.items():
        others = [h.score for s, h in hits[item] if s.id != statement.id and _level(s) != _level(statement)]
        if others and hit.score - max(others) < rules.close_candidates:
            return True
    return False


def _ranking(hits: dict) -> list[dict]:
    seen: dict[int, float] = {}
    for pairs in hits.values():
        for statement, hit in pairs:
            seen[statement.id] = max(seen.get(statement.id, 0), hit.score)
    return [{"statement_id": i, "score": round(s, 3)} for i, s in sorted(seen.items(), key=lambda x: -x[1])][
        :5
    ]


def _comparable(target: dict, quantities: list[dict], rules: ScoringRules) -> bool:
    return any(_same_measure(target, q, rules) for q in quantities)


def _comparable_in(
    target: dict, commitment_text: str, statements: list[StatementView], rules: ScoringRules
) -> dict | None:
    """The statement quantity measuring what the target measures.

    Same unit first, then the counted noun, then the words just before the
    number: "总产值达到400亿元" is compared with "总产值377.5亿元", not with
    the "地区生产总值176亿元" of the same sentence.
    """
    target_lead = _lead(commitment_text, target["raw"])
    for statement in statements:
        matching = [q for q in _local_quantities(statement, rules) if _same_measure(target, q, rules)]
        if matching:
            return max(
                matching,
                key=lambda q: (
                    q["unit"] == target["unit"],
                    _noun_similarity(target, q),
                    _lead_overlap(target_lead, _lead(statement.text, q["raw"])),
                    fuzz.partial_ratio(target_lead, _lead(statement.text, q["raw"])),
                ),
            )
    return None


def _lead(text: str, raw: str) -> str:
    """The words right before a quantity, back to the previous punctuation or number."""
    position = text.find(raw)
    if position < 0:
        return ""
    return re.split(r"[,,;;。0-9]", text[max(0, position - 12) : position])[-1]


def _lead_overlap(target_lead: str, lead: str) -> int:
    """Character pairs two leads share: "宣传、讲座活动不少于180场" measures "宣传讲座196场",
    not "示范活动26场" of the same sentence."""
    return len(_bigrams(target_lead) & _bigrams(lead))


def _same_measure(target: dict, quantity: dict, rules: ScoringRules) -> bool:
    """Same kind and unit (or two counting classifiers); counted nouns rank, they do not bar."""
    if target.get("kind", "level") != quantity.get("kind", "level"):
        return False
    units = {target["unit"], quantity["unit"]}
    return len(units) == 1 or units <= rules.count_units


def _noun_similarity(target: dict, quantity: dict) -> float:
    if not target.get("noun") or not quantity.get("noun"):
        return 100.0
    return fuzz.partial_ratio(target["noun"], quantity["noun"])


def _late(commitment: CommitmentView, statements: list[StatementView]) -> bool:
    """The summary dates the result after the promised month (or in a later year)."""
    due = _deadline_month(commitment.deadline)
    if due is None:
        return False
    year = int(commitment.period[:4])
    for statement in statements:
        for match in MONTH.finditer(statement.text):
            month = _month_value(match.group(2))
            stated_year = int(match.group(1)[:4]) if match.group(1) else year
            if month and (stated_year > year or (stated_year == year and month > due)):
                return True
    return False


def _deadline_month(deadline: str | None) -> int | None:
    if not deadline:
        return None
    for word, month in DEADLINE_MONTHS.items():
        if word in deadline:
            return month
    match = MONTH.search(deadline)
    return _month_value(match.group(2)) if match else None


def _month_value(text: str) -> int | None:
    value = int(text) if text.isdigit() else CN_MONTHS.get(text)
    return value if value and 1 <= value <= 12 else None


def _content(tokens: list[str], stop_words: frozenset[str]) -> str:
    return " ".join(t for t in tokens if len(t) >= 2 and t not in stop_words and not t[0].isdigit())


def _evidence(statements: list[StatementView]) -> list[Evidence]:
    return [
        Evidence(s.doc, s.sentence, s.sentence_start, s.sentence_end, s.id) for s in _unique(statements)[:3]
    ]


def _unique(statements: list[StatementView]) -> list[StatementView]:
    seen: dict[int, StatementView] = {}
    for statement in statements:
        seen.setdefault(statement.id, statement)
    return list(seen.values())


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
