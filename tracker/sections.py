"""Find the summary and plan parts of a report, with their periods.

A report usually holds a summary of one period and a plan for the next
("一、2024年工作总结" / "二、2025年工作计划"); a web copy may name its year only
in the title ("上半年工作总结"); a heading may run on into its first sentence
("一、2023年工作回顾 2023年是…"); a speech may carry its plan as an attachment
("附件: 2023年重点工作任务"); a short report may have no heading at all and
open with its year ("2022年,…"). The forms are data in rules/sections.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from tracker.normalize import NormalizedText
from tracker.rules import Rules, SectionRules

HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+部分[,、:]?"
    r"|附件\d*:?|\d{1,2}[、.])"
)
# Where a heading that runs on into its sentence may start: a part number or a year, never a
# sub-heading's "(一)" or "1.", whose sentences ("(二)重点工作:…") belong to the part they are in.
RUN_IN_START = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|(?:19|20)\d{2}年)")
RUN_IN_SEPARATORS = ":。"
SUB_NUMBER = re.compile(r"^(?:\([一二三四五六七八九十]+\)|\d{1,2}[、.])")
YEAR = re.compile(r"((?:19|20)\d{2})年")
OPENING_YEAR = re.compile(r"^(?:刚刚过去的|过去的)?(?:19|20)\d{2}年")
SENTENCE_END = re.compile(r"[。!?]")
# A page copied from a table keeps its bars around the title ("某某街道2023年工作总结 |").
FRAME = " |"


class Role(StrEnum):
    SUMMARY = "summary"
    PLAN = "plan"
    EITHER = "either"  # "主要工作": a part whose role its year or neighbours tell


@dataclass(frozen=True)
class Line:
    """One line of the normalised text: [start, end) in normalised offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SectionSpan:
    """A summary or plan part. Offsets are into the original text."""

    role: str  # "summary" | "plan"
    period: str  # "2024", "2024H1", "2024H2"
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    """A line that opens a part: the content line's index, its role and heading text (the
    start of the line when the heading runs on into its first sentence)."""

    index: int
    role: Role
    text: str


class NoSectionError(ValueError):
    """The text holds no recognisable summary or plan part."""


def lines_of(norm: NormalizedText, start: int = 0, end: int | None = None) -> Iterator[Line]:
    """The lines of the text, or those that hold a character of text[start:end], whole."""
    end = len(norm.text) if end is None else end
    offset = norm.text.rfind("\n", 0, start) + 1
    stop = norm.text.find("\n", end)
    for text in norm.text[offset : len(norm.text) if stop == -1 else stop].split("\n"):
        yield Line(text, offset, offset + len(text))
        offset += len(text) + 1


def heading_role(line: str, rules: Rules) -> Role | None:
    """The role of a part heading line, else None."""
    if len(line) > 2 * rules.sections.max_heading_chars or not rules.sections.any_phrase.search(line):
        return None  # a paragraph, whatever its number, or a line without a heading phrase
    bare = HEADING_NUMBER.sub("", line.strip(FRAME)).strip(FRAME).rstrip(":。")
    sections = rules.sections
    if not bare or len(bare) > sections.max_heading_chars or "," in bare:
        return None
    holds = {role for role, pattern in sections.role_patterns.items() if pattern.search(bare)}
    if len(holds) > 1:
        return None  # a title naming both parts
    if holds:
        (role,) = holds
        return Role(role) if bare.endswith(sections.role_phrases[role]) else None
    return Role.EITHER if bare.endswith(sections.either_phrases) else None


def is_summary_cue_line(line: str, rules: Rules) -> bool:
    """ "一年来,我们主要做了以下工作:": a sentence that announces the summary."""
    bare = line.rstrip(":")
    return len(bare) <= rules.sections.max_heading_chars and bare.endswith(rules.sections.summary_cue_lines)


def opens_part(line: str, rules: Rules) -> bool:
    """Whether a line can open a report part (a heading or a cue line): no title comes after one."""
    return bool(heading_role(line, rules)) or is_summary_cue_line(line, rules)


def run_in_heading(norm: NormalizedText, line: Line, rules: Rules) -> tuple[str, Role] | None:
    """The heading and its role at the start of a line that runs on into its first sentence.

    "一、2023年工作回顾 2023年是…": the heading ends with a role phrase followed by ":" or
    "。", by a space of the original, or by the opening of a sentence (a year, a summary cue).
    """
    if not RUN_IN_START.match(line.text):
        return None
    sections = rules.sections
    phrases = [*sections.role_phrases["summary"], *sections.role_phrases["plan"], *sections.either_phrases]
    limit = sections.max_heading_chars + 8  # room for a number before the heading
    for end in sorted({m.end() for p in phrases for m in re.finditer(re.escape(p), line.text[:limit])}):
        rest = line.text[end:]
        spaced = norm.starts[line.start + end] > norm.ends[line.start + end - 1] if rest else False
        opens_sentence = bool(YEAR.match(rest)) or rest.startswith(sections.summary_cues)
        if rest and (rest[0] in RUN_IN_SEPARATORS or spaced or opens_sentence):
            heading = line.text[:end]
            if role := heading_role(heading, rules):
                return heading, role
    return None


