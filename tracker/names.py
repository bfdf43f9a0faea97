"""Names of projects, places, facilities, organisations and events.

A name ends in a suffix from rules/names.toml (路, 公园, 小学, 车辆段, 三期 …)
and is read leftwards until a verb, a function word, a number with its
measure word or punctuation: "协调推动|臣田东路", "完成|轨道20号线航城车辆段".
Coordinated names share the last suffix: "流塘、天骄、西湾小学" is three
schools. Names that differ by a numeral are different names; `numerals_of`
gives what the matcher compares.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from tracker.gazetteer import load_gazetteer
from tracker.rules import RulesError, read_rule_file

CJK = "\u4e00-\u9fff"
NAME_CHAR = re.compile(rf"[{CJK}0-9A-Za-z.()·\-]")
NAME_CHARS_ENDING = re.compile(rf"{NAME_CHAR.pattern}+\Z")  # the name characters ending a text
LETTER = re.compile(rf"[{CJK}A-Za-z]")
MAX_NAME_CHARS = 14
LABELS = ("FAC", "PROJECT", "ORG", "EVENT")
ORDINAL_SUFFIXES = ("号线", "一期", "二期", "三期", "四期", "五期", "版本")
QUOTED = re.compile(r"“([^”“\"]{2,16})”|\"([^\"“”]{2,16})\"|「([^」]{2,16})」")
# A quoted phrase that is a structure of three parts or more ("工会+劳动+法庭"; "网格+警格" is a
# mechanism's name) or a counting slogan ("两个维护", "三个一"), not a programme's name.
STRUCTURE = re.compile(r"\+[^+]*\+|^[一二三四五六七八九十两]+个")
NUMERAL = re.compile(r"[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百零两]+")
COUNT = re.compile(r"[0-9.一二三四五六七八九十两]+[百千万亿]?[余多]?[\u4e00-\u9fff]?")
MEASURE = re.compile(
    r"[0-9.一二三四五六七八九十两]+(?:万|亿)?(?:[个家条所座处项宗栋套户批]|公顷|平方米|平方公里|亩|公里|米|元)"
)


OWN_STREET = "街道"  # "街道文体中心": the street's own


@dataclass(frozen=True)
class Name:
    text: str  # the name, expanded where coordinated ("流塘小学")
    start: int  # span in the analysed text (the written part: "流塘")
    end: int
    label: str  # FAC | PROJECT | ORG | EVENT


def numerals_of(name: str) -> tuple[str, ...]:
    """The numerals and ordinals that tell 纬三路 from 纬四路, 二期 from 三期, 1.0 from 2.0."""
    return tuple(NUMERAL.findall(name))


@dataclass(frozen=True)
class NameFinder:
    suffixes: dict[str, str]  # suffix -> label
    trailing: tuple[str, ...]
    generic: frozenset[str]
    not_followed_by: dict[str, tuple[str, ...]]
    stops: tuple[str, ...]  # verbs, adverbs, function words, descriptors: a name starts after them
    verbs: frozenset[str]  # a verb right before a suffix may be the name itself ("拓展路")
    known: tuple[str, ...]
    places: frozenset[str]  # townships of the gazetteer, bare or full: the report's setting, never an item
    suffix_pattern: re.Pattern[str]
    modifier_pattern: re.Pattern[str]  # prefixes made only of generic modifiers
    listed_pattern: re.Pattern[str]  # "A、B等重点项目": a list of names before a category
    joined_pattern: re.Pattern[str]  # a name's suffix and a conjunction: "片区和", "小学及"
    location_after: tuple[str, ...]  # "会展中心|周边": the name is where the object is
    quoted_categories: tuple[str, ...]  # “雁阵计划”, “大讲堂”活动: a quoted programme name
    campaign_pattern: re.Pattern[str]  # "…活动进社区、进校园": where a campaign goes, no name
    occasion_pattern: re.Pattern[str]  # "紧抓…园区项目|规划机遇": the name is the occasion, not the object
    conjunctions: frozenset[str]  # "新建和|硬化村组道路": a name starts after a conjunction standing alone
    common_zipf: float  # a word at least this common (wordfreq) says what kind, not which one
    # "镇|中心|小学": 中心 after a unit and before more of a name is "central"
    adjective_after: dict[str, tuple[str, ...]]
    route_pattern: re.Pattern[str]  # "青山至白石公路": a road or line named by its two ends

    @classmethod
    def load(cls, directory: Path) -> NameFinder:
        names = read_rule_file(directory, "names.toml")
        verbs = read_rule_file(directory, "verbs.toml")
        levels = read_rule_file(directory, "levels.toml")
        suffixes = {}
        for label, words in _table(names, "suffixes", directory).items():
            if label not in LABELS:
                raise RulesError(f"{directory / 'names.toml'}: unknown label [suffixes] {label}")
            suffixes.update({word: label for word in words})
        stops = set(verbs.get("verbs", [])) | set(verbs.get("adverbs", []))
        stops |= set(verbs.get("function_words", []))
        for words in _table(levels, "levels", directory).values():
            stops |= set(words)
        verb_words = set(stops) - set(verbs.get("function_words", []))
        stops |= set(names.get("descriptors", []))
        ordered = sorted(suffixes, key=len, reverse=True)
        return cls(
            suffixes=suffixes,
            trailing=tuple(sorted(names.get("trailing", []), key=len, reverse=True)),
            generic=frozenset(names.get("generic", [])),
            not_followed_by={k: tuple(v) for k, v in names.get("not_followed_by", {}).items()},
            stops=tuple(sorted(stops, key=len, reverse=True)),
            verbs=frozenset(w for w in verb_words if len(w) >= 2),
            known=tuple(names.get("known", [])),
            places=load_gazetteer(directory).setting_names,
            suffix_pattern=re.compile("|".join(re.escape(s) for s in ordered)),
            modifier_pattern=_alternation_repeated(names.get("generic_modifiers", [])),
            quoted_categories=tuple(names.get("quoted_categories", [])),
            listed_pattern=_listed_pattern(names.get("list_categories", []), ordered),
            location_after=tuple(names.get("location_after", [])),
            occasion_pattern=re.compile(
                rf"[^,,;;。]{{0,12}}?(?:{_alternation(set(names.get('occasion_after', [])))})"
            ),
            campaign_pattern=re.compile(
                rf"进(?:{_alternation(set(names.get('campaign_destinations', [])))})$"
            ),
            joined_pattern=re.compile(rf"(?:{'|'.join(re.escape(s) for s in ordered)})[和及与]"),
            conjunctions=frozenset(names.get("conjunctions", [])),
            common_zipf=float(names.get("common_word_zipf", 4.0)),
            adjective_after={k: tuple(v) for k, v in names.get("adjective_after", {}).items()},
            route_pattern=_route_pattern(names.get("routes", {})),
        )

    def find(self, text: str, exclude: frozenset[str] = frozenset()) -> list[Name]:
        """Every name in text, longest first where they overlap, in text order."""
        found = [self._read_left(text, m.start(), m.end()) for m in self._suffix_matches(text)]
        found += [  # `in` first: most texts hold none of the known names, and a regex costs more
            Name(k, m.start(), m.end(), "FAC")
            for k in self.known
            if k in text
            for m in re.finditer(re.escape(k), text)
        ]
        found += self._quoted(text) + self._listed(text) + self._routes(text)
        exclude = _union(exclude, self.places)
        names = _longest_non_overlapping([n for n in found if n and n.text not in exclude])
        # "“数智老城”基层治理大数据平台": the kind after a quoted name is that name's, no name of its own
        quoted_ends = [n.end + 1 for n in names if n.start > 0 and text[n.start - 1] in '“"「']
        names = [n for n in names if not any(_kind_of(text, end, n.start) for end in quoted_ends)]
        names = [
            n
            for n in names
            if not (text.startswith(self.location_after, n.end) or self.occasion_pattern.match(text, n.end))
        ]
        return sorted(names + self._coordinated(text, names, exclude), key=lambda n: n.start)

    def _suffix_matches(self, text: str):
        position = 0
        while match := self.suffix_pattern.search(text, position):
            position = match.start() + 1
            if text.startswith(self.not_followed_by.get(match.group(), ()), match.end(), match.end() + 2):
                continue
            if self._adjectival(text, match.start(), match.end()):
                continue
            yield match

    def _adjectival(self, text: str, start: int, end: int) -> bool:
        """ "某镇中心|敬老院…中心", "某镇中心|小学": a suffix right after an administrative unit
        (rules/names.toml adjective_after) and followed, with no verb or mark between, by more of a
        name that ends in a suffix is an adjective ("central") inside that name, not its end."""
        units = self.adjective_after.get(text[start:end])
        if not units or not text.endswith(units, 0, start):
            return False
        run = re.match(rf"[{CJK}]+", text[end : end + MAX_NAME_CHARS])
        if run is None:
            return False
        stop = self._stop_pattern.search(run.group())
        rest = run.group()[: stop.start()] if stop else run.group()
        return next(self._suffix_matches(rest), None) is not None

    def _read_left(self, text: str, suffix_start: int, suffix_end: int) -> Name | None:
        qualifier = self._trailing_pattern.match(text, suffix_end)
        end = qualifier.end() if qualifier else suffix_end
        # back over name characters, at most MAX_NAME_CHARS with the suffix
        written = NAME_CHARS_ENDING.search(text, max(0, suffix_end - MAX_NAME_CHARS), suffix_start)
        start = written.start() if written else suffix_start
        window_cut = (
            start > 0 and NAME_CHAR.match(text[start - 1]) is not None and not self._stop_ends_at(text, start)
        )
        # from a little earlier, so that a stop word across the window's edge counts: "推|进新桥东…服务中心"
        start = max(start, self._after_last_stop(text, max(0, start - 3), suffix_start))
        if window_cut and suffix_end - start >= MAX_NAME_CHARS:
            return None  # no verb, word or mark where the name begins: "…集聚群落和湾区科创要素转化基地"
        suffix = text[suffix_start:suffix_end]
        earlier = text.rfind(suffix, start, suffix_start)
        if earlier >= 0 and not self._adjectival(text, earlier, earlier + len(suffix)):
            start = earlier + len(suffix)  # "高端酒店万枫酒店": a name ends at the earlier suffix
        for joined in self.joined_pattern.finditer(text, start, suffix_start):
            start = joined.end()  # "立新湖片区和|桥头社区": two names joined by 和, 及 or 与
        single = suffix_end - suffix_start == 1
        if start == suffix_start and single and (verb := self._stop_ending_at(text, suffix_start)):
            start = suffix_start - len(verb)  # "拓展路", "建设路": the word is the name
        start = self._after_conjunction(text, start, suffix_start)
        while start < suffix_start and text[start] in ".()-·":
            start += 1
        if text[start:end].count("(") > text[start:end].count(")") and text.startswith(")", end):
            end += 1
        name = text[start:end]
        prefix = text[start:suffix_start]
        ordinal = suffix in ORDINAL_SUFFIXES
        if not prefix or name in self.generic or (_is_measure(prefix) and not ordinal):
            return None
        if text.endswith("等", 0, start) and self.listed_pattern.search(text, max(0, start - 40), end):
            return None  # "鸿桥世纪名园、安居福汇阁等|房地产项目": the kind of the listed names
        if not ordinal and not LETTER.search(prefix):  # "7(社区)"
            return None
        inner = self._without_generic_tail(name)
        if inner != name:
            if len(self._longest_suffix(inner)) == 1 and self._ends_in_common_noun(inner):
                return None  # "农村|公路", "乡村|道路": a kind of road, no name before the generic word
            return Name(inner, start, start + len(inner), self._label_of(inner))
        if self._in_common_word(name, suffix) or self.campaign_pattern.search(name):
            return None
        if single and self._ends_in_common_noun(name):
            return None
        if self._only_modifiers(prefix):
            return self._own_facility(text, start, end, suffix)
        return Name(name, start, end, self.suffixes[suffix])

    def _after_conjunction(self, text: str, start: int, suffix_start: int) -> int:
        """Where a name starts when a conjunction stands alone as a word before its suffix: after it
        ("东坑和|西岭村"), and after the next word too when it joins that word to a verb
        ("新建和硬化|村组道路", "改造和提升|…"): a word joined to a verb is a verb. A conjunction
        inside a word is no conjunction ("和平路", "和樾府")."""
        if start >= suffix_start or not self.conjunctions:
            return start
        tokens = _commonness().tokenize_text(text[start:suffix_start])
        position = start
        for token, following in itertools.pairwise(tokens):
            position = text.find(token, position)
            if token in self.conjunctions and len(following) >= 2:
                after = text.find(following, position + len(token))
                return after + len(following) if self._verb_ends_at(text, position) else after
            position += len(token)
        return start

    def _verb_ends_at(self, text: str, end: int) -> bool:
        """Does an action word end at `end`: a verb of the lexicon, or a common word (新建, 改造), not
        right after a name, where it is the name's action as a noun ("…社康中心建设|和新桥分中心")."""
        verb = self._stop_ending.search(text, max(0, end - len(self.stops[0])), end)
        if verb:
            word_start = verb.start()
        else:
            last = _commonness().tokenize_text(text[max(0, end - 4) : end])[-1:]
            if not last or len(last[0]) < 2 or _commonness().zipf(last[0]) < self.common_zipf:
                return False
            word_start = end - len(last[0])
        return not self._longest_suffix(text[:word_start])

    def _ends_in_common_noun(self, name: str) -> bool:
        """ "巩固农村", "乡村", "美丽乡村": a one-character suffix closing a common two-character
        word (农村, 乡村, 校园) is no name's end when nothing before it says which one (every word
        of the name is common, wordfreq's zipf at least common_word_zipf)."""
        words = _commonness().name_words(name)
        last = words[-1]
        return (
            len(last) == 2
            and last not in self.suffixes
            and all(_commonness().zipf(word) >= self.common_zipf for word in words)
        )

    def _own_facility(self, text: str, start: int, end: int, suffix: str) -> Name | None:
        """ "推进街道|文体中心": a kind of facility the street itself has one of is a name with 街道;
        "新安街道文体中心" (another street's) and "各街道…" are not."""
        if not text.endswith(OWN_STREET, 0, start):
            return None
        before = start - len(OWN_STREET)
        if before > 0 and NAME_CHAR.match(text[before - 1]) and not self._stop_ends_at(text, before):
            return None
        return Name(text[before:end], before, end, self.suffixes[suffix])

    def _without_generic_tail(self, name: str) -> str:
        """A complete name followed by a generic word: 宝兴花园老旧小区 → 宝兴花园."""
        longest = self._longest_suffix(name) or ""
        for tail in self._generic_tails(name):
            if len(tail) >= len(longest):
                head = name[: -len(tail)]
                ends_central = any(
                    head.endswith(word) and head[: -len(word)].endswith(units)
                    for word, units in self.adjective_after.items()
                )
                if head and head not in self.generic and self._longest_suffix(head) and not ends_central:
                    return head
        return name

    def _routes(self, text: str) -> list[Name]:
        """A road or line named by its two ends ("青山至白石公路", "松岗—沙井段", "东坑到西岭道路"):
        the whole is the name, not the part after 至 that ends in a suffix ("白石公路"). Each end
        is two or more name characters with no verb in them; the first starts after the last
        verb or word before it ("完成|青山至白石公路")."""
        names = []
        for match in self.route_pattern.finditer(text):
            start = self._after_last_stop(text, match.start("from"), match.end("from"))
            ends = (text[start : match.end("from")], match.group("to"))
            if all(len(end) >= 2 and not self._stop_pattern.search(end) for end in ends):
                qualifier = self._trailing_pattern.match(text, match.end())  # "…快速路|二期"
                end = qualifier.end() if qualifier else match.end()
                names.append(
                    self._section_of_road(text, start, end) or Name(text[start:end], start, end, "FAC")
                )
        return names

    def _section_of_road(self, text: str, start: int, end: int) -> Name | None:
        """ "雁南三路(慈恩东路至芙蓉东路段)": a route in brackets right after a road's name is the
        section of that road, one name with it."""
        if not (text.startswith("(", start - 1) and text.startswith(")", end)):
            return None
        suffix = self._longest_suffix(text[max(0, start - 1 - MAX_NAME_CHARS) : start - 1])
        road = suffix and self._read_left(text, start - 1 - len(suffix), start - 1)
        if not road or road.end != start - 1:
            return None
        return Name(text[road.start : end + 1], road.start, end + 1, road.label)

    def _quoted(self, text: str) -> list[Name]:
        """A programme, campaign or event named in quotes: “雁阵计划”, “树标创优”计划.

        Only with a programme word (rules/names.toml quoted_categories): most
        quoted phrases are slogans ("过紧日子", "两个维护"), not things one delivers. A
        framework described by its structure ("调解+司法确认+赋强公证"衔接机制) or a slogan
        that counts ("两个维护"十项制度机制) is none either (statuses.md).
        """
        names = []
        for match in QUOTED.finditer(text):
            inner = match.group(1) or match.group(2) or match.group(3)
            after = text[match.end() : match.end() + 6]
            programme = any(inner.endswith(c) or c in after for c in self.quoted_categories)
            if (
                programme
                and len(re.findall(rf"[{CJK}]", inner)) >= 3
                and inner not in self.generic
                and not STRUCTURE.search(inner)
            ):
                start = match.start() + 1
                names.append(Name(inner, start, start + len(inner), "PROJECT"))
        return names

    def _listed(self, text: str) -> list[Name]:
        """Names listed before 等 and a category ("亿道、信维等重点项目", "太美亚、永成光电等企业"),
        or before their own count ("华测、创鑫激光、联通三个意向项目")."""
        names = []
        for match in self.listed_pattern.finditer(text):
            elements = match.group(1).split("、")
            if match.group("count") and _count(match.group("count")[:-1]) != len(elements):
                continue  # "…、B5个项目" counts more than the list: B5 is no name
            position = match.start(1)
            for element in elements:
                start = self._after_last_stop(text, position, position + len(element))
                word = text[start : position + len(element)]
                if (
                    2 <= len(word) <= 10
                    and word not in self.generic
                    and not NUMERAL.fullmatch(word)
                    and not self._only_modifiers(word)
                ):
                    names.append(Name(word, start, start + len(word), "ORG"))
                position += len(element) + 1
        return names

    def _in_common_word(self, name: str, suffix: str) -> bool:
        """A one-character suffix ending a common word: 电气线路 ends in 线路, not in a road's 路."""
        return len(suffix) == 1 and any(
            len(word) > len(suffix) and word not in self.suffixes for word in self._generic_tails(name)
        )

    def _only_modifiers(self, prefix: str) -> bool:
        """区域内|文化中心, 行业|协会, 省|政府: a kind of thing, not the name of one."""
        return re.fullmatch(self.modifier_pattern, prefix) is not None

    def _label_of(self, name: str) -> str:
        return self.suffixes[self._longest_suffix(name)]

    def _longest_suffix(self, text: str) -> str | None:
        """The longest suffix that text ends in."""
        for length in self._suffix_lengths:
            if length <= len(text) and text[-length:] in self.suffixes:
                return text[-length:]
        return None

    @cached_property
    def _suffix_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(suffix) for suffix in self.suffixes}, reverse=True))

    def _generic_tails(self, text: str) -> list[str]:
        """The generic words that text ends in, in the order of self.generic (where several
        fit, the first in that order wins): a look-up per word length, not a test per word."""
        tails = [text[-n:] for n in self._generic_lengths if n <= len(text) and text[-n:] in self.generic]
        return sorted(tails, key=self._generic_order.__getitem__)

    @cached_property
    def _generic_lengths(self) -> frozenset[int]:
        return frozenset(len(word) for word in self.generic)

    @cached_property
    def _generic_order(self) -> dict[str, int]:
        return {word: position for position, word in enumerate(self.generic)}

    def _after_last_stop(self, text: str, start: int, limit: int) -> int:
        """Move start past the last stop word or number+measure lying before the suffix.

        Stop words are read left to right without overlap, so "完成立新湖" is
        完成 + 立新湖, not 完 + 成立.
        """
        best = start
        for match in self._stop_pattern.finditer(text, start, limit):
            best = match.end()
        for match in MEASURE.finditer(text, start, limit):
            best = max(best, match.end())
        return best

    def _stop_ends_at(self, text: str, end: int) -> bool:
        """Does a stop word end right before `end`?"""
        longest = len(self.stops[0]) if self.stops else 0
        return self._stop_ending.search(text, max(0, end - longest), end) is not None

    @cached_property
    def _stop_pattern(self) -> re.Pattern[str]:
        """The stop words, longest first: matches read them left to right without overlap."""
        return re.compile(_alternation(set(self.stops)))

    @cached_property
    def _stop_ending(self) -> re.Pattern[str]:
        """A stop word that ends the text searched."""
        return re.compile(rf"(?:{_alternation(set(self.stops))})\Z")

    @cached_property
    def _trailing_pattern(self) -> re.Pattern[str]:
        """The trailing qualifiers in their order (longest first): the first that follows wins."""
        return re.compile("|".join(map(re.escape, self.trailing)) or "(?!)")

    def _stop_ending_at(self, text: str, end: int) -> str | None:
        """A verb of two or more characters ending right before `end`."""
        return next((s for s in self.verbs if text.endswith(s, 0, end)), None)

    def _coordinated(self, text: str, names: list[Name], exclude: frozenset[str]) -> list[Name]:
        """流塘、天骄、西湾小学 → 流塘小学, 天骄小学 (the written part of each, expanded)."""
        expanded: list[Name] = []
        for name in names:
            suffix = self._longest_suffix(name.text)
            if suffix is None or len(suffix) < 2:
                continue  # "案件、越秀潮樾府" is no list of 府
            position = name.start
            while position > 1 and text[position - 1] == "、":
                element = re.search(rf"[{CJK}]{{2,4}}$", text[max(0, position - 5) : position - 1])
                if not element:
                    break
                word = element.group()
                word_start = position - 1 - len(word)
                # from a little earlier, so that a verb across the edge counts: "推进|上李朗、吉厦"
                cut = max(word_start, self._after_last_stop(text, max(0, word_start - 3), position - 1))
                word = text[cut : position - 1]
                if not word or self.suffix_pattern.search(word) or word in self.stops:
                    break
                full = word + suffix
                if full not in exclude:
                    expanded.append(Name(full, cut, position - 1, name.label))
                if cut != word_start:
                    break
                position = cut
        return expanded


