"""The traps of ../shared/spec/statuses.md ("Traps a matcher must survive"), on the real seed text.

Every unit here is one the pipeline extracted from the demo corpus (the five
real seeds and the synthetic follow-ups of fixtures/corpus), read back from a
store the pipeline filled once for this module. Unit checks call the real
matcher (tracker.link, tracker.verdict.assess) on views of those units; end-to-end
checks read the verdicts the pipeline stored.

The seeds hold no sentence with 去年/上年, no other street's name and almost no
district-wide figure in their summaries: for those traps the plan side is a
real seed commitment and the statement comes from the synthetic follow-up
written for it (fixtures/README.md), as the gold labels of fixtures/gold do.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console
from sqlmodel import Session, select

from tests.conftest import FIXTURES, SEEDS
from tracker import pipeline
from tracker.extract import Extractor
from tracker.gazetteer import load_gazetteer
from tracker.link import (
    CandidateIndex,
    CommitmentView,
    Followup,
    StatementView,
    followup_periods,
    function_words,
    stop_words,
)
from tracker.normalize import compact
from tracker.store import Commitment, Document, Match, Section, Statement, open_store
from tracker.verdict import Context, ScoringRules, assess
from tracker.verdict.comparisons import name_match, numeral_conflict
from tracker.verdict.scope import mention_context, other_street_in, wider_scope, without_other_streets

XIXIANG = "000_c1d99a5c8820d14d.txt"  # summary 2024, plan 2025
PINGHU = "001_89c76ec95f46d324.txt"  # summary 2024, plan 2025
XINQIAO = "002_e199c410f5143caa.txt"  # summary 2024H1, plan 2024H2
FUHAI = "003_d469b632b0e4d0a4.txt"  # plan 2023 (numbered tasks)
XIXIANG_2024_PLAN = "synthetic_xixiang_2024_plan.txt"
XIXIANG_2025_SUMMARY = "synthetic_xixiang_2025_summary.txt"
PINGHU_2024_PLAN = "synthetic_pinghu_2024_plan.txt"
PINGHU_2025H1_SUMMARY = "synthetic_pinghu_2025h1_summary.txt"
XINQIAO_2024H1_PLAN = "synthetic_xinqiao_2024h1_plan.txt"
XINQIAO_2024H2_SUMMARY = "synthetic_xinqiao_2024h2_summary.txt"
FUHAI_2023_SUMMARY = "synthetic_fuhai_2023_summary.txt"


class Corpus:
    """The scored demo store, with the units of a document found by a phrase of its text."""

    def __init__(self, session: Session, rules) -> None:
        self.session = session
        self.rules = rules
        self.scoring = ScoringRules.load(rules.directory)
        self.streets = load_gazetteer(rules.directory).neighbours("深圳市")  # the corpus's city
        self.documents = {d.name: d for d in session.exec(select(Document))}
        self.names = {d.id: d.name for d in self.documents.values()}
        self.texts = {d.id: d.text for d in self.documents.values()}

    def _quoted(self, doc: str, phrase: str) -> str:
        wanted = compact(phrase)
        assert wanted in compact(self.documents[doc].text), f"{phrase!r} is not in {doc}"
        return wanted

    def commitment(self, doc: str, phrase: str) -> Commitment:
        """The one commitment of doc whose text holds the phrase."""
        wanted = self._quoted(doc, phrase)
        rows = self.session.exec(select(Commitment).where(Commitment.plan_doc == doc)).all()
        found = [row for row in rows if wanted in compact(row.text)]
        assert len(found) == 1, f"{phrase!r} in {doc}: {[row.text for row in found]}"
        return found[0]

    def statement(self, doc: str, phrase: str) -> StatementView:
        """The one outcome statement of doc whose text holds the phrase, as scoring sees it."""
        wanted = self._quoted(doc, phrase)
        document = self.documents[doc]
        rows = self.session.exec(select(Statement).where(Statement.document_id == document.id)).all()
        found = [row for row in rows if wanted in compact(row.text)]
        assert len(found) == 1, f"{phrase!r} in {doc}: {[row.text for row in found]}"
        return pipeline._statement_view(found[0], self.names, self.texts)

    def plan_text(self, doc: str, phrase: str) -> StatementView:
        """A plan unit shown to the matcher as if it were a statement: the seed's own words, as extracted."""
        row = self.commitment(doc, phrase)
        return StatementView(
            id=-1,
            doc=doc,
            period=row.plan_period,
            text=row.text,
            sentence=row.text,
            sentence_start=row.char_start,
            sentence_end=row.char_end,
            items=row.items,
            quantities=row.targets,
            level=row.level,
            not_done=False,
        )

    def view(self, row: Commitment) -> CommitmentView:
        return pipeline._commitment_view(row)

    def verdict(self, row: Commitment) -> Match:
        match = self.session.get(Match, row.id)
        assert match is not None, row.text
        return match

    def statement_view(self, statement_id: int) -> StatementView:
        return pipeline._statement_view(self.session.get(Statement, statement_id), self.names, self.texts)

    def context(self, street: str) -> Context:
        """The assessment context of a street, built as pipeline.score_commitments builds it."""
        directory = self.rules.directory
        suffixes = tuple(sorted(Extractor.for_rules(self.rules).names.suffixes, key=len, reverse=True))
        return Context(
            self.scoring,
            street,
            self.streets,
            stop_words(directory),
            suffixes,
            function_words(directory),
        )

    def sections(self, doc: str) -> list[Section]:
        document = self.documents[doc]
        return self.session.exec(select(Section).where(Section.document_id == document.id)).all()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, rules):
    """The whole pipeline, run once on the demo corpus (real seeds + synthetic follow-ups)."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('traps') / 'traps.db'}")
    pipeline.ingest_paths([SEEDS, FIXTURES / "corpus"], rules, engine, Console(file=io.StringIO()))
    pipeline.score(engine, rules)
    with Session(engine) as session:
        yield Corpus(session, rules)
    engine.dispose()


def evidence_texts(match: Match) -> list[str]:
    return [compact(evidence["text"]) for evidence in match.evidence]


# --- Names that differ only in a numeral or ordinal -------------------------------------------


def test_roads_differing_by_ordinal_never_match(corpus):
    # seed 000, 2024 summary: "开工建设辅七路、纬二路、纬三路道路新建工程"
    third = corpus.statement(XIXIANG, "开工建设辅七路、纬二路、纬三路道路新建工程")
    assert name_match("纬三路", third, corpus.scoring) is not None
    assert name_match("纬四路", third, corpus.scoring) is None
    assert numeral_conflict("纬四路", third) in {"纬二路", "纬三路"}
    # seed 000, 2025 plan: "协调推动臣田东路、金圆路、纬四路等7条道路开工"
    fourth = corpus.plan_text(XIXIANG, "协调推动臣田东路、金圆路、纬四路等7条道路开工")
    assert name_match("纬三路", fourth, corpus.scoring) is None
    assert name_match("纬二路", fourth, corpus.scoring) is None
    assert numeral_conflict("纬三路", fourth) == "纬四路"


def test_road_matches_itself_inside_a_coordinated_list(corpus):
    fourth = corpus.plan_text(XIXIANG, "协调推动臣田东路、金圆路、纬四路等7条道路开工")
    hit = name_match("纬四路", fourth, corpus.scoring)
    assert hit is not None and hit.how == "exact" and hit.mention == "纬四路"
    assert numeral_conflict("纬四路", fourth) is None
    row = corpus.commitment(XIXIANG, "协调推动臣田东路、金圆路、纬四路等7条道路开工")
    assert set(row.items) >= {"臣田东路", "金圆路", "纬四路"}


def test_fourth_road_plan_is_not_scored_on_the_third_roads_report(corpus):
    """Synthetic 2024 plan "启动纬四路…" against seed 000's real 2024 summary (纬二路/纬三路 only)."""
    row = corpus.commitment(XIXIANG_2024_PLAN, "启动纬四路道路新建工程前期工作")
    match = corpus.verdict(row)
    assert match.evidence == []
    assert (match.status, match.reason) == ("missing", "not_mentioned")
    assert any(rule["rule"] == "numeral_differs" for rule in match.explanation)


