"""A report of many parts is cut in one pass over its lines: the lines walked grow with the
report, not with parts × lines (2,000 heading blocks took 43 s). Counted, not timed; the times
are bench/bench_headings.py's."""

from __future__ import annotations

import pytest

from tracker import sections
from tracker.extract import Extractor
from tracker.normalize import normalize
from tracker.sections import find_sections


def heading_report(blocks: int) -> str:
    lines = ["深圳市宝安区西乡街道办事处工作报告"]
    for number in range(blocks):
        if number % 2 == 0:
            lines += ["一、2024年工作总结", "完成道路建设3条,新建公园2个。"]
        else:
            lines += ["二、2025年工作计划", "新建学校2所,完成老旧小区改造4个。"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("blocks", [200, 800])
def test_cutting_and_extracting_every_part_walks_each_line_a_bounded_number_of_times(
    rules, monkeypatch, blocks
):
    walked = []

    class CountedLine(sections.Line):
        def __init__(self, *fields: object) -> None:
            super().__init__(*fields)
            walked.append(self)

    monkeypatch.setattr(sections, "Line", CountedLine)
    norm = normalize(heading_report(blocks))
    parts = find_sections(norm, rules, "", None)
    extractor = Extractor.for_rules(rules)
    units = [unit for part in parts for unit in extractor.extract(norm, part, rules)]
    assert len(parts) == blocks
    assert len(units) == 2 * blocks
    lines = norm.text.count("\n") + 1
    assert len(walked) <= 3 * lines, (len(walked), lines)