def _listed_pattern(categories: list[str], suffixes: list[str]) -> re.Pattern[str]:
    """A list of names, then 等 and a category ("亿道、信维等重点项目"), or its own count and a
    category or a kind of place ("华测、创鑫激光、联通三个意向项目", "和平、塘尾、新田3个旧村")."""
    element = rf"[{CJK}A-Za-z0-9()]{{2,12}}"
    kinds = "|".join(re.escape(c) for c in categories) or "(?!)"
    places = "|".join(re.escape(s) for s in suffixes) or "(?!)"
    return re.compile(
        rf"((?:{element}、)+{element})"
        rf"(?:等[{CJK}]{{0,4}}?(?:{kinds})"
        rf"|(?P<count>[0-9一二三四五六七八九十两]+[个家所座条])[{CJK}]{{0,4}}?(?:{kinds}|{places}))"
    )


def _commonness():
    """wordfreq's word commonness, imported on first use: the verdict package imports this module."""
    from tracker.verdict import commonness

    return commonness


def _route_pattern(routes: dict[str, list[str]]) -> re.Pattern[str]:
    """One end, a joining word (至, 到, —), the other end and a kind of road or line, the other end
    as short as the kind allows ("白石|公路", not "白石公|路")."""
    joints = _alternation(set(routes.get("joints", [])))
    kinds = _alternation(set(routes.get("kinds", [])))
    return re.compile(rf"(?P<from>[{CJK}0-9A-Za-z]{{2,12}})(?:{joints})(?P<to>[{CJK}]{{2,8}}?)(?:{kinds})")