def test_fourth_road_is_not_credited_with_the_third_roads_opening(corpus):
    """Seed 000's "臣田东路、金圆路、纬四路等7条道路开工": the follow-up says 纬三路 建成通车 but
    纬四路 only 完成前期规划设计 (below the promised 开工): 纬四路 is not delivered (gold: items_short)."""
    row = corpus.commitment(XIXIANG, "协调推动臣田东路、金圆路、纬四路等7条道路开工")
    match = corpus.verdict(row)
    assert (match.status, match.reason) == ("partial", "items_short"), (match.evidence, match.explanation)


def test_cycling_base_versions_never_match(corpus):
    # seed 001, 2024 summary: "完成平湖生态园骑行基地1.0版本建设"
    version_one = corpus.statement(PINGHU, "完成平湖生态园骑行基地1.0版本建设")
    assert name_match("平湖生态园骑行基地1.0版本", version_one, corpus.scoring) is not None
    assert name_match("平湖生态园骑行基地2.0版本", version_one, corpus.scoring) is None
    assert numeral_conflict("平湖生态园骑行基地2.0版本", version_one) == "平湖生态园骑行基地1.0版本"
    # seed 001, 2025 plan: "加快平湖生态园骑行基地2.0版本建设"
    version_two = corpus.plan_text(PINGHU, "加快平湖生态园骑行基地2.0版本建设")
    assert name_match("平湖生态园骑行基地1.0版本", version_two, corpus.scoring) is None
    # seed 001, 2024 summary names the base without a version: not version 2.0 either
    unversioned = corpus.statement(PINGHU, "高质量打造平湖生态园骑行基地")
    assert name_match("平湖生态园骑行基地2.0版本", unversioned, corpus.scoring) is None


