"""Does a statement name a committed item? Comparison levels, tried in order.

In the manner of Splink's comparisons: each level is a named, general test;
the first that holds wins and is recorded as the rule `item_<level>`.
Numerals and ordinals must agree at every level (纬三路 ≠ 纬四路, 二期 ≠ 三期).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from tracker.link import StatementView
from tracker.names import numerals_of
from tracker.normalize import compact
from tracker.verdict.scoring_rules import ScoringRules


@dataclass(frozen=True)
class NameHit:
    how: str  # "exact" | "fuzzy"
    score: float  # 0..1
    mention: str  # the name as the statement writes it


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
