"""Does a statement name a committed item? Comparison levels, tried in order.

In the manner of Splink's comparisons: each level is a named, general test;
the first that holds wins and is recorded as the rule `item_<level>`.
Numerals and ordinals must agree at every level (纬三路 ≠ 纬四路, 二期 ≠ 三期).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate

from rapidfuzz import fuzz

from tracker.link import StatementView
from tracker.names import numerals_of
from tracker.normalize import compact
from tracker.verdict.commonness import name_words, tokenize_text, zipf
from tracker.verdict.scoring_rules import MatchingRules, ScoringRules


class Level(StrEnum):
    """The comparison levels, in the order they are tried (rules/matching.toml describes each)."""

    EXACT = "exact"
    APART = "split"
    PARENTHESIS = "parenthesis"
    SHORT = "short"
    PHASE = "phase"
    ABBREVIATION = "abbreviation"
    TRUNCATION = "truncation"
    ELISION = "elision"
    SYNONYM = "synonym"
    FUZZY = "fuzzy"
    HEAD = "head"  # the object's head noun alone: only the missing gate uses it


@dataclass(frozen=True)
class NameHit:
    how: Level
    score: float  # 0..1, the level's weight (matching.toml)
    mention: str  # the name as the statement writes it


SHORT_FORM = re.compile(
    r"(?P<place>[^0-9一二三四五六七八九十]{2,})(?P<core>(?:[0-9]+|[一二三四五六七八九十]+)号\w{2,6})"
)
ORDINAL_TAIL = re.compile(r"([0-9.]+|[一二三四五六七八九十]+)(期|号线|版本|标段)$")
NUMERAL = re.compile(r"[0-9一二三四五六七八九十百零两]")
# 第三批, 第二期 …, and a batch named by its year (2022年批次): a different one is other work.
ORDINAL = re.compile(
    r"第([0-9]+|[一二三四五六七八九十]+)(批|期|次|届|轮|标段)|((?:19|20)[0-9]{2})年度?(批次)"
    r"|(?<![0-9.])([0-9]+\.[0-9]+)(版本?)"  # a version: 导览平台2.0 is not 1.0
)
ORDINAL_WORD = re.compile(r"第?[0-9一二三四五六七八九十百零两]+")
LIST_COUNT = r"(?:[0-9]+|[两二三四五六七八九十]+)个?"
ORDINAL_PREFIX = re.compile(r"第[0-9一二三四五六七八九十]+[届期批次轮]")


def name_match(
    item: str,
    statement: StatementView,
    rules: ScoringRules,
    suffix: str | None = None,
    aliases: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
) -> NameHit | None:
    """Does the statement name this item? The first comparison level that holds, or None.

    aliases: what the plan gives in parentheses with the item (Level.PARENTHESIS);
    places: the report's own place names, which its names may drop (Level.ELISION).
    """
    wanted, tail, wanted_numerals = _name_parts(item)
    text = statement.compact_text
    weights = rules.matching.weights
    if wanted in text:
        return NameHit(Level.EXACT, weights[Level.EXACT], wanted)
    if suffix and wanted.endswith(suffix):
        head = wanted[: -len(suffix)]
        apart = _written_apart(head, suffix)
        if apart is not None and apart.search(text):
            return NameHit(Level.APART, weights[Level.APART], f"{head}…{suffix}")
    if aliases and (said := next((alias for alias in aliases if alias in text), None)):
        return NameHit(Level.PARENTHESIS, weights[Level.PARENTHESIS], said)
    if short := _short_form(wanted):
        prefix, core = short
        if re.search(rf"(?<![0-9一二三四五六七八九十]){re.escape(core)}", text) and prefix in (
            statement.compact_sentence
        ):
            return NameHit(Level.SHORT, weights[Level.SHORT], f"({prefix}){core}")
    if tail and len(wanted) - len(tail.group()) >= 3:
        # the project may be named in an earlier clause of the sentence ("A一期…,二期主体封顶")
        base = wanted[: tail.start()]
        if base in statement.compact_sentence and re.search(
            rf"(?<![0-9一二三四五六七八九十]){re.escape(tail.group())}", text
        ):
            return NameHit(Level.PHASE, weights[Level.PHASE], f"{base}…{tail.group()}")
    if hit := other_form(wanted, text, rules, places):
        return hit
    named = _fuzzy(wanted, wanted_numerals, statement, rules, suffix) if statement.named else None
    return named or _fuzzy_in_text(wanted, wanted_numerals, text, rules)


def _fuzzy_in_text(
    wanted: str, wanted_numerals: tuple[str, ...], text: str, rules: ScoringRules
) -> NameHit | None:
    """A long name written with a word or two changed inside ("临江社区嵌入式养老服务中心" as
    "…养老照护中心"): a stretch of text as long as the name, starting as it does, at most
    max_window_changes characters changed, with the same numerals and a kind of the same family."""
    matching = rules.matching
    if len(wanted) < matching.min_window_chars or wanted[:2] not in text:
        return None
    found = fuzz.partial_ratio_alignment(wanted, text)
    window = text[found.dest_start : found.dest_end]
    changed = sum(a != b for a, b in zip(wanted, window, strict=False))
    if (
        len(window) == len(wanted)
        and changed <= matching.max_window_changes
        and window[:2] == wanted[:2]
        and numerals_of(window) == wanted_numerals
        and not _other_kind(wanted, window, matching)
    ):
        return NameHit(Level.FUZZY, found.score / 100 * matching.weights[Level.FUZZY], window)
    return None


def parenthesised(item: str, text: str) -> tuple[str, ...]:
    """The name the plan gives in parentheses after the item, a kind ("志愿服务队(阳光义工队)")."""
    name, text = compact(item), compact(text)
    if f"{name}(" not in text and f"{name}（" not in text:  # as for most items: no pattern to build
        return ()
    found = re.search(rf"{re.escape(name)}[(（]([^()（）]{{2,20}})[)）]", text)
    return (found.group(1),) if found else ()


def elided_phase(item: str, statement: StatementView, earlier: StatementView) -> str | None:
    """A phase opening a clause whose project the clause before names: "A安置小区一期完成…;
    二期主体结构全面封顶" reports A安置小区二期."""
    wanted, tail, _ = _name_parts(item)
    if (
        tail is None
        or len(wanted) - len(tail.group()) < 3
        or not statement.compact_text.startswith(tail.group())
    ):
        return None
    base = wanted[: tail.start()]
    return f"{base}…{tail.group()}" if base in earlier.compact_text else None


