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
from dataclasses import dataclass
from decimal import Decimal
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
    kind: str = "level"


@dataclass(frozen=True)
class _Unit:
    base: str
    factor: Decimal
    takes_noun: bool


def _longest_first(words: Iterable[str]) -> str:
    """Alternation that tries longer words first, so 不少于 beats 少于."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


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
        joiners = f"(?:{_longest_first(change['joiners'])})?" if change.get("joiners") else ""
        self._change_before = re.compile(f"(?:{_longest_first(change['words'])}){joiners}\\Z")
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
        if not self._number_anywhere.search(text):
            return []  # most clauses without a number: not worth the full pattern
        quantities = []
        opening = _opening_quotes(text, self._both_quotes)
        for match in self._quantity.finditer(text):
            quantity = self._quantity_from(match, text, default_comparator, opening)
            if quantity is not None:
                quantities.append(quantity)
        return quantities

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
        changes = self._change_before.search(text, max(0, start - _CHANGE_WINDOW), start)
        return Quantity(
            value=float(Decimal(str(number)) * (unit.factor if unit else 1)),
            unit=unit.base if unit else "",
            comparator=self._comparator(match, text, default_comparator),
            raw=text[start:end],
            start=start,
            end=end,
            noun=self._noun(text, end) if unit and unit.takes_noun else None,
            kind="change" if changes else "level",
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