def test_version_two_is_never_scored_on_version_one_reports(corpus):
    planned = corpus.commitment(PINGHU_2024_PLAN, "同步启动骑行基地2.0版本谋划")
    match = corpus.verdict(planned)
    assert (match.status, match.reason) == ("missing", "not_mentioned")
    seed_plan = corpus.commitment(PINGHU, "加快平湖生态园骑行基地2.0版本建设")
    for row in (planned, seed_plan):
        assert not any("1.0版本" in text for text in evidence_texts(corpus.verdict(row))), row.text


def test_park_phases_never_match(corpus):
    # seed 001, 2025 plan: "完成平大路提升改造、罗山公园群三期工程涉及土地征转工作"
    phase_three = corpus.plan_text(PINGHU, "罗山公园群三期工程涉及土地征转工作")
    assert name_match("罗山公园群三期", phase_three, corpus.scoring) is not None
    assert name_match("罗山公园群二期", phase_three, corpus.scoring) is None
    assert numeral_conflict("罗山公园群二期", phase_three) == "罗山公园群三期"
    # synthetic 2025H1 follow-up of that plan: phase three only
    earthworks = corpus.statement(PINGHU_2025H1_SUMMARY, "罗山公园群三期完成土方开挖")
    assert name_match("罗山公园群二期", earthworks, corpus.scoring) is None
    # seed 001, 2024 summary: "罗山公园群二期完工、三期已动工" names both phases, each as itself
    both = corpus.statement(PINGHU, "罗山公园群二期完工、三期已动工")
    assert name_match("罗山公园群二期", both, corpus.scoring) is not None
    assert name_match("罗山公园群三期", both, corpus.scoring) is not None
    assert name_match("罗山公园群四期", both, corpus.scoring) is None


def test_phase_three_plan_is_not_scored_on_a_phase_two_report(corpus):
    """Seed 001's "加快推动中环大道三期征拆" against a follow-up that reports 中环大道二期 only."""
    row = corpus.commitment(PINGHU, "加快推动中环大道三期征拆")
    second = corpus.statement(PINGHU_2025H1_SUMMARY, "中环大道二期沿线遗留的3栋建筑物完成拆除")
    assert name_match("中环大道三期", second, corpus.scoring) is None
    match = corpus.verdict(row)
    assert match.evidence == []
    assert match.status == "unverifiable" and match.reason == "not_yet_due"


def test_metro_lines_never_match(corpus):
    # seed 000, 2025 plan: "完成轨道20号线航城车辆段房屋拆除及场地移交,配合轨道15号线施工单位进场施工"
    line_20 = corpus.plan_text(XIXIANG, "完成轨道20号线航城车辆段房屋拆除及场地移交")
    line_15 = corpus.plan_text(XIXIANG, "配合轨道15号线施工单位进场施工")
    assert name_match("轨道15号线", line_20, corpus.scoring) is None
    assert name_match("15号线", line_20, corpus.scoring) is None
    assert name_match("轨道20号线航城车辆段", line_15, corpus.scoring) is None
    assert name_match("20号线", line_15, corpus.scoring) is None
    # seed 000, 2024 summary: "15个土地整备项目" is no 15号线
    depot = corpus.statement(XIXIANG, "积极推进20号线航城车辆段、中油润德等15个土地整备项目")
    assert name_match("轨道15号线", depot, corpus.scoring) is None
    # seed 000, 2024 summary: both lines in one list, each matches itself
    both = corpus.statement(XIXIANG, "全力推进轨道15号线、20号线等重大交通项目建设")
    assert name_match("轨道15号线", both, corpus.scoring) is not None


def test_line_15_plan_is_never_scored_on_line_20_reports(corpus):
    """Seed 000's "配合轨道15号线施工单位进场施工": the 2025 follow-up reports only 20号线 (gold: missing)."""
    row = corpus.commitment(XIXIANG, "配合轨道15号线施工单位进场施工")
    match = corpus.verdict(row)
    for text in evidence_texts(match):
        assert "15号线" in text, f"line 15 scored on: {text}"
    assert (match.status, match.reason) == ("missing", "not_mentioned")


# --- Last year's summary is not evidence for this year's plan ---------------------------------