def other_form(name: str, text: str, rules: ScoringRules, places: tuple[str, ...] = ()) -> NameHit | None:
    """The name abbreviated, truncated, elided or with a synonym of its head noun, in text: the
    levels that serve a commitment's object as well as its named items. places: the report's own
    place names (Context.own_places)."""
    matching = rules.matching
    if said := abbreviation_in(name, text, rules):
        return NameHit(Level.ABBREVIATION, matching.weights[Level.ABBREVIATION], said)
    for kept in truncations(name, rules):
        if kept not in text:
            continue
        for found in re.finditer(re.escape(kept), text):
            after = text[found.end() :]
            if not after.startswith(matching.suffixes):  # "雁塔区第二实验|中学" is another school
                return NameHit(Level.TRUNCATION, matching.weights[Level.TRUNCATION], kept)
    if said := elision_in(name, text, rules, places):
        return NameHit(Level.ELISION, matching.weights[Level.ELISION], said)
    for other in synonym_forms(name, rules):
        if other in text:
            return NameHit(Level.SYNONYM, matching.weights[Level.SYNONYM], other)
    return None


def abbreviation_in(name: str, text: str, rules: ScoringRules) -> str | None:
    """An abbreviation of the name that text writes as words of its own, or None."""
    matching = rules.matching
    if name[:1] not in text:  # every abbreviation starts with the name's first character
        return None
    pattern = _abbreviation_pattern(
        name,
        matching.min_abbreviated_chars,
        matching.max_abbreviated_word,
        matching.connectors,
        matching.dropped_zipf,
    )
    if pattern is None:
        return None
    said_words = _abbreviated_words(name, matching.connectors)
    words = [word for word in said_words if word not in matching.connectors]
    for found in pattern.finditer(text):
        said = found.group()
        represented = sum(group is not None for group in found.groups())
        if (
            len(said) < len(name)
            and said not in name
            and (len(words) >= 3 or len(said) == len(words) or said.startswith(words[0]))
            and 2 * represented >= len(words)
            and zipf(said) < matching.max_abbreviation_zipf
            and _stands_as_words(text, found.start(), found.end())
        ):
            return said
    return None


