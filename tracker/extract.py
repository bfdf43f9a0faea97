"""Commitments from plan parts, outcome statements from summary parts.

The unit (statuses.md): a sentence is split at 。;; and between clauses that
open with their own verb ("完成…移交,配合…施工" is two); one verb over a list
stays one unit with several items. Sub-headings and short topic labels
("精耕“生长土壤”。") are not units. Each unit carries its named items, its
quantities, its deadline, its result level and whether it is checkable.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from tracker.names import QUOTED, NameFinder
from tracker.normalize import NormalizedText
from tracker.quantities import Quantity, QuantityParser
from tracker.rules import Rules, RulesError, read_rule_file
from tracker.sections import Line, SectionSpan, section_lines

LEVELS = ("prepare", "start", "nearly_done", "done")
# Sub-headings by rank, as Chinese documents number them: "一、" above "(一)".
SUB_HEADING = re.compile(r"^(?:(?P<chapter>[一二三四五六七八九十]+、)|(?P<item>\([一二三四五六七八九十]+\)))")
SUB_HEADING_RANKS = ("chapter", "item")
TASK_NUMBER = re.compile(r"^(\d{1,3})[.、](?!\d)")
# A share of the work just after a result word: "完成79%", "完成总工程量的65%".
PERCENT_AFTER = re.compile(r"[^0-9,,;;。]{0,6}?[约近]?([0-9]+(?:\.[0-9]+)?)%")
SENTENCE_END = "。;!?"
OPENING, CLOSING = "“(《「‘", "”)》」’"
TOPIC_LABEL_CHARS = 12
LEADING_LABEL_CHARS = 20
# tokens_of(text, parts): the (start, end) spans of the tokens of those parts of text, each
# (start, end) within one line (the segmenter, or its cache).
TokensOf = Callable[[str, list[tuple[int, int]]], list[tuple[int, int]]]


@dataclass(frozen=True)
class Lexicon:
    """Level words, verbs, deadlines: compiled once per rules folder."""

    level_of_word: dict[str, str]
    level_pattern: re.Pattern[str]
    not_done_pattern: re.Pattern[str]
    delayed_pattern: re.Pattern[str]
    deliverable_pattern: re.Pattern[str]
    verb_opening: re.Pattern[str]
    verb_anywhere: re.Pattern[str]
    framing_opening: re.Pattern[str]
    preposition_opening: re.Pattern[str]
    follows_rules: re.Pattern[str]  # "执行", "遵守": a verb of keeping to rules already set
    rule_sets: tuple[str, ...]  # "制度", "规定": what a count names after such a verb
    deadline_patterns: tuple[re.Pattern[str], ...]
    future_pattern: re.Pattern[str]
    begun_pattern: re.Pattern[str]
    partly_pattern: re.Pattern[str]
    under_way_before: re.Pattern[str]
    under_way_after: re.Pattern[str]
    stage_before: re.Pattern[str]
    share_of_work: re.Pattern[str]
    progress_after_chars: int  # how far after a result word a progress phrase may stand
    prepare_object_pattern: re.Pattern[str]
    stage_object_pattern: re.Pattern[str]

    @classmethod
    def load(cls, directory: Path) -> Lexicon:
        levels = read_rule_file(directory, "levels.toml")
        verbs = read_rule_file(directory, "verbs.toml")
        deadlines = read_rule_file(directory, "deadlines.toml")
        table = levels.get("levels", {})
        progress = levels.get("progress", {})
        if set(table) != set(LEVELS):
            raise RulesError(f"{directory / 'levels.toml'}: [levels] must have {', '.join(LEVELS)}")
        level_of_word = {word: level for level in LEVELS for word in table[level]}
        level_of_word.update({word: "" for word in levels.get("not_level", [])})
        all_verbs = set(verbs.get("verbs", [])) | {w for w, lv in level_of_word.items() if lv}
        adverbs = _alternation(verbs.get("adverbs", []))
        return cls(
            level_of_word=level_of_word,
            level_pattern=re.compile(_alternation(level_of_word)),
            not_done_pattern=re.compile(
                "|".join([_alternation(levels.get("not_done", [])), *levels.get("not_done_patterns", [])])
            ),
            delayed_pattern=re.compile("|".join(levels.get("delayed_within_period", [])) or "(?!)"),
            deliverable_pattern=re.compile(
                "|".join(
                    [_alternation(levels.get("deliverables", [])), *levels.get("deliverable_patterns", [])]
                )
            ),
            verb_opening=re.compile(rf"^(?:(?:{adverbs})*)(?:{_alternation(all_verbs)})"),
            verb_anywhere=re.compile(_alternation(all_verbs)),
            framing_opening=re.compile(rf"^(?:(?:{adverbs})*)(?:{_alternation(verbs.get('framing', []))})"),
            preposition_opening=re.compile(
                rf"^(?:(?:{adverbs})*)(?:{_alternation(verbs.get('prepositions', []))})"
            ),
            follows_rules=re.compile(_alternation(verbs.get("follows_rules", []))),
            rule_sets=tuple(verbs.get("rule_sets", [])),
            deadline_patterns=tuple(re.compile(p) for p in deadlines.get("patterns", [])),
            future_pattern=re.compile(
                "|".join([_alternation(levels.get("future_markers", [])), *levels.get("future_patterns", [])])
            ),
            begun_pattern=re.compile(_alternation(levels.get("begun_markers", []))),
            partly_pattern=re.compile(_alternation(levels.get("partly_markers", []))),
            # the stage may belong to a part of the works: 完成厂房主体建设, 完成一期主体
            stage_object_pattern=re.compile(
                "[\u4e00-\u9fff、和及]{0,6}?(?:" + _alternation(levels.get("stage_objects", [])) + ")"
            ),
            under_way_before=re.compile(_alternation(progress.get("under_way_before", []))),
            under_way_after=re.compile("|".join(progress.get("under_way_after", [])) or "(?!)"),
            stage_before=re.compile(_alternation(progress.get("stage_before", []))),
            progress_after_chars=int(progress.get("after_chars", 16)),
            share_of_work=re.compile(
                f"(?:{_alternation(progress.get('share_of_work', []))}){PERCENT_AFTER.pattern}"
            ),
            prepare_object_pattern=re.compile(
                "[\u4e00-\u9fff]{0,3}?(?:" + _alternation(levels.get("prepare_objects", [])) + ")"
            ),
        )

    def says_not_done(self, text: str) -> bool:
        """The text says the work did not happen; a delay to a month of the same period, after
        which the text reports the work ("顺延至12月举办,共开展12场"), is late, not undone."""
        return bool(self.not_done_pattern.search(text)) and not self.delayed_pattern.search(text)

    def level(self, text: str, skip: list[tuple[int, int]], *, reported: bool = True) -> str | None:
        """The highest result level named in text outside the skipped spans (names).

        A result word counts as its neighbours say: "开始验收" reports a start,
        "部分封顶" nearly done, "完成方案设计" preparation (levels.toml). In a
        summary (`reported`), progress is not completion: "预计2026年建成"
        reports nothing yet, "正在验收" and "竣工验收工作正在推进" work under
        way, "进入验收阶段" nearly done. In a plan the same words leave the
        promise as it is: "力争年底建成" promises 建成. A share of the works
        under 100% is nearly done ("工程进度超90%").
        """
        found = []
        for match in self.level_pattern.finditer(text):
            level = self.level_of_word[match.group()]
            if level and not _inside(match.start(), match.end(), skip):
                found.append(self._in_context(level, text, match.start(), match.end(), reported))
        found = [level for level in found if level]
        found += ["nearly_done" for share in self.share_of_work.finditer(text) if float(share.group(1)) < 100]
        return max(found, key=LEVELS.index) if found else None

    def without_non_results(self, text: str) -> str:
        """text without the phrases that hold a result word but report no result (not_level)."""
        return self.level_pattern.sub(lambda m: m.group() if self.level_of_word[m.group()] else "", text)

    def promised_result_level(self, promise: str, text: str) -> str | None:
        """The level `text` (a summary's) reports for the very result `promise` (a plan's) makes:
        that of the promise's highest result words where text says them again. "通过省级验收" is
        reported at preparation by "完成…建设,已提交省级验收申请", whatever else was completed;
        None when text does not say them."""
        promised = [
            (match.group(), self._in_context(level, promise, match.start(), match.end(), False))
            for match in self.level_pattern.finditer(promise)
            if (level := self.level_of_word[match.group()])
        ]
        promised = [(word, level) for word, level in promised if level]
        if not promised:
            return None
        top = max(LEVELS.index(level) for _, level in promised)
        words = {word for word, level in promised if LEVELS.index(level) == top}
        found = [
            self._in_context(self.level_of_word[match.group()], text, match.start(), match.end(), True)
            for match in self.level_pattern.finditer(text)
            if match.group() in words
        ]
        found = [level for level in found if level]
        return max(found, key=LEVELS.index) if found else None

    def _in_context(self, level: str, text: str, start: int, end: int, reported: bool) -> str | None:
        if LEVELS.index(level) < LEVELS.index("nearly_done"):
            return level
        if text.startswith("前", end):
            return None  # "验收前", "开业前": a time before the result, no result
        before = re.split(r"[,,;;。]", text[max(0, start - 12) : start])[-1]
        after = _clause_after(text, end, 8)
        if reported and self.future_pattern.search(before):
            return None  # "预计2026年建成": not reported yet
        if reported and (
            progress := self._progress(before, _clause_after(text, end, self.progress_after_chars))
        ):
            return progress
        if self.begun_pattern.search(before[-3:]):
            return "start"
        if self.prepare_object_pattern.match(after):
            return "prepare"
        if self.partly_pattern.search(before[-3:]) or self.stage_object_pattern.match(after):
            return "nearly_done"
        share = PERCENT_AFTER.match(after)
        if share and "完成" in text[start:end] and float(share.group(1)) < 100:
            return "nearly_done"  # "完成79%" is most of it; "达到85%" is a rate reached
        return level

    def _progress(self, before: str, after: str) -> str | None:
        """What a summary's result word reports when its neighbours say the work is still going on:
        "start" for work under way (an aspect marker right before it, a progress phrase after it),
        "nearly_done" for a stage reached ("进入验收阶段"); None when they say nothing of the kind."""
        if self.under_way_before.search(before[-5:]) or self.under_way_after.match(after):
            return "start"
        if self.stage_before.search(before[-5:]):
            return "nearly_done"
        return None


# "三是完成…": the enumeration marker of a paragraph's parts is no part of the commitment's action
ENUMERATION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|首先|其次|再次|最后)[,，:：]?"
)
LEADING_LABEL = re.compile(r"^\s*【[^】]{1,12}】")


def _clause_after(text: str, end: int, length: int) -> str:
    """Up to `length` characters of text after `end`, within the clause."""
    return re.split(r"[,,;;。]", text[end : end + length])[0]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@dataclass
class Unit:
    """A commitment (plan) or an outcome statement (summary), in normalised offsets until stored."""

    role: str  # "plan" → commitment, "summary" → statement
    section_path: tuple[str, ...]  # the part heading, then each sub-heading down to the unit's own
    ref: str | None
    text: str
    start: int  # original offsets
    end: int
    sentence_start: int
    sentence_end: int
    items: list[str]
    quantities: list[Quantity]
    deadline: str | None
    level: str | None
    checkable: bool
    not_done: bool
    tokens: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The heading the unit sits right under ("" in a report without headings)."""
        return self.section_path[-1] if self.section_path else ""