def test_last_years_summary_never_checks_this_years_plan(corpus):
    """Seed 000 holds the 2024 summary and the 2025 plan: the summary never checks that plan."""
    periods = {s.period for s in corpus.sections(XIXIANG) if s.role == "summary"}
    assert periods == {"2024"}
    assert followup_periods("2025", periods) is None
    assert followup_periods("2025", periods | {"2025"}) == Followup(("2025",), False)
    row = corpus.commitment(XIXIANG, "加快推动流塘、天骄、西湾小学建设工程")
    # last year's summary does name the schools with a result ("西湾小学拆除重建工程完成79%")
    last_year = corpus.statement(XIXIANG, "西湾小学拆除重建工程完成79%")
    assert name_match("西湾小学", last_year, corpus.scoring) is not None
    verdict = assess(corpus.view(row), followup_periods("2025", periods), [], corpus.context("西乡街道"))
    assert (verdict.status, verdict.reason) == ("unverifiable", "no_followup")


def test_last_years_results_are_never_evidence_in_the_store(corpus):
    """No 2025 commitment of seeds 000/001 cites its own document (which is last year's summary),
    though it names the same objects with results ("山厦新村获评…示范点", "中环大道三期…加快推进")."""
    last_year = corpus.statement(PINGHU, "山厦新村获评龙岗党建引领现代活力小区示范点")
    assert name_match("山厦新村", last_year, corpus.scoring) is not None
    for doc in (XIXIANG, PINGHU):
        rows = corpus.session.exec(select(Commitment).where(Commitment.plan_doc == doc)).all()
        assert rows
        for row in rows:
            match = corpus.verdict(row)
            assert doc not in {evidence["doc"] for evidence in match.evidence}, row.text
            assert doc not in match.followup_docs
    row = corpus.commitment(PINGHU, "推动党建引领山厦新村城中村示范建设")
    assert corpus.verdict(row).evidence == []


def test_names_mentioned_as_last_years_history_are_not_evidence(corpus):
    # synthetic 2025 summary: "在去年完成名城花园、安源居等7个老旧小区改造的基础上" is history...
    history = corpus.statement(XIXIANG_2025_SUMMARY, "在去年完成名城花园、安源居等7个老旧小区改造的基础上")
    assert mention_context("名城花园", history, corpus.scoring) == "history"
    # ...while seed 000's own 2024 summary reports the same estates as that year's work
    reported = corpus.statement(XIXIANG, "全力推动名城花园、安源居等7个老旧小区改造项目")
    assert mention_context("名城花园", reported, corpus.scoring) is None
    # synthetic 2025H1 summary: "依托去年投入使用的“空中的士”运营基地"
    base = corpus.statement(PINGHU_2025H1_SUMMARY, "依托去年投入使用的“空中的士”运营基地")
    assert mention_context("“空中的士”运营基地", base, corpus.scoring) == "history"
    # seed 001's 2024 summary: "“空中的士”运营基地投入使用" is that year's result
    opened = corpus.statement(PINGHU, "“空中的士”运营基地投入使用")
    assert mention_context("“空中的士”运营基地", opened, corpus.scoring) is None


@pytest.mark.parametrize(
    ("word", "max_key_share", "proposed"),
    [
        ("跨境电商", 0.2, 3),  # in 3 of the 159 statements
        ("违法建筑", 0.2, 4),
        ("跨境电商", 0.0, 3),  # at most 3 statements a key, whatever the share
        ("违法建筑", 0.0, 0),  # in 4: too common a key, it proposes none
    ],
)
def test_blocking_finds_a_commitments_longer_words_in_the_statements_text(
    corpus, word, max_key_share, proposed
):
    """Statements are not segmented: a content word of a commitment longer than a character pair
    proposes the statements of the follow-up whose text holds it, unless too many do."""
    chosen = [
        corpus.statement_view(s.id)
        for s in corpus.session.exec(
            select(Statement).where(Statement.street == "平湖街道", Statement.period == "2025H1")
        )
    ]
    assert len(chosen) == 159  # one verb over two quantified objects is two statements
    index = CandidateIndex(chosen, function_words(corpus.rules.directory), max_key_share)
    view = CommitmentView(
        id="word-only",
        street="平湖街道",
        period="2025",
        text=f"推进{word}工作",
        items=[],
        targets=[],
        level=None,
        deadline=None,
        checkable=True,
        tokens=[word],
    )
    candidates = index.candidates(view)
    assert len(candidates) == proposed
    assert all(word in candidate.compact_text for candidate in candidates)