@lru_cache(maxsize=4096)
def _abbreviation_pattern(
    name: str, min_chars: int, max_word: int, connectors: tuple[str, ...], dropped_zipf: float
) -> re.Pattern[str] | None:
    """Characters of the name in order: the first of the first word, one at least of its head
    and of every rare word, every numeral, one or none of a common word between (one group per
    word, to count them), connectors optional: 雁影|文化|创意|产业园|二期 gives 雁影文创园二期,
    临溪|至|高梁|公路 gives 临高路."""
    words = _abbreviated_words(name, connectors)
    if len(name) < min_chars or len(words) < 2:
        return None
    parts = []
    head = len(words) - (2 if len(words) > 2 and ORDINAL_TAIL.fullmatch(words[-1]) else 1)
    for position, word in enumerate(words):
        if word in connectors:
            parts.append(f"(?:{re.escape(word)})?")
            continue
        kept = [i for i, char in enumerate(word) if NUMERAL.match(char)] + ([0] if position == 0 else [])
        if position == head and len(word) >= 3:
            kept.append(len(word) - 1)  # a long head keeps its kind: 展示馆 → 馆, never 停车场 → 停车
        group = "(" + "|".join(map(re.escape, _subsequences(word, frozenset(kept), max_word))) + ")"
        # a common word between the first and the head, without a numeral, may be left out
        # (侨批|文化|展示馆 gives 侨批馆); abbreviation_in asks that half the words be said
        optional = 0 < position < head and not kept and zipf(word) >= dropped_zipf
        parts.append(group + ("?" if optional else ""))
    return re.compile("".join(parts))


