"""Names of projects, places and facilities, and the spaCy pipeline that carries them.

Issue "Extract commitments and statements": names that differ by a numeral or
an ordinal are different things (statuses.md, "Traps"), coordinated names are
expanded, and the segmenter keeps a report's names whole. The expected names
below were written by reading each phrase of the seeds, not by running the code.
"""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS
from tracker.gazetteer import load_gazetteer
from tracker.names import LABELS, NameFinder, numerals_of
from tracker.nlp import load_pipeline
from tracker.normalize import normalize


@pytest.fixture(scope="module")
def finder(rules) -> NameFinder:
    return NameFinder.load(rules.directory)


@pytest.fixture(scope="module")
def nlp(rules):
    """The model takes seconds to load: once for the whole module."""
    return load_pipeline(rules.directory)


@pytest.fixture(scope="module")
def seed_setting(rules) -> frozenset[str]:
    """The seeds' setting, left out as the extractor leaves it out: the townships of Shenzhen."""
    return load_gazetteer(rules.directory).setting_of("深圳市", None)


def names_in(finder: NameFinder, phrase: str, setting: frozenset[str] = frozenset()) -> list[str]:
    return [name.text for name in finder.find(normalize(phrase).text, exclude=setting)]


# (seed, phrase as written in the seed, the names a careful reader finds in it)
NAMED_PHRASES = [
    ("000", "开工建设辅七路、纬二路、纬三路道路新建工程", {"辅七路", "纬二路", "纬三路"}),
    ("000", "协调推动臣田东路、金圆路、纬四路等7条道路开工", {"臣田东路", "金圆路", "纬四路"}),
    ("000", "完成轨道20号线航城车辆段房屋拆除及场地移交", {"轨道20号线航城车辆段"}),
    ("000", "配合轨道15号线施工单位进场施工", {"轨道15号线"}),
    ("000", "拓宽尖岗山大道", {"尖岗山大道"}),
    ("000", "多部门联动严厉打击“二房东”扰乱租赁市场", set()),  # a verb before a kind of place
    ("003", "培育优势制造业集聚群落和湾区科创要素转化基地", set()),  # no mark where a name begins
    ("000", "整治通成路南段", {"通成路南段"}),
    ("000", "加快推动流塘、天骄、西湾小学建设工程", {"流塘小学", "天骄小学", "西湾小学"}),
    ("000", "新建和樾府社康", {"和樾府社康"}),
    ("000", "推进雅涛花园、鸣乐花园等18个老旧小区有序更新改造", {"雅涛花园", "鸣乐花园"}),
    ("000", "综合整治雍启工业园、麒裕工业区等老旧园区", {"雍启工业园", "麒裕工业区"}),
    ("000", "依托前海科兴科学园、金环宇大厦等打造一批“亿元楼”", {"前海科兴科学园", "金环宇大厦"}),
    ("000", "开工建设春蕾路、通锦路、共和工业路", {"春蕾路", "通锦路", "共和工业路"}),
    ("000", "完成拓展路、宝丰路等4条道路新建工程", {"拓展路", "宝丰路"}),
    ("000", "稳步推进流塘小学、天骄小学改扩建工程", {"流塘小学", "天骄小学"}),
    ("000", "悦和路街心公园开工建设", {"悦和路街心公园"}),
    ("000", "宝安区中心医院二期主体工程完工", {"宝安区中心医院二期"}),
    ("001", "推动平湖首家准5星级高端酒店万枫酒店今年6月顺利开业", {"万枫酒店"}),
    ("001", "加快推动中环大道三期征拆", {"中环大道三期"}),
    ("001", "推动鹅公岭利益统筹项目征拆", {"鹅公岭利益统筹项目"}),
    ("001", "启动山厦利益统筹项目4.2公顷地块征收谈判工作", {"山厦利益统筹项目"}),
    ("001", "完成平大路提升改造、罗山公园群三期工程涉及土地征转工作", {"平大路", "罗山公园群三期"}),
    ("001", "罗山公园群二期完工", {"罗山公园群二期"}),
    ("001", "完成平湖生态园骑行基地1.0版本建设", {"平湖生态园骑行基地1.0版本"}),
    ("001", "加快平湖生态园骑行基地2.0版本建设", {"平湖生态园骑行基地2.0版本"}),
    ("002", "推动完成嘉富宝禧、洪田康大社康中心建设", {"嘉富宝禧社康中心", "洪田康大社康中心"}),
    ("002", "推进新桥社区九年一贯制学校建成招生", {"新桥社区九年一贯制学校"}),
    (
        "002",
        "推进上寮河中下游碧道(一期)、新桥河-长流陂水库碧道(一期)完工建设",
        {"上寮河中下游碧道(一期)", "新桥河-长流陂水库碧道(一期)"},
    ),
    ("002", "开工建设洪田红色文化教育基地", {"洪田红色文化教育基地"}),
    # 推|进 at the edge of the window
    ("002", "继续推进新桥东一号园区企业服务中心", {"新桥东一号园区企业服务中心"}),
    ("003", "推动福洲大道一期快速化改造落地", {"福洲大道一期"}),
    ("003", "完成嘉华地块、大族激光地块土地入库工作", {"嘉华地块", "大族激光地块"}),
    ("003", "完成民富一路等12条道路新建、整治工程土地整备更新", {"民富一路"}),
    ("003", "完成育桥路、景芳路两条断头路清拆", {"育桥路", "景芳路"}),
    ("003", "扎实推进深江铁路、永和南路房屋征收工作", {"深江铁路", "永和南路"}),
    ("003", "重点打造海洋经济产业园、空天技术产业园等5个战新园区", {"海洋经济产业园", "空天技术产业园"}),
    ("003", "完成景山花园老旧小区改造升级", {"景山花园"}),
    ("003", "完成立新湖九年一贯制学校前期工作", {"立新湖九年一贯制学校"}),
    ("003", "推动华润云上润府、中粮大悦城凤凰里二期入市销售", {"华润云上润府", "中粮大悦城凤凰里二期"}),
    ("003", "推进龙宝科创中心建设", {"龙宝科创中心"}),
    ("003", "推进鸿桥世纪名园、安居福汇阁等房地产项目建设", {"鸿桥世纪名园", "安居福汇阁"}),  # 等+kind
    ("003", "和平、塘尾、新田3个旧村实施", {"和平", "塘尾", "新田"}),  # a list before its own count
    ("002", "做好华测、创鑫激光、联通三个意向项目对接", {"华测", "创鑫激光", "联通"}),
    ("003", "大族社康站、展城社康站建设", {"大族社康站", "展城社康站"}),
    ("003", "加快与香港生产力促进局沟通协商步伐", {"香港生产力促进局"}),
    ("002", "持续优化虚拟园区板块设计", {"虚拟园区"}),
    ("002", "丰富虚拟园区服务内容", {"虚拟园区"}),  # a verb before the name is not part of it
    ("002", "打造电子雾化专业园区", {"电子雾化专业园区"}),
    ("003", "紧抓宝安区首批战新产业园区项目规划机遇", set()),  # the occasion, not the object
    ("003", "实现辖区内雨污管网统一纳入专业公司管理维护", set()),  # a kind of company
    ("003", "推进街道文体中心及XX公园规划研究", {"街道文体中心", "XX公园"}),  # the street's own centre
]


