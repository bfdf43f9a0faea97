"""Pair each plan with the follow-up summaries of its street, and propose candidates.

Pairing is by period: an annual plan is checked against the annual summary of
that year, or against both halves; against the first half alone the check is
interim. Blocking keeps the cost proportional to the statements that share a
rare key (a name's character pair, a content word) with a commitment, not to
all pairs. Whether a candidate speaks of the commitment is the verdict
engine's question (tracker.verdict).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tracker.names import numerals_of
from tracker.normalize import compact
from tracker.rules import read_rule_file

CJK_PAIR = re.compile(r"(?=([\u4e00-\u9fff0-9]{2}))")


@dataclass
class StatementView:
    """An outcome statement as linking and scoring see it."""

    id: int
    doc: str
    period: str
    text: str  # the clause, original text
    sentence: str  # the sentence around it, quoted as evidence
    sentence_start: int
    sentence_end: int
    items: list[str]
    quantities: list[dict]
    level: str | None
    not_done: bool
    compact_text: str = ""

    def __post_init__(self) -> None:
        self.compact_text = compact(self.text)

    @cached_property
    def named(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each item as name_match compares it: compacted, with its numerals (once per statement,
        not once per commitment item it is compared with)."""
        return [(name, numerals_of(name)) for name in map(compact, self.items)]

    @cached_property
    def compact_sentence(self) -> str:
        """The sentence around the clause, compacted: once per statement, which scoring reads with
        every commitment of its street."""
        return compact(self.sentence)


@dataclass
class CommitmentView:
    id: str
    street: str | None
    period: str
    text: str
    items: list[str]
    targets: list[dict]
    level: str | None
    deadline: str | None
    checkable: bool
    tokens: list[str]


@dataclass(frozen=True)
class Followup:
    """The summary periods that check a plan period, and whether the check is interim."""

    periods: tuple[str, ...]
    interim: bool


def followup_periods(plan_period: str, summary_periods: set[str]) -> Followup | None:
    """Which summaries of the street check a plan of plan_period (None: none ingested yet)."""
    year, half = plan_period[:4], plan_period[4:]
    if half:
        return (
            Followup((plan_period,), False)
            if plan_period in summary_periods
            else (Followup((year,), False) if year in summary_periods else None)
        )
    if year in summary_periods:
        return Followup((year,), False)
    halves = tuple(p for p in (f"{year}H1", f"{year}H2") if p in summary_periods)
    if len(halves) == 2:
        return Followup(halves, False)
    if halves == (f"{year}H1",):
        return Followup(halves, True)
    return None


@dataclass
class CandidateIndex:
    """Inverted index of the statements of one follow-up, by rare keys.

    Keys are the character pairs of item names, content words (verbs too:
    "招引" says what a statement is about) and quantity units; a key held by
    more than max_key_share of the statements is dropped as too common.
    A commitment's content word is looked for in the statements' text, so
    statements need no segmenting: a pair is in the index already, a longer
    word is found once per index and kept.
    """

    statements: list[StatementView]
    function_words: frozenset[str]
    max_key_share: float
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    words: dict[str, set[int]] = field(default_factory=dict)  # longer words, as looked for
    limit: int = field(init=False)  # the most statements a key may hold
    examined: int = 0

    def __post_init__(self) -> None:
        for position, statement in enumerate(self.statements):
            for key in self._statement_keys(statement):
                self.postings[key].add(position)
        self.limit = max(3, int(self.max_key_share * len(self.statements)))
        self.postings = {k: v for k, v in self.postings.items() if len(v) <= self.limit}

    def _statement_keys(self, statement: StatementView) -> set[str]:
        keys = set(CJK_PAIR.findall(statement.compact_text))
        return keys | {f"unit:{q['unit']}" for q in statement.quantities}

    def _content(self, token: str) -> bool:
        return len(token) >= 2 and token not in self.function_words and not token.isdigit()

    def _holding(self, word: str) -> set[int]:
        """The statements whose text holds word; none if too many do."""
        if len(word) == 2 and CJK_PAIR.match(word):  # a pair: in the index, unless too common
            return self.postings.get(word, set())
        if word not in self.words:
            found = {i for i, statement in enumerate(self.statements) if word in statement.compact_text}
            self.words[word] = found if len(found) <= self.limit else set()
        return self.words[word]

    def candidates(self, commitment: CommitmentView) -> list[StatementView]:
        keys = {pair for item in commitment.items for pair in CJK_PAIR.findall(compact(item))}
        keys |= {f"unit:{target['unit']}" for target in commitment.targets}
        found: set[int] = set()
        for key in keys:
            found |= self.postings.get(key, set())
        for word in {t for t in commitment.tokens if self._content(t)}:
            found |= self._holding(word)
        self.examined += len(found)
        return [self.statements[i] for i in sorted(found)]


def function_words(directory: Path) -> frozenset[str]:
    """Words that say nothing about what a text is about (verbs.toml function_words)."""
    return frozenset(read_rule_file(directory, "verbs.toml").get("function_words", []))


def stop_words(directory: Path) -> frozenset[str]:
    """Verbs, adverbs, function words and level words: no topic of their own."""
    verbs = read_rule_file(directory, "verbs.toml")
    levels = read_rule_file(directory, "levels.toml")
    words = set(verbs.get("verbs", [])) | set(verbs.get("adverbs", [])) | set(verbs.get("function_words", []))
    words |= set(verbs.get("framing", []))
    for level_words in levels.get("levels", {}).values():
        words |= set(level_words)
    return frozenset(words)
