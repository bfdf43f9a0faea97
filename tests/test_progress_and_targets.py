"""Progress is not completion, part delivered is not undone, and targets that need arithmetic.

The level table reads summary phrases through rules/levels.toml; the street below runs a plan and
its summary through the whole pipeline. Every sentence is written for these tests (none comes from
the seeds, the fixtures or the dev set).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report_files import run_and_export
from tracker.extract import Lexicon

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(RULES)


# (summary phrase, level it reports): work still going on reads below done.
PROGRESS = [
    ("社区体育公园竣工验收工作正在有序推进", "start"),  # a progress phrase after the result word
    ("党群服务中心正在组织验收", "start"),  # an aspect marker before it
    ("滨河绿道验收手续办理中", "start"),
    ("文化中心建设项目进入竣工验收阶段", "nearly_done"),  # a stage reached, not passed
    ("老旧小区改造工程已完成80%", "nearly_done"),  # a share of the works
    ("污水管网工程形象进度达85%", "nearly_done"),
    ("养老驿站完成主体装修", "nearly_done"),  # a stage of the works done
    ("已提交示范社区验收申请", "prepare"),  # an application for the result
    ("口袋公园预计年底完成", None),  # a result still to come
    ("商业中心主体完工,计划2026年春节前开业", "nearly_done"),  # the opening is planned, not done
    ("青山路完成管网迁改和路基施工", "nearly_done"),  # a stage of a road's works
    ("白石桥完成桩基施工", "nearly_done"),
    ("文化站待区级验收", None),  # awaiting the result
    ("养老中心正在整理竣工验收前的资料", "start"),  # before the result: no result
    # …and completion still reads as completion:
    ("社区体育公园通过竣工验收并投入使用", "done"),
    ("文化中心于9月建成开放", "done"),
    ("社区体育公园竣工验收工作顺利完成", "done"),
    ("全面完成城中村燃气入户安全检查", "done"),  # 城中村 is a place, no 进行中
]


@pytest.mark.parametrize(("phrase", "level"), PROGRESS)
def test_a_summary_reporting_work_under_way_reports_less_than_done(
    lexicon: Lexicon, phrase: str, level: str | None
) -> None:
    assert lexicon.level(phrase, []) == level


# (plan phrase, promised level): a plan's 力争 / 预计 leave the promise as it is.
PROMISES = [
    ("力争年底前建成社区文化中心", "done"),
    ("预计三季度完成滨河绿道验收", "done"),
    ("加快推进社区体育公园建设", "start"),
]


@pytest.mark.parametrize(("phrase", "level"), PROMISES)
def test_a_plan_aiming_at_a_result_promises_that_result(lexicon: Lexicon, phrase: str, level: str) -> None:
    assert lexicon.level(phrase, [], reported=False) == level


# (summary phrase, says the work did not happen)
POSTPONEMENTS = [
    ("受台风影响,第五届社区邻里节推迟举办", True),  # the event itself put off, no date
    ("滨河文化节延期举行", True),
    ("社区书房项目较计划推迟约半个月开工建设", False),  # late, but it started
    ("邻里节顺延至11月举办,共开展活动12场", False),  # moved within the period, then held
]


@pytest.mark.parametrize(("phrase", "undone"), POSTPONEMENTS)
def test_an_event_put_off_without_a_date_is_reported_not_done(
    lexicon: Lexicon, phrase: str, undone: bool
) -> None:
    assert lexicon.says_not_done(phrase) is undone


def test_a_promised_coverage_is_a_result(lexicon: Lexicon) -> None:
    assert lexicon.level("推动智慧安防平台覆盖全部12个小区", [], reported=False) == "done"


# (promise, summary text, level the text reports for the very result promised)
PROMISED_RESULTS = [
    ("推动滨河社区通过省级验收", "滨河社区完成智慧场景建设,已提交省级验收申请", "prepare"),
    ("确保青禾商业中心年底前开业运营", "青禾商业中心主体完工,计划2026年春节前开业", None),
    ("推动青禾体育公园通过竣工验收", "青禾体育公园竣工验收工作正在有序推进", "start"),
    ("年底前建成青禾文化中心", "青禾文化中心于10月建成开放", "done"),
    ("年底前建成青禾文化中心", "青禾文化中心完成主体装修", None),  # another result word
]


@pytest.mark.parametrize(("promise", "text", "level"), PROMISED_RESULTS)
def test_the_promised_result_said_again_is_read_at_its_own_level(
    lexicon: Lexicon, promise: str, text: str, level: str | None
) -> None:
    assert lexicon.promised_result_level(promise, text) == level


PLAN = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
青禾市江岸区青禾街道办事处2024年工作计划

  一、2024年工作计划

  (一)聚焦经济发展,稳住增长基本盘

  全年税收收入、社会消费品零售总额分别达到8亿元、30亿元。全年安全生产事故起数控制在上年的90%以内。\
刑事警情比上年下降8%以上。限上商贸企业营业额同比增长6%。一般公共预算收入同比增长8%以上。

  (二)聚焦城区品质,补齐民生短板

  推动锦绣社区、翠湖社区、枫林社区养老驿站建成投用。年底前建成青禾文化中心。推动青禾体育公园通过竣工验收。\
推动滨河未来社区通过省级验收。确保青禾商业中心年底前开业运营。推动老旧燃气管道更新改造竣工验收。\
新增公共绿地1.2公顷。整治滨河绿道3.5公里。补种行道树600棵。
"""

