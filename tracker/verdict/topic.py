"""A commitment without names (or none found): the statement on the same object.

Same object: most of the commitment's content words stand in the statement;
with targets, the statement must also carry a comparable quantity of this
street (not a district-wide one); without, a result word and more of the
content words.
"""

from __future__ import annotations

import re

from tracker.link import CommitmentView, StatementView
from tracker.names import quoted_phrases
from tracker.normalize import compact
from tracker.verdict.comparisons import Level, ordinal_differs
from tracker.verdict.gate import not_mentioned
from tracker.verdict.judge import judge
from tracker.verdict.level import reaches, statement_level, topic_level
from tracker.verdict.model import Context, Explanation, Verdict, cite, short
from tracker.verdict.objects import (
    QUOTES,
    head,
    noun_runs,
    object_run,
    object_said,
    other_rank,
    promised_rank,
    says_object,
)
from tracker.verdict.quantities import (
    comparable,
    lead_overlap,
    local_quantities,
    named_count,
    same_figures,
    same_value,
    target_leads,
)
from tracker.verdict.scope import wider_scope
from tracker.verdict.words import bigrams, clause_words, share, topic_words


def by_topic(
    commitment: CommitmentView, statements: list[StatementView], ctx: Context, why: Explanation
) -> Verdict:
    rules = ctx.rules
    words = topic_words(commitment.tokens, ctx)
    if not words:
        return not_mentioned(commitment, False, ctx, why)
    scored = []
    # Per target, the words of its own clause; the commitment's character pairs: both once.
    words_of_clauses = [clause_words(commitment.tokens, ctx, commitment.text, t) for t in commitment.targets]
    promise = compact(commitment.text)
    pairs = bigrams(promise)
    quoted = [q for q in quoted_phrases(compact(commitment.text)) if len(q) >= 3]
    leads = target_leads(commitment, ctx)
    runs = noun_runs(commitment, ctx)
    phrase = object_run(commitment, runs)  # "在文三数字生活街区成立商圈党委": 商圈党委
    kind = head(phrase, ctx) if phrase is not None else None  # read once: whose rank it is
    rank = promised_rank(promise, kind, ctx) if kind else None
    # A count is of the thing its own clause names ("…优质项目,全年开展招商活动20场以上": 活动).
    clauses = [_clause_of(commitment.text, target) for target in commitment.targets]
    counted_runs = [run for run in runs if any("".join(run) in clause for clause in clauses)]
    counted = any(t["unit"] not in rules.matching.measure_units for t in commitment.targets)
    for statement in statements:
        if differing := ordinal_differs(commitment.text, statement):
            why.add("numeral_differs", differing[0], differing[1], -1.0)
            continue
        held = own = share(words, statement.compact_text)
        local = local_quantities(statement, rules)
        comparable_targets = [
            t
            for t, target_lead in zip(commitment.targets, leads, strict=True)
            if comparable(t, target_lead, statement, local, ctx)
            or named_count(t, target_lead, [statement], ctx) is not None
        ]
        if comparable_targets:
            # The clause that holds the target says what is counted ("…,上半年走访企业不少于2000家次").
            sentence = statement.compact_sentence
            held = max(
                [held]
                + [
                    share(words_of_clause, sentence)
                    for target, words_of_clause in zip(commitment.targets, words_of_clauses, strict=True)
                    if target in comparable_targets
                ]
            )
        if commitment.targets:
            # A shared unit alone ("5公里" and "碧道2.4公里") does not say the same thing is measured.
            things = [w for group in (words, *words_of_clauses) for w in group if w not in ctx.measures.units]
            accepted = (
                bool(comparable_targets)
                and share(things, statement.compact_sentence) > 0
                and (
                    held >= rules.topic_containment or (held > 0 and same_figures(commitment.targets, local))
                )
            )
        else:
            needed = min(1.0, rules.topic_containment + 0.15)
            shared_pairs = len(pairs & bigrams(statement.compact_text))
            # character pairs: a measure that a segmenter's slips ("区派/发城/中村") cannot break
            held = max(held, shared_pairs / len(pairs) if pairs else 0.0)
            accepted = held >= needed and bool(statement.level or local or statement.not_done)
            # Half the words and the very result promised, in this street: no accusation of
            # "missing"; a low-confidence match that goes to review.
            accepted = accepted or (
                held >= rules.topic_containment
                and shared_pairs >= 4
                and reaches(statement_level(statement), commitment.level)
                and not wider_scope(statement.text, rules)
            )
            # A quoted name of the plan ("推出“XX免查”") said again with a result: the same object.
            if not accepted and (said := [q for q in quoted if q in statement.compact_text]):
                accepted = bool(statement.level or statement.not_done)
                if accepted:
                    why.add("quoted_name", said[0], short(statement.text), 0.5)
                    held = max(held, rules.topic_containment)
        if (
            not accepted
            and phrase is not None
            and (comparable_targets or not commitment.targets)
            and (statement.level or local)
            and (said := object_said(phrase, statement.compact_text, ctx)) is not None
            and said.how is not Level.EXACT  # its words written as they are: the share above
        ):
            # the object written another way: 固投 for 固定资产投资, 高企 for 高新技术企业
            why.add(f"object_{said.how}", "".join(phrase), said.mention, said.score)
            accepted, held = True, 1.0
        sentence = statement.compact_sentence
        if (
            accepted  # says_object is what costs here: asked of accepted statements only
            and counted
            and counted_runs
            and not says_object(counted_runs, sentence, ctx)
            and not same_figures(commitment.targets, local)
        ):
            # The same words and a count of another thing: "3个党群服务中心" for "党群服务站点6个".
            why.add(
                "head_differs", "、".join(head(run, ctx) for run in counted_runs), short(statement.text), 0
            )
            accepted = False
        if accepted and kind and (other := other_rank(rank, kind, sentence, ctx)):
            # The same kind of thing of another rank: "市级专精特新企业7家" for "省级…5家".
            why.add("rank_differs", "".join(phrase), other, 0)
            accepted = False
        if accepted:
            other_thing = phrase is not None and not says_object([phrase], sentence, ctx)
            exact = any(same_value(t, local) for t in comparable_targets)
            leading = max((lead_overlap(lead_words, statement.text) for lead_words in leads), default=0)
            # Without a count, a statement that does not say what the object is ranks lower.
            score = held + (0.1 if comparable_targets else 0) + (0.1 if exact else 0)
            score -= 0.2 if other_thing and not commitment.targets else 0
            scored.append((score, own, leading, statement))
        elif held >= rules.topic_containment:
            why.add("topic_near", short(statement.text), f"{held:.2f}", 0)
    if not scored:
        return not_mentioned(commitment, any(r["rule"] == "topic_near" for r in why), ctx, why)
    # Clauses of one sentence share its words. On a tie, the clause that says the words itself wins,
    # then the one whose words lead like the target's ("宣传讲座196场", not "示范活动26场").
    scored.sort(key=lambda entry: (-entry[0], -entry[1], -entry[2], entry[3].id))
    score, _, _, statement = scored[0]
    why.add("topic_match", " ".join(words), short(statement.text), min(score, 1.0))
    # A figure reported for a target is delivery, however short of it and however the statement
    # regrets it ("…同比增长4.3%,未能完成年度目标" is partial, not undone).
    if statement.not_done and not any(
        comparable(target, target_lead, statement, local_quantities(statement, rules), ctx)
        for target, target_lead in zip(commitment.targets, leads, strict=True)
    ):
        why.add("reported_not_done", short(commitment.text), short(statement.text), -1.0)
        return Verdict(
            "missing",
            "reported_not_done",
            confidence=min(score, 1.0) * rules.confidence.topic_not_done,
            evidence=cite([statement]),
        )
    # With targets, the whole statement's level, as the count may stand in another clause.
    level = (
        statement_level(statement)
        if commitment.targets
        else topic_level(statement, words, ctx, commitment.text)
    )
    verdict = judge(commitment, [statement], [level], [], ctx, why)
    verdict.confidence = min(score, 1.0) * rules.confidence.topic
    second = scored[1][0] if len(scored) > 1 else 0
    verdict.disputed = score - second < rules.close_candidates
    verdict.evidence = cite([statement])
    verdict.candidates = [
        {"statement_id": entry[3].id, "score": round(min(entry[0], 1.0), 3)} for entry in scored[:5]
    ]
    return verdict


def _clause_of(text: str, target: dict) -> str:
    """The clause of text holding the target, without quotes (runs are read through them)."""
    raw = compact(target["raw"])
    clause = next((part for part in re.split(r"[,，;；:：]", compact(text)) if raw in part), "")
    return "".join(char for char in clause if char not in QUOTES)