def _count(numeral: str) -> int | None:
    import cn2an  # a tenth of a second to import: only counted lists need it here

    try:
        return int(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError):
        return None


def _is_measure(prefix: str) -> bool:
    """ "60场", "三座", "12": a count with its measure word, not a name."""
    return bool(COUNT.fullmatch(prefix))


@lru_cache(maxsize=16)
def _union(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    """Two sets of names joined once, not on every call of find (each has a hundred or more)."""
    return first | second


def _alternation(words: set[str]) -> str:
    """The words as a regex alternation, longest first (so that the longest one matches)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _alternation_repeated(words: list[str]) -> re.Pattern[str]:
    return re.compile(f"(?:{_alternation(set(words))})+")


def _longest_non_overlapping(names: list[Name]) -> list[Name]:
    """Longest first, each name kept unless a character of it is in one kept before: the
    characters taken are a set, so a section with hundreds of names is not checked pair by pair."""
    chosen: list[Name] = []
    taken: set[int] = set()
    for name in sorted(names, key=lambda n: (-(n.end - n.start), n.start)):
        characters = range(name.start, name.end)
        if taken.isdisjoint(characters):
            chosen.append(name)
            taken.update(characters)
    return chosen


def _table(data: dict[str, Any], key: str, directory: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise RulesError(f"{directory}: [{key}] table missing")
    return value


def _kind_of(text: str, quoted_end: int, start: int) -> bool:
    """Does a name starting at `start` follow a quoted name closing at `quoted_end` with only its
    qualifiers between ("“数智老城”|基层治理|大数据平台")?"""
    return quoted_end <= start and re.fullmatch(rf"[{CJK}]{{0,6}}", text[quoted_end:start]) is not None


def quoted_phrases(text: str) -> list[str]:
    """The phrases of text written in quotes ("推出“XX免查”" gives XX免查)."""
    return [next(part for part in found if part) for found in QUOTED.findall(text)]
