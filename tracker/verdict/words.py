"""The words a commitment is about, and how many of them a statement holds."""

from __future__ import annotations

import re

from tracker.normalize import compact
from tracker.verdict.model import Context

CJK_BIGRAM = re.compile(r"(?=([\u4e00-\u9fff]{2}))")  # every pair of Chinese characters, overlapping


def bigrams(text: str) -> set[str]:
    return set(CJK_BIGRAM.findall(text))


def share(words: list[str], text: str) -> float:
    """The share of the words that text (a statement's clause, or its sentence) holds."""
    return sum(word in text for word in words) / len(words) if words else 0.0


def content_words(tokens: list[str]) -> list[str]:
    return [
        t
        for t in tokens
        if len(t) >= 2 and re.search(r"[\u4e00-\u9fff]", t) and not any(char.isdigit() for char in t)
    ]


def topic_words(tokens: list[str], ctx: Context) -> list[str]:
    """Content words of a commitment: no verbs, function words, numbers or common nouns.

    A commitment made only of common words ("招引重点项目10宗以上") keeps its
    common nouns, and one made only of verbs ("完成…挂牌督办整治任务") its verbs.
    """
    # 新桥 says where, not what; 控制在, 以内 and 上年 say how much
    words = [
        t for t in content_words(tokens) if t not in ctx.street_words and not ctx.measures.is_quantity_word(t)
    ]
    common = ctx.function_words | ctx.rules.topic_stop_words
    for excluded in (ctx.stop_words | ctx.rules.topic_stop_words, common, ctx.function_words, frozenset()):
        kept = [t for t in words if t not in excluded]
        if kept:
            return list(dict.fromkeys(kept))
    return []


def clause_words(tokens: list[str], ctx: Context, text: str, target: dict) -> list[str]:
    """The words of the clause holding the target, common nouns included ("开展招商活动20场以上");
    none when that clause has fewer than two."""
    raw = compact(target["raw"])
    clause = next((part for part in re.split(r"[,，;；:：]", compact(text)) if raw in part), "")
    found = [word for word in content_words(tokens) if word in clause and word not in ctx.function_words]
    found = list(dict.fromkeys(found))
    return found if len(found) >= 2 else []