def test_commitment_named_only_as_history_gets_no_evidence(corpus):
    """Seed 001's 2025 "打造“空中的士低空经济运营基地”" (checkable per fixtures/labels), named as
    seed 001 names the base, against its real follow-up, where the base is only last year's
    ("依托去年投入使用的…")."""
    row = corpus.commitment(PINGHU, "打造“空中的士低空经济运营基地”")
    view = replace(corpus.view(row), checkable=True, items=["“空中的士”运营基地"], level="done")
    chosen = [
        corpus.statement_view(s.id)
        for s in corpus.session.exec(
            select(Statement).where(Statement.street == "平湖街道", Statement.period == "2025H1")
        )
    ]
    index = CandidateIndex(chosen, function_words(corpus.rules.directory), corpus.scoring.max_key_share)
    candidates = index.candidates(view)
    history = corpus.statement(PINGHU_2025H1_SUMMARY, "依托去年投入使用的“空中的士”运营基地")
    assert history.id in {c.id for c in candidates}
    followup = followup_periods("2025", {"2025H1"})
    verdict = assess(view, followup, candidates, corpus.context("平湖街道"))
    assert history.id not in {e.statement_id for e in verdict.evidence}
    assert verdict.evidence == []
    assert (verdict.status, verdict.reason) == ("unverifiable", "not_yet_due")
    # without the interim, the same check says: no evidence in the follow-up report
    whole_year = assess(view, Followup(("2025H1",), False), candidates, corpus.context("平湖街道"))
    assert whole_year.status == "missing" and whole_year.evidence == []


def test_last_years_and_district_counts_do_not_count_toward_the_target(corpus):
    """Seed 000's "推进雅涛花园、鸣乐花园等18个老旧小区有序更新改造": the follow-up says 7 last year,
    12 this year, 48 district-wide; only 12 of 18 counts (gold: partial, ratio 0.67)."""
    row = corpus.commitment(XIXIANG, "推进雅涛花园、鸣乐花园等18个老旧小区有序更新改造")
    match = corpus.verdict(row)
    assert (match.status, match.reason) == ("partial", "quantity_short")
    assert [entry["reported"] for entry in match.reported] == ["12个"]
    assert match.ratio == pytest.approx(12 / 18, abs=0.01)


# --- Other streets and district-wide figures ----------------------------------------------


def test_other_streets_are_not_this_streets_evidence(corpus):
    # seed 002 (新桥街道), H1 summary: its own street is no other street; for 西乡街道 it is one
    own = corpus.statement(XINQIAO, "制定落实《新桥街道2024年“大建设”“大提升”工作实施方案》")
    assert other_street_in(own, "新桥街道", corpus.streets) is None
    assert other_street_in(own, "西乡街道", corpus.streets) == "新桥街道"
    # synthetic follow-ups of seeds 003 and 002: a study visit to another street
    visit = corpus.statement(FUHAI_2023_SUMMARY, "组织社区妇联执委赴新安街道家庭教育服务中心观摩学习")
    assert other_street_in(visit, "福海街道", corpus.streets) == "新安街道"
    village = corpus.statement(XINQIAO_2024H2_SUMMARY, "赴航城街道已建成开放的儿童友好城中村观摩学习")
    assert other_street_in(village, "新桥街道", corpus.streets) == "航城街道"
    # seed 000: a depot named after 航城 is 西乡街道's own project, not 航城街道
    depot = corpus.statement(XIXIANG, "积极推进20号线航城车辆段、中油润德等15个土地整备项目")
    assert other_street_in(depot, "西乡街道", corpus.streets) is None


def test_other_streets_results_are_never_cited_in_the_store(corpus):
    centre = corpus.commitment(FUHAI, "成立深圳市首家街道级家庭教育服务中心")
    match = corpus.verdict(centre)
    assert (match.status, match.reason) == ("missing", "not_mentioned")
    assert match.evidence == []
    village = corpus.commitment(XINQIAO, "打造黄埔社区南洞儿童友好城中村")
    assert not any("航城街道" in text for text in evidence_texts(corpus.verdict(village)))
    for row in corpus.session.exec(select(Commitment)):
        match = corpus.verdict(row)
        for evidence in match.evidence:
            statement = corpus.statement_view(evidence["statement_id"])
            own_part = without_other_streets(statement, row.street, corpus.streets)
            assert own_part is not None, (row.text, statement.text)
            assert other_street_in(own_part, row.street, corpus.streets) is None
            for record in match.explanation:
                if record["rule"] == "item_exact" and record["right"] in statement.text:
                    assert record["right"] in own_part.text, (row.text, statement.text)


def test_a_clause_on_another_street_is_cut_and_the_rest_of_the_statement_kept(corpus):
    # synthetic follow-up of seed 003: the task force is 福海街道's, the joint trip is not evidence
    statement = corpus.statement(FUHAI_2023_SUMMARY, "组建由街道主要领导挂帅的招商工作专班")
    assert other_street_in(statement, "福海街道", corpus.streets) == "福永街道"
    own_part = without_other_streets(statement, "福海街道", corpus.streets)
    assert "福永街道" not in own_part.text and "招商工作专班" in own_part.text
    assert own_part.quantities == [q for q in statement.quantities if q["raw"] in own_part.text]
    assert without_other_streets(statement, "福永街道", corpus.streets) is not None  # 福海 is not named