def test_name_table_phrases_are_real_seed_text():
    texts = {path.name[:3]: normalize(path.read_text("utf-8")).text for path in SEEDS.glob("*.txt")}
    for seed, phrase, _ in NAMED_PHRASES:
        assert normalize(phrase).text in texts[seed], f"{phrase!r} is not in seed {seed}"
    assert len(NAMED_PHRASES) >= 25


@pytest.mark.parametrize(
    ("seed", "phrase", "expected"),
    NAMED_PHRASES,
    ids=[f"seed{row[0]}-{n:02d}" for n, row in enumerate(NAMED_PHRASES)],
)
def test_names_found_in_a_seed_phrase_are_exactly_the_names_a_reader_sees(
    finder, seed_setting, seed, phrase, expected
):
    expected = {normalize(name).text for name in expected}
    assert set(names_in(finder, phrase, seed_setting)) == expected


def test_three_roads_differing_by_numeral_stay_three_names(finder):
    names = names_in(finder, "开工建设辅七路、纬二路、纬三路道路新建工程")
    roads = [name for name in names if name in ("辅七路", "纬二路", "纬三路")]
    assert sorted(roads) == sorted(["辅七路", "纬二路", "纬三路"])  # each once, none merged
    assert len({numerals_of(road) for road in roads}) == 3


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("纬三路", "纬四路"),
        ("轨道15号线", "轨道20号线"),
        ("罗山公园群二期", "罗山公园群三期"),
        ("平湖生态园骑行基地1.0版本", "平湖生态园骑行基地2.0版本"),
        ("中环大道三期", "中环大道二期"),
    ],
)
def test_numerals_of_tells_apart_names_that_differ_by_a_numeral(one, other):
    assert numerals_of(one) != numerals_of(other)
    assert numerals_of(one) and numerals_of(other)


