"""A negated occurrence of a countable incident is a target of zero.

"年内不发生较大及以上生产安全事故" promises at most zero such accidents: a checkable upper bound,
kept by a summary's "全年未发生较大以上生产安全事故" and missed by "发生较大事故1起". Every sentence
is written for these tests (none comes from the seeds, the fixtures or the dev set).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report_files import run_and_export
from tracker.quantities import QuantityParser

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def parser() -> QuantityParser:
    return QuantityParser.from_rules(RULES)


# (plan sentence, the incident it promises none of)
ZERO_PROMISES = [
    ("年内不发生较大及以上生产安全事故", "较大及以上生产安全事故"),
    ("杜绝重特大火灾事故", "重特大火灾事故"),
    ("确保不发生规模性返贫", "规模性返贫"),
    ("实现安全生产零事故", "事故"),
    ("辖区内不发生重大刑事案件", "重大刑事案件"),
    ("确保校园食品安全事故零发生", "校园食品安全事故"),
    ("坚决防止规模性返贫", "规模性返贫"),
    ("汛期避免发生人员伤亡", "人员伤亡"),  # the occurrence word after the negation is no part of it
    ("秋冬季节实现秸秆禁烧零火点", "火点"),
    ("确保信访零积案", "积案"),
]


@pytest.mark.parametrize(("sentence", "incident"), ZERO_PROMISES)
def test_a_plan_denying_an_incident_promises_at_most_zero_of_it(
    parser: QuantityParser, sentence: str, incident: str
) -> None:
    (target,) = parser.parse(sentence, default_comparator=">=")
    assert (target.value, target.unit, target.comparator, target.noun) == (0.0, "起", "<=", incident)
    assert sentence[target.start : target.end] == target.raw


# (summary sentence, the incident it reports none of)
ZERO_REPORTS = [
    ("全年未发生较大以上生产安全事故", "较大以上生产安全事故"),
    ("辖区无重特大火灾事故发生", "重特大火灾事故"),
    ("实现零事故", "事故"),
    ("全年没有发生群体性事件", "群体性事件"),
    ("汛期未出现人员伤亡", "人员伤亡"),
    ("全年未发生安全事故和群体性事件", "安全事故和群体性事件"),  # both denied at once
    ("实现连续5个月校园安全事故零发生", "校园安全事故"),  # not the 个月 of the count before
    ("秋收期间全镇未发现火点", "火点"),
]


@pytest.mark.parametrize(("sentence", "incident"), ZERO_REPORTS)
def test_a_summary_denying_an_incident_reports_zero_of_it(
    parser: QuantityParser, sentence: str, incident: str
) -> None:
    (reported,) = [quantity for quantity in parser.parse(sentence) if quantity.value == 0]
    assert (reported.value, reported.comparator, reported.noun) == (0.0, "=", incident)
    assert sentence[reported.start : reported.end] == reported.raw


NOT_ZERO = [
    "推进无障碍设施改造",
    "建设无人机应急救援队",
    "开展消防安全培训12场",
    "严防疫情反弹",  # the incident word does not end the phrase
    "确保不发生安全事故隐患",  # a hazard is no incident
]


@pytest.mark.parametrize("sentence", NOT_ZERO)
def test_no_incident_denied_is_no_zero(parser: QuantityParser, sentence: str) -> None:
    assert all(quantity.value for quantity in parser.parse(sentence, default_comparator=">="))


PLAN = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
青禾市江岸区枫林街道办事处2024年工作计划

  一、2024年工作计划

  (一)守牢安全底线

  年内不发生较大及以上生产安全事故。杜绝重特大火灾事故。辖区内不发生重大刑事案件。\
实现燃气使用安全零事故。

  (二)巩固帮扶成果

  确保不发生规模性返贫。全年调处矛盾纠纷不少于100起。
"""

SUMMARY = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
青禾市江岸区枫林街道办事处2024年工作总结

  一、2024年工作总结

  (一)安全形势总体平稳

  全年未发生较大以上生产安全事故。全年辖区无重特大火灾事故发生。\
辖区内发生重大刑事案件1起,已于案发当日侦破。发生燃气使用安全事故2起,均未造成人员伤亡。

  (二)帮扶成果持续巩固

  守住了不发生规模性返贫的底线。全年调处矛盾纠纷126起。
"""

MANIFEST = """[[document]]
file = "fenglin-2024-plan.txt"
street = "枫林街道"
district = "江岸区"
city = "青禾市"

[[document]]
file = "fenglin-2024-summary.txt"
street = "枫林街道"
district = "江岸区"
city = "青禾市"
"""

# (start of the commitment, status, reason): what an auditor reads from the summary.
VERDICTS = [
    ("年内不发生较大及以上生产安全事故", "done", None),
    ("杜绝重特大火灾事故", "done", None),
    ("辖区内不发生重大刑事案件", "partial", "bound_missed"),  # one case: the bound exceeded
    ("实现燃气使用安全零事故", "partial", "bound_missed"),
    ("确保不发生规模性返贫", "done", None),
    ("全年调处矛盾纠纷不少于100起", "done", None),  # a count of 起 is not read as a zero's
]


@pytest.fixture(scope="module")
def street_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    files = {"fenglin-2024-plan.txt": PLAN, "fenglin-2024-summary.txt": SUMMARY, "manifest.toml": MANIFEST}
    rows = run_and_export(tmp_path_factory.mktemp("fenglin"), files)
    return {row["text"]: row for row in rows}


@pytest.mark.parametrize(("start", "status", "reason"), VERDICTS)
def test_a_zero_target_is_kept_by_a_reported_zero_and_missed_by_a_count(
    street_verdicts: dict[str, dict], start: str, status: str, reason: str | None
) -> None:
    (row,) = [row for text, row in street_verdicts.items() if text.startswith(start)]
    assert (row["status"], row["reason"]) == (status, reason), row
    assert row["evidence"], "a done or partial verdict quotes its evidence"
