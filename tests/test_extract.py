"""Commitments from plans and outcome statements from summaries (issue "Extract commitments and statements").

Checked on the real seeds and against the hand labels of fixtures/labels,
which follow the unit of ../shared/spec/statuses.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.conftest import FIXTURES, SEEDS
from tracker import pipeline
from tracker.extract import Extractor, Unit, _parts_holding
from tracker.ingest import IngestedDocument, ManifestEntry, read_corpus, read_document
from tracker.normalize import compact, normalize
from tracker.pipeline import CachedSegmenter, extract_documents
from tracker.sections import find_sections
from tracker.store import Document, SegmentCache, open_store, store_documents

XIXIANG = "000_c1d99a5c8820d14d.txt"
PINGHU = "001_89c76ec95f46d324.txt"
XINQIAO = "002_e199c410f5143caa.txt"
FUHAI = "003_d469b632b0e4d0a4.txt"
NANWAN = "004_d17093189e6c1fbb.txt"
LABEL_FILES = sorted((FIXTURES / "labels").glob("*.commitments.jsonl"))
MIN_RECALL, MIN_PRECISION = 0.95, 0.90


@pytest.fixture(scope="module")
def documents(rules) -> dict[str, IngestedDocument]:
    """The five seeds and the synthetic fixtures, read with their manifests."""
    found, _ = read_corpus([SEEDS, FIXTURES / "corpus"], rules)
    return {document.name: document for document in found}


@pytest.fixture(scope="module")
def units_of(documents, rules):
    """units_of(name, role) -> every unit of that role in the document, in order."""
    extractor = Extractor.for_rules(rules)
    cache: dict[tuple[str, str], list[Unit]] = {}

    def extract(name: str, role: str) -> list[Unit]:
        if (name, role) not in cache:
            document = documents[name]
            norm = normalize(document.text)
            cache[(name, role)] = [
                unit
                for section in document.sections
                if section.role == role
                for unit in extractor.extract(norm, section, rules)
            ]
        return cache[(name, role)]

    return extract


def holding(units: list[Unit], fragment: str) -> list[Unit]:
    """The units whose text (whitespace removed) holds the fragment."""
    fragment = compact(fragment)
    return [unit for unit in units if fragment in compact(unit.text)]


def only(units: list[Unit], fragment: str) -> Unit:
    found = holding(units, fragment)
    assert len(found) == 1, f"{fragment}: {[u.text for u in found]}"
    return found[0]


def read_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# --- Seed 003: numbered tasks -------------------------------------------------------------


def test_every_numbered_task_of_seed_003_gives_commitments_carrying_its_number(units_of):
    commitments = units_of(FUHAI, "plan")
    refs = {unit.ref for unit in commitments}
    assert refs == {str(number) for number in range(1, 63)}
    assert all(unit.role == "plan" for unit in commitments)


def test_numbered_task_text_keeps_no_task_number_or_title(units_of):
    commitments = units_of(FUHAI, "plan")
    task_17 = [unit for unit in commitments if unit.ref == "17"]
    assert task_17
    assert not holding(task_17, "守住工业基本盘")  # the task's title
    assert holding(task_17, "738家规上企业")
    assert not any(compact(unit.text).startswith("17.") for unit in commitments)


def test_task_27_gives_separate_commitments_for_its_separate_deliverables(units_of):
    task_27 = [unit for unit in units_of(FUHAI, "plan") if unit.ref == "27"]
    assert len(task_27) >= 2
    (study,) = holding(task_27, "文体中心")
    assert "XX公园" in compact(study.text)
    (coastal,) = holding(task_27, "海防")
    assert study is not coastal
    (gas,) = holding(task_27, "管道天然气")
    assert gas is not study and gas is not coastal


# --- Seed 000: one verb over a list, two verbs, coordinated names -------------------------


def test_one_verb_over_a_list_of_roads_is_one_commitment_with_its_items(units_of):
    roads = only(units_of(XIXIANG, "plan"), "臣田东路")
    assert compact(roads.text) == "协调推动臣田东路、金圆路、纬四路等7条道路开工"
    assert set(roads.items) == {"臣田东路", "金圆路", "纬四路"}
    assert [(q.value, q.unit, q.comparator) for q in roads.quantities] == [(7, "条", ">=")]
    assert roads.level == "start"
    assert roads.checkable


def test_clauses_with_their_own_verbs_are_separate_commitments(units_of):
    commitments = units_of(XIXIANG, "plan")
    line_20 = only(commitments, "航城车辆段房屋拆除")
    line_15 = only(commitments, "配合轨道15号线")
    assert line_20 is not line_15
    assert compact(line_20.text) == "完成轨道20号线航城车辆段房屋拆除及场地移交"
    assert compact(line_15.text) == "配合轨道15号线施工单位进场施工"
    assert any("20号线" in item for item in line_20.items)
    assert not any("15号线" in item for item in line_20.items)
    assert any("15号线" in item for item in line_15.items)
    assert not any("20号线" in item for item in line_15.items)


def test_clauses_each_with_a_verb_and_a_target_are_separate_commitments(units_of):
    # seed 003: "以"我们的节日"为主题开展4场传统文化展演,读书月期间开展12场系列读书沙龙活动"
    commitments = units_of(FUHAI, "plan")
    shows = only(commitments, "开展4场传统文化展演")
    salons = only(commitments, "开展12场系列读书沙龙活动")
    assert shows is not salons
    assert [(q.value, q.unit) for q in shows.quantities] == [(4, "场")]
    assert [(q.value, q.unit) for q in salons.quantities] == [(12, "场")]


def test_the_count_of_a_list_just_written_is_no_target(units_of):
    # seed 003: "强化本地新一代电子信息技术、高端装备制造、绿色低碳三类产业"
    industries = only(units_of(FUHAI, "plan"), "绿色低碳三类产业")
    assert industries.quantities == []
    roads = only(units_of(XIXIANG, "plan"), "臣田东路")  # 3 listed, 7 promised: a target
    assert [q.value for q in roads.quantities] == [7]


def test_coordinated_school_names_are_expanded(units_of):
    schools = only(units_of(XIXIANG, "plan"), "流塘、天骄、西湾小学")
    assert {"流塘小学", "天骄小学", "西湾小学"} <= set(schools.items)


def test_plan_commitments_of_seed_000_come_only_from_its_2025_plan(units_of, documents):
    (plan,) = [s for s in documents[XIXIANG].sections if s.role == "plan"]
    assert plan.period == "2025"
    commitments = units_of(XIXIANG, "plan")
    assert commitments
    assert all(plan.start <= unit.start < unit.end <= plan.end for unit in commitments)
    assert not holding(commitments, "麻布社区街边口袋公园")  # a 2024 summary sentence


def test_unit_offsets_quote_the_original_text(units_of, documents):
    for name in (XIXIANG, PINGHU, XINQIAO, FUHAI):
        text = documents[name].text
        for unit in units_of(name, "plan"):
            assert compact(text[unit.start : unit.end]) == compact(unit.text)


def test_section_titles_and_topic_labels_are_not_commitments(units_of):
    assert not holding(units_of(XIXIANG, "plan"), "坚持拓空间、抓项目")
    pinghu = units_of(PINGHU, "plan")
    assert not holding(pinghu, "精耕“生长土壤”")
    assert not holding(pinghu, "搭建“应用场景”")
    assert not holding(units_of(FUHAI, "plan"), "抓会展强配套")


# --- Checkable or not ----------------------------------------------------------------------

# Vague promises of the 001 and 002 plans (labelled checkable=false): no name, number,
# deadline or discrete deliverable.
VAGUE = [
    (PINGHU, "树立鲜明选人用人导向"),
    (PINGHU, "强化考核结果应用"),
    (PINGHU, "不断优化干部队伍结构"),
    (PINGHU, "深入推进街区制管理"),
    (PINGHU, "强化城市管家履约监管"),
    (XINQIAO, "不断提高政治判断力、政治领悟力、政治执行力"),
    (XINQIAO, "严格预算管理"),
    (XINQIAO, "厉行勤俭节约"),
    (XINQIAO, "规范政府合同"),
    (XINQIAO, "加强政务公开和政府信息公开"),
]

# Promises that name something checkable, and what makes them so.
CHECKABLE = [
    (XIXIANG, "拓宽尖岗山大道", "a named road"),
    (XIXIANG, "新建和樾府社康", "a named facility"),
    (PINGHU, "万枫酒店今年6月顺利开业", "a named hotel and a deadline"),
    (PINGHU, "甘坑水库、苗坑水库除险加固工程2025年4月完工", "named reservoirs and a deadline"),
    (XINQIAO, "新增托位340个以上", "a quantity with a unit"),
    (XINQIAO, "年底完成不少于720对", "a quantity and a deadline"),
    (XINQIAO, "全年完成50场“八类群体”培训任务", "a quantity"),
    (FUHAI, "成立街道招商工作专班", "a deliverable: an organisation set up"),
    (FUHAI, "实现先进制造业占比70%以上", "a percentage target"),
    (FUHAI, "完成景山花园老旧小区改造升级", "a named estate"),
]


@pytest.mark.parametrize(("name", "fragment"), VAGUE, ids=[f"{n[:3]}-{i}" for i, (n, _) in enumerate(VAGUE)])
def test_vague_commitments_are_not_checkable(units_of, name, fragment):
    assert not only(units_of(name, "plan"), fragment).checkable


@pytest.mark.parametrize(
    ("name", "fragment", "why"), CHECKABLE, ids=[f"{n[:3]}-{i}" for i, (n, _, _) in enumerate(CHECKABLE)]
)
def test_commitments_with_a_name_number_deadline_or_deliverable_are_checkable(units_of, name, fragment, why):
    assert only(units_of(name, "plan"), fragment).checkable, why


@pytest.mark.parametrize(
    ("name", "headline"),
    [(XINQIAO, "加强政治建设"), (PINGHU, "强化能力作风建设"), (PINGHU, "强化正风肃纪反腐")],
)
def test_headline_style_promises_are_never_checkable(units_of, name, headline):
    """ "加强政治建设" and the like are topic labels: no commitment, or an uncheckable one."""
    assert not any(unit.checkable for unit in holding(units_of(name, "plan"), headline))


def test_labelled_vague_examples_are_labelled_so():
    """The VAGUE and CHECKABLE tables agree with the hand labels they were picked from."""
    labels = {}
    for path in LABEL_FILES:
        for label in read_labels(path):
            labels.setdefault(label["plan_doc"], []).append(label)
    for table, checkable in ((VAGUE, False), (CHECKABLE, True)):
        for row in table:
            name, fragment = row[0], compact(row[1])
            matching = [lb for lb in labels[name] if fragment in lb["text"] or lb["text"] in fragment]
            assert matching and all(lb["checkable"] is checkable for lb in matching), fragment


# --- Hand labels: recall and precision per plan --------------------------------------------


def plan_figures(label_path: Path, documents, units_of) -> tuple[float, float, list[str], list[str]]:
    labels = read_labels(label_path)
    (plan_doc,) = {label["plan_doc"] for label in labels}
    texts = [compact(unit.text) for unit in units_of(plan_doc, "plan")]
    anchors = [compact(label["anchor"]) for label in labels]
    missed = [anchor for anchor in anchors if not any(anchor in text for text in texts)]
    extra = [text for text in texts if not any(anchor in text for anchor in anchors)]
    recall = 1 - len(missed) / len(anchors)
    precision = 1 - len(extra) / len(texts) if texts else 0.0
    return recall, precision, missed, extra


def test_every_labelled_plan_is_a_plan_of_the_corpus(documents):
    assert len(LABEL_FILES) == 9
    for path in LABEL_FILES:
        (plan_doc,) = {label["plan_doc"] for label in read_labels(path)}
        assert path.name == f"{Path(plan_doc).stem}.commitments.jsonl"
        assert any(section.role == "plan" for section in documents[plan_doc].sections)


def test_extraction_meets_recall_and_precision_over_all_hand_labels(documents, units_of):
    """The acceptance line: over the hand labels of every plan, recall >= 0.95, precision >= 0.90."""
    labels = extracted = found = held = 0
    for path in LABEL_FILES:
        recall, precision, missed, extra = plan_figures(path, documents, units_of)
        count = len(read_labels(path))
        (plan_doc,) = {label["plan_doc"] for label in read_labels(path)}
        units = len(units_of(plan_doc, "plan"))
        labels, found = labels + count, found + count - len(missed)
        extracted, held = extracted + units, held + units - len(extra)
    assert found / labels >= MIN_RECALL, f"recall {found / labels:.3f}"
    assert held / extracted >= MIN_PRECISION, f"precision {held / extracted:.3f}"


@pytest.mark.parametrize("label_path", LABEL_FILES, ids=[p.name.split(".")[0] for p in LABEL_FILES])
def test_no_plan_falls_far_below_the_labels(documents, units_of, label_path):
    """A floor per plan, so one plan cannot collapse behind a good total."""
    recall, precision, missed, extra = plan_figures(label_path, documents, units_of)
    assert recall >= 0.85, f"recall {recall:.3f}; labels not extracted: {missed}"
    assert precision >= 0.75, f"precision {precision:.3f}; commitments with no label: {extra}"


# --- Outcome statements ---------------------------------------------------------------------


def test_summary_statements_carry_the_reported_level(units_of):
    statements = units_of(XIXIANG, "summary")
    assert statements and all(unit.role == "summary" for unit in statements)
    assert only(statements, "西湾小学拆除重建工程完成79%").level == "nearly_done"
    assert only(statements, "麻布社区街边口袋公园建成投用").level == "done"


@pytest.mark.parametrize(
    ("seed", "fragment", "level"),
    [
        (NANWAN, "不久将在XX落地", "start"),  # being brought in (积极引进); landing still to come
        (NANWAN, "4个社区的项目即将投入运行", "nearly_done"),
    ],
)
def test_a_result_word_counts_as_its_neighbours_say(units_of, seed, fragment, level):
    assert only(units_of(seed, "summary"), normalize(fragment).text).level == level


def test_completed_share_of_the_works_is_nearly_done_not_done(rules):
    lexicon = Extractor.for_rules(rules).lexicon
    # fixtures/corpus/synthetic_pinghu_2025h1_summary.txt
    assert lexicon.level("平湖北片区口袋公园建设工程完成总工程量的65%", []) == "nearly_done"
    assert lexicon.level("覆盖率达到85%", []) == "done"  # a rate reached, not a share of works
    # fixtures/corpus/synthetic_xinqiao_2024h2_summary.txt: 装修备案 is a filing, no fit-out under way
    assert lexicon.level("为入驻企业办理注册编码、地址变更、装修备案等事项136件", []) is None


def test_summary_quantities_are_reported_not_promised(units_of):
    places = only(units_of(XIXIANG, "summary"), "新增托位2256个")
    assert [(q.value, q.unit, q.comparator) for q in places.quantities if q.value == 2256] == [
        (2256, "个", "=")
    ]


# --- The pipeline: segmentation cached by content hash ------------------------------------


@pytest.fixture(scope="module")
def model(rules):
    """Load the spaCy pipeline once for this module (it takes seconds)."""
    return pipeline.load_pipeline(rules.directory)


def refuse_model(*_args, **_kwargs):
    raise AssertionError("the segmenter model was called for a text it had segmented before")


def test_extracting_twice_extracts_nothing_the_second_time(rules, db_url, model):
    engine = open_store(db_url)
    store_documents(engine, read_corpus([SEEDS], rules)[0])
    assert extract_documents(engine, rules) == 5
    assert extract_documents(engine, rules) == 0


def test_reextraction_takes_token_spans_from_the_cache_not_the_model(rules, db_url, model, monkeypatch):
    engine = open_store(db_url)
    store_documents(engine, read_corpus([SEEDS], rules)[0])
    assert extract_documents(engine, rules) == 5
    with Session(engine) as session:
        rows = len(session.exec(select(SegmentCache)).all())
        for document in session.exec(select(Document)).all():
            document.extracted_with = None
            session.add(document)
        session.commit()
    assert rows > 0
    monkeypatch.setattr(pipeline, "load_pipeline", refuse_model)
    assert extract_documents(engine, rules) == 5
    with Session(engine) as session:
        assert len(session.exec(select(SegmentCache)).all()) == rows


def test_cached_segmenter_asks_the_model_once_per_text(rules, db_url, model, monkeypatch):
    text = "完成轨道20号线航城车辆段房屋拆除及场地移交,配合轨道15号线施工单位进场施工。"
    engine = open_store(db_url)
    with Session(engine) as session:
        segment = CachedSegmenter(session, rules)
        first = segment(text)
        assert first and all(0 <= start < end <= len(text) for start, end in first)
        monkeypatch.setattr(pipeline, "load_pipeline", refuse_model)
        assert segment(text) == first
        session.commit()
    with Session(engine) as session:
        assert len(session.exec(select(SegmentCache)).all()) == 1
        # a new segmenter on the same store finds the stored spans too
        assert CachedSegmenter(session, rules)(text) == first


def test_extracted_units_carry_tokens_of_the_pipeline(rules, documents, model):
    document = documents[XIXIANG]
    norm = normalize(document.text)
    (plan,) = [s for s in document.sections if s.role == "plan"]

    def tokens_of(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The tokens of the whole text, those asked for among them."""
        return [(token.idx, token.idx + len(token.text)) for token in model(text)]

    units = Extractor.for_rules(rules).extract(norm, plan, rules, tokens_of)
    line_20 = only(units, "航城车辆段房屋拆除")
    assert "".join(line_20.tokens) == compact(line_20.text)
    assert any("航城车辆段" in token for token in line_20.tokens)


