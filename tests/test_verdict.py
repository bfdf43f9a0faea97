"""The verdict engine's comparison levels and missing gate, on sentences written for these tests.

None of these sentences comes from the dev set (../shared/devset): each table holds
several cases of one general mechanism, so that a rule fitted to one sentence fails
the others.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.link import StatementView
from tracker.rules import load_rules
from tracker.verdict import ScoringRules
from tracker.verdict.comparisons import Level, elided_phase, name_match, parenthesised
from tracker.verdict.lateness import deadline_month
from tracker.verdict.scope import own_place_cores, wider_scope

RULES = ScoringRules.load(load_rules().directory)


def statement(text: str) -> StatementView:
    return StatementView(1, "summary.txt", "2025", text, text, 0, len(text), [], [], "done", False)


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("科技创新中心", "科创中心正式揭牌运营", "科创中心"),
        ("高新技术企业", "全年新增国家高企12家", "高企"),
        ("人民医院", "区人医新院区投入使用", "人医"),
        ("松岗文化创意产业园", "松岗文创园年内开园迎客", "松岗文创园"),
        ("福海第二实验小学", "福海二实小秋季建成招生", "福海二实小"),
        ("前海国际人才服务中心", "前海国际人才中心揭牌", "前海国际人才中心"),
        # a common word inside the name left out, the head shortened
        ("龙窑文化展示馆", "龙窑馆完成布展并开放", "龙窑馆"),
        ("红色教育展览馆", "红色展馆建成开放", "红色展馆"),
        ("社区文化活动中心", "社区文化中心建成投用", "社区文化中心"),
        # a name of two words: the first whole, the head shortened
        ("充电端口", "新增电动自行车充电口620个", "充电口"),
        ("停车泊位", "新增停车位200个", "停车位"),
    ],
)
def test_an_abbreviation_built_from_the_names_words_names_it(name, text, said):
    hit = name_match(name, statement(text), RULES)
    assert hit is not None and hit.how is Level.ABBREVIATION and hit.mention == said


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("高新技术企业", "着力提高企业服务效能"),  # 高企 inside 提高|企业: not words of the text
        ("园岭片区", "北片区虚拟园区挂牌运营"),  # 园区 is a common word, no abbreviation
        ("科技创新中心", "科技中心完成改造"),  # 创新 gives no character
        ("沙井第三小学", "沙井二小完成改造"),  # a numeral is never dropped or changed
        ("白鹭蜜桃文化展示馆", "白鹭馆完成布展"),  # a rare word (蜜桃) is never left out
        ("青山公共停车场", "青山停车秩序整治完成"),  # a long head keeps its kind (场)
        ("青山陶瓷文化产业园", "青山文化园开园"),
    ],
)
def test_what_only_looks_like_an_abbreviation_is_not_one(name, text):
    assert name_match(name, statement(text), RULES) is None


@pytest.mark.parametrize(
    ("name", "text", "level", "said"),
    [
        ("西乡河碧道综合整治提升工程", "西乡河碧道综合整治全面完工", Level.TRUNCATION, "西乡河碧道综合整治"),
        ("广东鹏城智能装备有限公司", "鹏城智能装备区域总部落户", Level.TRUNCATION, "鹏城智能装备"),
        ("沙井古墟修缮活化工程", "沙井古墟修缮活化通过验收", Level.TRUNCATION, "沙井古墟修缮活化"),
        ("新桥内涝点", "新桥积水点完成整治", Level.SYNONYM, "新桥积水点"),
        ("燕川万达综合体", "燕川万达购物中心开业", Level.SYNONYM, "燕川万达购物中心"),
        ("潭头宣讲团", "潭头宣讲队开展宣讲36场", Level.SYNONYM, "潭头宣讲队"),
        ("西河河长制", "西河河长巡河1200余次", Level.SYNONYM, "西河河长"),  # the system at work
    ],
)
def test_a_truncated_name_or_a_synonym_of_its_head_names_it(name, text, level, said):
    hit = name_match(name, statement(text), RULES)
    assert hit is not None and hit.how is level and hit.mention == said


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("福田区第三实验小学", "福田区第三实验中学开工建设"),  # the text goes on to another school
        ("城市更新单元", "城市更新有序推进"),  # nothing rare is left
        ("华强北步行街东延线", "华强北步行街客流回升"),  # the dropped word is no common tail
    ],
)
def test_a_truncation_keeps_what_says_which_thing(name, text):
    assert name_match(name, statement(text), RULES) is None


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("青山中学", "青山中心"),  # another kind of thing, however close the spelling
        ("白石小学", "白石小区"),
        ("金水湾社区嵌入式养老服务中心", "金水湾社区"),  # the place of the thing, not the thing
        ("东岭村卫生室标准化建设项目", "东岭村"),
    ],
)
def test_a_close_spelling_of_another_kind_or_of_the_place_is_not_the_name(name, named):
    text = f"{named}完成提升"
    said = StatementView(1, "summary.txt", "2025", text, text, 0, len(text), [named], [], "done", False)
    assert name_match(name, said, RULES) is None


# The own places of a township's report: 白鹭镇, 清江县, 安阳市, 河南省 (names invented or common).
OWN = own_place_cores(["河南省", "安阳市", "清江县", "白鹭镇"], RULES.matching)


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("白鹭镇蜜桃标准化示范基地", "蜜桃示范基地新增种植面积300亩", "蜜桃示范基地"),
        ("白鹭灰鹅养殖专业合作社", "灰鹅合作社新建鹅舍1200平方米", "灰鹅合作社"),
        ("豫鲁恒通机械制造有限公司", "恒通机械新建厂房投入使用", "恒通机械"),
        ("第五届白鹭荷花文化旅游节", "成功举办第五届荷花文化旅游节", "第五届荷花文化旅游节"),
        ("白鹭镇乡贤参事会", "镇乡贤参事会于5月成立", "镇乡贤参事会"),
        ("安阳白鹭数字农业产业园二期", "数字农业产业园二期建成投用", "数字农业产业园二期"),
        ("白鹭镇文体活动中心", "镇文体活动中心建成投用", "镇文体活动中心"),
        ("白鹭集镇农贸市场提升改造工程", "农贸市场提升改造完工", "农贸市场提升改造"),  # the town seat
        ("白鹭镇兴农富民发展有限公司", "镇兴农公司于5月揭牌运营", "镇兴农公司"),  # a company's short name
        ("河南中原白鹭纺织有限公司", "白鹭纺织新上纺纱生产线2条", "白鹭纺织"),  # its parent left out
        ("清江县恒丰面粉加工有限公司", "恒丰公司面粉项目主体完工", "恒丰公司"),
        ("金沙湾商业综合体二期", "金沙湾二期于10月主体封顶", "金沙湾二期"),  # the phase says which
        ("鑫湘电驱产业园二期", "鑫湘二期于5月破土动工", "鑫湘二期"),  # an unknown run cut
    ],
)
def test_a_name_without_its_own_place_or_its_middle_words_names_it(name, text, said):
    hit = name_match(name, statement(text), RULES, places=OWN)
    assert hit is not None and hit.how is Level.ELISION and hit.mention == said


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("白鹭镇蜜桃标准化示范基地", "白鹭示范基地完成提升"),  # the distinctive word left out
        ("东湖村文化广场", "文化广场完成改造"),  # 东湖 is no own place: another village's square
        ("第五届白鹭荷花文化旅游节", "成功举办第五届文化旅游节"),  # only the ordinal is left
        ("安阳白鹭数字农业产业园二期", "白鹭产业园二期完成招商"),  # only the own place is left
        ("清江县恒丰面粉加工有限公司", "有限公司完成年检"),  # a legal form says no company
    ],
)
def test_leaving_words_out_keeps_what_says_which_thing(name, text):
    assert name_match(name, statement(text), RULES, places=OWN) is None


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("白鹭至清河公路", "白清路改造工程全线贯通", "白清路"),
        ("石门到凤岭道路", "石凤路拓宽改造完工", "石凤路"),
        ("北岭至南湾快速通道", "北南快速通道建成通车", "北南快速通道"),
        ("东坪与西坪连接线", "东西连接线完成路基施工", "东西连接线"),
        ("张集至李营公路", "张李公路大中修完成", "张李公路"),
    ],
)
def test_a_road_named_from_its_two_ends_is_abbreviated_without_its_connector(name, text, said):
    hit = name_match(name, statement(text), RULES)
    assert hit is not None and hit.how is Level.ABBREVIATION and hit.mention == said


def test_the_own_place_cores_leave_out_the_administrative_endings():
    assert OWN == ("安阳", "河南", "清江", "白鹭")
    assert own_place_cores(["北京市", "朝阳区", "和平街道"], RULES.matching) == ("北京", "和平", "朝阳")


def test_a_name_the_plan_gives_in_parentheses_after_a_kind_names_the_item():
    aliases = parenthesised("青年志愿服务队", "组建青年志愿服务队(阳光义工队)")
    assert aliases == ("阳光义工队",)
    hit = name_match("青年志愿服务队", statement("阳光义工队开展助老服务120场"), RULES, None, aliases)
    assert hit is not None and hit.how is Level.PARENTHESIS


@pytest.mark.parametrize(
    ("item", "clause", "earlier", "said"),
    [
        ("凤凰安置房二期", "二期主体结构封顶", "凤凰安置房一期完成交房", "凤凰安置房…二期"),
        ("燕罗湿地公园三期", "三期完成土方开挖", "燕罗湿地公园二期建成开放", "燕罗湿地公园…三期"),
        ("沙井古墟二期", "三期启动规划", "沙井古墟一期完成修缮", None),  # another phase
        ("沙井古墟二期", "二期主体封顶", "新桥东片区一期完成拆除", None),  # another project before
    ],
)
def test_a_phase_opening_a_clause_belongs_to_the_project_of_the_clause_before(item, clause, earlier, said):
    assert elided_phase(item, statement(clause), statement(earlier)) == said


@pytest.mark.parametrize(
    ("deadline", "month"),
    [
        ("2季度前", 6),
        ("第二季度", 6),
        ("三季度末", 9),
        ("上半年", 6),
        ("年底前", 12),
        ("6月底前", 6),
        ("2025年4月", 4),
    ],
)
def test_every_deadline_form_has_a_month_to_check_lateness_against(deadline, month):
    assert deadline_month(deadline, RULES.deadline_months) == month


PLAN = """【合成测试样本 SYNTHETIC】本文件为测试用合成文本,内容均为虚构。
深圳市宝安区松岗街道2024年工作总结和2025年工作计划
一、2024年工作总结
2024年,松岗街道完成辖区道路改造3条,新增停车位200个。
二、2025年工作计划
(一)加快产业升级。全年新认定高新技术企业15家;推动松岗科技创新中心年内建成投用;引进广东鹏城智能装备有限公司总部落户。
(二)提升城区品质。完成沙浦河碧道综合整治提升工程;整治潭头内涝点6处;推动燕川万达综合体年底前开业。
(三)加强文明实践。组建潭头宣讲团开展政策宣讲30场以上。
(四)办好民生实事。全年既有住宅加装电梯12部。
"""
SUMMARY = """【合成测试样本 SYNTHETIC】本文件为测试用合成文本,内容均为虚构。
深圳市宝安区松岗街道2025年工作总结
一、2025年工作总结
(一)产业升级。全年新认定高企18家;松岗科创中心于11月建成投用;鹏城智能装备区域总部正式落户。
(二)城区品质。沙浦河碧道综合整治全面完工;潭头积水点6处完成整治;燕川万达购物中心于12月开业。
(三)文明实践。潭头宣讲队开展政策宣讲36场。
(四)民生实事。老旧小区新装电梯完工14台。
"""


@pytest.fixture(scope="module")
def songgang(tmp_path_factory) -> list[dict]:
    """A street whose summary writes every promised object another way; its export rows."""
    folder = tmp_path_factory.mktemp("songgang")
    (folder / "synthetic_songgang_2024.txt").write_text(PLAN, encoding="utf-8")
    (folder / "synthetic_songgang_2025.txt").write_text(SUMMARY, encoding="utf-8")
    db, out = str(folder / "store.db"), folder / "rows.jsonl"
    for command in (["run", str(folder)], ["export", "--format", "jsonl", "-o", str(out)]):
        result = CliRunner().invoke(cli, ["--db", db, *command])
        assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_an_object_written_another_way_is_delivered_not_missing(songgang):
    assert len(songgang) == 8
    for row in songgang:
        assert row["status"] == "done", row["text"]
        assert row["evidence"], row["text"]


@pytest.mark.parametrize(
    ("promise", "rule", "evidence"),
    [
        ("广东鹏城智能装备有限公司", "item_truncation", "鹏城智能装备区域总部"),
        ("燕川万达综合体", "item_synonym", "燕川万达购物中心"),
        ("高新技术企业", "object_abbreviation", "新认定高企18家"),
        ("既有住宅加装电梯", "near_head", "新装电梯完工14台"),  # the head and a figure in 台
    ],
)
def test_the_explanation_names_the_comparison_level_that_matched(songgang, promise, rule, evidence):
    row = next(row for row in songgang if promise in row["text"])
    assert rule in [record["rule"] for record in row["explanation"]]
    assert evidence in row["evidence"][0]["text"]


def test_a_near_hit_of_the_missing_gate_is_disputed_with_its_statement_as_candidate(songgang):
    row = next(row for row in songgang if "加装电梯" in row["text"])
    assert row["disputed"] and row["confidence"] < RULES.dispute_below
    assert row["status"] == "done" and row["reason"] is None


def test_the_rule_files_name_every_comparison_level_weight():
    assert set(RULES.matching.weights) == {level.value for level in Level}


def test_a_rules_folder_without_matching_toml_is_refused_in_one_line(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in load_rules().directory.glob("*.toml"):
        if path.name != "matching.toml":
            (rules / path.name).write_bytes(path.read_bytes())
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "--rules", str(rules), "score"])
    assert result.exit_code == 2 and "matching.toml" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("配合完成全县荒山造林1.2万亩", "全县"),  # a county's figure in a township's summary
        ("全旗新增高标准农田5万亩", "全旗"),
        ("全区新建社康机构21家", "全区"),
        ("垃圾分类工作排名全县第一", None),  # a ranking, no figure of the county
        ("全镇新增高标准农田3000亩", None),  # the township's own
    ],
)
def test_a_county_or_district_wide_figure_is_of_a_wider_scope(text, scope):
    assert wider_scope(text, RULES) == scope


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("白鹭社区嵌入式养老服务中心", "白鹭社区嵌入式养老照护中心10月运营", "白鹭社区嵌入式养老照护中心"),
        ("青山村农产品电商服务中心", "青山村农产品电商运营中心建成投用", "青山村农产品电商运营中心"),
        ("青山村农产品电商服务中心", "青山村农产品加工中心建成投用", None),  # more than a word changed
        ("白鹭一号综合服务中心大楼", "白鹭二号综合服务中心大楼完工", None),  # another numeral
    ],
)
def test_a_long_name_with_a_word_changed_inside_is_a_close_spelling(name, text, said):
    hit = name_match(name, statement(text), RULES)
    assert (hit.mention if hit else None) == said
    assert hit is None or hit.how is Level.FUZZY