def test_district_wide_figures_are_scope_not_rankings(corpus):
    # rankings and shares in the seeds' own summaries are the street's results
    for doc, phrase in (
        (XIXIANG, "总量全区第2"),
        (XIXIANG, "全区首家“图书馆+书店”模式的服务点旭书店开馆营业"),
        (XIXIANG, "占全区总量22%"),
        (XINQIAO, "整备任务完成率全区第二"),
        (PINGHU, "厨余垃圾分出率排名全区第一"),
    ):
        assert wider_scope(corpus._quoted(doc, phrase), corpus.scoring) is None, phrase
    # district totals in the follow-ups of seed plans are not
    for doc, phrase in (
        (FUHAI_2023_SUMMARY, "全区全年新建非机动车道120公里"),
        (XINQIAO_2024H2_SUMMARY, "全区全年开展“七进”禁毒宣教活动1300余场次"),
        (PINGHU_2025H1_SUMMARY, "全区累计办件460余件"),
        (XIXIANG_2025_SUMMARY, "全区新建社康机构21家"),
        (XIXIANG_2025_SUMMARY, "全区老旧小区改造项目达48个"),
    ):
        assert wider_scope(corpus._quoted(doc, phrase), corpus.scoring) == "全区", phrase


def test_district_wide_figures_are_never_evidence_in_the_store(corpus):
    # seed 003 task "完成不少于5公里非机动车道建设": the follow-up gives only 全区 120公里
    lanes = corpus.verdict(corpus.commitment(FUHAI, "完成不少于5公里非机动车道建设"))
    assert (lanes.status, lanes.reason) == ("missing", "not_mentioned")
    # seed 002 "开展120场次“七进”禁毒宣教活动": only 全区 1300余场次
    talks = corpus.verdict(corpus.commitment(XINQIAO, "开展120场次“七进”禁毒宣教活动"))
    assert (talks.status, talks.reason) == ("missing", "not_mentioned")
    # seed 001 "“商圈开业一件事”助企便民服务": only 全区累计办件 (interim check)
    shops = corpus.verdict(corpus.commitment(PINGHU, "创新推动“商圈开业一件事”助企便民服务"))
    assert shops.evidence == [] and shops.status == "unverifiable"
    # seed 000 "新建和樾府社康": the follow-up's 全区新建社康机构21家 is not it
    clinic = corpus.verdict(corpus.commitment(XIXIANG, "新建和樾府社康"))
    assert not any(text.startswith("全区新建社康机构") for text in evidence_texts(clinic))
    assert all("21家" not in entry["reported"] for entry in clinic.reported)


# --- H2-plan text is never H1 evidence ------------------------------------------------------


def _summary_periods_by_street(corpus: Corpus) -> dict[str | None, set[str]]:
    periods: dict[str | None, set[str]] = {}
    for street, period in corpus.session.exec(select(Statement.street, Statement.period)):
        periods.setdefault(street, set()).add(period)
    return periods


def test_evidence_comes_only_from_summary_sections_of_the_plan_period(corpus):
    """Over the whole store: each cited sentence lies in a summary section of a follow-up document
    of the same street whose period is the plan's (or its halves); none in a plan section."""
    periods = _summary_periods_by_street(corpus)
    sections = {name: corpus.sections(name) for name in corpus.documents}
    cited = 0
    for row in corpus.session.exec(select(Commitment)):
        match = corpus.verdict(row)
        followup = followup_periods(row.plan_period, periods.get(row.street, set()))
        for evidence in match.evidence:
            cited += 1
            assert followup is not None, row.text
            assert corpus.documents[evidence["doc"]].street == row.street
            holding = [
                s
                for s in sections[evidence["doc"]]
                if s.start <= evidence["char_start"] and evidence["char_end"] <= s.end
            ]
            assert holding, (row.text, evidence["doc"], evidence["text"])
            for section in holding:
                assert section.role == "summary", (row.text, section.heading, evidence["text"])
                assert section.period in followup.periods, (row.text, section.period, followup)
    assert cited > 100


def test_statements_are_never_taken_from_plan_sections(corpus):
    sections = {name: corpus.sections(name) for name in corpus.documents}
    for statement in corpus.session.exec(select(Statement)):
        doc = corpus.names[statement.document_id]
        holding = [
            s for s in sections[doc] if s.start <= statement.char_start and statement.char_end <= s.end
        ]
        assert [s.role for s in holding] == ["summary"], (doc, statement.text)
        assert holding[0].period == statement.period