@pytest.mark.parametrize(
    ("text", "one", "other", "other_named_in_full"),
    [
        ("全力推进轨道15号线、20号线等重大交通项目建设", "15号线", "20号线", True),
        ("开工建设辅七路、纬二路、纬三路道路新建工程", "纬二路", "纬三路", True),
        # "三期已动工" leaves out the park's name: 二期 must still not swallow it
        ("完成平湖生态园骑行基地1.0版本建设;罗山公园群二期完工、三期已动工", "二期", "三期", False),
        # synthetic fixtures (fixtures/corpus), written in the seeds' style
        ("建成平湖生态园骑行基地1.0版本,同步启动骑行基地2.0版本谋划", "1.0版本", "2.0版本", True),
        ("去年开工的纬二路、纬三路建成通车,纬四路完成前期规划设计", "纬三路", "纬四路", True),
    ],
)
def test_names_differing_by_a_numeral_are_never_merged_into_one_name(
    finder, text, one, other, other_named_in_full
):
    names = names_in(finder, text)
    assert not any(one in name and other in name for name in names), names
    holding_one = [name for name in names if one in name]
    holding_other = [name for name in names if other in name]
    assert holding_one, names
    if other_named_in_full:
        assert holding_other, names
        assert {numerals_of(n) for n in holding_one}.isdisjoint({numerals_of(n) for n in holding_other})


def test_pipeline_is_loaded_once_per_process(rules, nlp):
    assert load_pipeline(rules.directory) is nlp
    assert load_pipeline(rules.directory) is load_pipeline(rules.directory)


@pytest.mark.parametrize("segmenter", ["pkuseg", "jieba"])
def test_a_lines_tokens_do_not_depend_on_the_texts_segmented_before_it(rules, segmenter):
    """Each text teaches the segmenter its own names; those of earlier texts must be gone
    (jieba keeps one dictionary per process, and a run's worker segments any texts before)."""
    pipeline = load_pipeline(rules.directory, segmenter)
    lines = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text().splitlines()]
    lines = [line for line in lines if len(line) > 20]
    first = [pipeline.token_spans(line) for line in lines[:100]]
    for line in lines[100:]:
        pipeline.token_spans(line)
    assert [pipeline.token_spans(line) for line in lines[:100]] == first


def test_pipeline_marks_the_names_of_a_text_as_entities(nlp):
    doc = nlp("协调推动臣田东路、金圆路、纬四路等7条道路开工,拓宽尖岗山大道")
    assert {ent.text for ent in doc.ents} >= {"臣田东路", "金圆路", "纬四路", "尖岗山大道"}
    assert {ent.label_ for ent in doc.ents} <= set(LABELS)
    assert all(ent.label_ == "FAC" for ent in doc.ents if ent.text.endswith("路"))


def test_pipeline_entity_labels_name_the_kind_of_thing(nlp):
    doc = nlp(
        "推动西乡“北帝三月三庙会”申报国家级非遗项目。推动自动驾驶公交示范项目建设。"
        "组建XX青年交响乐团。拓宽尖岗山大道"
    )
    labels = {ent.text: ent.label_ for ent in doc.ents}
    expected = {
        "北帝三月三庙会": "EVENT",
        "自动驾驶公交示范项目": "PROJECT",
        "XX青年交响乐团": "ORG",
        "尖岗山大道": "FAC",
    }
    assert {text: labels.get(text) for text in expected} == expected
    assert set(labels.values()) <= set(LABELS)


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("完成轨道20号线航城车辆段房屋拆除", "航城车辆段", "轨道20号线航城车辆段"),
        ("整治通成路南段", "通成路", "通成路南段"),
    ],
)
def test_taught_names_stay_single_tokens(nlp, text, name, found):
    doc = nlp(text)
    start = text.index(name)
    end = start + len(name)
    # no token boundary falls inside the name, and the token holding it is no wider than the found name
    covering = [t for t in doc if t.idx < end and start < t.idx + len(t.text)]
    assert len(covering) == 1, [t.text for t in doc]
    assert name in covering[0].text and covering[0].text in found, [t.text for t in doc]


