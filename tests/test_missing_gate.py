"""A township's plan and summary through the whole pipeline: an object written another way, counted
in another unit or by its instances, is delivered, not missing; what the summary never says stays
missing. Every sentence is written for this test (none comes from the seeds, the fixtures, the dev
set or the held-out cases); the township and its names are invented.
"""

from __future__ import annotations

import pytest

from tests.report_files import run_and_export

PLAN = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
白鹭镇人民政府2025年工作总结和2026年工作计划

  一、2025年工作总结

  全年完成各项目标任务。

  二、2026年工作计划

  (一)壮大特色产业

  全年完成固定资产投资8亿元以上。推动白鹭灰鹅养殖专业合作社新建标准化鹅舍3000平方米。推动豫皖恒通机械制造有限公司技改项目年内建成投产。\
完成青山村、石桥村高标准农田改造2000亩。举办第五届白鹭荷花文化旅游节。新增省级专精特新中小企业3家。

  (二)完善基础设施

  完成白鹭至清河公路改造提升6.5公里。全年既有住宅加装电梯12部。新建冷链仓储中心1个。

  (三)提升民生服务

  创建省级卫生村3个。在青山村、竹园村建成村级互助幸福院2个。深入开展“邻里守望”关爱行动。新建村级文化广场4个。在柳塘村新建微型消防站1个。建成镇区污水处理站并投入运行。建成白鹭镇区域性养老服务中心。
"""

SUMMARY = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
白鹭镇人民政府2026年工作总结和2027年工作计划

  一、2026年工作总结

  (一)特色产业提质增效

  全年完成固投8.6亿元。灰鹅合作社新建标准化鹅舍3200平方米,带动养殖户增收。恒通机械技改项目完成厂房主体建设,生产线正在安装调试。\
青山、石桥两村完成高标准农田改造2100亩。成功举办第五届荷花文化旅游节,接待游客8万人次。新增市级“专精特新”中小企业5家。

  (二)基础设施持续完善

  白清路改造提升6.5公里全线完工通车,全年完成投资1.3亿元。全年加装电梯完工14台。

  (三)民生服务扎实推进

  柳塘村、竹园村成功创建省级卫生村。深化“邻里守望”关爱行动,结对帮扶独居老人126户。\
镇区域性养老服务中心完成主体装修,正在进行消防验收。\
组织微型消防站队员开展实战拉练4次。

  二、存在的问题

  部分民生项目推进偏慢,区域性养老服务中心未能按期建成。

  三、2027年工作计划

  新建冷链仓储中心1个。新建村级文化广场4个。
"""

MANIFEST = """[[document]]
file = "bailu-2025-report.txt"
street = "白鹭镇"
district = "商水县"
city = "周口市"
province = "河南省"

[[document]]
file = "bailu-2026-report.txt"
street = "白鹭镇"
district = "商水县"
city = "周口市"
province = "河南省"
"""

# (start of the commitment, status, reason, evidence it quotes): what an auditor reads.
VERDICTS = [
    ("全年完成固定资产投资8亿元以上", "done", None, "固投8.6亿元"),  # the object abbreviated
    ("推动白鹭灰鹅养殖专业合作社", "done", None, "灰鹅合作社"),  # own place and middle words left out
    ("推动豫皖恒通机械制造有限公司", "partial", "level_short", "恒通机械"),  # a company's short name
    ("完成青山村、石桥村高标准农田", "done", None, "青山、石桥两村"),  # a list before its count
    ("举办第五届白鹭荷花文化旅游节", "done", None, "第五届荷花文化旅游节"),
    ("完成白鹭至清河公路改造提升", "done", None, "白清路"),  # a road named from its two ends
    ("全年既有住宅加装电梯12部", "done", None, "加装电梯完工14台"),  # 部 and 台 count lifts
    ("创建省级卫生村3个", "partial", "quantity_short", "柳塘村、竹园村"),  # 2 named of 3
    ("深入开展“邻里守望”关爱行动", "done", None, "邻里守望"),  # a quoted programme leading a paragraph
    ("建成白鹭镇区域性养老服务中心", "partial", "level_short", "完成主体装修"),  # late, not undone
    ("新增省级专精特新中小企业3家", "missing", "not_mentioned", None),  # 市级 ones are others
    ("新建冷链仓储中心1个", "missing", "not_mentioned", None),  # only the next plan repeats it
    ("在青山村、竹园村建成村级互助幸福院2个", "missing", "not_mentioned", None),  # only the places said
    ("新建村级文化广场4个", "missing", "not_mentioned", None),
    ("在柳塘村新建微型消防站1个", "missing", "not_mentioned", None),  # its members drilled
    ("建成镇区污水处理站并投入运行", "missing", "not_mentioned", None),
]


@pytest.fixture(scope="module")
def township_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    files = {"bailu-2025-report.txt": PLAN, "bailu-2026-report.txt": SUMMARY, "manifest.toml": MANIFEST}
    rows = run_and_export(tmp_path_factory.mktemp("bailu"), files)
    return {row["text"]: row for row in rows if row["plan_period"] == "2026"}


@pytest.mark.parametrize(("start", "status", "reason", "evidence"), VERDICTS)
def test_an_object_said_another_way_is_judged_on_what_the_summary_reports(
    township_verdicts: dict[str, dict], start: str, status: str, reason: str | None, evidence: str | None
) -> None:
    (row,) = [row for text, row in township_verdicts.items() if text.startswith(start)]
    assert (row["status"], row["reason"]) == (status, reason)
    if evidence is None:
        assert not row["evidence"]
    else:
        assert evidence in row["evidence"][0]["text"]
