"""Page furniture (rules/cruft.toml) is never a title, a heading or a statement (issue 16)."""

from __future__ import annotations

import pytest

from tracker.ingest import ManifestEntry, read_document
from tracker.normalize import normalize
from tracker.sections import lines_of

# Lines a government page prints around a report, in the shapes copied pages have them.
FURNITURE = [
    "索引号:11440300MB2C12345X/2024-00321",
    "信息索引号 114403000000000000/2023-01234 文号:",
    "索引号 | K16059504/2024-117342 | ||",
    "[ 索引号 ] | 115000000000000000/2024-00007 | [ 发文字号 ] | 某府发〔2024〕2号 |",
    "组配分类 | 计划总结 | 发布机构 | 某某街道 |",
    "[ 发布机构 ] | 某某区某某镇 | [ 有效性 ] | |",
    "生成日期 | 2024-03-21 | 公开方式 | 主动公开 |",
    "[ 成文日期 ] | 2024-02-22 | [ 发布日期 ] | 2024-02-22 |",
    "  • 发文机构:某某市某某区人民政府某某街道办事处",
    "  • 发布日期:2024-02-02",
    "- 时间:2023-02-24",
    "  • 2025-02-28 14:50",
    "浏览次数:1024",
    "来源:某某街道办事处 作者:综合办",
    "作者:党政办",
    "时间:2023-05-06 字体大小:放大 正常 缩小",
    "发布机构 某某镇人民政府 附件下载",
    "【打印本页】 【关闭窗口】",
    "首页 > 政务公开 > 计划总结",
    ">政务公开>法定主动公开内容>报告统计>政府工作报告",
    "正文区域内容请使用tab按钮切换浏览",
    "智能问答 | 无障碍浏览 | 长者专区 | ENGLISH",
    "无障碍版 长者助手 登录",
    "您当前所在的位置: 首页",
    "您当前所在位置: 首页 > 机构专页 > 镇政府(街道办事处)",
    ">> 政务公开 >> 信息公开目录 >> 乡镇政府 >> 某某镇",
    "选择语言",
    "某某区人民政府网站",
    "政府信息公开 规章库",
    "法定主动公开内容",
    "| |",
    "+",
    "11330000000000000L/2023-100001",
    "QZ00000-0000-2023-10003",
    "![]() |",
]

# Report sentences that hold a furniture word but are report text.
REPORT_TEXT = [
    "完成无障碍设施改造12处,适老化改造住户300户。",
    "新增来源于辖区企业的税收1.2亿元。",
    "扶持老字号大力发展夜间经济,打造特色街区2条。",
    "全年完成文号登记和公文处理3200件。",
    "2024年,街道上下坚持稳中求进工作总基调。",
    "一、2024年工作总结",
    "2025年是“十四五”规划收官之年。",
    "浏览量超过10万人次的宣传视频3部。",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_page_furniture_line_is_cruft(rules, line):
    (normal,) = [line.text for line in lines_of(normalize(line))]
    assert rules.cruft.is_cruft(normal)


@pytest.mark.parametrize("line", REPORT_TEXT)
def test_report_sentence_with_a_furniture_word_is_not_cruft(rules, line):
    assert not rules.cruft.is_cruft(normalize(line).text)


def synthetic_page(body: str) -> str:
    header = "\n".join(FURNITURE[:8] + FURNITURE[12:16] + FURNITURE[18:22])
    return f"【合成测试样本 SYNTHETIC】\n{header}\n{body}\n{FURNITURE[17]}\n"


def test_furniture_is_never_title_heading_or_statement(rules, tmp_path):
    path = tmp_path / "synthetic_page.txt"
    path.write_text(
        synthetic_page(
            "某某镇2023年工作总结和2024年工作计划\n"
            "一、2023年工作总结\n全年新建道路3条,完成投资2亿元。\n"
            "二、2024年工作计划\n新建公园2个。"
        ),
        "utf-8",
    )
    document = read_document(path, ManifestEntry(), rules)
    assert document.title == "某某镇2023年工作总结和2024年工作计划"
    assert [(s.role, s.period, s.heading) for s in document.sections] == [
        ("summary", "2023", "一、2023年工作总结"),
        ("plan", "2024", "二、2024年工作计划"),
    ]
    inside = "".join(document.text[s.start : s.end] for s in document.sections)
    assert not any(marker in inside for marker in ("索引号", "浏览次数", "关闭窗口", "tab"))
    assert document.published == "2024-03-21"  # the header's first date (生成日期)


def test_value_under_a_furniture_label_is_not_the_title(rules, tmp_path):
    path = tmp_path / "synthetic_labels.txt"
    path.write_text(
        "【合成测试样本 SYNTHETIC】\n索引号:\n11330000000000000L/2023-100001\n组配分类:\n计划总结\n"
        "发布机构:\n某某镇\n某某镇2023年工作总结\n全年完成投资2亿元。\n",
        "utf-8",
    )
    assert read_document(path, ManifestEntry(), rules).title == "某某镇2023年工作总结"


TITLES = [
    ("某某镇2023年工作总结\n全年完成投资2亿元。", "某某镇2023年工作总结"),
    ("索引号:\nK000/2024-1\n某某街道2024年工作计划 |\n新建公园2个。", "某某街道2024年工作计划"),
    # a page that opens with its text has no title: a short line after it is a topic
    ("2010年,某某街道总的工作思路是:稳中求进。\n着力提升服务能力,建设和谐街道\n加强学习。", ""),
    ("一、2023年工作总结\n某某路改造完成\n全年完成投资2亿元。", ""),
]


@pytest.mark.parametrize(("text", "title"), TITLES)
def test_title_is_the_first_short_line_that_is_not_furniture_before_any_text(rules, tmp_path, text, title):
    path = tmp_path / "synthetic_title.txt"
    path.write_text(f"【合成测试样本 SYNTHETIC】\n{text}\n", "utf-8")
    assert read_document(path, ManifestEntry(), rules).title == title