def test_seed_002_second_half_plan_never_checks_the_first_half_plan(corpus):
    """The synthetic 2024H1 plan is checked against seed 002's real H1 summary; objects that seed 002
    names only in its 下半年工作计划 have no evidence (gold xinqiao-2024h1: missing)."""
    roles = {s.role: s for s in corpus.sections(XINQIAO)}
    assert (roles["summary"].period, roles["plan"].period) == ("2024H1", "2024H2")
    text = corpus.documents[XINQIAO].text
    summary = compact(text[roles["summary"].start : roles["summary"].end])
    plan = compact(text[roles["plan"].start : roles["plan"].end])
    for phrase, item in (
        ("推动新桥东九年一贯制学校开工建设", "新桥东九年一贯制学校"),
        ("启动正坑小区老旧小区改造工程", "正坑小区"),
        ("建成新桥街道普惠性托育中心", "普惠性托育中心"),
        ("启动洪田红色文化教育基地前期工作", "洪田红色文化教育基地"),
    ):
        assert item in plan and item not in summary, item
        row = corpus.commitment(XINQIAO_2024H1_PLAN, phrase)
        match = corpus.verdict(row)
        assert match.followup_docs == [XINQIAO]
        assert (match.status, match.reason) == ("missing", "not_mentioned"), (phrase, match.evidence)
    # seed 002's own H2 plan names 正坑小区 in a way the matcher would accept: only the pairing keeps it out
    h2_plan = corpus.plan_text(XINQIAO, "完成正坑小区老旧小区改造工程")
    assert name_match("正坑小区", h2_plan, corpus.scoring) is not None


def test_nearly_the_target_falls_short_of_at_least_the_target(corpus):
    # seed 003 plan "…系列活动不少于800场"; its synthetic follow-up reports "近800场"
    festival = corpus.verdict(corpus.commitment(FUHAI, "文化春雨行动"))
    assert (festival.status, festival.reason) == ("partial", "quantity_short")


def test_each_named_item_is_held_to_its_own_clause_even_when_the_count_is_met(corpus):
    # seed 002 H2 plan "完成象山消防站营房、市民广场教育基地和8个应急管理服务站建设";
    # follow-up: "…主体完工,8个应急管理服务站加快建设": 8 of 8, but not built
    stations = corpus.verdict(corpus.commitment(XINQIAO, "8个应急管理服务站"))
    assert (stations.status, stations.reason) == ("partial", "level_short")


@pytest.mark.parametrize(
    ("plan", "phrase", "reported_batch"),
    [
        # synthetic 2024 plan of 平湖; seed 001's real 2024 summary reports only the 第二批
        (PINGHU_2024_PLAN, "启动第三批城中村电气线路类综合整治", "第二批"),
        # seed 003 plan; its follow-up reports only the 2023年批次: another year's batch
        (FUHAI, "完成2022年批次管道天然气入户完善工程项目建设", "2023年批次"),
    ],
    ids=["numbered-batch", "year-batch"],
)
def test_another_batch_of_the_same_work_is_not_evidence(corpus, plan, phrase, reported_batch):
    work = corpus.verdict(corpus.commitment(plan, phrase))
    assert (work.status, work.reason) == ("missing", "not_mentioned")
    assert any(r["rule"] == "numeral_differs" and r["right"] == reported_batch for r in work.explanation)


def test_a_park_named_as_the_venue_of_a_show_is_no_result_for_the_park(corpus):
    # seed 003 plan "推进海防公园及周边基础设施提升项目"; follow-up: "在海防公园举办…展演4场"
    park = corpus.verdict(corpus.commitment(FUHAI, "推进海防公园及周边基础设施提升项目"))
    assert park.status == "missing"
    assert any(r["rule"] == "venue_mention" and r["left"] == "海防公园" for r in park.explanation)


def test_the_clause_whose_words_lead_like_the_target_is_the_evidence(corpus):
    # seed 003 plan "开展宣传、讲座活动不少于180场"; one follow-up sentence reports "…示范活动26场,
    # 开展妇女儿童心理健康宣传讲座196场": the talks are the 196, not the 26 demonstrations
    talks = corpus.verdict(corpus.commitment(FUHAI, "开展宣传、讲座活动不少于180场"))
    assert talks.status == "done"
    assert talks.reported == [{"target": "不少于180场", "reported": "196场"}]


def test_a_statement_that_says_the_result_is_still_to_come_is_short_of_it(corpus):
    # seed 000 plan (2025) "新建和樾府社康"; its synthetic follow-up:
    # "…主体装修完成85%,预计2026年二季度建成开诊"
    clinic = corpus.verdict(corpus.commitment(XIXIANG, "新建和樾府社康"))
    assert (clinic.status, clinic.reason) == ("partial", "level_short")


