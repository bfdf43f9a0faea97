"""The object of a commitment: the thing its verb applies to, as runs of its nouns.

"新认定高新技术企业3家" is about 高新技术企业, "新建“两新”组织党群服务站点6个" about
站点 (not the 党群服务中心 of the summary), "建成文锦社区24小时城市书房" about a 书房
in 文锦社区. A statement speaks of the object when it says a run's head noun, a
synonym of it, or another form of the run (comparisons.other_form); a statement
naming only the place of the object (文锦社区's canteen) is no evidence for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.link import CommitmentView, StatementView
from tracker.normalize import compact
from tracker.verdict.commonness import zipf
from tracker.verdict.comparisons import NUMERAL, Level, NameHit, numbered_like, other_form
from tracker.verdict.model import Context
from tracker.verdict.words import bigrams

QUOTES = frozenset("“”‘’\"'《》")
NUMBERED = re.compile(r"((?:[0-9]+|[一二三四五六七八九十]+)号)([\u4e00-\u9fff]*)")
CLAUSE_END = re.compile(r"[,，;；:：、。]")


def noun_runs(commitment: CommitmentView, ctx: Context) -> list[tuple[str, ...]]:
    """Runs of the commitment's nouns, in order: its tokens between verbs, level words, numbers,
    function words and punctuation (quotes do not break a run: “家门口”服务站 is one). A
    common noun (topic_stop_words: 服务, a verb too) stays inside a run but is no run alone;
    a token inside a longer level or verb phrase of the text (投入|使用), a target or the
    deadline is no noun."""
    text = compact(commitment.text)
    common_nouns = ctx.rules.topic_stop_words
    breaking = ctx.breaking_words
    spoken = [word for word in ctx.long_breaking_words if word in text]
    said_apart = [compact(commitment.deadline or "")] + [compact(t["raw"]) for t in commitment.targets]
    runs: list[list[str]] = [[]]
    for token in commitment.tokens:
        if token in QUOTES:
            continue
        if (
            len(token) >= 2
            and re.fullmatch(r"[\u4e00-\u9fff]+", token)
            and not NUMERAL.search(token)
            and token not in breaking
            and token not in ctx.streets
            and token not in ctx.rules.history_words  # 上年 of "控制在上年的80%以内" is a reference
            and not any(token in words for words in said_apart)  # 不少|于720对, 年底
            and not any(token in word for word in spoken)
        ):
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [tuple(run) for run in runs if any(token not in common_nouns for token in run)]


def object_run(commitment: CommitmentView, runs: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """Of the commitment's noun runs, the one the result applies to: the one next to the first
    target (before it, "新增城市绿地4万平方米", else after it, "7个综合整治园区"), else the last
    one ("…成立商圈党委")."""
    if not runs:
        return None
    if not commitment.targets:
        return runs[-1]
    text = "".join(char for char in compact(commitment.text) if char not in QUOTES)
    at = text.find(compact(commitment.targets[0]["raw"]))
    placed = [(text.find("".join(run)), run) for run in runs]
    before = [run for start, run in placed if 0 <= start < at]
    after = [run for start, run in placed if start > at >= 0]
    return before[-1] if before else (after[0] if after else runs[-1])


def head(run: tuple[str, ...], ctx: Context) -> str:
    """The kind of thing a run names: its last word that is no common noun and is rarer than
    distinctive_zipf (站点 of 党群服务站点, 经营性 of 集体经营性收入), else its last word that is
    no common noun; a word that counts or measures the one before it (起数, 总量) gives way to it."""
    limit = ctx.rules.matching.distinctive_zipf
    own = [word for word in run if word not in ctx.rules.topic_stop_words]
    if len(own) > 1 and own[-1].endswith(ctx.rules.matching.measure_nouns):
        own = own[:-1]  # 火灾|起数: the count of fires, whose kind of thing is 火灾
    return next((word for word in reversed(own) if zipf(word) < limit), own[-1])


def says_object(runs: list[tuple[str, ...]], text: str, ctx: Context) -> bool:
    """Does text say the head of one of the runs, a synonym of it, or a form of the run?"""
    synonyms = ctx.rules.matching.synonyms
    for run in runs:
        kind = head(run, ctx)
        if any(name in text for name in (kind, *synonyms.get(kind, ()))) or object_said(run, text, ctx):
            return True
    return False


def object_said(run: tuple[str, ...], text: str, ctx: Context) -> NameHit | None:
    """The run's phrase in text, whole or from a later word on (技术企业 of 高新技术企业, at
    least two words), or another form of it (高企)."""
    weights = ctx.rules.matching.weights
    tails = phrase_tails(run)
    for phrase in tails:
        if phrase in text:
            return NameHit(Level.EXACT, weights[Level.EXACT], phrase)
    for phrase in tails:
        if hit := other_form(phrase, text, ctx.rules, ctx.own_places):
            return hit
    return None


@lru_cache(maxsize=4096)
def phrase_tails(run: tuple[str, ...]) -> tuple[str, ...]:
    """The run's phrase whole and from each later word on, at least two words: once per run, not
    once per statement the missing gate reads."""
    return tuple("".join(run[start:]) for start in range(max(1, len(run) - 1)))


def object_after_item(item: str, commitment: CommitmentView, ctx: Context) -> list[str]:
    """The character pairs of the object a commitment names after an item that is a place
    (社区, 村, 项目: matching.toml containers), up to the next verb, deadline or target,
    common words left out ("建成文锦社区24小时城市书房": 书房, 市书, 时城): the thing to be done
    at the place, which a statement must say too. Empty for an item that is the object."""
    if not compact(item).endswith(ctx.rules.matching.containers):
        return []
    text = compact(commitment.text)
    position = text.find(compact(item))
    if position < 0:
        return []
    after = text[position + len(compact(item)) :]
    while after.startswith("、"):  # a list of places: the object follows the last of them
        after = after[1:]
        after = after[next((len(i) for i in map(compact, commitment.items) if after.startswith(i)), 0) :]
    after = CLAUSE_END.split(after)[0]
    for said in [compact(commitment.deadline or "")] + [compact(t["raw"]) for t in commitment.targets]:
        after = after.replace(said, "") if said else after  # "文锦社区24小时城市书房": 城市书房
    words = (*ctx.stop_words, *ctx.function_words)
    # "在A村、B村建成|幸福院": the thing to be done at the places follows the verb after them
    opening = max((len(word) for word in words if word and after.startswith(word)), default=0)
    after = after[opening:]
    cut = min([after.find(word) for word in words if word and word in after] + [len(after)])
    limit = ctx.rules.matching.distinctive_zipf
    return [pair for pair in bigrams(after[:cut]) if zipf(pair) < limit]


def numbered_conflict(commitment: CommitmentView, statement: StatementView) -> str | None:
    """A numbered thing of the commitment written with another numeral (二号冷库, 一号冷库)."""
    for name, like in numbered_things(tuple(commitment.tokens)):
        for other in like.finditer(statement.compact_text):
            if other.group() != name:
                return other.group()
    return None


@lru_cache(maxsize=4096)
def numbered_things(tokens: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The numbered things the tokens name (二号冷库), each with the pattern of its name under any
    numeral: once per commitment, not once per statement it is checked against."""
    found = []
    for position, token in enumerate(tokens):
        numbered = NUMBERED.fullmatch(token)
        if numbered is None:
            continue
        noun = numbered.group(2) or (tokens[position + 1] if position + 1 < len(tokens) else "")
        like = numbered_like(numbered.group(1) + noun) if noun else None
        if like:
            found.append((numbered.group(1) + noun, like))
    return tuple(found)


