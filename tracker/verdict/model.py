"""What a verdict is made of: the verdict, its evidence, its explanation, and what deciding needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from tracker.gazetteer import TOWNSHIP_END
from tracker.link import StatementView
from tracker.quantities import QuantityRules
from tracker.verdict.scoring_rules import ScoringRules


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
    """The (rule, left, right, weight) records that report, review and export show alike."""

    def add(self, rule: str, left: str, right: str, weight: float) -> None:
        self.append({"rule": rule, "left": left, "right": right, "weight": round(weight, 3)})


@dataclass(frozen=True)
class Context:
    """What an assessment needs besides the pair: rules, the street, the stop words, name suffixes."""

    rules: ScoringRules
    street: str | None
    streets: frozenset[str]  # the townships of the street's city, full names ("福永街道")
    stop_words: frozenset[str]
    suffixes: tuple[str, ...] = ()  # longest first
    function_words: frozenset[str] = frozenset()
    level_of: Callable[[str], str | None] | None = None  # the result level a text reports
    unplaced: str | None = None  # why the plan's place pairs it with no summary
    quantity_rules: QuantityRules = QuantityRules()
    not_done_of: Callable[[str], bool] | None = None  # whether a text says the work did not happen
    # the level a text reports for the very result a commitment's text promises (None: not said)
    promised_level_of: Callable[[str, str], str | None] | None = None
    # the cores of the place's own names (临溪, 东兴, 内江, 四川), longest first: its names may drop them
    own_places: tuple[str, ...] = ()

    @cached_property
    def street_words(self) -> frozenset[str]:
        """The townships' names with and without their suffix: they say where, not what."""
        return self.streets | {TOWNSHIP_END.sub("", name) for name in self.streets}

    @cached_property
    def breaking_words(self) -> frozenset[str]:
        """The words that end a run of nouns (objects.noun_runs): verbs, level and function words,
        not the common nouns. Once per street, not once per commitment."""
        return (self.stop_words | self.function_words) - self.rules.topic_stop_words

    @cached_property
    def long_breaking_words(self) -> tuple[str, ...]:
        """The breaking words of more than two characters, whose tokens are no nouns either."""
        return tuple(word for word in self.breaking_words if len(word) > 2)

    @cached_property
    def measures(self) -> QuantityRules:
        """The quantity rules with scoring.toml's interchangeable counting classifiers."""
        return replace(self.quantity_rules, interchangeable=self.rules.count_units)

    def suffix_of(self, item: str) -> str | None:
        return next((suffix for suffix in self.suffixes if item.endswith(suffix)), None)


def cite(statements: list[StatementView]) -> list[Evidence]:
    """The evidence of a verdict: the sentences of its statements, at most three."""
    return [
        Evidence(s.doc, s.sentence, s.sentence_start, s.sentence_end, s.id) for s in unique(statements)[:3]
    ]


def unique(statements: list[StatementView]) -> list[StatementView]:
    seen: dict[int, StatementView] = {}
    for statement in statements:
        seen.setdefault(statement.id, statement)
    return list(seen.values())


def short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