SUMMARY = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
青禾市江岸区青禾街道办事处2024年工作总结

  一、2024年工作总结

  (一)经济运行稳中有进

  全年实现税收收入8.3亿元,社会消费品零售总额28.6亿元。安全生产事故起数同比下降6%。刑事警情同比下降11.2%。\
限上商贸企业营业额同比增长7.4%。\
受主要企业减产影响,一般公共预算收入同比增长5.2%,未能完成年度目标。

  (二)城区品质持续提升

  锦绣社区、翠湖社区养老驿站建成投用,枫林社区养老驿站因场地移交延迟尚未开工。青禾文化中心进入竣工验收阶段。\
青禾体育公园竣工验收工作正在有序推进。\
滨河未来社区完成智慧场景建设,已提交省级验收申请。青禾商业中心主体完工,计划2025年春节前开业。\
老旧燃气管道更新改造完成管道敷设,竣工验收工作正在推进。新增公共绿地12500平方米。整治滨河绿道3300米。补种行道树612株。
"""

MANIFEST = """[[document]]
file = "qinghe-2024-plan.txt"
street = "青禾街道"
district = "江岸区"
city = "青禾市"

[[document]]
file = "qinghe-2024-summary.txt"
street = "青禾街道"
district = "江岸区"
city = "青禾市"
"""

# (start of the commitment, status, reason): what an auditor reads from the summary.
VERDICTS = [
    (
        "全年税收收入、社会消费品零售总额分别达到",
        "partial",
        "quantity_short",
    ),  # 分别: 28.6 of 30 is the weakest
    ("全年安全生产事故起数控制在上年的90%以内", "partial", "bound_missed"),  # -6% is 94% of last year
    ("刑事警情比上年下降8%以上", "done", None),  # -11.2% goes further down than -8%
    ("限上商贸企业营业额同比增长6%", "done", None),
    ("一般公共预算收入同比增长8%以上", "partial", "quantity_short"),  # a figure, however regretted
    ("推动锦绣社区、翠湖社区、枫林社区养老驿站建成投用", "partial", "items_short"),  # part delivered
    ("年底前建成青禾文化中心", "partial", "level_short"),  # 进入竣工验收阶段
    ("推动青禾体育公园通过竣工验收", "partial", "level_short"),  # …工作正在有序推进
    ("推动滨河未来社区通过省级验收", "partial", "level_short"),  # …已提交省级验收申请
    ("确保青禾商业中心年底前开业运营", "partial", "level_short"),  # 主体完工, opening planned
    ("推动老旧燃气管道更新改造竣工验收", "partial", "level_short"),  # no name: the sentence's 竣工验收
    ("新增公共绿地1.2公顷", "done", None),  # 12500 平方米 = 1.25 公顷
    ("整治滨河绿道3.5公里", "partial", "quantity_short"),  # 3300 米
    ("补种行道树600棵", "done", None),  # 612 株
]


@pytest.fixture(scope="module")
def street_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    files = {"qinghe-2024-plan.txt": PLAN, "qinghe-2024-summary.txt": SUMMARY, "manifest.toml": MANIFEST}
    rows = run_and_export(tmp_path_factory.mktemp("qinghe"), files)
    return {row["text"]: row for row in rows}


@pytest.mark.parametrize(("start", "status", "reason"), VERDICTS)
def test_each_commitment_of_the_street_gets_the_auditors_verdict(
    street_verdicts: dict[str, dict], start: str, status: str, reason: str | None
) -> None:
    (row,) = [row for text, row in street_verdicts.items() if text.startswith(start)]
    assert (row["status"], row["reason"]) == (status, reason)
    assert row["evidence"], "a done or partial verdict quotes its evidence"


def test_part_delivered_cites_the_statement_and_counts_the_items_delivered(
    street_verdicts: dict[str, dict],
) -> None:
    (row,) = [row for text, row in street_verdicts.items() if "枫林社区" in text]
    assert "尚未开工" in row["evidence"][0]["text"]
    assert row["ratio"] == pytest.approx(2 / 3, abs=0.001)


def test_several_targets_report_the_weakest_ratio(street_verdicts: dict[str, dict]) -> None:
    (row,) = [row for text, row in street_verdicts.items() if "分别达到" in text]
    assert row["ratio"] == pytest.approx(28.6 / 30, abs=0.001)
