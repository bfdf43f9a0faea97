"""Find the summary and plan parts of a report, with their periods.

A report usually holds a summary of one period and a plan for the next
("一、2024年工作总结" / "二、2025年工作计划"); a web copy may name its year only
in the title ("上半年工作总结"); a speech may carry its plan as an attachment
("附件: 2023年重点工作任务"); a short report may have no heading at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tracker.normalize import NormalizedText
from tracker.rules import Rules

HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+部分[,、:]?"
    r"|附件\d*:?|\d{1,2}[、.])"
)
YEAR = re.compile(r"((?:19|20)\d{2})年")
NEXT_YEAR_WORDS = ("明年", "来年", "下一年")


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


def heading_role(line: str, rules: Rules) -> str | None:
    """'summary' or 'plan' when the line is a part heading, else None."""
    bare = HEADING_NUMBER.sub("", line).strip().rstrip(":。")
    if not bare or len(bare) > rules.sections.max_heading_chars:
        return None
    phrases = rules.sections.role_phrases
    holds = {role for role, words in phrases.items() if any(w in bare for w in words)}
    if len(holds) != 1:
        return None  # no role, or a title naming both parts
    (role,) = holds
    return role if any(bare.endswith(w) for w in phrases[role]) else None


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
    years (the first for a summary, the last for a plan), else from the
    fallback year (a manifest's `year`).
    """
    lines = [line for line in lines_of(norm) if line.text]
    content = [line for line in lines if not rules.cruft.is_cruft(line.text)]
    headings = [(i, role) for i, line in enumerate(content) if (role := heading_role(line.text, rules))]
    if not headings:
        return _whole_text_summary(norm, content, rules, fallback_year)
    title_years = years_in(title)
    sections = []
    for position, (index, role) in enumerate(headings):
        next_index = headings[position + 1][0] if position + 1 < len(headings) else len(content)
        body = content[index + 1 : next_index]
        if not body:
            continue
        heading = content[index].text
        period = _period(heading, role, title_years, sections, fallback_year, rules)
        start, _ = norm.original_span(content[index].start, content[index].end)
        _, end = norm.original_span(body[-1].start, body[-1].end)
        if sections and (sections[-1].role, sections[-1].period) == (role, period):
            # a title that reads like a heading, then the heading itself: one part
            sections[-1] = SectionSpan(role, period, sections[-1].heading, sections[-1].start, end)
            continue
        sections.append(SectionSpan(role, period, heading, start, end))
    if not sections:
        raise NoSectionError("headings found but no text under them")
    return sections


def _period(
    heading: str,
    role: str,
    title_years: list[int],
    earlier: list[SectionSpan],
    fallback_year: int | None,
    rules: Rules,
) -> str:
    half = half_of(heading, rules)
    own_years = years_in(heading)
    if own_years:
        year = own_years[0]
    elif title_years:
        year = title_years[0] if role == "summary" else title_years[-1]
        annual_summary = any(s.role == "summary" and s.period == str(year) for s in earlier)
        if (
            role == "plan"
            and not half
            and (any(w in heading for w in NEXT_YEAR_WORDS) or (annual_summary and len(title_years) == 1))
        ):
            year += 1
    elif fallback_year:
        year = fallback_year
    else:
        raise NoSectionError(f"no year for the part '{heading}'; give `year` in manifest.toml")
    return f"{year}{half}"


def _whole_text_summary(
    norm: NormalizedText, content: list[Line], rules: Rules, fallback_year: int | None
) -> list[SectionSpan]:
    """A report without headings is one summary when it opens like one."""
    opening = "".join(line.text for line in content[:3])
    if not content or not any(cue in opening for cue in rules.sections.summary_cues):
        raise NoSectionError("no recognisable summary or plan section")
    first_sentence = re.split(r"[。!?]", content[0].text, maxsplit=1)[0]
    years = years_in(first_sentence) or ([fallback_year] if fallback_year else [])
    if not years:
        raise NoSectionError("no year in the first sentence; give `year` in manifest.toml")
    start, _ = norm.original_span(content[0].start, content[0].end)
    _, end = norm.original_span(content[-1].start, content[-1].end)
    return [SectionSpan("summary", str(years[0]), "", start, end)]


def section_lines(norm: NormalizedText, section: SectionSpan, rules: Rules) -> list[Line]:
    """The content lines of a section (heading and cruft left out), normalised offsets.

    Only the section's own lines are walked: a report of many parts is cut in one pass over
    its lines, not one pass per part.
    """
    start = norm.normalized_offset(section.start)
    end = norm.normalized_offset(section.end)
    lines = [
        line for line in lines_of(norm, start, end) if line.text and start <= line.start and line.end <= end
    ]
    if section.heading and lines and lines[0].text == section.heading:
        lines = lines[1:]
    return [line for line in lines if not rules.cruft.is_cruft(line.text)]
