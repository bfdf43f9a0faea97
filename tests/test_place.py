"""Where a report is from: township, district, city and province, read from synthetic openings
written for these tests (issue 16), and pairing only within one place."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.gazetteer import load_gazetteer
from tracker.ingest import ManifestEntry, read_document
from tracker.place import PlaceHints, PlaceStatus, read_place

# (opening of a synthetic report, manifest hints, (province, city, district, street) or None, status)
PLACES = [
    pytest.param(
        "西安市雁塔区小寨路街道2024年工作总结\n2024年,街道坚持稳中求进,招商引资成效明显。",
        PlaceHints(),
        ("陕西省", "西安市", "雁塔区", "小寨路街道"),
        PlaceStatus.FOUND,
        id="city, district and street in the title",
    ),
    pytest.param(
        "汶上县人民政府中都街道办事处\n关于2025年工作情况的报告\n一年来,街道坚持项目为王。",
        PlaceHints(),
        ("山东省", "济宁市", "汶上县", "中都街道"),
        PlaceStatus.FOUND,
        id="XX县人民政府XX街道办事处",
    ),
    pytest.param(
        "2023年工作总结\n2023年,瑶岗仙镇党委、政府团结带领全镇干部群众,招商引资取得新突破。",
        PlaceHints(),
        ("湖南省", "郴州市", "宜章县", "瑶岗仙镇"),
        PlaceStatus.FOUND,
        id="a 镇 in the opening, despite 招商引资",
    ),
    pytest.param(
        "普安县白沙乡2024年工作总结和2025年工作计划\n一年来,全乡上下推进乡村振兴。",
        PlaceHints(),
        ("贵州省", "黔西南布依族苗族自治州", "普安县", "白沙乡"),
        PlaceStatus.FOUND,
        id="a 乡, its 乡村振兴 no place",
    ),
    pytest.param(
        "虎门镇2024年工作报告\n过去一年,全镇经济稳中有进。",
        PlaceHints(),
        ("广东省", "东莞市", None, "虎门镇"),
        PlaceStatus.FOUND,
        id="a town right under its city",
    ),
    pytest.param(
        "新安街道2024年工作总结\n2024年,在宝安区委区政府的坚强领导下,街道各项工作稳步推进。",
        PlaceHints(),
        ("广东省", "深圳市", "宝安区", "新安街道"),
        PlaceStatus.FOUND,
        id="a shared name settled by the district the text names",
    ),
    pytest.param(
        "新安街道2024年工作总结\n2024年,在新吴区委区政府的坚强领导下,无锡市新安街道各项工作稳步推进。",
        PlaceHints(),
        ("江苏省", "无锡市", "新吴区", "新安街道"),
        PlaceStatus.FOUND,
        id="the same name in another province",
    ),
    pytest.param(
        "新安街道2024年工作总结\n一年来,街道各项工作稳步推进。",
        PlaceHints(district="新沂市"),
        ("江苏省", "徐州市", "新沂市", "新安街道"),
        PlaceStatus.FOUND,
        id="a shared name settled by the manifest",
    ),
    pytest.param(
        "大鹏新区葵涌街道2024年工作总结\n一年来,街道各项工作稳步推进。",
        PlaceHints(),
        ("广东省", "深圳市", "龙岗区", "葵涌街道"),
        PlaceStatus.FOUND,
        id="a functional area's street, coded under its official district",
    ),
]

NOT_PLACED = [
    pytest.param(
        "新安街道2024年工作总结\n一年来,街道各项工作稳步推进。",
        PlaceStatus.AMBIGUOUS,
        "新安街道",
        id="a shared name the text does not settle",
    ),
    pytest.param(
        "2024年工作总结\n一年来,我们坚持招商引资,招商引资签约项目12个,招商引资到位资金5亿元。",
        PlaceStatus.UNKNOWN,
        None,
        id="招商引资 names no 招商街道",
    ),
    pytest.param(
        "2024年工作总结\n一年来,推进新型城镇化和城乡融合,荣获“五星街道”称号。",
        PlaceStatus.UNKNOWN,
        None,
        id="城镇化, 城乡 and a quoted honour name no place",
    ),
    pytest.param(
        "着力提升服务能力,打造幸福街道\n一年来,我们坚持建设和谐街道、创建平安街道。",
        PlaceStatus.UNKNOWN,
        None,
        id="a goal (建设和谐街道) names no place",
    ),
    pytest.param(
        "2023年工作回顾\n2023年,全镇上下坚持稳中求进。" + "全镇经济平稳运行。" * 40 + "完成新镇小设施升级。",
        PlaceStatus.UNKNOWN,
        None,
        id="a two-character name alone in the text is no place (新镇小学)",
    ),
    pytest.param(
        "XX街道2024年工作总结\n一年来,XX街道与新安街道、福永街道共同推进。",
        PlaceStatus.UNKNOWN,
        None,
        id="a masked street stays unknown",
    ),
]


@pytest.fixture(scope="module")
def gazetteer(rules):
    return load_gazetteer(rules.directory)


@pytest.mark.parametrize(("text", "hints", "levels", "status"), PLACES)
def test_place_is_read_at_all_four_levels(gazetteer, text, hints, levels, status):
    reading = read_place(text, text.split("\n")[0], hints, gazetteer)
    place = reading.place
    assert (place.province, place.city, place.district, place.street) == levels
    assert reading.status is status and reading.key == "/".join(level or "" for level in levels)


@pytest.mark.parametrize(("text", "status", "street"), NOT_PLACED)
def test_unsettled_place_is_shown_never_guessed(gazetteer, text, status, street):
    reading = read_place(text, text.split("\n")[0], PlaceHints(), gazetteer)
    assert reading.status is status and reading.key is None
    assert (reading.place.street if reading.place else None) == street
    if status is PlaceStatus.AMBIGUOUS:
        assert reading.note.startswith("ambiguous: 新安街道 is in 9 places (吉林省吉林市龙潭区新安街道;")


def test_district_and_city_are_read_without_a_township(gazetteer):
    text = "西安市雁塔区2024年工作总结\n一年来,全区上下团结奋进。"
    reading = read_place(text, text.split("\n")[0], PlaceHints(), gazetteer)
    assert reading.place.shown == "陕西省西安市雁塔区" and reading.key is None


def test_manifest_street_outside_the_gazetteer_keeps_its_levels(gazetteer):
    text = "2024年工作总结\n一年来,街道各项工作稳步推进。"
    hints = PlaceHints(street="青溪街道", district="宝安区", city="深圳市")
    reading = read_place(text, text.split("\n")[0], hints, gazetteer)
    assert reading.status is PlaceStatus.GIVEN
    assert reading.key == "广东省/深圳市/宝安区/青溪街道" and "not in the gazetteer" in reading.note


PLAN = (
    "【合成测试样本 SYNTHETIC】虚构的测试材料。\n{title}2024年工作计划\n一、2024年工作计划\n"
    "1.新建新安口袋公园3个。\n2.完成新安文化广场改造。\n"
)
SUMMARY = (
    "【合成测试样本 SYNTHETIC】虚构的测试材料。\n{title}2024年工作总结\n一、2024年工作总结\n"
    "1.建成新安口袋公园3个。\n2.新安文化广场改造完成并投入使用。\n"
)


def _run(tmp_path, files: dict[str, str]) -> list[dict]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, "utf-8")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "run", str(corpus)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.jsonl"
    runner.invoke(cli, ["--db", db, "export", "--format", "jsonl", "-o", str(out)], catch_exceptions=False)
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_same_named_streets_of_two_provinces_are_never_paired(tmp_path):
    rows = _run(
        tmp_path,
        {
            "synthetic_plan.txt": PLAN.format(title="深圳市宝安区新安街道"),
            "synthetic_summary.txt": SUMMARY.format(title="无锡市新吴区新安街道"),
        },
    )
    assert rows and all(row["followup_doc"] is None and row["reason"] == "no_followup" for row in rows)


def test_same_place_is_paired(tmp_path):
    rows = _run(
        tmp_path,
        {
            "synthetic_plan.txt": PLAN.format(title="深圳市宝安区新安街道"),
            "synthetic_summary.txt": SUMMARY.format(title="宝安区新安街道"),
        },
    )
    assert rows and all(row["followup_doc"] == "synthetic_summary.txt" for row in rows)
    assert {row["status"] for row in rows} == {"done"}


@pytest.mark.parametrize("title", ["", "新安街道"], ids=["unknown place", "ambiguous place"])
def test_unplaced_plan_is_never_paired_and_says_why(tmp_path, title):
    rows = _run(
        tmp_path,
        {
            "synthetic_plan.txt": PLAN.format(title=title),
            "synthetic_summary.txt": SUMMARY.format(title=title),
        },
    )
    assert rows
    for row in rows:
        assert (row["status"], row["reason"], row["followup_doc"]) == ("unverifiable", "no_followup", None)
        assert "unplaced" in row["flags"]
        [why] = [step for step in row["explanation"] if step["rule"] == "no_followup"]
        assert why["right"].startswith("not paired: " + ("place unknown" if not title else "ambiguous"))


def test_manifest_province_is_read(rules, tmp_path):
    report = tmp_path / "synthetic_report.txt"
    report.write_text(SUMMARY.format(title="新安街道"), "utf-8")
    entry = ManifestEntry(street="新安街道", province="江苏省", city="徐州市")
    document = read_document(report, entry, rules)
    assert (document.province, document.city, document.district, document.street) == (
        "江苏省",
        "徐州市",
        "新沂市",
        "新安街道",
    )
    assert document.place == "江苏省/徐州市/新沂市/新安街道"