@lru_cache(maxsize=4096)
def _abbreviated_words(name: str, connectors: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a name, a connector between its two ends a word of its own (临溪|至|高梁|公路):
    wordfreq would join an unknown place to it. Once per name, not once per statement."""
    if not connectors:
        return name_words(name)
    pieces = re.split(f"({'|'.join(map(re.escape, connectors))})", name)
    if len(pieces) < 3 or any(len(piece) < 2 for piece in pieces[::2]):
        return name_words(name)
    return tuple(
        word for piece in pieces for word in ((piece,) if piece in connectors else name_words(piece))
    )


def _subsequences(word: str, kept: frozenset[int], max_word: int) -> list[str]:
    """The non-empty subsequences of word that keep the characters at `kept`, longest first."""
    if len(word) > max_word:
        return [word] if kept - {0} else [word, word[0]]
    found = {
        "".join(char for i, char in enumerate(word) if mask >> i & 1)
        for mask in range(1, 2 ** len(word))
        if all(mask >> i & 1 for i in kept)
    }
    return sorted(found, key=lambda sub: (-len(sub), sub))


def _stands_as_words(text: str, start: int, end: int) -> bool:
    """Does text[start:end] begin and end at word boundaries of text (高企 in 新认定高企4家,
    not in 提高企业)?"""
    boundaries = {0, len(text)}
    position = 0
    for word in tokenize_text(text):
        found = text.find(word, position)
        if found < 0:
            continue
        boundaries |= {found, found + len(word)}
        position = found + len(word)
    return start in boundaries and end in boundaries


@lru_cache(maxsize=4096)
def truncations(name: str, rules: ScoringRules) -> tuple[str, ...]:
    """The name without its common trailing words, and without a leading province, longest first:
    陕西|慈恩数智|科技|有限公司 gives 慈恩数智科技, 慈恩数智. Each keeps the name's numerals,
    is rare as a phrase, and ends neither in an ordinal nor in a name suffix (芙蓉坊社区 is not
    芙蓉坊社区卫生服务站)."""
    matching = rules.matching
    words = list(name_words(name))
    starts = [0]
    if len(words) > 2 and words[0] in matching.leading_places:
        starts.append(1)
    numerals = NUMERAL.findall(name)
    found = []
    for start in starts:
        for end in range(len(words), start, -1):
            kept = "".join(words[start:end])
            dropped = words[end:]
            if kept == name or any(zipf(word) < matching.dropped_zipf for word in dropped):
                continue
            if (
                len(kept) >= matching.min_kept_chars
                and NUMERAL.findall(kept) == numerals
                and not ORDINAL_WORD.fullmatch(words[end - 1])  # "雁塔区第二" names no school
                and zipf(kept) < matching.rare_zipf  # wordfreq's frequency of the phrase
                and not kept.endswith(matching.suffixes)
            ):
                found.append(kept)
    return tuple(sorted(set(found), key=len, reverse=True))


def elision_in(name: str, text: str, rules: ScoringRules, places: tuple[str, ...]) -> str | None:
    """A form of the name without its place or its middle words that text writes as words of its
    own, or None."""
    matching = rules.matching
    for said in elisions(name, rules, places):
        if said not in text:
            continue
        for found in re.finditer(re.escape(said), text):
            if (
                not text[found.end() :].startswith(matching.suffixes)
                and zipf(said) < matching.rare_zipf
                and _stands_as_words(text, found.start(), found.end())
            ):
                return said
    return None


@lru_cache(maxsize=4096)
def elisions(name: str, rules: ScoringRules, places: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of a name that leave out its place (the report's own: 临溪镇's 临溪柑橘示范园 is
    柑橘示范园; a leading region: 川渝鑫源食品 is 鑫源食品) or the words between its start and
    its head (黑山羊养殖专业合作社 is 黑山羊合作社; an unknown first run is cut after two
    characters: 湘芯电驱产业园二期 is 湘芯二期), from the name and from its truncations; a
    company also by its short name (…发展有限公司 is …公司) and without its parent or place
    (山西华晋宗艾煤业 is 宗艾煤业). Each keeps the numerals that say which thing (a place's own
    may go with it) and is at least min_kept_chars long; longest first."""
    matching = rules.matching
    bases = {name} | _without_place(name, places, matching)
    company = next((form for form in matching.company_forms if name.endswith(form)), None)
    if company:  # 宗艾镇强村富民发展有限公司 is 镇强村公司
        bases |= {base[: -len(company)] + matching.company_short for base in bases if base.endswith(company)}
    ends_of = {base: (base, *truncations(base, rules)) for base in bases}
    found = {end for ends in ends_of.values() for end in ends if end != name}
    # the middle is left out of the name once its place is (临溪|黑山羊…合作社), never the
    # distinctive words after a place (临溪…示范园 is any park of 临溪)
    placeless = bases - {name} or {name}
    for end in {end for base in placeless for end in ends_of[base]}:
        words = name_words(end)
        cuts = list(accumulate(len(word) for word in words))[:-1]
        if len(words[0]) >= 4 and zipf(words[0]) < matching.unknown_zipf:  # 湘芯电驱 is 湘芯|电驱
            cuts = sorted({matching.min_piece_chars, *cuts})
        # what is kept ends in the last word: the head, or the ordinal that says which phase
        # (琥珀新天地商业综合体二期 is 琥珀新天地二期)
        head = cuts[-1] if cuts else 0
        found |= {
            end[:cut] + end[resume:]
            for cut in cuts
            for resume in cuts
            if cut < resume <= head and len(_own_words_out(end[:cut], places)) >= matching.min_piece_chars
        }
        if company:  # a company by its trade name and trade, its parent or place left out (宗艾煤业)
            found |= {
                end[start:]
                for start in range(1, len(end) - matching.min_kept_chars + 1)
                if len(_without_company_form(end[start:], matching)) >= matching.min_piece_chars
            }
    # the numerals that say which thing; a place's own (第三铺乡) may go with the place
    numerals = NUMERAL.findall(_places_out(name, places))
    return tuple(
        sorted(
            (
                form
                for form in found
                if len(form) >= matching.min_kept_chars
                and NUMERAL.findall(_places_out(form, places)) == numerals
                and not ORDINAL_WORD.fullmatch(form)
            ),
            key=lambda form: (-len(form), form),
        )
    )


def _without_company_form(name: str, matching: MatchingRules) -> str:
    form = next((f for f in (*matching.company_forms, matching.company_short) if name.endswith(f)), "")
    return name[: len(name) - len(form)]


def _own_words_out(piece: str, places: tuple[str, ...]) -> str:
    """What a piece of a name says besides an ordinal and the report's own place names."""
    return _places_out(ORDINAL_PREFIX.sub("", piece), places)


def _places_out(piece: str, places: tuple[str, ...]) -> str:
    for place in places:
        piece = piece.replace(place, "")
    return piece


def _without_place(name: str, places: tuple[str, ...], matching: MatchingRules) -> set[str]:
    """The name without the report's own place names at its start (after an ordinal: 第三届临溪…),
    each with and without its administrative ending (窑湾街道商会: 街道商会), and without a
    leading region of province abbreviations (川渝, 京津冀)."""
    ordinal = ORDINAL_PREFIX.match(name)
    lead, rest = (name[: ordinal.end()], name[ordinal.end() :]) if ordinal else ("", name)
    forms = set()
    stripped = True
    while stripped:
        stripped = False
        for place in places:
            if rest.startswith(place) and len(rest) > len(place):
                rest = rest[len(place) :]
                endings = (*matching.settlement_words, *matching.admin_endings)
                ending = next((e for e in endings if rest.startswith(e)), "")
                forms.add(lead + rest)
                if ending and len(rest) > len(ending):
                    rest = rest[len(ending) :]
                    forms.add(lead + rest)
                stripped = True
                break
    region = len(rest) - len(rest.lstrip("".join(matching.province_abbreviations)))
    if region >= 2 and len(rest) > region:
        forms.add(lead + rest[region:])
    return forms


@lru_cache(maxsize=4096)
def synonym_forms(name: str, rules: ScoringRules) -> tuple[str, ...]:
    """The name with its head noun (the longest synonyms.toml word it ends with) replaced. Once
    per name: the missing gate asks for it with every statement of a summary."""
    synonyms = rules.matching.synonyms
    head = max((word for word in synonyms if name.endswith(word)), key=len, default=None)
    if head is None:
        return ()
    return tuple(name[: -len(head)] + other for other in synonyms[head])


def _fuzzy(
    wanted: str,
    wanted_numerals: tuple[str, ...],
    statement: StatementView,
    rules: ScoringRules,
    suffix: str | None,
) -> NameHit | None:
    best: NameHit | None = None
    matching = rules.matching
    for other, other_numerals in statement.named:
        if min(len(other), len(wanted)) < rules.min_fuzzy_name_chars:
            continue
        if _other_kind(wanted, other, matching):
            continue  # 祝塘中学 is not 祝塘中心; 金水湾社区 is the place of 金水湾社区…养老服务中心
        if other_numerals != wanted_numerals and other_numerals and wanted_numerals:
            continue
        if wanted_numerals and not other_numerals:
            continue  # 罗山公园群三期 is not any 罗山公园群
        score = (
            fuzz.partial_ratio(wanted, other)
            if _same_thing_named(wanted, other, suffix)
            else fuzz.ratio(wanted, other)
        )
        weight = score / 100 * rules.matching.weights[Level.FUZZY]
        if score >= rules.name_similarity and (best is None or weight > best.score):
            best = NameHit(Level.FUZZY, weight, other)
    return best


def _other_kind(wanted: str, other: str, matching: MatchingRules) -> bool:
    """Two names of different kinds (their name suffixes differ: 中学, 中心), or a place the wanted
    name goes on from (金水湾社区 of 金水湾社区嵌入式养老服务中心): never the same thing, however
    close their spelling."""
    mine, theirs = (next((s for s in matching.suffixes if name.endswith(s)), "") for name in (wanted, other))
    if mine and theirs and not (mine.endswith(theirs) or theirs.endswith(mine)):
        return True
    return len(wanted) > len(other) and wanted.startswith(other) and other.endswith(matching.containers)


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
    numbered = numbered_like(wanted)
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
    A short head with something else inside is another name ("会展湾片区" is not 会展片区);
    the last head of a list may stand before the list's count ("双河、石盘两村", "东苑、西苑三个小区").
    None for a head under two characters or with a numeral, which is never looked for apart.
    Once per item: scoring asks for every statement the item is checked against."""
    if len(head) < 2 or numerals_of(head):
        return None
    between = r"、[^,,;;。]{0,12}?" if len(head) < 3 else r"(?:、[^,,;;。]{0,12}?|[^,,;;。、]{0,8}?)"
    # the last of a list, before the list's count: "双河、石盘两村" names 石盘村
    counted = rf"(?<=、){re.escape(head)}{LIST_COUNT}{re.escape(suffix)}"
    return re.compile(rf"{re.escape(head)}{between}{re.escape(suffix)}|{counted}")


@lru_cache(maxsize=4096)
def numbered_like(name: str) -> re.Pattern[str] | None:
    """The names equal to name but for their numerals; None for a name without numerals.
    Once per name: scoring asks for every statement an item is checked against."""
    if not numerals_of(name):
        return None
    skeleton = re.sub(r"[0-9.]+|[一二三四五六七八九十百零两]+", "#", name)
    return re.compile(re.escape(skeleton).replace("\\#", r"([0-9.]+|[一二三四五六七八九十百零两]+)"))


def ordinal_differs(commitment_text: str, statement: StatementView) -> tuple[str, str] | None:
    """第三批 against 第二批 of the same kind: a different batch, phase or round, not this one."""
    ordinals = _ordinal_kinds(commitment_text)
    if not ordinals:  # as for most commitments: no batch or phase of its own to differ from
        return None
    for number, kind in _ordinals(statement.compact_text):
        promised = next((n for n, k in ordinals.items() if k == kind), None)
        if promised is not None and promised != number and number not in ordinals:
            return _written(promised, kind), _written(number, kind)
    return None


@lru_cache(maxsize=4096)
def _ordinal_kinds(commitment_text: str) -> dict[str, str]:
    return dict(_ordinals(compact(commitment_text)))


@lru_cache(maxsize=4096)
def _ordinals(text: str) -> tuple[tuple[str, str], ...]:
    """(number, kind) of each ordinal text writes; once per statement, not once per commitment
    of its street."""
    return tuple(
        (number or year or version, kind or batch or "版")
        for number, kind, year, batch, version, _ in ORDINAL.findall(text)
    )


def _written(number: str, kind: str) -> str:
    if kind == "批次":
        return f"{number}年{kind}"
    return f"{number}{kind}" if kind == "版" else f"第{number}{kind}"
