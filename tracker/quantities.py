"""Quantities in report text: number, magnitude, unit and comparator.

Plans promise "新增托位340个以上" and summaries report "新增托位2256个"; the
matcher can only compare the two once both are a value in one base unit with a
comparator. The units and comparator words are data (rules/units.toml,
rules/comparators.toml); this module compiles them into one regex at load.

Numeral conversion is cn2an's, applied only to the number span found here:
run over a whole sentence it turns words such as 两三个 or 全国两会 into digits.
"""

from __future__ import annotations

import pathlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

import cn2an

COMPARATORS = (">=", ">", "<=", "<", "~", "=")

# Chinese numeral digits: a numeral starts with one of these or 十, and two of
# them side by side (两三, 十四五, 二零二四) are a range, a slogan or a year.
_CN_DIGITS = "一二三四五六七八九两"
_CN_NUMERAL = f"[{_CN_DIGITS}十][零{_CN_DIGITS}十百千万亿]*"
_CN_DIGIT_PAIR = re.compile(f"[{_CN_DIGITS}]{{2}}")
# A lone 一 is a word part far more often than a count: 一是, 一批, 统一, 一个山头.
_LONE_ONE = "一"
# 1,992 with a thousands comma, 802.86, 100; never part of a code such as PM2.5.
_ARABIC_NUMBER = r"(?<![0-9A-Za-z.])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9])"
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_CLAUSE_TAIL = re.compile(r"[^，,；;。！!？?\n]*\Z")
# How far back to look for a clause-wide comparator (力争) and for a change word.
_CLAUSE_WINDOW = 60
_CHANGE_WINDOW = 8


@lru_cache(maxsize=4096)
def _number_value(number_span: str) -> int | float:
    """cn2an's reading of a number span, once per span: the same ones recur (1, 10, 2024, 两)."""
    return cn2an.cn2an(number_span, "smart")


def _opening_quotes(text: str, quotes: str) -> frozenset[int]:
    """Offsets of the quotes (of those that both open and close, ASCII ") that open: those with an
    even number of their kind before them on their line. One pass, so long lines stay linear."""
    if not quotes or not any(quote in text for quote in quotes):
        return frozenset()
    opening: set[int] = set()
    seen: Counter[str] = Counter()
    for mark in re.finditer(f"[\n{re.escape(quotes)}]", text):
        if mark.group() == "\n":
            seen.clear()
            continue
        if seen[mark.group()] % 2 == 0:
            opening.add(mark.start())
        seen[mark.group()] += 1
    return frozenset(opening)


class Kind(StrEnum):
    """What an amount measures: a level (340个), a change against a base period (同比下降21%,
    signed), or a level relative to a base period (上年的80%)."""

    LEVEL = "level"
    CHANGE = "change"
    RELATIVE = "relative"


@dataclass(frozen=True)
class Quantity:
    """One amount in the text, in its base unit, with where it was found."""

    value: float
    unit: str
    comparator: str
    raw: str
    start: int
    end: int
    noun: str | None = None
    kind: Kind = Kind.LEVEL

    def as_row(self) -> dict[str, Any]:
        """The quantity as the store keeps it (a commitment's targets, a statement's quantities)."""
        return {
            "quantity": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
            "raw": self.raw,
            "kind": self.kind,
            "noun": self.noun,
        }


@dataclass(frozen=True)
class _Unit:
    base: str
    factor: Decimal
    takes_noun: bool