def test_only_the_units_scoring_reads_are_segmented(rules, documents, model):
    """Checkable commitments get their tokens; a vague commitment, which is unverifiable whatever
    its words, and a statement, which matching reads as text, are not segmented at all."""
    document = documents[XIXIANG]
    norm = normalize(document.text)
    extractor = Extractor.for_rules(rules)
    (plan,) = [s for s in document.sections if s.role == "plan"]
    units = extractor.extract(norm, plan, rules, model.token_spans)
    assert all(unit.tokens for unit in units if unit.checkable)
    vague = [unit for unit in units if not unit.checkable]
    assert vague and not any(unit.tokens for unit in vague)
    summary = next(s for s in document.sections if s.role == "summary")
    segmented: list[str] = []

    def tokens_of(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
        segmented.append(text)
        return model.token_spans(text, parts)

    statements = extractor.extract(norm, summary, rules, tokens_of)
    assert statements and not segmented and not any(unit.tokens for unit in statements)


@pytest.mark.parametrize(
    "text, sentences, parts",
    [
        ("一、标题\n推进A。完成B。\n", [(5, 9), (9, 13)], [(5, 13)]),  # touching: segmented together
        ("甲。乙。丙。", [(0, 2), (4, 6)], [(0, 2), (4, 6)]),  # the sentence between is not segmented
        ("甲乙\n丙丁", [(0, 5)], [(0, 2), (3, 5)]),  # cut at the line break
    ],
)
def test_parts_to_segment_join_touching_sentences_and_stop_at_line_breaks(text, sentences, parts):
    assert _parts_holding(text, sentences) == parts


def test_a_delay_within_the_period_is_late_not_undone(rules):
    lexicon = Extractor.for_rules(rules).lexicon
    # fixtures/corpus/synthetic_fuhai_2023_summary.txt
    assert not lexicon.says_not_done("读书月期间因场馆改造,系列读书沙龙活动顺延至12月举办,共开展12场")
    # fixtures/corpus/synthetic_xixiang_2025_summary.txt: moved to the next year
    assert lexicon.says_not_done("通成路南段整治因涉及燃气高压管线迁改,推迟至2026年实施")


def test_a_list_of_actions_each_with_its_object_is_one_commitment_per_action(units_of):
    plan = units_of(XIXIANG, "plan")
    assert only(plan, "拓宽尖岗山大道").text == "拓宽尖岗山大道"
    assert only(plan, "整治通成路南段").text == "整治通成路南段"


@pytest.mark.parametrize(
    ("seed", "whole"),
    [
        (XIXIANG, "建立产业空间信息数据采集、更新、审核长效化机制"),  # 更新 has no object of its own
        (XINQIAO, "抓好万丰海岸科技城、创新智慧港、万科星宸大厦"),  # 万科星宸大厦 has no verb
    ],
)
def test_a_list_with_a_part_that_is_no_action_stays_whole(units_of, seed, whole):
    assert len(holding(units_of(seed, "plan"), whole)) == 1


def test_a_clause_that_promises_a_result_of_its_own_name_is_its_own_commitment(units_of):
    # seed 003: "加快会展中心周边商业配套建设招商,会展湾花园里开业运营"
    plan = units_of(FUHAI, "plan")
    assert only(plan, "会展湾花园里开业运营").text == "会展湾花园里开业运营"
    assert only(plan, "加快会展中心周边商业配套建设招商").items == []  # 会展中心 is where, not what


def test_a_batch_named_by_its_year_is_a_checkable_deliverable(units_of):
    assert only(units_of(FUHAI, "plan"), "完成2022年批次管道天然气入户完善工程项目建设").checkable


def test_a_clause_opening_on_an_adverb_and_its_own_verb_is_its_own_commitment(rules):
    # fixtures/corpus/synthetic_pinghu_2024_plan.txt: the facility is checkable, the stability goal vague
    documents, _ = read_corpus([FIXTURES / "corpus" / "synthetic_pinghu_2024_plan.txt"], rules)
    extractor = Extractor.for_rules(rules)
    units = [
        unit
        for document in documents
        for section in document.sections
        for unit in extractor.extract(normalize(document.text), section, rules)
    ]
    assert only(units, "建成平湖街道智慧应急指挥中心").text == "建成平湖街道智慧应急指挥中心"
    assert not only(units, "全力维护社会大局和谐稳定").checkable


def test_a_framing_clause_sets_the_scene_of_the_next_clause_only(units_of):
    # seed 003: "围绕制造业重点领域需求,加快与香港生产力促进局沟通协商步伐,推动共性技术平台落地,…"
    plan = units_of(FUHAI, "plan")
    talks = only(plan, "加快与香港生产力促进局沟通协商步伐")
    assert talks.text.startswith("围绕制造业重点领域需求")  # the scene stays with its clause
    assert talks.items == ["香港生产力促进局"]
    platform = only(plan, "推动共性技术平台落地")
    assert platform.text == "推动共性技术平台落地"
    assert platform.items == ["共性技术平台"] and platform.level == "done"


def test_a_clause_opening_on_a_preposition_with_a_verb_of_its_own_is_its_own_commitment(units_of):
    # seed 003: "参照"产品免检"推出"XX免查",率先在"四上"、亿元以上企业推行"
    plan = units_of(FUHAI, "plan")
    assert only(plan, "推出").text == '参照"产品免检"推出"XX免查"'
    assert only(plan, "亿元以上企业推行").text.startswith("率先在")


def test_a_deliverable_word_inside_a_quoted_name_makes_nothing_checkable(units_of):
    # seed 001: "创新推动“商圈开业一件事”助企便民服务": 开业 is part of the programme's name
    assert not only(units_of(PINGHU, "plan"), "商圈开业一件事").checkable


def test_a_count_of_the_rules_one_keeps_to_is_no_target(units_of):
    # seed 003: "严格执行重大事项请示报告制度和"两个维护"十项制度机制"
    rules_kept = only(units_of(FUHAI, "plan"), "十项制度机制")
    assert rules_kept.quantities == [] and not rules_kept.checkable


@pytest.mark.parametrize(
    ("seed", "fragment"),
    [
        (PINGHU, "同步完成片区水源保护区调准工作"),  # a task to complete, no name needed
        (FUHAI, "完成纳土、地基处理及围堤施工等工程建设任务"),
    ],
)
def test_a_clause_that_opens_on_completing_its_object_is_checkable(units_of, seed, fragment):
    assert only(units_of(seed, "plan"), fragment).checkable


# --- Heading paths -----------------------------------------------------------------------------

NESTED_PLAN = """某某街道2025年工作计划
一、经济发展
(一)产业升级。完成3个工业园区改造。
(二)招商引资。引进企业20家。
二、民生保障
(一)教育。新建幼儿园2所。
三、城市管理
完成10条道路升级改造。
(一)市容。建成口袋公园5个。
"""


@pytest.mark.parametrize(
    ("fragment", "path"),
    [
        ("完成3个工业园区改造", ("一、经济发展", "(一)产业升级。")),
        ("引进企业20家", ("一、经济发展", "(二)招商引资。")),
        ("新建幼儿园2所", ("二、民生保障", "(一)教育。")),  # another chapter's (一): its own path
        ("完成10条道路升级改造", ("三、城市管理",)),  # a chapter closes the (一)… of the one before
        ("建成口袋公园5个", ("三、城市管理", "(一)市容。")),
    ],
)
def test_a_commitment_keeps_every_heading_above_it(rules, tmp_path, fragment, path):
    plan = tmp_path / "plan.txt"
    plan.write_text(NESTED_PLAN, encoding="utf-8")
    document = read_document(plan, ManifestEntry(), rules)
    [section] = document.sections
    unit = only(Extractor.for_rules(rules).extract(normalize(document.text), section, rules), fragment)
    assert unit.section_path == ("某某街道2025年工作计划", *path)
    assert unit.heading == path[-1]


def test_the_sub_headings_of_a_fixture_plan_stay_under_their_chapter(units_of):
    paths = {unit.section_path[1:] for unit in units_of("synthetic_xixiang_2024_plan.txt", "plan")}
    firsts = [path for path in paths if path[-1].startswith("(一)")]
    assert len({path[0] for path in firsts}) == len(firsts) == 4  # four (一), each under its chapter
    assert all(path[0][0] in "一二三四" and path[0][1] == "、" for path in firsts)


NUMBERED_TASKS = [
    # (a numbered task of a plan, its first sentence, whether that sentence is the task's title)
    ("3.新建社区公园2个;改造背街小巷5条;完成雨污分流管网建设1.2公里。", "新建社区公园2个", False),
    ("4.年底前完成老旧小区加装电梯10部;推进智慧停车场建设。", "年底前完成老旧小区加装电梯10部", False),
    ("5.力争9月底前建成镇级综合文化站;开展送戏下乡活动。", "9月底前建成镇级综合文化站", False),
    ("6.推进城市更新提质。完成城中村综合整治3个,新增停车位500个。", "推进城市更新提质", True),
    ("7.优化营商环境。全年新引进规上企业8家。", "优化营商环境", True),
]


@pytest.mark.parametrize(
    ("task", "first", "is_title"), NUMBERED_TASKS, ids=[t[0][:2] for t in NUMBERED_TASKS]
)
def test_a_numbered_tasks_first_sentence_is_its_title_only_when_it_closes_and_promises_nothing_checkable(
    rules, task, first, is_title
):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n{task}\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    units = Extractor.for_rules(rules).extract(norm, section, rules)
    assert all(unit.ref == task.split(".")[0] for unit in units)
    assert bool(holding(units, first)) is not is_title


LEADING_PROGRAMMES = [
    # (a paragraph of a plan, its first sentence: a programme named in quotes is a commitment)
    ("深入开展“邻里守望”关爱行动。结对帮扶独居老人100户。", "深入开展“邻里守望”关爱行动"),
    ("持续实施“清河行动”。完成河道清淤5公里。", "持续实施“清河行动”"),
    ("全面启动“美丽庭院”创建活动。评选美丽庭院200户。", "全面启动“美丽庭院”创建活动"),
    ("打响“白鹭荷花”品牌。举办荷花节1场。", "打响“白鹭荷花”品牌"),
]


@pytest.mark.parametrize(
    ("paragraph", "first"), LEADING_PROGRAMMES, ids=[p[1][:6] for p in LEADING_PROGRAMMES]
)
def test_a_short_leading_sentence_naming_a_programme_in_quotes_is_a_commitment_not_a_label(
    rules, paragraph, first
):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n(一)民生服务\n{paragraph}\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    units = Extractor.for_rules(rules).extract(norm, section, rules)
    assert holding(units, first)


def test_a_short_leading_sentence_without_a_quoted_name_stays_a_label(rules):
    norm = normalize(
        "某镇2025年工作计划\n一、2025年工作计划\n(一)民生服务\n深化民生服务。结对帮扶独居老人100户。\n"
    )
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    units = Extractor.for_rules(rules).extract(norm, section, rules)
    assert not holding(units, "深化民生服务")


@pytest.mark.parametrize(
    "sentence",
    [
        "巩固提升全国文明城市创建成果",  # 建成 inside 创建成果 is no result
        "持续巩固国家卫生乡镇创建成果",
        "持续巩固拓展脱贫攻坚成果同乡村振兴有效衔接",  # 乡村 of 乡村振兴 is no village
        "全面推进乡村振兴",
    ],
)
def test_consolidating_results_without_an_object_is_not_checkable(rules, sentence):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n(一)巩固成果\n加强基层治理。{sentence}。\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    units = Extractor.for_rules(rules).extract(norm, section, rules)
    assert not any(unit.checkable for unit in holding(units, sentence))
    assert holding(units, sentence)


def test_a_bracketed_label_opening_a_commitment_names_no_item(rules):
    plan = "某镇2025年工作计划\n一、2025年工作计划\n【改小区】完成青山小区、白石小区等3个老旧小区改造。\n"
    norm = normalize(plan)
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    [unit] = holding(Extractor.for_rules(rules).extract(norm, section, rules), "青山小区")
    assert unit.items == ["青山小区", "白石小区"]


@pytest.mark.parametrize(
    ("clause", "first", "second"),
    [
        ("妥善运用“邻里议事”工作机制,摸清辖区企业底数", "运用“邻里议事”工作机制", "摸清辖区企业底数"),
        ("运用“街巷长制”,整治背街小巷12条", "运用“街巷长制”", "整治背街小巷12条"),
    ],
)
def test_using_a_named_mechanism_is_an_action_of_its_own(rules, clause, first, second):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n(一)基层治理\n加强基层治理。{clause}。\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    units = Extractor.for_rules(rules).extract(norm, section, rules)
    [using] = holding(units, first)
    assert not holding([using], second) and holding(units, second)
    lexicon = Extractor.for_rules(rules).lexicon
    assert lexicon.level("运用“邻里议事”机制调处矛盾纠纷120件", []) == "start"  # carried out


@pytest.mark.parametrize(
    ("sentence", "commitments"),
    [
        ("培育家庭农场10家、农民专业合作社示范社3家", ["培育家庭农场10家", "农民专业合作社示范社3家"]),
        ("新建村组道路12公里、产业路8公里", ["新建村组道路12公里", "产业路8公里"]),
        ("新增规上工业企业6家、高新技术企业4家", ["新增规上工业企业6家", "高新技术企业4家"]),
        ("肉牛、肉羊饲养量分别达到3000头、2万只", ["肉牛、肉羊饲养量分别达到3000头、2万只"]),  # 分别: one
        ("新建口袋公园3个、5个小区", ["新建口袋公园3个、5个小区"]),  # a count without its own object
    ],
)
def test_one_verb_over_objects_each_with_its_own_quantity_is_one_commitment_per_quantity(
    rules, sentence, commitments
):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n(一)产业发展\n壮大产业。{sentence}。\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    units = Extractor.for_rules(rules).extract(norm, section, rules)
    assert [unit.text for unit in units if unit.text != "壮大产业"] == commitments


@pytest.mark.parametrize(
    "sentence", ["启动乡卫生院业务用房改扩建工程", "开工建设镇区污水管网提升项目", "启动老街风貌改造工程"]
)
def test_starting_a_works_is_a_discrete_deliverable(rules, sentence):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n(一)民生\n办好民生实事。{sentence}。\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    [unit] = holding(Extractor.for_rules(rules).extract(norm, section, rules), sentence)
    assert unit.checkable


@pytest.mark.parametrize(
    "sentence",
    [
        "三是完成王家湾安置点帮扶车间建设并投产",
        "其二,完成村级活动场所提升改造",
        "最后,完成集镇农贸市场提升改造",
    ],
)
def test_an_enumeration_marker_does_not_hide_the_action_that_follows(rules, sentence):
    norm = normalize(f"某镇2025年工作计划\n一、2025年工作计划\n(一)民生\n办好民生实事。{sentence}。\n")
    [section] = find_sections(norm, rules, "某镇2025年工作计划", None)
    [unit] = holding(Extractor.for_rules(rules).extract(norm, section, rules), sentence[-8:])
    assert unit.checkable
