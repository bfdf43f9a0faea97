"""Pair each plan with the follow-up summaries of its street, and propose candidates.

Pairing is by period: an annual plan is checked against the annual summary of
that year, or against both halves; against the first half alone the check is
interim. Blocking keeps the cost proportional to the statements that share a
rare key (a name's character pair, a content word) with a commitment, not to
all pairs. `name_match` decides whether a statement speaks of a committed
item, and refuses the traps of statuses.md: a numeral or ordinal that differs,
a name mentioned as history or background, another street.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from tracker.names import numerals_of
from tracker.normalize import compact
from tracker.rules import RulesError, read_rule_file

CJK_PAIR = re.compile(r"(?=([\u4e00-\u9fff0-9]{2}))")


@dataclass(frozen=True)
class ScoringRules:
    name_similarity: float
    min_fuzzy_name_chars: int
    max_key_share: float
    dispute_below: float
    close_candidates: float
    history_words: tuple[str, ...]
    background_words: tuple[str, ...]
    wider_scope_words: tuple[str, ...]
    scope_ranking_words: tuple[str, ...]
    topic_containment: float
    topic_stop_words: frozenset[str]
    count_units: frozenset[str]
    venue_before: tuple[str, ...] = ()
    venue_verbs: tuple[str, ...] = ()

    @classmethod
    def load(cls, directory: Path) -> ScoringRules:
        data = read_rule_file(directory, "scoring.toml")
        try:
            return cls(
                name_similarity=float(data["name_similarity"]),
                min_fuzzy_name_chars=int(data["min_fuzzy_name_chars"]),
                max_key_share=float(data["max_key_share"]),
                dispute_below=float(data["dispute_below"]),
                close_candidates=float(data["close_candidates"]),
                history_words=tuple(data["history_words"]),
                background_words=tuple(data["background_words"]),
                wider_scope_words=tuple(data["wider_scope_words"]),
                scope_ranking_words=tuple(data["scope_ranking_words"]),
                topic_containment=float(data["topic_containment"]),
                topic_stop_words=frozenset(data["topic_stop_words"]),
                count_units=frozenset(data["count_units"]),
                venue_before=tuple(data.get("venue_before", [])),
                venue_verbs=tuple(data.get("venue_verbs", [])),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise RulesError(f"{directory / 'scoring.toml'}: missing or bad value {error}") from None


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


@dataclass(frozen=True)
class NameHit:
    how: str  # "exact" | "fuzzy"
    score: float  # 0..1
    mention: str  # the name as the statement writes it


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


SHORT_FORM = re.compile(
    r"(?P<place>[^0-9一二三四五六七八九十]{2,})(?P<core>(?:[0-9]+|[一二三四五六七八九十]+)号\w{2,6})"
)
ORDINAL_TAIL = re.compile(r"([0-9.]+|[一二三四五六七八九十]+)(期|号线|版本|标段)$")


def name_match(
    item: str, statement: StatementView, rules: ScoringRules, suffix: str | None = None
) -> NameHit | None:
    """Does the statement name this item? Numerals and ordinals must agree.

    Exact first; then the item's own words written apart ("流塘、天骄小学" for
    流塘小学, "嘉富宝禧、洪田康大2家社康中心"); then a phase named after its
    project ("罗山公园群二期…,三期已动工"); then a close spelling.
    """
    wanted, tail, wanted_numerals = _name_parts(item)
    text = statement.compact_text
    if wanted in text:
        return NameHit("exact", 1.0, wanted)
    if suffix and wanted.endswith(suffix):
        head = wanted[: -len(suffix)]
        apart = _written_apart(head, suffix)
        if apart is not None and apart.search(text):
            return NameHit("split", 0.9, f"{head}…{suffix}")
    if short := _short_form(wanted):
        prefix, core = short
        if re.search(rf"(?<![0-9一二三四五六七八九十]){re.escape(core)}", text) and prefix in compact(
            statement.sentence
        ):
            return NameHit("short", 0.85, f"({prefix}){core}")
    if tail and len(wanted) - len(tail.group()) >= 3:
        base = wanted[: tail.start()]
        if base in text and re.search(rf"(?<![0-9一二三四五六七八九十]){re.escape(tail.group())}", text):
            return NameHit("phase", 0.85, f"{base}…{tail.group()}")
    best: NameHit | None = None
    for other, other_numerals in statement.named:
        if min(len(other), len(wanted)) < rules.min_fuzzy_name_chars:
            continue
        if other_numerals != wanted_numerals and other_numerals and wanted_numerals:
            continue
        if wanted_numerals and not other_numerals:
            continue  # 罗山公园群三期 is not any 罗山公园群
        score = (
            fuzz.partial_ratio(wanted, other)
            if _same_thing_named(wanted, other, suffix)
            else fuzz.ratio(wanted, other)
        )
        weight = score / 100 * 0.95  # below any exact mention
        if score >= rules.name_similarity and (best is None or weight > best.score):
            best = NameHit("fuzzy", weight, other)
    return best


@lru_cache(maxsize=4096)
def _name_parts(item: str) -> tuple[str, re.Match[str] | None, tuple[str, ...]]:
    """An item as name_match compares it: compacted, its ordinal tail, its numerals (once per item,
    not once per statement it is compared with)."""
    wanted = compact(item)
    return wanted, ORDINAL_TAIL.search(wanted), numerals_of(wanted)


@lru_cache(maxsize=4096)
def _short_form(wanted: str) -> tuple[str, str] | None:
    """(place, numbered name) of a name that a report shortens to its numbered part once the
    place is said: "新桥东一号园区" is "提速新桥东建设,一号园区…"."""
    found = SHORT_FORM.match(wanted)
    return (found.group("place"), found.group("core")) if found else None


def _same_thing_named(wanted: str, other: str, suffix: str | None) -> bool:
    """May one name be the other with extra characters? (partial_ratio is fair then)

    The item's distinctive start must be in the other name, or the other name
    must end the item with a head of its own before the suffix: "香阅路" in
    "打通香阅路" (a verb read into the name), not "城市更新单元" in
    "新兴纸业城市更新单元" (only the kind of thing is shared).
    """
    if wanted[:2] in other:
        return True
    head = other[: -len(suffix)] if suffix and other.endswith(suffix) else other
    return wanted.endswith(other) and len(head) >= 2


def numeral_conflict(item: str, statement: StatementView) -> str | None:
    """A statement name equal to the item but for a numeral (纬三路 for 纬四路): the trap, for the record."""
    wanted = _name_parts(item)[0]
    numbered = _numbered_like(wanted)
    if numbered is None:
        return None
    for mention in statement.items + [statement.compact_text]:
        for candidate in numbered.finditer(re.sub(r"\s", "", mention)):
            if candidate.group() != wanted:
                return candidate.group()
    return None


@lru_cache(maxsize=4096)
def _written_apart(head: str, suffix: str) -> re.Pattern[str] | None:
    """The head, then the suffix within the clause: across a list the suffix closes ("流塘、天骄小学"),
    or, for a head of three characters or more, across a qualifier ("辅城坳|土地整备|利益统筹项目").
    A short head with something else inside is another name ("会展湾片区" is not 会展片区).
    None for a head under two characters or with a numeral, which is never looked for apart.
    Once per item: scoring asks for every statement the item is checked against."""
    if len(head) < 2 or numerals_of(head):
        return None
    between = r"、[^,,;;。]{0,12}?" if len(head) < 3 else r"(?:、[^,,;;。]{0,12}?|[^,,;;。、]{0,8}?)"
    return re.compile(rf"{re.escape(head)}{between}{re.escape(suffix)}")


@lru_cache(maxsize=4096)
def _numbered_like(name: str) -> re.Pattern[str] | None:
    """The names equal to name but for their numerals; None for a name without numerals.
    Once per name: scoring asks for every statement an item is checked against."""
    if not numerals_of(name):
        return None
    skeleton = re.sub(r"[0-9.]+|[一二三四五六七八九十百零两]+", "#", name)
    return re.compile(re.escape(skeleton).replace("\\#", r"([0-9.]+|[一二三四五六七八九十百零两]+)"))


def mention_context(item: str, statement: StatementView, rules: ScoringRules) -> str | None:
    """'history', 'background' or 'venue' when the statement names the item only as such."""
    text = statement.compact_text
    position = text.find(compact(item))
    if position < 0:
        return None
    before = text[max(0, position - 8) : position]
    if any(word in before for word in rules.history_words):
        return "history"
    clause = re.split(r"[,,;;]", text[:position])[-1]
    if any(clause.startswith(word) or f",{word}" in clause for word in rules.background_words):
        return "background"
    after = text[position + len(compact(item)) :][:6]
    if before.endswith(rules.venue_before) and any(verb in after for verb in rules.venue_verbs):
        return "venue"  # "在海防公园举办…展演": the place of another event, not the project
    return None


def other_street_in(statement: StatementView, own_street: str | None, streets: frozenset[str]) -> str | None:
    """Another street named in the clause: its results are not this street's."""
    if "街道" not in statement.compact_text:  # in every street's full name: most clauses name none
        return None
    for name in streets:
        full = f"{name}街道"
        if full != own_street and full in statement.compact_text:
            return full
    return None


def without_other_streets(
    statement: StatementView, own_street: str | None, streets: frozenset[str]
) -> StatementView | None:
    """The statement without its clauses on other streets ("…工作专班,与福永街道联合招商").

    What is left is this street's; a statement all about another street is None.
    """
    kept = [
        part
        for part in re.split(r"(?<=[,，;；])", statement.text)
        if not other_street_in(replace(statement, text=part), own_street, streets)
    ]
    if not kept:
        return None
    text = "".join(kept)
    inside = compact(text)
    return replace(
        statement,
        text=text,
        items=[item for item in statement.items if compact(item) in inside],
        quantities=[q for q in statement.quantities if compact(q["raw"]) in inside],
    )


def wider_scope(text: str, rules: ScoringRules) -> str | None:
    """A district- or city-wide figure ("全区新建社康21家"), not a ranking ("全区首家")."""
    for word in rules.wider_scope_words:
        for match in re.finditer(re.escape(word), text):
            following = text[match.end() : match.end() + 2]
            before = text[max(0, match.start() - 1) : match.start()]
            if before != "占" and not any(following.startswith(w) for w in rules.scope_ranking_words):
                return word
    return None
