"""A plan's target against a summary's reported amount: unit conversion, relative targets, 分别.

Every sentence here is written for these tests (none is taken from the seeds, the fixtures or the
dev set): a plan phrase, a summary phrase, and what an auditor reads from the two.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.link import StatementView
from tracker.quantities import Kind, QuantityParser, QuantityRules, check
from tracker.verdict.model import Context
from tracker.verdict.quantities import parts_total
from tracker.verdict.scoring_rules import ScoringRules

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def parser() -> QuantityParser:
    return QuantityParser.from_rules(RULES)


def target_and_reported(parser: QuantityParser, plan: str, summary: str) -> tuple[dict, dict]:
    """The one quantity of each phrase, as the store keeps it (a plan's plain figure means at least)."""
    (target,) = parser.parse(plan, default_comparator=">=")
    (reported,) = parser.parse(summary)
    return target.as_row(), reported.as_row()


def lead_of(text: str, raw: str) -> str:
    return text[: text.find(raw)]


# (plan, summary, met): the two measure the same thing once both are in one base unit.
UNIT_CONVERSIONS = [
    ("新增公共绿地1.2公顷", "新增公共绿地12500平方米", True),  # 公顷 -> 平方米
    ("整治河道3.5公里", "整治河道3300米", False),  # 米 -> 公里
    ("复垦耕地45亩", "复垦耕地3.1公顷", True),  # 亩 and 公顷: 30000 against 31000 平方米
    ("铺设燃气管网2.8千米", "铺设燃气管网2.8km", True),  # 千米 and km
    ("补种行道树600棵", "补种行道树580株", False),  # 棵 and 株 count one thing
    ("争取上级补助资金1.5亿元", "争取上级补助资金14800万元", False),  # 亿元 and 万元
    ("盘活低效厂房0.3平方公里", "盘活低效厂房28万平方米", False),  # 平方公里 and 万平方米
    ("新建人才公寓5幢", "新建人才公寓5栋", True),  # 幢 and 栋
    ("扶持个体工商户80户", "扶持个体工商户83家", True),  # 户 and 家, the same noun
    ("招募社区志愿者300名", "招募社区志愿者296人", False),  # 名 and 人, the same noun
    ("粮食总产量稳定在4亿斤", "粮食总产量20.6万吨", True),  # 斤 and 吨: 200000 against 206000 吨
    ("收购鲜果800吨", "收购鲜果76万公斤", False),  # 公斤 and 吨
    ("建成屋顶光伏1.5兆瓦", "屋顶光伏并网1600千瓦", True),  # 兆瓦 and 千瓦
    ("肉牛存栏达到1.2万头", "肉牛存栏12600头", True),  # a livestock count
    ("家禽出栏10万羽", "家禽出栏9.6万羽", False),
    ("改造供热管网2.6公里", "改造老旧供热管网2600延长米", True),  # 延长米, a pipe's length
]


@pytest.mark.parametrize(("plan", "summary", "met"), UNIT_CONVERSIONS)
def test_target_and_report_in_other_units_compare_after_conversion(
    parser: QuantityParser, plan: str, summary: str, met: bool
) -> None:
    target, reported = target_and_reported(parser, plan, summary)
    rules = parser.rules
    assert rules.comparable(target, reported, lead_of(plan, target["raw"]), lead_of(summary, reported["raw"]))
    assert check(target, reported).met is met


# Classifiers of one group that count different things do not measure one target.
OTHER_THINGS = [
    ("培育科技型企业30家", "帮扶困难家庭32户"),
    ("培训退役军人200名", "服务来访群众230人"),
    ("新建口袋公园3个", "新建口袋公园2.4公里"),
]


@pytest.mark.parametrize(("plan", "summary"), OTHER_THINGS)
def test_classifiers_of_other_nouns_or_other_dimensions_do_not_compare(
    parser: QuantityParser, plan: str, summary: str
) -> None:
    target, reported = target_and_reported(parser, plan, summary)
    lead, reported_lead = lead_of(plan, target["raw"]), lead_of(summary, reported["raw"])
    assert not parser.rules.comparable(target, reported, lead, reported_lead)


# (plan, summary, met, upper bound): a target relative to last year, met or missed by a reported change.
RELATIVE_TARGETS = [
    ("安全事故起数控制在上年的90%以内", "安全事故起数同比下降15%", True, True),  # 85% of last year
    ("安全事故起数控制在上年的90%以内", "安全事故起数同比下降6%", False, True),  # 94% of last year
    ("刑事警情比上年下降8%以上", "刑事警情同比下降11.2%", True, False),
    ("刑事警情比上年下降8%以上", "刑事警情同比下降5%", False, False),
    ("刑事警情比上年下降8%以上", "刑事警情同比上升2%", False, False),  # the wrong way
    ("税收收入同比增长6%", "税收收入增长7.5%", True, False),
    ("税收收入同比增长6%", "税收收入同比增长4.2%", False, False),
    ("单位产值能耗增长控制在3%以内", "单位产值能耗增长2.1%", True, True),
]


@pytest.mark.parametrize(("plan", "summary", "met", "bound"), RELATIVE_TARGETS)
def test_relative_target_is_met_or_missed_by_a_reported_change_in_its_direction(
    parser: QuantityParser, plan: str, summary: str, met: bool, bound: bool
) -> None:
    target, reported = target_and_reported(parser, plan, summary)
    assert parser.rules.comparable(target, reported)
    outcome = check(target, reported)
    assert (outcome.met, outcome.bound) == (met, bound)
    assert 0 <= outcome.ratio <= 1 if not met else outcome.ratio >= 1


def test_a_decrease_is_negative_and_a_share_of_last_year_is_relative(parser: QuantityParser) -> None:
    (decrease,) = parser.parse("投诉量同比下降12%")
    (increase,) = parser.parse("营业收入同比增长9%")
    (share,) = parser.parse("能耗总量控制在上年的95%以内")
    (level,) = parser.parse("空置率下降至5%")
    assert (decrease.kind, decrease.value) == (Kind.CHANGE, -12)
    assert (increase.kind, increase.value) == (Kind.CHANGE, 9)
    assert (share.kind, share.value, share.comparator) == (Kind.RELATIVE, 95, "<=")
    assert level.kind == Kind.LEVEL


def test_missing_a_share_of_last_year_gives_the_ratio_of_bound_to_reported(parser: QuantityParser) -> None:
    target, reported = target_and_reported(parser, "火灾起数控制在上年的80%以内", "火灾起数同比下降12.5%")
    assert check(target, reported).ratio == pytest.approx(80 / 87.5)


RESPECTIVE = [
    (
        "全年税收收入、社会消费品零售总额分别达到8亿元、30亿元",
        {"8亿元": "全年税收收入", "30亿元": "社会消费品零售总额"},
    ),
    (
        "新增就业岗位和技能培训人次分别达到600个、1200人次",
        {"600个": "新增就业岗位", "1200人次": "技能培训人次"},
    ),
    ("城镇新增就业600人,分别培训两类人员", {}),  # no list before 分别
]


@pytest.mark.parametrize(("text", "measures"), RESPECTIVE)
def test_respectively_pairs_each_listed_name_with_its_target(
    parser: QuantityParser, text: str, measures: dict[str, str]
) -> None:
    raws = [q.raw for q in parser.parse(text, default_comparator=">=")]
    assert parser.rules.respective_measures(text, raws) == measures


def test_comparator_and_base_period_words_are_quantity_words_not_topics(parser: QuantityParser) -> None:
    rules = parser.rules
    assert all(rules.is_quantity_word(word) for word in ("控制", "以内", "上年", "不少于", "下降"))
    assert not any(rules.is_quantity_word(word) for word in ("信访", "绿地", "企业"))


def test_without_rules_only_the_same_base_unit_compares() -> None:
    plain = QuantityRules()
    households = {"quantity": 80, "unit": "户", "comparator": ">=", "raw": "80户", "kind": "level"}
    firms = {"quantity": 83, "unit": "家", "comparator": "=", "raw": "83家", "kind": "level"}
    assert not plain.comparable(households, firms, "工商户", "工商户")


PARTS = [
    # (plan, summary, the total reported, or None where the figures are no parts of it)
    ("完成C级、D级危房改造35户", "完成D级危房改造21户、C级危房改造14户", 35.0),
    ("新建一期、二期标准厂房5万平方米", "一期标准厂房3.2万平方米、二期标准厂房2.1万平方米完工", 53000.0),
    ("培训农村、城镇劳动力800人次", "培训农村劳动力520人次、城镇劳动力310人次", 830.0),
    ("完成C级、D级危房改造35户", "完成危房改造35户,其中D级21户、C级14户", None),  # a breakdown
    ("新增市级专精特新企业30家", "新增国家级专精特新企业6家、市级专精特新企业27家", None),  # ranks
]


@pytest.mark.parametrize(("plan", "summary", "total"), PARTS)
def test_a_total_reported_as_its_parts_is_their_sum(parser: QuantityParser, plan: str, summary: str, total):
    target = parser.parse(plan, default_comparator=">=")[0].as_row()
    reported = [q.as_row() for q in parser.parse(summary)]
    said = StatementView(1, "s.txt", "2025", summary, summary, 0, len(summary), [], reported, "done", False)
    ctx = Context(ScoringRules.load(RULES), None, frozenset(), frozenset(), quantity_rules=parser.rules)
    found = parts_total(target, lead_of(plan, target["raw"]), [said], ctx)
    assert (found["quantity"] if found else None) == total