def half_of(text: str, rules: Rules) -> str:
    for half, words in rules.sections.halves.items():
        if any(word in text for word in words):
            return half
    return ""


def years_in(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text)]


def find_sections(
    norm: NormalizedText, rules: Rules, title: str, fallback_year: int | None
) -> list[SectionSpan]:
    """Every summary and plan part, in document order.

    The period of a heading comes from its own year, else from the title's
    years (the first for a summary, the last for a plan), else from the years
    of the opening paragraph, else from the fallback year (a manifest's `year`).
    """
    lines = [line for line in lines_of(norm) if line.text]
    content = [line for line in lines if not rules.cruft.is_cruft(line.text)]
    headings = _headings(norm, content, rules)
    if not headings:
        return _headless_parts(norm, content, rules, title, fallback_year)
    opening = [line.text for line in content[: headings[0].index] if line.text != title]
    context_years = years_in(title) or (years_in(opening[0]) if opening else [])
    roles = _resolve_roles(headings, content, title, rules)
    sections: list[SectionSpan] = []
    for position, (heading, role) in enumerate(zip(headings, roles, strict=True)):
        next_index = headings[position + 1].index if position + 1 < len(headings) else len(content)
        line = content[heading.index]
        body = content[heading.index + 1 : next_index]
        if not body and heading.text == line.text:
            continue
        period = _period(heading.text, role, context_years, sections, fallback_year, rules)
        start, _ = norm.original_span(line.start, line.end)
        last = body[-1] if body else line
        _, end = norm.original_span(last.start, last.end)
        if sections and (sections[-1].role, sections[-1].period) == (role, period):
            # a title that reads like a heading, then the heading itself: one part
            sections[-1] = SectionSpan(role, period, sections[-1].heading, sections[-1].start, end)
            continue
        sections.append(SectionSpan(role, period, heading.text, start, end))
    if not sections:
        raise NoSectionError("headings found but no text under them")
    return sections


def _headings(norm: NormalizedText, content: list[Line], rules: Rules) -> list[Heading]:
    """The lines that open parts; a summary cue line only while no part is open, a sub-heading
    without a year ("(一)特色亮点工作") never while one is."""
    headings: list[Heading] = []
    for index, line in enumerate(content):
        if headings and SUB_NUMBER.match(line.text) and not YEAR.search(line.text):
            continue
        if role := heading_role(line.text, rules):
            headings.append(Heading(index, role, line.text))
        elif run_in := run_in_heading(norm, line, rules):
            headings.append(Heading(index, run_in[1], run_in[0]))
        elif not headings and is_summary_cue_line(line.text, rules):
            headings.append(Heading(index, Role.SUMMARY, line.text))
    return headings


def _resolve_roles(headings: list[Heading], content: list[Line], title: str, rules: Rules) -> list[str]:
    """Each heading's role; a heading that names no role ("2022年主要工作") takes it from the
    years of the other headings (a later year is the plan's, the same year the same role), its
    neighbours, the title, or its first paragraph."""
    roles: list[Role] = [h.role for h in headings]
    for position, heading in enumerate(headings):
        if heading.role is not Role.EITHER:
            continue
        own = years_in(heading.text)[:1]
        others = [
            (y, r)
            for h, r in zip(headings, roles, strict=True)
            if h is not heading
            for y in years_in(h.text)[:1]
        ]
        same_year = [r for y, r in others if own == [y] and r is not Role.EITHER]
        known_after = [r for r in roles[position + 1 :] if r is not Role.EITHER]
        title_roles = {
            r for r, words in rules.sections.role_phrases.items() if any(w in title for w in words)
        }
        if own and any(y > own[0] for y, _ in others):
            roles[position] = Role.SUMMARY
        elif own and any(y < own[0] for y, _ in others):
            roles[position] = Role.PLAN
        elif same_year:
            roles[position] = same_year[0]  # under a title heading of its year
        elif position and roles[position - 1] is Role.SUMMARY:
            roles[position] = Role.PLAN
        elif known_after and known_after[0] is Role.PLAN:
            roles[position] = Role.SUMMARY
        elif len(title_roles) == 1:
            roles[position] = Role(title_roles.pop())
        else:
            first = content[heading.index + 1].text if heading.index + 1 < len(content) else ""
            roles[position] = _opening_role(first, rules.sections)
    return [str(role) for role in roles]


def _opening_role(paragraph: str, sections: SectionRules) -> Role:
    """A plan when the paragraph holds a plan cue and no summary cue, else a summary."""
    planned = any(cue in paragraph for cue in sections.plan_cues)
    reported = any(cue in paragraph for cue in sections.summary_cues)
    return Role.PLAN if planned and not reported else Role.SUMMARY