@dataclass(frozen=True)
class Extractor:
    lexicon: Lexicon
    names: NameFinder
    quantities: QuantityParser
    setting: frozenset[str] = frozenset()  # the report's own and neighbouring townships: never items

    @classmethod
    def for_rules(cls, rules: Rules) -> Extractor:
        return _extractor(rules.directory)

    def within(self, setting: frozenset[str]) -> Extractor:
        """This extractor for a report of the place whose townships are `setting`."""
        return replace(self, setting=setting)

    def extract(
        self,
        norm: NormalizedText,
        section: SectionSpan,
        rules: Rules,
        tokens_of: TokensOf | None = None,
    ) -> list[Unit]:
        """The units of one section; tokens_of gives token spans (segmenter, cached)."""
        units: list[Unit] = []
        for section_path, ref, start, end in self._paragraphs(norm, section, rules):
            sentences = list(_sentences(norm.text, start, end))
            for position, (sentence_start, sentence_end) in enumerate(sentences):
                sentence = norm.text[sentence_start:sentence_end]
                leads = position == 0 and len(sentences) > 1
                if (leads and ref and self._is_task_title(sentence)) or self._is_topic_label(sentence, leads):
                    continue  # a task's title, or a headline
                clauses = self._clauses(norm.text, sentence_start, sentence_end, section.role)
                for clause_start, clause_end in clauses:
                    units.append(
                        self._unit(
                            norm,
                            section.role,
                            section_path,
                            ref,
                            clause_start,
                            clause_end,
                            sentence_start,
                            sentence_end,
                        )
                    )
        if tokens_of:
            self._attach_tokens(norm, section, units, tokens_of)
        return units

    def _paragraphs(
        self, norm: NormalizedText, section: SectionSpan, rules: Rules
    ) -> Iterator[tuple[tuple[str, ...], str | None, int, int]]:
        """(heading path, task number, start, end) of each paragraph body, normalised offsets.

        The path runs from the part heading down through every sub-heading above the paragraph:
        a "(一)" stays under the "一、" before it, so that four "(一)" of four chapters differ.
        Paragraphs before the first of several sub-headings are a preamble
        ("2025年是…之年", "下半年,街道将…") and left out, but for a plan's targets stated
        there ("主要预期目标是:地区生产总值增长6%以上…"), kept from the sentence that states them.
        """
        root = (section.heading,) if section.heading else ()
        open_headings: list[tuple[int, str]] = []  # (rank, heading) from the top down
        lines = section_lines(norm, section, rules)
        sub_headings = [i for i, line in enumerate(lines) if SUB_HEADING.match(line.text)]
        if len(sub_headings) >= 2:
            if section.role == "plan":
                yield from self._preamble_targets(lines[: sub_headings[0]], root, rules)
            lines = lines[sub_headings[0] :]
        for line in lines:
            start, text = line.start, line.text
            ref = None
            if sub_heading := SUB_HEADING.match(text):
                rank = SUB_HEADING_RANKS.index(sub_heading.lastgroup)
                while open_headings and open_headings[-1][0] >= rank:
                    open_headings.pop()
                first_end = _first_sentence_end(text)
                open_headings.append((rank, text[:first_end]))
                start += first_end
            elif number := TASK_NUMBER.match(text):
                ref = number.group(1)
                start += number.end()
            if start < line.end:
                yield root + tuple(heading for _, heading in open_headings), ref, start, line.end

    @staticmethod
    def _preamble_targets(
        lines: list[Line], path: tuple[str, ...], rules: Rules
    ) -> Iterator[tuple[tuple[str, ...], str | None, int, int]]:
        """The part of each preamble paragraph from the sentence naming its targets on, under
        the part heading (path)."""
        for line in lines:
            cue = next((line.text.find(c) for c in rules.sections.target_cues if c in line.text), -1)
            if cue >= 0:
                sentence_start = max(line.text.rfind(mark, 0, cue) for mark in SENTENCE_END) + 1
                yield path, None, line.start + sentence_start, line.end

    def _clauses(self, text: str, start: int, end: int, role: str) -> Iterator[tuple[int, int]]:
        """Split a sentence at commas where the next clause opens with its own verb, or where
        each side carries its own verb and target ("总值达到170亿元,总产值达到400亿元"); in a
        plan also where the next clause promises a result of its own name ("…,X开业运营")."""
        breaks = list(_breaks(text, start, end, ",:"))
        cuts = [start]
        for index, following_end in zip(breaks, [*breaks[1:], end], strict=False):
            preceding = text[cuts[-1] : index]
            following = text[index + 1 : following_end]
            if not self._has_verb(preceding):
                continue
            opens_with_verb = self.lexicon.verb_opening.match(text[index + 1 : end]) or (
                self.lexicon.preposition_opening.match(following) and self._has_verb(following)
            )  # "…,率先在“四上”企业推行": a preposition, then the clause's own verb
            # "依托…平台,打造…": a framing clause is the scene of the next clause only, unless each
            # has a target; "围绕…,加快A,推动B" still cuts between A and B.
            framed = self.lexicon.framing_opening.match(preceding) and not _clause_breaks(preceding)
            if (
                (opens_with_verb and not framed)
                or (
                    (opens_with_verb or self._has_verb(following))
                    and self._has_target(preceding)
                    and self._has_target(following)
                )
                or (role == "plan" and self._names_its_own_result(following))
            ):
                cuts.append(index + 1)
        cuts.append(end)
        for clause_start, clause_end in zip(cuts, cuts[1:], strict=False):
            for part_start, part_end in self._parallel_actions(text, clause_start, clause_end):
                part_start, part_end = _trim(text, part_start, part_end)
                if part_start < part_end:
                    yield part_start, part_end

    def _parallel_actions(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """A clause listing actions, each a verb and its object ("拓宽尖岗山大道、整治通成路南段"),
        is one clause per action; a list in which any part lacks its own verb or object
        ("抓好A、创新智慧港、B", "数据采集、更新、审核…机制") stays whole."""
        marks = [i for i in range(start, end) if text[i] == "、"]
        if not marks:
            return [(start, end)]
        bounds = list(zip([start, *(m + 1 for m in marks)], [*marks, end], strict=True))
        if self._each_quantified(text, start, bounds):
            return bounds
        for part_start, part_end in bounds:
            opening = self.lexicon.verb_opening.match(text[part_start:part_end])
            if not opening or part_end - part_start - opening.end() < 2:
                return [(start, end)]
        return bounds

    def _each_quantified(self, text: str, start: int, bounds: list[tuple[int, int]]) -> bool:
        """One verb over objects that each carry their own quantity ("培育小巨人企业5家、专精特新
        企业30家") is one commitment per quantity (statuses.md); "分别" pairs names and targets
        in one commitment instead ("A、B分别达到X、Y")."""
        if "分别" in text[start : bounds[-1][1]] or not self.lexicon.verb_opening.match(text[start:]):
            return False
        for part_start, part_end in bounds:
            part = text[part_start:part_end]
            found = self.quantities.parse(part)
            if len(found) != 1 or not part.rstrip("。;；").endswith(found[0].raw):
                return False
            if len(re.findall(r"[\u4e00-\u9fff]", part[: found[0].start])) < 2:
                return False  # "5家、6家": numbers of one object, no objects of their own
        return True

    def _names_rules_followed(self, text: str, quantity: Quantity) -> bool:
        """ "严格执行…“两个维护”十项制度机制": the count names the rules one follows, no target."""
        return bool(
            quantity.noun
            and quantity.noun.startswith(self.lexicon.rule_sets)
            and self.lexicon.follows_rules.search(text, 0, quantity.start)
        )

    def _names_its_own_result(self, clause: str) -> bool:
        """A clause whose subject is a name and whose verb a result: "…,会展湾花园里开业运营"."""
        names = self.names.find(clause, exclude=self.setting)
        return (
            bool(names) and names[0].start <= 2 and self.lexicon.level(clause, [], reported=False) == "done"
        )

    def _is_task_title(self, sentence: str) -> bool:
        """The first sentence of a numbered task is its title when it closes with 。 and promises
        nothing checkable: "4.推进城市更新。…" is a title, "4.新建道路3条;…" the first commitment."""
        bare = sentence.rstrip()
        if not bare.endswith("。"):
            return False
        return not self.quantities.parse(bare) and not any(
            pattern.search(bare) for pattern in self.lexicon.deadline_patterns
        )

    def _is_topic_label(self, sentence: str, leads: bool) -> bool:
        """A headline sentence promises and reports nothing.

        Leading a paragraph, a short sentence without numbers or deadline is
        one ("全面提速项目建设。", "强化基层党组织建设,打造先锋无畏战斗堡垒。");
        inside a paragraph only a short one without a verb ("精耕“生长土壤”。").
        """
        bare = re.sub(r"[“”\"‘’。;!?]", "", sentence)
        if self.quantities.parse(bare) or any(p.search(bare) for p in self.lexicon.deadline_patterns):
            return False
        if leads:
            done_word = self.lexicon.level(bare, []) == "done"
            # read with its quotes: a programme named in quotes ("深入开展“邻里守望”行动") is a
            # name (names.toml quoted_categories), so the sentence is a commitment (statuses.md)
            named = self.names.find(sentence, exclude=self.setting)
            return len(bare) <= LEADING_LABEL_CHARS and not done_word and not named
        if len(bare) > TOPIC_LABEL_CHARS or re.search(r"[,、]", bare):
            return False
        return not self._has_verb(bare) and not self.names.find(bare, exclude=self.setting)

    def _framing_end(self, text: str) -> int:
        """End of a leading framing clause ("依托…,", "围绕…,"), else 0."""
        if not self.lexicon.framing_opening.match(text):
            return 0
        comma = re.search(r"[,,]", text)
        return comma.start() if comma else 0

    def _has_verb(self, text: str) -> bool:
        return bool(self.lexicon.verb_anywhere.search(text))

    def _has_target(self, text: str) -> bool:
        return bool(self.quantities.parse(text))

    def _unit(
        self,
        norm: NormalizedText,
        role: str,
        section_path: tuple[str, ...],
        ref: str | None,
        start: int,
        end: int,
        sentence_start: int,
        sentence_end: int,
    ) -> Unit:
        text = norm.text[start:end]
        names = self.names.find(text, exclude=self.setting)
        name_spans = [(n.start, n.end) for n in names]
        scene_end = self._framing_end(text)
        names = [n for n in names if n.start >= scene_end]  # "围绕地铁14号线…,完成土地整备" sets a scene
        label = LEADING_LABEL.match(text)  # "【改小区】完成…": the label names a topic, no item
        names = [n for n in names if not label or n.start >= label.end()]
        quantities = [
            q
            for q in self.quantities.parse(text, default_comparator=">=" if role == "plan" else "=")
            if not (role == "plan" and (_counts_its_list(text, q) or self._names_rules_followed(text, q)))
        ]
        deadline = next(
            (
                m.group()
                for p in self.lexicon.deadline_patterns
                for m in p.finditer(text)
                if not any(s < m.end() and m.start() < e for s, e in name_spans)
            ),
            None,
        )
        level = self.lexicon.level(text, name_spans, reported=role == "summary")
        items = list(dict.fromkeys(n.text for n in names))
        # a deliverable word inside a quoted name ("“商圈开业一件事”") is part of the name, and
        # inside a phrase that is no result (建成 of "创建成果", levels.toml not_level) part of it
        unquoted = self.lexicon.without_non_results(QUOTED.sub("", ENUMERATION.sub("", text)))
        deliverable = bool(self.lexicon.deliverable_pattern.search(unquoted)) and len(text) >= 6
        original_start, original_end = norm.original_span(start, end)
        sentence = norm.original_span(sentence_start, sentence_end)
        return Unit(
            role=role,
            section_path=section_path,
            ref=ref,
            text=text,
            start=original_start,
            end=original_end,
            sentence_start=sentence[0],
            sentence_end=sentence[1],
            items=items,
            quantities=quantities,
            deadline=deadline,
            level=level,
            checkable=bool(items or quantities or deadline or deliverable),
            not_done=self.lexicon.says_not_done(text),
        )

    def _attach_tokens(
        self,
        norm: NormalizedText,
        section: SectionSpan,
        units: list[Unit],
        tokens_of: TokensOf,
    ) -> None:
        base = norm.normalized_offset(section.start)
        text = norm.text[base : norm.normalized_offset(section.end)]
        # Scoring reads the tokens of checkable commitments only: a vague commitment is
        # unverifiable whatever its words, and statements are matched by their text.
        matched = [unit for unit in units if unit.role != "summary" and unit.checkable]
        if not matched:
            return  # a summary: nothing to segment, no model to load
        bounds = [
            (norm.normalized_offset(unit.start) - base, norm.normalized_offset(unit.end) - base)
            for unit in matched
        ]
        sentences = [
            (
                min(norm.normalized_offset(unit.sentence_start) - base, low),
                max(norm.normalized_offset(unit.sentence_end) - base, high),
            )
            for unit, (low, high) in zip(matched, bounds, strict=True)
        ]
        spans = tokens_of(text, _parts_holding(text, sentences))
        starts = [start for start, _ in spans]  # in text order: each unit looks up its first token
        for unit, (low, high) in zip(matched, bounds, strict=True):
            low += self._framing_end(unit.text)  # the scene ("聚焦企业办事堵点,") is not the object
            first, last = bisect_left(starts, low), bisect_right(starts, high)
            unit.tokens = [
                token
                for start, end in spans[first:last]
                if end <= high and (token := text[start:end]).strip()
            ]


def _parts_holding(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of text to segment (start, end), in text order: the spans, joined where they
    touch or overlap, cut at line breaks (left out). A sentence keeps its neighbours when they
    are segmented too, as a line does; headings and titles alone are not segmented at all."""
    joined: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if joined and low <= joined[-1][1]:
            low, high = joined[-1][0], max(high, joined.pop()[1])
        joined.append((low, high))
    parts = []
    for low, high in joined:
        start = low
        for line in text[low:high].split("\n"):
            if line:
                parts.append((start, start + len(line)))
            start += len(line) + 1
    return parts


def _counts_its_list(text: str, quantity: Quantity) -> bool:
    """ "电子信息、高端装备、绿色低碳三类产业": the number of the things just listed, no target."""
    clause = re.split(r"[,，;；:：。]", text[: quantity.start])[-1]
    aggregate = clause.endswith("等")  # "A、B等3个": so many in all, the list only gives examples
    return "、" in clause and not aggregate and clause.count("、") + 1 == quantity.value


@lru_cache(maxsize=4)
def _extractor(directory: Path) -> Extractor:
    return Extractor(
        Lexicon.load(directory),
        NameFinder.load(directory),
        QuantityParser.from_rules(directory),
    )


def _first_sentence_end(text: str) -> int:
    """End of a sub-heading: its first 。 when text follows on the same line, else the line."""
    match = re.search(r"[。]", text)
    return match.end() if match else len(text)


def _breaks(text: str, start: int, end: int, marks: str) -> Iterator[int]:
    """Positions of the marks in text[start:end] outside quotes and brackets."""
    depth = 0
    for found in _marks_and_brackets(marks).finditer(text, start, end):
        char = found.group()
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0:
            yield found.start()


@lru_cache(maxsize=4)
def _marks_and_brackets(marks: str) -> re.Pattern[str]:
    """The marks, quotes and brackets: _breaks looks at these characters only."""
    return re.compile(f"[{re.escape(OPENING + CLOSING + marks)}]")


def _clause_breaks(text: str) -> bool:
    """Whether text holds a comma outside quotes and brackets: more than one clause."""
    return next(_breaks(text, 0, len(text), ",:"), None) is not None


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    begin = start
    for index in _breaks(text, start, end, SENTENCE_END):
        yield begin, index + 1
        begin = index + 1
    if begin < end:
        yield begin, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,,;;:。":
        start += 1
    while end > start and text[end - 1] in " ,,;;:。!?":
        end -= 1
    return start, end


def commitment_key(plan_doc: str, period: str, text: str, occurrence: int) -> str:
    """Stable id: the same text in the same plan gets the same id on every run."""
    digest = hashlib.sha256(f"{plan_doc}\0{period}\0{text}\0{occurrence}".encode()).hexdigest()
    return f"c{digest[:15]}"