def test_a_verb_across_the_edge_of_a_listed_name_is_not_part_of_it(finder):
    # synthetic fixture (南湾 2020 plan): 推进 ends one character into the first listed name
    names = names_in(finder, "推进上李朗、吉厦、沙塘布社区公园建设")
    assert set(names) == {"上李朗社区", "吉厦社区", "沙塘布社区"}


def test_a_list_counted_by_more_than_its_names_is_no_list(finder):
    assert names_in(finder, "做好华测、创鑫激光5个意向项目对接") == []


def test_names_joined_by_a_conjunction_are_two_names(finder):
    names = names_in(finder, "合并推进立新湖片区和桥头社区土地整备利益统筹项目")  # seed 003
    assert "桥头社区" in names and not any("和" in name for name in names)


def test_listed_names_may_carry_a_bracketed_part(finder):
    # fixtures/corpus/synthetic_xinqiao_2024h1_plan.txt
    assert names_in(finder, "推动旗滨、万丰大朗山(北区)、信维等项目开工建设") == [
        "旗滨",
        "万丰大朗山(北区)",
        "信维",
    ]
    assert names_in(finder, "完成新二土地整备与利益统筹项目清拆") == ["新二土地整备与利益统筹项目"]


def test_another_streets_facility_of_a_kind_is_not_this_streets_own(finder):
    assert names_in(finder, "推进街道文体中心建设") == ["街道文体中心"]
    assert names_in(finder, "参观新安街道文体中心") == []
    assert names_in(finder, "各街道文体中心") == []


def test_a_national_observance_day_is_a_name(finder):
    # seed 002 H2 plan: "结合“宝安法治大讲堂”百场讲座、“12·4”国家宪法日等节点开展法治宣传活动"
    phrase = "结合“宝安法治大讲堂”百场讲座、“12·4”国家宪法日等节点开展法治宣传活动"
    assert set(names_in(finder, phrase)) == {"宝安法治大讲堂", "国家宪法日"}


def test_a_named_troupe_is_an_organisation(finder):
    phrase = "持续建强平湖法治文艺轻骑兵(上木古社区非遗皮影戏法治宣讲队)队伍"  # seed 001
    assert "平湖法治文艺轻骑兵" in names_in(finder, phrase)


def test_where_a_campaign_goes_is_no_name(finder):
    # seed 003: "开展文明实践活动进社区、进校园、进家庭不少于700场"
    assert names_in(finder, "开展文明实践活动进社区、进校园、进家庭不少于700场") == []


# (our own sentence, the names in it): a name starts at a word boundary after a verb or a
# conjunction, and a common noun that merely ends in a suffix character (农村, 乡村) names nothing
WORD_BOUNDARY_PHRASES = [
    ("持续巩固农村生活垃圾治理成果", []),  # 巩固 + 农村: two common words
    ("统筹推进改建和硬化村组道路9.6公里", []),  # 和 joins two verbs, 村 begins 村组
    ("完成新建和美化村口游园2处", ["村口游园"]),  # the name after the verb joined by 和
    ("推进文体中心建设和白石分中心改造", ["白石分中心"]),  # 建设 after a name is a noun: 和 joins names
    ("加快补齐农村供水短板", []),
    ("推进美丽乡村示范带建设", []),
    ("完善农村公路养护机制", []),  # 农村 before a generic word is no name either
    ("实施乡村道路提升工程", []),
    ("改造和提升新桥村文化广场", ["新桥村文化广场"]),
    ("巩固提升白石村人居环境", ["白石村"]),  # a village name is rarer than 农村
    ("完成南沙大桥连接线征拆", ["南沙大桥"]),  # a kind of bridge, named
    ("推进长宁大街综合整治", ["长宁大街"]),  # a kind of street, named
]


@pytest.mark.parametrize(("phrase", "expected"), WORD_BOUNDARY_PHRASES)
def test_a_name_starts_at_a_word_boundary_and_is_no_common_noun(finder, phrase, expected):
    assert names_in(finder, phrase) == expected


# (our own sentence, the names in it): 中心 right after a township (镇, 乡, 区 …) and before more
# of a name is "central", part of that one name, not the end of a name of its own
CENTRAL_PHRASES = [
    ("建成青山镇中心敬老院失能照护中心并投入使用", ["青山镇中心敬老院失能照护中心"]),
    ("推进青山镇中心小学扩建", ["青山镇中心小学"]),
    ("完成松岗镇中心幼儿园改扩建工程", ["松岗镇中心幼儿园"]),
    ("启动白石乡中心学校运动场提升改造", ["白石乡中心学校"]),
    ("加快推进龙山区中心医院三期建设", ["龙山区中心医院三期"]),
    ("推进青山镇中心建设", ["青山镇中心"]),  # nothing follows: the centre itself
]


