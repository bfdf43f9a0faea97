"""The quantity parser against real phrases from the seed reports.

Every phrase in the SEED_* tables is copied verbatim from seeds/*.txt (a test
checks that); the SYNTHETIC_* tables hold the few forms the seeds lack.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.quantities import COMPARATORS, Kind, Quantity, QuantityParser

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]


@pytest.fixture(scope="module")
def parser() -> QuantityParser:
    return QuantityParser.from_rules(RULES)


def only_quantity(parser: QuantityParser, phrase: str, default_comparator: str = "=") -> Quantity:
    quantities = parser.parse(phrase, default_comparator=default_comparator)
    assert len(quantities) == 1, quantities
    return quantities[0]


# (phrase, value in the base unit, base unit, comparator), parsed as a summary ("=" default).
SEED_QUANTITIES = [
    # >= : 以上, 不少于, 力争
    ("新增托位340个以上", 340, "个", ">="),
    ("年底完成不少于720对", 720, "对", ">="),
    ("空气质量优良率91.0%以上", 91.0, "%", ">="),
    ("招引2家以上世界顶级会展机构", 2, "家", ">="),
    ("全年开展招商活动20场以上", 20, "场", ">="),
    ("招引重点项目10宗以上", 10, "宗", ">="),
    ("新增纳统产值(营收)40亿元以上", 4_000_000_000, "元", ">="),
    ("摸排登记1千平方米以上产业空间", 1000, "平方米", ">="),
    ("完成不少于5公里非机动车道建设", 5, "公里", ">="),
    ("整改交通隐患不少于500处", 500, "处", ">="),
    ("开展家庭教育服务示范活动、社区家长课程不少于15场", 15, "场", ">="),
    ("力争新增规上企业45家", 45, "家", ">="),
    ("实现清案率达95%以上", 95, "%", ">="),
    ("实现先进制造业占比70%以上", 70, "%", ">="),
    # > : 超, 超过, 突破, 余, 多
    ("受惠群众预计超38万人次", 380_000, "人次", ">"),
    ("全年开展执法专项行动六千余次", 6000, "次", ">"),
    ("劝导整治乱摆卖摊贩1.5万余人次", 15_000, "人次", ">"),
    ("辅导企业超600家次", 600, "家次", ">"),
    ("首日客流超40万人次", 400_000, "人次", ">"),
    ("销售额超2100万元", 21_000_000, "元", ">"),
    ("累计发放各类就业专项补贴超565万元", 5_650_000, "元", ">"),
    ("累计培训超46.5万人次", 465_000, "人次", ">"),
    ("全年提供就业岗位超万个", 10_000, "个", ">"),
    ("走访慰问老人1400余人次", 1400, "人次", ">"),
    ("服务科达康、太美亚等10余家企业增资扩产", 10, "家", ">"),
    ("组织社区交安站、志愿者25000多人次", 25_000, "人次", ">"),
    ("活动项目达42大项,共2000多场", 2000, "场", ">"),
    ("一举释放国有储备用地2万余平方米", 20_000, "平方米", ">"),
    ("超过48万人参与投票", 480_000, "人", ">"),
    ("实现展览面积超过500万平方米", 5_000_000, "平方米", ">"),
    ("实现工业总产值突破1550亿元", 155_000_000_000, "元", ">"),
    ("辅城坳片区污水资源化利用工程进度超90%", 90, "%", ">"),
    ("累计阅读量超20万", 200_000, "", ">"),
    ("全网曝光超7.3亿", 730_000_000, "", ">"),
    # < : 近 (nearly, so below)
    ("完成固定资产投资近300亿元", 30_000_000_000, "元", "<"),
    ("培训干部近800人次", 800, "人次", "<"),
    ("第三批次“瓶改管”项目点火率近90%", 90, "%", "<"),
    ("发放惠企奖补约3000万元", 30_000_000, "元", "~"),
    ("扩大生产空间约11万平方米", 110_000, "平方米", "~"),
    ("辖区约17平方公里二级水源保护区", 17_000_000, "平方米", "~"),
    ("累计拆除场区搭建面积约7450平方米", 7450, "平方米", "~"),
    # <= : 控制在…以下
    ("街道空气质量PM2.5平均浓度控制在19.0μg/m3以下", 19.0, "μg/m³", "<="),
    # = : plain amounts, 万/亿 magnitudes, Chinese numerals, area, money
    ("规上工业预计总产值802.86亿元", 80_286_000_000, "元", "="),
    ("申报金额3025.48万元", 30_254_800, "元", "="),
    ("24.15万平方米,重点保障华中通用", 241_500, "平方米", "="),
    ("将优化调整的2.56万平方米出租给优质企业易赛通信", 25_600, "平方米", "="),
    ("释放研发空间18.6万平方米", 186_000, "平方米", "="),
    ("拆除联李东路红线内580平方米历史违建", 580, "平方米", "="),
    ("42.19公顷土地验收入库", 421_900, "平方米", "="),
    ("全年完成土地整备98.6公顷", 986_000, "平方米", "="),
    ("深化深港先进制造业合作区6.9平方公里XX片区空间规划", 6_900_000, "平方米", "="),
    ("挽回经济损失833万元", 8_330_000, "元", "="),
    ("罚款1.2万元", 12_000, "元", "="),
    ("全年募捐资金178.86万元", 1_788_600, "元", "="),
    ("2.3万家庭完成了金属软管", 23_000, "户", "="),
    ("1.9万家企业", 19_000, "家", "="),
    ("化解各类信访案件3.6万宗", 36_000, "宗", "="),
    ("精准高效处理民生诉求5.6万件", 56_000, "件", "="),
    ("受益市民达7.16万人次", 71_600, "人次", "="),
    ("开具违停告知书1.58万张", 15_800, "张", "="),
    ("新增公办学校两所", 2, "所", "="),
    ("完成育桥路、景芳路两条断头路清拆", 2, "条", "="),
    ("强化本地新一代电子信息技术、高端装备制造、绿色低碳三类产业", 3, "类", "="),
    ("做好华测、创鑫激光、联通三个意向项目对接", 3, "个", "="),
    ('严格执行重大事项请示报告制度和"两个维护"十项制度机制', 10, "项", "="),
    ("完工里程5.8千米", 5.8, "公里", "="),
    ("累计安装烟感报警器520481间(套)", 520_481, "间", "="),
    ("种植乔木2741株", 2741, "株", "="),
    ("连续5个月全区排名第一", 5, "月", "="),
    ("人才智库活动25场次", 25, "场", "="),
    ("西湾小学拆除重建工程完成79%", 79, "%", "="),
    ("保障已签约27家规上、国高企业落地", 27, "家", "="),
    ("走访服务1992家企业", 1992, "家", "="),
    ("分租厂房528栋", 528, "栋", "="),
    ("筹集建设保障性住房1815套", 1815, "套", "="),
    ("查扣摩托车、电动车3041辆", 3041, "辆", "="),
    ("充分调动96名科级干部", 96, "名", "="),
    ("董事会审议事项432项次", 432, "项次", "="),
    # changes keep their comparator too
    ("增速超10%", 10, "%", ">"),
    ("涉黑涉恶案件同比减少80%以上", -80, "%", ">="),
    ("其中技改投资增长近三倍", 3, "倍", "<"),
    ("各类安全事故起数同比下降21.01%", -21.01, "%", "="),
]

# A plan's plain target means "at least"; a comparator word in the text still wins.
SEED_PLAN_COMPARATORS = [
    ("协调推动臣田东路、金圆路、纬四路等7条道路开工", ">="),
    ("筹集建设保障性租赁住房1000套", ">="),
    ("新增托位340个以上", ">="),
    ("街道空气质量PM2.5平均浓度控制在19.0μg/m3以下", "<="),
    ("受惠群众预计超38万人次", ">"),
]

SEED_KINDS = [
    ("增速超10%", "change"),
    ("增长11%以上", "change"),
    ("同比增长6.34%", "change"),
    ("家暴案件同比下降70%", "change"),
    ("二季度群众投诉环比下降68.43%", "change"),
    ("依托会展业带动服务业增长20%以上", "change"),
    ("其中技改投资增长近三倍", "change"),
    ("西湾小学拆除重建工程完成79%", "level"),
    ("空气质量优良率91.0%以上", "level"),
    ("增加1000个停车位供给", "level"),
    ("新增托位340个以上", "level"),
]

SEED_NOUNS = [
    ("协调推动臣田东路、金圆路、纬四路等7条道路开工", "道路"),
    ("推进雅涛花园、鸣乐花园等18个老旧小区有序更新改造", "老旧小区"),
    ("新增纳统8家企业", "企业"),
    ("开展4场传统文化展演", "传统文化展演"),
    ("整改提升黄埔华庭等4个内涝点", "内涝点"),
    ("加快8个未开工项目施工招标", None),
    ("新增托位340个以上", None),
    ("空气质量优良率91.0%以上", None),
]

# (phrase, raw): raw covers comparator words, number, magnitude and unit.
SEED_RAWS = [
    ("受惠群众预计超38万人次。", "超38万人次"),
    ("劝导整治乱摆卖摊贩1.5万余人次,", "1.5万余人次"),
    ("年底完成不少于720对。", "不少于720对"),
    ("浓度控制在19.0μg/m3以下、", "控制在19.0μg/m3以下"),
    ("其中技改投资增长近三倍。", "近三倍"),
]

# Numbers that name, order or date things: none of them is a quantity.
SEED_NON_QUANTITIES = [
    "一、2024年工作总结",
    "推动平湖首家准5星级高端酒店万枫酒店今年6月顺利开业",
    "推动甘坑水库、苗坑水库除险加固工程2025年4月完工",
    "信息提供日期:2024-10-22 15:41",
    "街道2023年党工委工作报告(第3/4页)",
    "总量全区第2",
    "完成轨道20号线航城车辆段房屋拆除及场地移交",
    "配合轨道15号线施工单位进场施工",
    "罗山公园群二期完工、三期已动工",
    "完成平湖生态园骑行基地1.0版本建设",
    "加快平湖生态园骑行基地2.0版本建设",
    "深入推进“91530”项目",
    "协调推动臣田东路、金圆路、纬四路",
    "全面落实“三个一”企业服务机制",
    "深刻领悟“两个确立”的决定性意义",
    "五级联动招商模式",
    "发挥前海“双15”税收优惠",
    "持续开展大铲湾片区、地铁站周边等重点区域“六乱一超”集中整治行动",
    "结合企业安置需求开展“一对一”空间匹配",
    "是“十四五”规划的收官之年",
    "2020年是贯彻党的十九大开局之年",
    "学习贯彻党的二十大、党的二十届三中全会精神",
    "一是低效产业空间仍需加快盘活",
    "进一步提升企业诉求响应速度",
    '严格落实"第一议题"学习制度',
    "实现周边环境、硬件设施、产出效能“三位一体”全面提升",
    "实现辖区内雨污管网统一纳入专业公司管理维护",
    "打造一流营商环境再创佳绩",
    "全面落实“一社区一法律顾问”",
    "一个山头一个山头去攻克",
    "按照区委六届三次党代会及全会部署",
    "探索存量工业园区二次开发路径",
    "落实中央八项规定及其实施细则精神",
    '深化"XX营商环境七条"',
    "选取一批成长性好",
    "完善5分钟消防应急救援格局",
    "开设2-3岁托班服务",
    "指标呈现12正1负的良好态势",
    "市容环境综合指数创下近4年最好成绩",
    "推动黄埔社区、上星社区、沙企社区建设第二批市级儿童友好社区",
    "市第二十八高级中学开工建设",
    "结合“宝安法治大讲堂”百场讲座、“12·4”国家宪法日等节点",
    "成立“百千万工程”领导小组",
]

# Forms the seeds lack: "<", 以内, 不超过, 左右, 逾, 亩, 亿元, comma thousands, numerals.
SYNTHETIC_QUANTITIES = [
    ("完成率不足50%", 50, "%", "<"),
    ("信访积案控制在5宗以内", 5, "宗", "<="),
    ("会议经费不超过200万元", 2_000_000, "元", "<="),
    ("建设绿道5公里左右", 5, "公里", "~"),
    ("服务群众逾3000人次", 3000, "人次", ">"),
    ("流转土地30亩", 20_000, "平方米", "="),
    ("完成投资2.56亿元", 256_000_000, "元", "="),
    ("走访服务1,992家企业", 1992, "家", "="),
    ("新增学位两万个", 20_000, "个", "="),
    ("建成一百二十个充电桩", 120, "个", "="),
    ("培育三千家企业", 3000, "家", "="),
    ("新建十二个口袋公园", 12, "个", "="),
    ("新建绿道五千米", 5, "公里", "="),
    ("慢行道800米", 0.8, "公里", "="),
]

SYNTHETIC_NON_QUANTITIES = [
    "再建两三个口袋公园",
    "学习全国两会精神",
    "畅通12345热线",
    "一社区一品牌",
    "一山头",
]


@pytest.mark.parametrize(("phrase", "value", "unit", "comparator"), SEED_QUANTITIES)
def test_seed_phrase_gives_its_value_unit_and_comparator(
    parser: QuantityParser, phrase: str, value: float, unit: str, comparator: str
) -> None:
    quantity = only_quantity(parser, phrase)
    assert (quantity.value, quantity.unit, quantity.comparator) == (
        pytest.approx(value),
        unit,
        comparator,
    )


@pytest.mark.parametrize(("phrase", "value", "unit", "comparator"), SYNTHETIC_QUANTITIES)
def test_forms_missing_from_the_seeds_parse_too(
    parser: QuantityParser, phrase: str, value: float, unit: str, comparator: str
) -> None:
    quantity = only_quantity(parser, phrase)
    assert (quantity.value, quantity.unit, quantity.comparator) == (
        pytest.approx(value),
        unit,
        comparator,
    )


@pytest.mark.parametrize(("phrase", "comparator"), SEED_PLAN_COMPARATORS)
def test_plan_default_applies_only_where_the_text_has_no_comparator_word(
    parser: QuantityParser, phrase: str, comparator: str
) -> None:
    assert only_quantity(parser, phrase, default_comparator=">=").comparator == comparator


@pytest.mark.parametrize(("phrase", "kind"), SEED_KINDS)
def test_growth_and_decline_rates_are_changes_not_levels(
    parser: QuantityParser, phrase: str, kind: str
) -> None:
    assert only_quantity(parser, phrase).kind == kind


@pytest.mark.parametrize(("phrase", "noun"), SEED_NOUNS)
def test_counted_noun_is_the_word_after_the_unit(
    parser: QuantityParser, phrase: str, noun: str | None
) -> None:
    assert only_quantity(parser, phrase).noun == noun


@pytest.mark.parametrize(("phrase", "raw"), SEED_RAWS)
def test_raw_covers_comparator_words_number_and_unit(parser: QuantityParser, phrase: str, raw: str) -> None:
    quantity = only_quantity(parser, phrase)
    assert quantity.raw == raw
    assert phrase[quantity.start : quantity.end] == raw


@pytest.mark.parametrize("phrase", SEED_NON_QUANTITIES + SYNTHETIC_NON_QUANTITIES)
def test_years_dates_ordinals_and_names_are_not_quantities(parser: QuantityParser, phrase: str) -> None:
    assert parser.parse(phrase) == []


def test_seed_tables_hold_verbatim_seed_text() -> None:
    seed_phrases = (
        [row[0] for row in SEED_QUANTITIES + SEED_PLAN_COMPARATORS + SEED_KINDS + SEED_NOUNS]
        + [phrase for phrase, _ in SEED_RAWS]
        + SEED_NON_QUANTITIES
    )
    missing = [p for p in seed_phrases if not any(p in text for text in SEED_TEXTS)]
    assert missing == []


def test_tables_cover_every_comparator_with_enough_rows() -> None:
    assert len(SEED_QUANTITIES) >= 70
    assert len(SEED_NON_QUANTITIES) >= 20
    assert {row[3] for row in SEED_QUANTITIES + SYNTHETIC_QUANTITIES} == set(COMPARATORS)


def test_quantities_in_a_whole_report_are_ordered_and_do_not_overlap(
    parser: QuantityParser,
) -> None:
    for text in SEED_TEXTS:
        quantities = parser.parse(text)
        assert quantities
        for earlier, later in zip(quantities, quantities[1:], strict=False):
            assert earlier.end <= later.start
        assert all(text[q.start : q.end] == q.raw for q in quantities)


def test_parsing_all_seeds_takes_well_under_half_a_second(parser: QuantityParser) -> None:
    started = time.perf_counter()
    for text in SEED_TEXTS:
        parser.parse(text)
    assert time.perf_counter() - started < 0.5


def test_unknown_default_comparator_is_refused(parser: QuantityParser) -> None:
    with pytest.raises(ValueError, match="default_comparator"):
        parser.parse("新增托位340个", default_comparator="at least")


def test_user_adds_a_unit_and_a_comparator_word_in_the_rule_files(tmp_path: Path) -> None:
    for name in ("units.toml", "comparators.toml"):
        shutil.copy(RULES / name, tmp_path / name)
    units = (tmp_path / "units.toml").read_text(encoding="utf-8")
    (tmp_path / "units.toml").write_text(units.replace("[units]\n", '[units]\n"艘" = {}\n', 1))
    comparators = (tmp_path / "comparators.toml").read_text(encoding="utf-8")
    comparators = comparators.replace("[before]\n", '[before]\n"最少" = ">="\n', 1)
    (tmp_path / "comparators.toml").write_text(comparators, encoding="utf-8")

    quantity = only_quantity(QuantityParser.from_rules(tmp_path), "新增船舶最少3艘")

    assert (quantity.value, quantity.unit, quantity.comparator) == (3, "艘", ">=")


def test_rule_file_with_an_unknown_comparator_is_refused(tmp_path: Path) -> None:
    for name in ("units.toml", "comparators.toml"):
        shutil.copy(RULES / name, tmp_path / name)
    comparators = (tmp_path / "comparators.toml").read_text(encoding="utf-8")
    comparators = comparators.replace("[before]\n", '[before]\n"最少" = "at least"\n', 1)
    (tmp_path / "comparators.toml").write_text(comparators, encoding="utf-8")

    with pytest.raises(ValueError, match="最少"):
        QuantityParser.from_rules(tmp_path)


REPORT_LIKE_TEXT = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(
            list('0123456789.,%％-:/·+ \n“”"《》()、，,。；;')
            + list("零一二三四五六七八九十两百千万亿余多超近约逾第届期号线版")
            + ["以上", "以下", "以内", "左右", "不少于", "控制在", "力争", "增长", "下降"]
            + ["个", "条", "家", "平方米", "公顷", "亩", "元", "人次", "千米", "μg/m3"]
        ),
    ),
    max_size=60,
).map("".join)


@given(text=REPORT_LIKE_TEXT)
@example(text="十十九个")  # cn2an raises KeyError, not ValueError, on this one
@settings(max_examples=500, deadline=None)
def test_parse_never_raises_and_raw_is_the_text_at_its_offsets(parser: QuantityParser, text: str) -> None:
    for quantity in parser.parse(text):
        assert text[quantity.start : quantity.end] == quantity.raw
        assert quantity.comparator in COMPARATORS
        assert quantity.kind in set(Kind)