def test_telling_figures_repeated_exactly_identify_the_object(corpus):
    # seed 003 plan "提高6栋234户社区居民居住品质"; follow-up "…惠及6栋楼234户居民…": few words in
    # common, but both figures exactly
    homes = corpus.verdict(corpus.commitment(FUHAI, "提高6栋234户社区居民居住品质"))
    assert homes.status == "done"
    assert any("234户" in evidence["text"] for evidence in homes.evidence)


def test_a_name_written_apart_is_found_only_across_a_list_or_a_qualifier(corpus):
    bay = corpus.statement(FUHAI_2023_SUMMARY, "会展湾片区新增商业面积8.6万平方米")
    assert name_match("会展片区", bay, corpus.scoring, "片区") is None  # 会展湾片区 is another place
    wrap_up = corpus.statement(PINGHU_2025H1_SUMMARY, "辅城坳土地整备利益统筹项目剩余物业签约")
    assert name_match("辅城坳利益统筹项目", wrap_up, corpus.scoring, "利益统筹项目") is not None


def test_half_the_words_and_the_result_promised_is_a_disputed_match_not_missing(corpus):
    # seed 002 H2 plan "推动街道“无毒创建”通过市区验收"; follow-up "街道“无毒街道”创建工作顺利通过市、区
    # 两级验收": too few words alike for a sure match, too close to accuse
    drugs = corpus.verdict(corpus.commitment(XINQIAO, "推动街道“无毒创建”通过市区验收"))
    assert drugs.status == "done"
    assert drugs.disputed and drugs.confidence < 0.6


def test_a_numbered_name_shortened_once_its_place_is_said_is_the_same_name(corpus):
    # synthetic H1 plan "6月底前完成新桥东一号园区联合验收"; seed 002 reports "提速新桥东建设,一号园区
    # 圆满完成联合验收"
    park = corpus.verdict(corpus.commitment(XINQIAO_2024H1_PLAN, "6月底前完成新桥东一号园区联合验收"))
    assert park.status == "done"
    assert any("一号园区圆满完成联合验收" in evidence["text"] for evidence in park.evidence)
    report = corpus.statement(XINQIAO, "一号园区圆满完成联合验收")
    assert name_match("新桥东一号园区", report, corpus.scoring) is not None
    assert name_match("新桥东二号园区", report, corpus.scoring) is None  # the numeral still decides
    assert name_match("新桥西一号园区", report, corpus.scoring) is None  # the place must be said


def test_a_quoted_name_of_the_plan_said_again_with_a_result_is_the_same_object(corpus):
    # seed 003 plan "参照"产品免检"推出"XX免查""; follow-up "在全市率先推出“XX免查”柔性执法清单"
    waiver = corpus.verdict(corpus.commitment(FUHAI, '推出"XX免查"'))
    assert waiver.status == "done"
    assert any("XX免查" in evidence["text"] for evidence in waiver.evidence)
    assert any(r["rule"] == "quoted_name" for r in waiver.explanation)


def test_the_clause_holding_the_objects_words_gives_the_level_reported(corpus):
    # seed 003 plan "完成纳土、地基处理及围堤施工等工程建设任务"; follow-up "…围堤施工全面完成,纳土、地基
    # 处理工程完成85%": the fill and ground works are nearly done, not done
    works = corpus.verdict(corpus.commitment(FUHAI, "完成纳土、地基处理及围堤施工等工程建设任务"))
    assert (works.status, works.reason) == ("partial", "level_short")
    assert any("完成85%" in evidence["text"] for evidence in works.evidence)


def test_the_scene_of_a_framing_clause_is_not_the_object_looked_for(corpus):
    # seed 002 H2 plan "聚焦企业办事堵点、痛点、难点,形成需求、资源、项目清单"; follow-up "梳理形成企业需求、
    # 资源、项目三张清单": the lists are the object, the pain points only the scene
    lists = corpus.commitment(XINQIAO, "形成需求、资源、项目清单")
    assert "堵点" not in lists.tokens
    verdict = corpus.verdict(lists)
    assert verdict.status == "done"
    assert any("三张清单" in evidence["text"] for evidence in verdict.evidence)


def test_among_tied_clauses_the_one_that_says_the_words_itself_is_the_evidence(corpus):
    # seed 003 plan "开展文明实践活动进社区、进校园、进家庭不少于700场"; follow-up "全年开展文明实践活动
    # 七百八十余场", not the 家庭教育 talks of another sentence
    activities = corpus.verdict(corpus.commitment(FUHAI, "开展文明实践活动进社区"))
    assert activities.status == "done"
    assert any("七百八十余场" in evidence["text"] for evidence in activities.evidence)