@pytest.mark.parametrize(("phrase", "expected"), CENTRAL_PHRASES)
def test_centre_after_a_township_and_before_a_name_is_part_of_that_name(finder, phrase, expected):
    assert names_in(finder, phrase) == expected


# (our own sentence, the names in it): a road or line named by its two ends is one name, the
# whole of it, not only the part after 至 that ends in a suffix
ROUTE_PHRASES = [
    ("完成青山至白石公路改造", ["青山至白石公路"]),
    ("推进松岗—沙井段建设", ["松岗—沙井段"]),
    ("完成东坑到西岭道路硬化", ["东坑到西岭道路"]),
    ("建设龙华至观澜快速通道", ["龙华至观澜快速通道"]),
    ("加快推进石岩至光明快速路二期建设", ["石岩至光明快速路二期"]),
    ("完成G107国道松岗至沙井段路面修复", ["G107国道松岗至沙井段"]),
    ("完成青山大道(白石至东坑段)改造", ["青山大道(白石至东坑段)"]),  # a section of a road
    ("推进新桥路(沙井路至北环路段)拓宽工程", ["新桥路(沙井路至北环路段)"]),
    ("力争2至3个项目落地", []),  # a range of numbers
    ("推动从村到组道路硬化", []),  # no end is a name
]


@pytest.mark.parametrize(("phrase", "expected"), ROUTE_PHRASES)
def test_a_road_named_by_its_two_ends_is_one_name(finder, phrase, expected):
    assert names_in(finder, phrase) == expected


# (our own sentence, the names in it): a working mechanism or campaign named in quotes or by its
# topic is a name (statuses.md Clarifications); a framework described by its structure, or a
# slogan that counts, is not
PROGRAMME_PHRASES = [
    ("落实“吹哨报到”机制", ["吹哨报到"]),
    ("全面推行“街巷长制”", ["街巷长制"]),
    ("推广“四议两公开”工作法", ["四议两公开"]),
    ("全面推行楼长制", ["楼长制"]),
    ("持续开展燃气安全百日攻坚行动", ["燃气安全百日攻坚行动"]),
    ("开展打击非法集资专项行动", ["非法集资专项行动"]),
    ("完善“调解+仲裁+诉讼”衔接机制", []),  # a structure of three parts
    ("全面推行“网格+警格”融合联动机制", ["网格+警格"]),  # a pairing is a mechanism's name
    ("落实“两个维护”十项制度机制", []),  # a counting slogan
    ("开展专项行动", []),  # no topic: no name
]


@pytest.mark.parametrize(
    "phrase", ["全年引进投资亿元以上产业项目5个", "推动亿元以上重大项目开工8个", "招引千万元以上项目12个"]
)
def test_a_size_is_no_name(finder, phrase):
    assert names_in(finder, phrase) == []


@pytest.mark.parametrize(("phrase", "expected"), PROGRAMME_PHRASES)
def test_a_named_mechanism_or_campaign_is_a_name_and_a_structure_is_not(finder, phrase, expected):
    assert names_in(finder, phrase) == expected


# (our own sentence, the names in it): 村 opening a common compound (村组, 村庄, 村容, 村务,
# 村干部) ends no village's name
VILLAGE_WORDS = [
    ("新建硬化村组道路25公里", []),
    ("改善村容村貌", []),
    ("完善村务公开制度", []),
    ("培训村干部120人次", []),
    ("建成石桥村文化广场", ["石桥村文化广场"]),  # a village's name still is one
]


@pytest.mark.parametrize(("phrase", "expected"), VILLAGE_WORDS)
def test_village_opening_a_common_compound_ends_no_name(finder, phrase, expected):
    assert names_in(finder, phrase) == expected


def test_the_kind_after_a_quoted_name_is_that_names_not_a_name_of_its_own(finder):
    assert names_in(finder, "上半年建成“数智青城”基层治理大数据平台并上线运行") == ["数智青城"]
    assert names_in(finder, "推进“清风白鹭”廉洁文化行动,建成东湖社区党群服务中心") == ["清风白鹭", "东湖社区"]
