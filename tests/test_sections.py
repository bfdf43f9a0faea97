"""Parts and periods in the forms real reports use (issue 16), on synthetic pages.

Every page below is written for these tests (none is copied from a report); each
table holds several pages of one heading form with the parts they must read as.
"""

from __future__ import annotations

import pytest

from tracker.extract import Extractor
from tracker.ingest import InputError, ManifestEntry, find_title, read_document
from tracker.normalize import normalize
from tracker.sections import find_sections, section_lines

MARK = "【合成测试样本 SYNTHETIC】本页为虚构的测试材料。\n"


def parts(rules, tmp_path, text: str, year: int | None = None) -> list[tuple[str, str]]:
    path = tmp_path / "synthetic_page.txt"
    path.write_text(MARK + text, "utf-8")
    document = read_document(path, ManifestEntry(year=year), rules)
    return [(s.role, s.period) for s in document.sections]


def check(rules, tmp_path, text: str, expected: list[tuple[str, str]]) -> None:
    assert parts(rules, tmp_path, text) == expected, text


HEADING_PHRASES = [
    (
        "一、2023年工作完成情况\n新建道路2条。\n二、2024年工作安排\n新建公园1个。",
        [("summary", "2023"), ("plan", "2024")],
    ),
    (
        "一、2022年工作成效\n完成投资3亿元。\n二、2023年工作打算\n改造小区4个。",
        [("summary", "2022"), ("plan", "2023")],
    ),
    (
        "一、2024年亮点工作\n——社区治理成效明显。\n二、2025年重点工作\n建成养老驿站2个。",
        [("summary", "2024"), ("plan", "2025")],
    ),
    (
        "一、2021年工作回顾\n完成河道整治5公里。\n二、2022年工作思路\n推进旧村改造。",
        [("summary", "2021"), ("plan", "2022")],
    ),
    (
        "第一部分 2024年工作情况\n引进企业12家。\n第二部分 2025年主要预期目标\n财政收入增长5%。",
        [("summary", "2024"), ("plan", "2025")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEADING_PHRASES)
def test_numbered_heading_of_each_phrase_opens_its_part(rules, tmp_path, text, expected):
    check(rules, tmp_path, text, expected)


NEUTRAL_HEADINGS = [
    # "主要工作" names no role: the later year is the plan
    (
        "某某镇人民政府工作报告\n一、2022年主要工作\n建成公园2个。\n二、2023年主要工作\n新建学校1所。",
        [("summary", "2022"), ("plan", "2023")],
    ),
    # before a plan heading it is the summary
    (
        "一、2022年主要工作\n建成公园2个。\n二、2023年工作计划\n新建学校1所。",
        [("summary", "2022"), ("plan", "2023")],
    ),
    # after a summary heading it is the plan
    (
        "一、2023年工作回顾\n完成绿道3公里。\n二、2024年主要工作\n新建学校1所。",
        [("summary", "2023"), ("plan", "2024")],
    ),
    # alone, it takes the title's one role
    (
        "某某街道2021年工作总结\n一、2021年主要工作\n建成公园2个。",
        [("summary", "2021")],
    ),
    (
        "某某街道2025年工作计划\n一、2025年主要工作\n新建学校1所。",
        [("plan", "2025")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NEUTRAL_HEADINGS)
def test_heading_naming_no_role_takes_it_from_years_neighbours_or_title(rules, tmp_path, text, expected):
    check(rules, tmp_path, text, expected)


TITLE_AND_HALF_YEAR = [
    # the title line is the heading
    ("某某镇2023年工作总结\n全年完成投资2亿元。", [("summary", "2023")]),
    ("某某街道2024年工作计划\n新建道路3条。", [("plan", "2024")]),
    # a half-year heading without a year takes it from the title
    (
        "某某街道2022年半年度工作总结\n一、上半年主要工作回顾\n完成改造4处。\n二、下半年工作计划\n新建公园1个。",
        [("summary", "2022H1"), ("plan", "2022H2")],
    ),
    (
        "某某镇2023年上半年工作总结及下半年工作打算\n一、上半年工作情况\n完成投资1亿元。\n二、下半年工作打算\n建成厂房2栋。",
        [("summary", "2023H1"), ("plan", "2023H2")],
    ),
    # a plan heading after a half-year summary is for the second half
    (
        "某某街道2024年上半年工作总结\n一、上半年工作总结\n完成改造4处。\n二、下一步工作打算\n新建公园1个。",
        [("summary", "2024H1"), ("plan", "2024H2")],
    ),
    # a table's bars around the title
    (
        "某某街道2023年工作总结和2024年工作思路 |\n一、工作回顾\n完成改造4处。\n二、工作思路\n新建公园1个。",
        [("summary", "2023"), ("plan", "2024")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TITLE_AND_HALF_YEAR)
def test_title_heading_and_half_year_heading_take_the_title_year(rules, tmp_path, text, expected):
    check(rules, tmp_path, text, expected)


RUN_IN = [
    # the heading runs on into its first sentence, after a space, a colon or a full stop
    (
        "某某街道2023年工作总结和2024年工作思路\n一、2023年工作回顾 2023年是攻坚之年。全年完成投资5亿元。\n"
        "二、2024年工作思路 2024年,街道将新建公园2个。",
        [("summary", "2023"), ("plan", "2024")],
        "2023年是攻坚之年。全年完成投资5亿元。",
    ),
    (
        "一、2022年工作完成情况:全年新建道路3条。\n二、2023年工作计划:新建学校1所。",
        [("summary", "2022"), ("plan", "2023")],
        "全年新建道路3条。",
    ),
    (
        "一、2021年工作成效。一年来,我们完成河道整治5公里。\n二、2022年工作安排。改造小区4个。",
        [("summary", "2021"), ("plan", "2022")],
        "一年来,我们完成河道整治5公里。",
    ),
    (
        "2024年工作回顾2024年,街道完成改造4处。\n2025年工作计划\n新建公园1个。",
        [("summary", "2024"), ("plan", "2025")],
        "2024年,街道完成改造4处。",
    ),
]


@pytest.mark.parametrize(("text", "expected", "first_line"), RUN_IN)
def test_heading_run_into_its_first_sentence_opens_the_part_and_leaves_the_sentence(
    rules, tmp_path, text, expected, first_line
):
    check(rules, tmp_path, text, expected)
    norm = normalize(MARK + text)
    summary = find_sections(norm, rules, "", None)[0]
    assert section_lines(norm, summary, rules)[0].text == first_line


SUB_HEADINGS = [
    "一、2023年工作总结\n(一)重点工作:完成道路3条。\n1.重点工作:新建公园1个。\n二、2024年工作计划\n建成学校1所。",
    "一、2023年工作总结\n(一)特色亮点工作\n完成道路3条。\n(二)重点工作\n新建公园1个。\n二、2024年工作计划\n建成学校1所。",
    "一、2023年工作回顾\n1.工作成效\n完成道路3条。\n2.主要工作\n新建公园1个。\n二、2024年工作思路\n建成学校1所。",
]


@pytest.mark.parametrize("text", SUB_HEADINGS)
def test_sub_heading_without_a_year_inside_a_part_opens_no_part(rules, tmp_path, text):
    check(rules, tmp_path, text, [("summary", "2023"), ("plan", "2024")])


WITHOUT_HEADINGS = [
    # the first sentence opens with its year
    ("2022年,面对各种困难,我们完成投资3亿元。\n全年新建道路2条。", [("summary", "2022")]),
    ("2023年是全面发展之年,街道建成公园2个。", [("summary", "2023")]),
    ("刚刚过去的2021年,街道完成改造4处。", [("summary", "2021")]),
    # the year in the second sentence of the first paragraph
    ("今年以来,街道上下团结奋斗。2024年全年完成投资2亿元。\n新建道路3条。", [("summary", "2024")]),
    ("一年来,全镇经济平稳。2020年完成财政收入1亿元。", [("summary", "2020")]),
    # title lines before the first paragraph give its year and half
    (
        "某某镇2023年上半年工作总结及下半年工作计划\n某某镇2023年上半年工作总结及下半年工作计划\n"
        "今年以来,全镇上下团结奋斗,完成投资1亿元。",
        [("summary", "2023H1")],
    ),
    ("某某街道2022年工作总结\n|\n今年以来,街道完成改造4处。", [("summary", "2022")]),
    # a sentence opening with the next year starts that year's plan
    ("2023年,街道完成投资3亿元。2024年,要新建公园2个。", [("summary", "2023"), ("plan", "2024")]),
    (
        "2021年,全镇建成道路4条。\n全年新增企业30家。\n2022年,全镇将改造小区3个。",
        [("summary", "2021"), ("plan", "2022")],
    ),
    # a plan without a heading
    ("2025年,某某街道总的工作思路是:坚持稳中求进。\n新建公园2个。", [("plan", "2025")]),
    ("2024年工作的总体要求是:聚焦发展。全年新建学校1所。", [("plan", "2024")]),
]


@pytest.mark.parametrize(("text", "expected"), WITHOUT_HEADINGS)
def test_report_without_headings_is_one_part_of_its_opening_year(rules, tmp_path, text, expected):
    check(rules, tmp_path, text, expected)


CUE_LINES = [
    # a cue line inside a part opens no new part
    (
        "某某社区第三届居民代表大会工作报告\n一、2022年工作回顾\n一年来,我们主要做了以下工作:\n完成改造4处。\n"
        "二、2023年工作计划\n新建公园1个。",
        [("summary", "2022"), ("plan", "2023")],
    ),
    (
        "一、2023年工作计划\n新建公园1个。\n过去一年,我们主要做了以下工作:\n完成改造4处。",
        [("plan", "2023")],
    ),
    # before any part, it opens the summary
    ("2020年,某某街道主要做了以下工作:\n完成改造4处。\n建成公园2个。", [("summary", "2020")]),
    ("2019年是发展之年。\n2019年,我们主要抓了以下工作:\n完成改造4处。", [("summary", "2019")]),
]


@pytest.mark.parametrize(("text", "expected"), CUE_LINES)
def test_summary_cue_line_opens_a_part_only_when_none_is_open(rules, tmp_path, text, expected):
    check(rules, tmp_path, text, expected)


NOT_A_REPORT = [
    ("这是一段普通的说明文字。\n没有任何标题。", "no recognisable summary or plan section"),
    ("今年以来,街道完成3个老旧小区改造。\n新建公园2个。", "no year in the first paragraph"),
    ("一、上半年工作总结\n完成道路3条。", "no year for the part"),
]


@pytest.mark.parametrize(("text", "problem"), NOT_A_REPORT)
def test_page_without_a_year_or_a_report_part_is_refused(rules, tmp_path, text, problem):
    with pytest.raises(InputError, match=problem):
        parts(rules, tmp_path, text)


PREAMBLE_TARGETS = [
    (
        "二、2025年工作安排\n2025年是收官之年。全年经济社会发展的主要预期目标是:地区生产总值增长6%以上,"
        "一般公共预算收入增长5%。\n(一)抓产业。新建厂房3栋。\n(二)抓民生。新建学校1所。",
        ["地区生产总值增长6%以上", "一般公共预算收入增长5%"],
    ),
    (
        "二、2024年工作计划\n今年的主要目标是:新增市场主体800家,固定资产投资达到20亿元。\n"
        "(一)抓招商。引进企业10家。\n(二)抓治理。改造小区2个。",
        ["新增市场主体800家", "固定资产投资达到20亿元"],
    ),
]


@pytest.mark.parametrize(("text", "targets"), PREAMBLE_TARGETS)
def test_plan_targets_stated_before_the_first_sub_heading_are_commitments(rules, text, targets):
    norm = normalize(MARK + text)
    (plan,) = find_sections(norm, rules, "", None)
    units = Extractor.for_rules(rules).extract(norm, plan, rules)
    texts = [unit.text for unit in units]
    for target in targets:
        assert any(target in unit for unit in texts), (target, texts)
    assert not any("收官之年" in unit for unit in texts)
    assert all(unit.heading == plan.heading for unit in units if any(t in unit.text for t in targets))


TRADITIONAL = [
    (
        "某某鎮2023年工作總結和2024年工作計劃\n一、2023年工作總結\n全年新建道路3條,完成投資2億元。\n"
        "二、2024年工作計劃\n新建公園2個,改造社區服務中心1處。",
        [("summary", "2023"), ("plan", "2024")],
        "新建公園2個",
    ),
    (
        "某某街道2022年上半年工作總結\n一、上半年工作回顧\n完成舊區改造4處。\n二、下半年工作打算\n建成養老驛站2個。",
        [("summary", "2022H1"), ("plan", "2022H2")],
        "建成養老驛站2個",
    ),
]


@pytest.mark.parametrize(("text", "expected", "quote"), TRADITIONAL)
def test_page_in_traditional_script_is_read_and_quoted_from_the_original(
    rules, tmp_path, text, expected, quote
):
    check(rules, tmp_path, text, expected)
    original = MARK + text
    norm = normalize(original)
    assert "工作总结" in norm.text and "總結" not in norm.text  # folded for matching
    plan = find_sections(norm, rules, find_title(norm, rules), None)[-1]
    units = Extractor.for_rules(rules).extract(norm, plan, rules)
    quotes = [original[unit.start : unit.end] for unit in units]
    assert quote in quotes, quotes
    (unit,) = [u for u in units if original[u.start : u.end] == quote]
    assert unit.quantities and unit.text != quote  # read in simplified, quoted in traditional