def _longest_first(words: Iterable[str]) -> str:
    """Alternation that tries longer words first, so 不少于 beats 少于."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _optional(words: Iterable[str]) -> str:
    """An optional alternation of words, or nothing when there are none."""
    words = list(words)
    return f"(?:{_longest_first(words)})?" if words else ""


def _guarded(word: str, not_before: Iterable[str] = (), not_after: Iterable[str] = ()) -> str:
    """word as a regex that fails inside a longer word: 签约 is not 约, 项目 is not 项."""
    lookbehinds = "".join(f"(?<!{re.escape(prefix)})" for prefix in not_after)
    lookahead = f"(?!{_longest_first(not_before)})" if not_before else ""
    return lookbehinds + re.escape(word) + lookahead


def _alternation(patterns: Mapping[str, str]) -> str:
    """Join word -> pattern, longer words first (人次 before 人, 平方米 before 米)."""
    return "|".join(patterns[word] for word in sorted(patterns, key=len, reverse=True))


def _section(rules: Mapping[str, Any], name: str, source: str) -> Any:
    if name not in rules:
        raise ValueError(f"{source}: missing [{name}]")
    return rules[name]


@dataclass(frozen=True)
class _WordTable:
    """One table of comparators.toml: word -> comparator, and its regex."""

    comparators: dict[str, str]
    pattern: str

    @classmethod
    def read(cls, table: Mapping[str, Any], source: str) -> _WordTable:
        comparators: dict[str, str] = {}
        patterns: dict[str, str] = {}
        for word, entry in table.items():
            spec = entry if isinstance(entry, Mapping) else {"comparator": entry}
            comparator = spec.get("comparator")
            if comparator not in COMPARATORS:
                raise ValueError(f"{source}: {word!r} -> {comparator!r}, not one of {COMPARATORS}")
            comparators[word] = comparator
            patterns[word] = _guarded(word, not_after=spec.get("not_after", []))
        return cls(comparators, _alternation(patterns))


class QuantityParser:
    """Finds every quantity in a text; built once from the rule files."""

    def __init__(self, units_rules: Mapping[str, Any], comparator_rules: Mapping[str, Any]) -> None:
        number_rules = _section(units_rules, "number", "units.toml")
        noun_rules = _section(units_rules, "noun", "units.toml")
        self._units: dict[str, _Unit] = {}
        unit_patterns: dict[str, str] = {}
        for written, spec in _section(units_rules, "units", "units.toml").items():
            factor = Decimal(str(spec.get("factor", 1))) / Decimal(str(spec.get("divisor", 1)))
            self._units[written] = _Unit(spec.get("base", written), factor, spec.get("noun", True))
            unit_patterns[written] = _guarded(written, not_before=spec.get("not_before", []))
        # A magnitude that starts a unit stays with the unit: 5.8千米 is 5.8 公里.
        magnitude_pattern = "|".join(
            _guarded(magnitude, not_before=self._unit_tails_after(magnitude))
            for magnitude in number_rules["magnitudes"]
        )
        self._before, self._between, self._after, self._clause = (
            _WordTable.read(
                _section(comparator_rules, name, "comparators.toml"),
                f"comparators.toml [{name}]",
            )
            for name in ("before", "between", "after", "clause")
        )
        self._quantity = re.compile(
            self._first_character_check() + f"(?P<before>{self._before.pattern})?"
            "(?:"
            f"(?P<arabic>{_ARABIC_NUMBER})(?P<magnitude>{magnitude_pattern})?"
            f"|(?P<chinese>{_CN_NUMERAL})"
            # a bare magnitude is a number only after a comparator: 超万个
            f"|(?(before)(?P<bare>{magnitude_pattern})(?![零{_CN_DIGITS}十百千万亿])|(?!))"
            ")"
            f"(?P<between>{self._between.pattern})?"
            f"(?P<unit>{_alternation(unit_patterns)})?"
            f"(?P<after>{self._after.pattern})?"
        )
        self._clause_word = re.compile(self._clause.pattern)
        # Every quantity holds a digit, a Chinese numeral or (after a comparator) a bare magnitude.
        self._number_anywhere = re.compile(
            f"[0-9{_CN_DIGITS}十]|{_longest_first(number_rules['magnitudes']) or '(?!)'}"
        )
        change = _section(comparator_rules, "change", "comparators.toml")
        self._change_before = re.compile(
            f"(?:(?P<up>{_longest_first(change['up'])})|(?P<down>{_longest_first(change['down'])}))"
            + _optional(change.get("joiners", []))
            + "\\Z"
        )
        relative = _section(comparator_rules, "relative", "comparators.toml")
        self._relative_before = re.compile(
            f"(?:{_longest_first(relative['bases'])}){_optional(relative.get('joiners', []))}\\Z"
        )
        zero = comparator_rules.get("zero", {})
        self._zero = _zero_pattern(zero)
        self._zero_unit = zero.get("unit", "")
        respectively = comparator_rules.get("respectively", {})
        self.rules = QuantityRules(
            same_noun=tuple(frozenset(group["units"]) for group in units_rules.get("same_noun", [])),
            respectively=tuple(respectively.get("words", [])),
            list_joiners=tuple(respectively.get("list_joiners", [])),
            words=frozenset(
                [
                    word
                    for table in (self._before, self._between, self._after, self._clause)
                    for word in table.comparators
                ]
                + change["up"]
                + change["down"]
                + relative["bases"]
            ),
            units=frozenset(self._units),
        )
        self._unitless_magnitudes = frozenset(number_rules["unitless_magnitudes"])
        self._not_after = frozenset(number_rules["not_after"])
        self._open_quotes = frozenset(number_rules["open_quotes"])
        self._close_quotes = frozenset(number_rules["close_quotes"])
        self._noun_min_length = int(noun_rules["min_length"])
        self._noun_max_length = int(noun_rules["max_length"])
        self._noun_stop = re.compile(_longest_first(noun_rules["stop_words"]))
        # How far after a unit the noun can matter: its longest form plus a stop word cut at its end.
        self._noun_window = self._noun_max_length + max(map(len, noun_rules["stop_words"]), default=0)
        self._both_quotes = "".join(sorted(self._open_quotes & self._close_quotes))

    def _first_character_check(self) -> str:
        """A lookahead for the characters a quantity can start with (a digit, a Chinese numeral, a
        comparator word's first): it turns most positions down at once, not after every branch."""
        if not all(self._before.comparators):
            return ""
        comparator_firsts = "".join(sorted({re.escape(word[0]) for word in self._before.comparators}))
        return f"(?=[0-9{_CN_DIGITS}十{comparator_firsts}])"

    def _unit_tails_after(self, magnitude: str) -> list[str]:
        """What follows `magnitude` in units that start with it: 千 -> 米 (千米)."""
        return [unit[len(magnitude) :] for unit in self._units if unit.startswith(magnitude)]

    @classmethod
    def from_rules(cls, rules_dir: pathlib.Path) -> QuantityParser:
        """Read units.toml and comparators.toml from rules_dir and compile them."""
        tables = []
        for name in ("units.toml", "comparators.toml"):
            with (pathlib.Path(rules_dir) / name).open("rb") as handle:
                tables.append(tomllib.load(handle))
        return cls(*tables)

    def parse(self, text: str, *, default_comparator: str = "=") -> list[Quantity]:
        """All quantities in text, in order, non-overlapping.

        default_comparator applies where the text has no comparator word: a
        plan's "新增托位340个" means at least 340 (">="), a summary's means 340.
        """
        if default_comparator not in COMPARATORS:
            raise ValueError(f"default_comparator {default_comparator!r} not in {COMPARATORS}")
        quantities = []
        if self._number_anywhere.search(text):  # most clauses hold no number: not worth the full pattern
            opening = _opening_quotes(text, self._both_quotes)
            for match in self._quantity.finditer(text):
                quantity = self._quantity_from(match, text, default_comparator, opening)
                if quantity is not None:
                    quantities.append(quantity)
        zeros = self._zero_counts(text, default_comparator)
        if not zeros:
            return quantities
        kept = []
        for zero in zeros:
            overlapping = [q for q in quantities if q.start < zero.end and zero.start < q.end]
            if overlapping and all(q.start <= zero.start for q in overlapping):
                zero = _after(zero, max(q.end for q in overlapping), text)  # "连续7个月|交通事故零发生"
            if zero is not None and not any(q.start < zero.end and zero.start < q.end for q in quantities):
                kept.append(zero)
        return sorted(quantities + kept, key=lambda q: q.start)

    def _zero_counts(self, text: str, default_comparator: str) -> list[Quantity]:
        """ "不发生较大及以上安全生产事故", "杜绝重特大火灾事故", "实现零事故": a negated occurrence of
        a countable incident (comparators.toml [zero]) is a count of zero of it. A plan promises at
        most zero (an upper bound, "<="); a summary reports zero ("=")."""
        if self._zero is None:
            return []
        comparator = "<=" if default_comparator in (">=", ">") else "="
        return [
            Quantity(
                value=0.0,
                unit=self._zero_unit,
                comparator=comparator,
                raw=match.group(),
                start=match.start(),
                end=match.end(),
                noun=match["what"] or match["zero_what"] or match["zero_of"],
            )
            for match in self._zero.finditer(text)
        ]

    def _quantity_from(
        self, match: re.Match[str], text: str, default_comparator: str, opening: frozenset[int]
    ) -> Quantity | None:
        start, end = match.span()
        if self._is_ordinal_or_name(text, start, end, opening):
            return None
        unit_written = match["unit"]
        if match["arabic"] is not None:
            if unit_written is None and not self._is_unitless_amount(match, text):
                return None
            number_span = match["arabic"].replace(",", "") + (match["magnitude"] or "")
        elif unit_written is None:
            return None
        elif match["chinese"] is not None:
            number_span = match["chinese"]
            if number_span == _LONE_ONE or _CN_DIGIT_PAIR.search(number_span):
                return None
        else:
            number_span = "一" + match["bare"]  # cn2an reads 万 alone only as 一万
        try:
            number = _number_value(number_span)
        except (ValueError, KeyError):  # cn2an's two ways of refusing 十十 or 十十九
            return None
        unit = self._units[unit_written] if unit_written else None
        value = Decimal(str(number)) * (unit.factor if unit else 1)
        kind = Kind.LEVEL
        window = max(0, start - _CHANGE_WINDOW)
        if self._relative_before.search(text, window, start):
            kind = Kind.RELATIVE
        elif change := self._change_before.search(text, window, start):
            kind = Kind.CHANGE
            value = -value if change["down"] else value
        return Quantity(
            value=float(value),
            unit=unit.base if unit else "",
            comparator=self._comparator(match, text, default_comparator),
            raw=text[start:end],
            start=start,
            end=end,
            noun=self._noun(text, end) if unit and unit.takes_noun else None,
            kind=kind,
        )

    def _is_unitless_amount(self, match: re.Match[str], text: str) -> bool:
        """阅读量超20万。 is an amount; 2024万科 is a year before a name."""
        followed_by_cjk = _CJK_RUN.match(text, match.end(), match.end() + 1) is not None
        return match["magnitude"] in self._unitless_magnitudes and not followed_by_cjk

    def _is_ordinal_or_name(self, text: str, start: int, end: int, opening: frozenset[int]) -> bool:
        """第2, 六届三次, “三个一”, "XX营商环境七条": numbers that name rather than count."""
        previous = text[start - 1] if start > 0 else ""
        following = text[end] if end < len(text) else ""
        return (
            previous in self._not_after
            or (previous in self._open_quotes and self._is_opening_quote(text, start - 1, opening))
            or (following in self._close_quotes and not self._is_opening_quote(text, end, opening))
        )

    def _is_opening_quote(self, text: str, index: int, opening: frozenset[int]) -> bool:
        """“ opens and ” closes; a quote listed as both (ASCII ") opens when it is in `opening`."""
        quote = text[index]
        if quote not in self._close_quotes:
            return quote in self._open_quotes
        if quote not in self._open_quotes:
            return False
        return index in opening

    def _comparator(self, match: re.Match[str], text: str, default_comparator: str) -> str:
        """The word nearest the unit wins: after, between, before, then the clause."""
        if match["after"] is not None:
            return self._after.comparators[match["after"]]
        if match["between"] is not None:
            return self._between.comparators[match["between"]]
        if match["before"] is not None:
            return self._before.comparators[match["before"]]
        start = match.start()
        clause_start = _CLAUSE_TAIL.search(text, max(0, start - _CLAUSE_WINDOW), start).start()
        clause_word = self._clause_word.search(text, clause_start, start)
        if clause_word is not None:
            return self._clause.comparators[clause_word.group()]
        return default_comparator

    def _noun(self, text: str, end: int) -> str | None:
        """The CJK run after the unit, cut at the first verb or particle."""
        run = _CJK_RUN.match(text, end, end + self._noun_window)
        if run is None:
            return None
        noun = run.group()
        stop = self._noun_stop.search(noun)
        if stop is not None:
            noun = noun[: stop.start()]
        noun = noun[: self._noun_max_length]
        return noun if len(noun) >= self._noun_min_length else None


def _after(zero: Quantity, start: int, text: str) -> Quantity | None:
    """The zero without the words before `start` (a quantity's), if its incident is still whole."""
    cut = start - zero.start
    if zero.noun is None or not text.startswith(zero.noun, zero.start) or cut >= len(zero.noun):
        return None
    return replace(zero, start=start, raw=text[start : zero.end], noun=zero.noun[cut:])


def _zero_pattern(zero: Mapping[str, Any]) -> re.Pattern[str] | None:
    """A negation and the incident it denies (不发生|较大及以上安全生产事故), the incident and its
    zero after it (安全生产事故|零发生), or a zero word right before the incident (零|事故)."""
    if not zero.get("incidents"):
        return None
    incidents = f"(?:{_longest_first(zero['incidents'])})+"
    qualifier = f"[\u4e00-\u9fff、]{{0,{int(zero.get('max_qualifier', 12))}}}?"
    negations = _longest_first(zero.get("negations", [])) or "(?!)"
    occurrence = _optional(zero.get("occurrence", []))
    # the incident ends its phrase: "防止疫情|反弹" denies no 疫情
    phrase_end = f"(?![\u4e00-\u9fff])|(?={_longest_first(zero.get('ends_before', [])) or '(?!)'})"
    zero_words = _longest_first(zero.get("zero_words", [])) or "(?!)"
    zero_after = _longest_first(zero.get("zero_after", [])) or "(?!)"
    joiners = _longest_first(zero.get("joiners", [])) or "(?!)"
    denied = f"{qualifier}{incidents}(?:(?:{joiners}){qualifier}{incidents})*"  # 安全事故和群体性事件
    return re.compile(
        f"(?:{negations}){occurrence}(?P<what>{denied})(?:{phrase_end})"
        f"|(?P<zero_what>[\u4e00-\u9fff]{{0,6}}?{incidents})(?:{zero_after})"
        f"|(?:{zero_words})(?P<zero_of>{incidents})"
    )


# A relative level is a percentage of the base period: a change of -12.5% leaves 87.5% of it.
_WHOLE_PERCENT = 100.0
_PERCENT = "%"
_UPPER_BOUNDS = ("<=", "<")


@dataclass(frozen=True)
class Check:
    """A reported amount against a target: met or not, how far along (reported / target, or for an
    upper bound target / reported), and whether the target is an upper bound (a miss is bound_missed)."""

    met: bool
    ratio: float
    bound: bool


@dataclass(frozen=True)
class QuantityRules:
    """What comparing quantities needs from the rules: which base units count the same thing
    (scoring.toml count_units, units.toml [[same_noun]]) and the words that pair listed measures
    with listed targets (comparators.toml [respectively])."""

    interchangeable: frozenset[str] = frozenset()
    same_noun: tuple[frozenset[str], ...] = ()
    respectively: tuple[str, ...] = ()
    list_joiners: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()  # comparator, change and base-period words
    units: frozenset[str] = frozenset()  # units as written

    def is_quantity_word(self, token: str) -> bool:
        """A token of a comparator, change or base-period word ("控制" of 控制在, 以内, 上年): it says
        how much, not what of, so it is no topic word."""
        return any(token in word for word in self.words)

    def respective_measures(self, text: str, raws: list[str]) -> dict[str, str]:
        """ "签约项目数、到位资金分别达到20个、15亿元": each target's measure, the name in the same
        place of the list before 分别 (raw -> name); none when the two lists differ in length."""
        measures: dict[str, str] = {}
        for word in self.respectively:
            for found in re.finditer(re.escape(word), text):
                names = re.split(r"[,，;；:：。]", text[: found.start()])[-1]
                listed = [n for n in re.split(_longest_first(self.list_joiners) or "(?!)", names) if n]
                after = [raw for raw in raws if text.find(raw, found.end()) >= 0]
                if len(listed) >= 2 and len(listed) == len(after):
                    measures.update(zip(after, listed, strict=True))
        return measures

    def comparable(
        self,
        target: Mapping[str, Any],
        quantity: Mapping[str, Any],
        target_lead: str = "",
        quantity_lead: str = "",
    ) -> bool:
        """Whether `quantity` measures what `target` measures: a comparable kind (a change measures a
        relative level), and the same base unit, two interchangeable counting classifiers, or two
        classifiers of one [[same_noun]] group counting the same noun ("商户50户", "商户52家")."""
        kinds = {Kind(target.get("kind", Kind.LEVEL)), Kind(quantity.get("kind", Kind.LEVEL))}
        if len(kinds) > 1 and kinds != {Kind.CHANGE, Kind.RELATIVE}:
            return False
        units = {target["unit"], quantity["unit"]}
        if len(kinds) > 1:
            return units == {_PERCENT}
        same_noun = same_counted_noun(
            counted_noun(target, target_lead), counted_noun(quantity, quantity_lead)
        )
        if len(units) == 1 or units <= self.interchangeable:
            # a count of zero ("不发生…事故") measures its incident only: not 纠纷56起 of the same unit
            return same_noun or not (_is_zero(target) or _is_zero(quantity))
        return any(units <= group for group in self.same_noun) and same_noun


def _is_zero(quantity: Mapping[str, Any]) -> bool:
    return float(quantity["quantity"]) == 0 and quantity.get("kind", Kind.LEVEL) == Kind.LEVEL


def counted_noun(quantity: Mapping[str, Any], lead: str) -> str:
    """What a quantity counts: the noun after its unit ("52家商户"), else the words before it
    ("特色商户50户")."""
    return quantity.get("noun") or "".join(_CJK_RUN.findall(lead))


def same_counted_noun(noun: str, other: str) -> bool:
    """Two counted nouns name one thing when the head (last two characters, as Chinese compounds end
    in their head noun) of either stands in the other: 特色商户 and 商户数量, not 企业 and 农户."""
    return bool(noun and other) and (noun[-2:] in other or other[-2:] in noun)


def in_target_terms(target: Mapping[str, Any], reported: Mapping[str, Any]) -> float:
    """The reported value as the target states it: a change against a relative level is 100% plus
    the change ("同比下降12.5%" is 87.5% of last year)."""
    value = float(reported["quantity"])
    if target.get("kind") == Kind.RELATIVE and reported.get("kind") == Kind.CHANGE:
        return _WHOLE_PERCENT + value
    return value


def check(target: Mapping[str, Any], reported: Mapping[str, Any]) -> Check:
    """A reported amount against a target, after unit conversion (both are in base units).

    An upper bound ("控制在19.0以下", "控制在上年的80%以内") is kept or missed; any other target is
    met or short, a change target in its own direction: "比上年下降10%以上" is met by "同比下降15.6%"
    and not by "增长3%". "近800场" falls short of "不少于800场", "约800场" of "超过800场".
    """
    value, goal = in_target_terms(target, reported), float(target["quantity"])
    comparator = target["comparator"]
    if target.get("kind") == Kind.CHANGE and goal < 0:  # a decrease: how far it went down
        value, goal = -value, -goal
    if comparator in _UPPER_BOUNDS:
        missed = value > goal
        return Check(not missed, goal / value if missed and value > 0 else 1.0, bound=True)
    ratio = max(value / goal, 0.0) if goal else 1.0
    short = ratio < 1 or (
        ratio == 1
        and (reported["comparator"] == "<" or (reported["comparator"] in ("~", "<=") and comparator == ">"))
    )
    return Check(not short, ratio, bound=False)