def _period(
    heading: str,
    role: str,
    context_years: list[int],
    earlier: list[SectionSpan],
    fallback_year: int | None,
    rules: Rules,
) -> str:
    half = half_of(heading, rules)
    own_years = years_in(heading)
    if own_years:
        return f"{own_years[0]}{half}"
    if context_years:
        year = context_years[0] if role == "summary" else context_years[-1]
        summary_periods = {s.period for s in earlier if s.role == "summary"}
        if role == "plan" and not half:
            if f"{year}H1" in summary_periods:
                half = "H2"  # "下一步工作打算" after "上半年工作总结"
            elif any(w in heading for w in rules.sections.next_year_words) or (
                str(year) in summary_periods and len(context_years) == 1
            ):
                year += 1
    elif fallback_year:
        year = fallback_year
    else:
        raise NoSectionError(f"no year for the part '{heading}'; give `year` in manifest.toml")
    return f"{year}{half}"


def _headless_parts(
    norm: NormalizedText, content: list[Line], rules: Rules, title: str, fallback_year: int | None
) -> list[SectionSpan]:
    """A report without headings is one part when its first paragraph opens with a year
    ("2022年,…") or a summary cue ("一年来"); a plan when it reads as one. The lines before
    that paragraph are titles (their years count). In a summary, a sentence that opens with
    the next year ("2024年,要…") starts that year's plan."""
    first = next((i for i, line in enumerate(content) if _is_paragraph(line.text, rules)), None)
    if first is None:
        raise NoSectionError("no recognisable summary or plan section")
    opening = content[first].text
    first_sentence = SENTENCE_END.split(opening, maxsplit=1)[0]
    sections = rules.sections
    cued = any(cue in opening for cue in (*sections.summary_cues, *sections.plan_cues))
    if not (OPENING_YEAR.match(first_sentence) or cued):
        raise NoSectionError("no recognisable summary or plan section")
    titles = " ".join([title, *(line.text for line in content[:first])])
    years = years_in(opening) or years_in(titles) or ([fallback_year] if fallback_year else [])
    if not years:
        raise NoSectionError("no year in the first paragraph or the title; give `year` in manifest.toml")
    role = _opening_role(opening, sections)
    half = half_of(first_sentence, rules) or (half_of(titles, rules) if role is Role.SUMMARY else "")
    start = content[first].start
    end = content[-1].end
    plan_start = _next_year_opening(norm.text, start, end, years[0] + 1) if role is Role.SUMMARY else None
    parts = [(role, f"{years[0]}{half}", start, plan_start or end)]
    if plan_start:
        parts.append((Role.PLAN, str(years[0] + 1), plan_start, end))
    return [SectionSpan(str(r), period, "", *_original(norm, a, b)) for r, period, a, b in parts]


def _is_paragraph(line: str, rules: Rules) -> bool:
    """A line of running text, not a title: it holds a sentence or is longer than a title."""
    return bool(SENTENCE_END.search(line)) or len(line) > 2 * rules.sections.max_heading_chars


def _next_year_opening(text: str, start: int, end: int, year: int) -> int | None:
    """Where a sentence opening with the year ("2024年,…") starts in text[start:end], if one does."""
    for match in re.finditer(f"(?:^|(?<=[。!?\n])){year}年,", text[start:end], re.MULTILINE):
        if match.start() > 0:
            return start + match.start()
    return None


def _original(norm: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """Original offsets of normalised text[start:end], trailing line breaks left out."""
    while end > start and norm.text[end - 1] == "\n":
        end -= 1
    return norm.original_span(start, end)


def section_lines(norm: NormalizedText, section: SectionSpan, rules: Rules) -> list[Line]:
    """The content lines of a section (heading and cruft left out), normalised offsets.

    Only the section's own lines are walked: a report of many parts is cut in one pass over
    its lines, not one pass per part. A part that starts or ends inside a line (a plan opened by
    a sentence, a heading run on into its first sentence) gets its share of that line.
    """
    start = norm.normalized_offset(section.start)
    end = norm.normalized_offset(section.end)
    lines = [
        line if start <= line.start and line.end <= end else _clipped(line, start, end)
        for line in lines_of(norm, start, end)
        if line.text and line.start < end and start < line.end
    ]
    if section.heading and lines and lines[0].text.startswith(section.heading):
        first = lines[0]
        body = first.text[len(section.heading) :].lstrip(RUN_IN_SEPARATORS)
        lines = [Line(body, first.end - len(body), first.end), *lines[1:]] if body else lines[1:]
    return [line for line in lines if not rules.cruft.is_cruft(line.text)]


def _clipped(line: Line, start: int, end: int) -> Line:
    """The share of a line that lies in [start, end)."""
    clipped_start, clipped_end = max(start, line.start), min(end, line.end)
    return Line(line.text[clipped_start - line.start : clipped_end - line.start], clipped_start, clipped_end)