def promised_rank(promise: str, kind: str, ctx: Context) -> str | None:
    """The rank the promise gives its thing of this kind (省级 of "新增省级专精特新中小企业"), or None:
    read once per commitment, for other_rank."""
    return _rank_before(_unquoted(promise), kind, ctx.rules.matching.ranks)


def other_rank(own_rank: str | None, kind: str, text: str, ctx: Context) -> str | None:
    """The rank text gives the thing of this kind where it differs from the promised one
    (promised_rank: "市级专精特新企业" for "省级专精特新中小企业": an award or body of another rank is
    another thing), at every place text says the kind; None when one agrees or says no rank, or
    the promise names none."""
    if own_rank is None:
        return None
    ranks = ctx.rules.matching.ranks
    found = None
    text = _unquoted(text)  # 市级“专精特新”中小企业
    for said in re.finditer(re.escape(kind), text):
        rank = _rank_before(text[: said.end()], kind, ranks)
        if rank is None or rank == own_rank:
            return None
        found = rank
    return found


def _unquoted(text: str) -> str:
    return "".join(char for char in text if char not in QUOTES)


def _rank_before(text: str, kind: str, ranks: tuple[str, ...]) -> str | None:
    """The rank word within the ten characters of the clause before the last `kind` of text
    (quotes already taken out)."""
    at = text.rfind(kind)
    if at < 0:
        return None
    before = re.split(r"[^\u4e00-\u9fff]", text[max(0, at - 10) : at])[-1]
    return next((rank for rank in ranks if rank in before), None)
