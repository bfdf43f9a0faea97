"""Ingest on the real seeds: metadata, parts, cruft, idempotence (issue: foundation)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.conftest import FIXTURES, SEEDS
from tracker.ingest import InputError, ManifestEntry, decode, read_corpus, read_document
from tracker.normalize import normalize
from tracker.sections import lines_of
from tracker.store import Document, Section, open_store, store_documents

# The table of seeds/README.md: street (manifest), street detected without a
# manifest (None where masked), and the parts with their roles and periods.
SEED_TABLE = [
    (
        "000_c1d99a5c8820d14d.txt",
        "西乡街道",
        "西乡街道",
        "宝安区",
        [("summary", "2024"), ("plan", "2025")],
    ),
    (
        "001_89c76ec95f46d324.txt",
        "平湖街道",
        "平湖街道",
        "龙岗区",
        [("summary", "2024"), ("plan", "2025")],
    ),
    (
        "002_e199c410f5143caa.txt",
        "新桥街道",
        "新桥街道",
        "宝安区",
        [("summary", "2024H1"), ("plan", "2024H2")],
    ),
    ("003_d469b632b0e4d0a4.txt", "福海街道", None, "宝安区", [("plan", "2023")]),
    ("004_d17093189e6c1fbb.txt", "南湾街道", None, "龙岗区", [("summary", "2020")]),
]


@pytest.fixture(scope="module")
def seed_documents(rules):
    documents, warnings = read_corpus([SEEDS], rules)
    assert warnings == []
    return {document.name: document for document in documents}


@pytest.mark.parametrize(("name", "street", "detected", "district", "parts"), SEED_TABLE)
def test_seed_parts_and_street_match_the_seed_table(
    seed_documents, rules, name, street, detected, district, parts
):
    document = seed_documents[name]
    assert document.street == street
    assert document.district == district
    assert document.city == "深圳市"
    assert [(s.role, s.period) for s in document.sections] == parts
    assert read_document(SEEDS / name, ManifestEntry(), rules).street == detected


def test_masked_street_stays_unknown_without_manifest(rules, tmp_path):
    masked = tmp_path / "masked.txt"
    masked.write_text("2021年,XX街道主要做了以下工作:\n一年来,XX街道与新安街道共同完成3个项目。\n", "utf-8")
    assert read_document(masked, ManifestEntry(), rules).street is None


@pytest.mark.parametrize("name", [row[0] for row in SEED_TABLE])
def test_no_cruft_line_lands_inside_a_section(seed_documents, rules, name):
    document = seed_documents[name]
    norm = normalize(document.text)
    for section in document.sections:
        inside = document.text[section.start : section.end]
        for line in lines_of(normalize(inside)):
            assert not rules.cruft.is_cruft(line.text), f"{name}: cruft {line.text!r} in {section.heading}"
    all_lines = [line.text for line in lines_of(norm)]
    if name.startswith("002"):  # the web copy: its cruft is found, and outside every section
        cruft = [line for line in all_lines if rules.cruft.is_cruft(line)]
        assert any("您现在的位置" in line for line in cruft)
        assert any("视力保护色" in line for line in cruft)
        assert "Baidu" in cruft and "map" in cruft


def test_web_copy_keeps_its_title_and_publication_date(seed_documents):
    document = seed_documents["002_e199c410f5143caa.txt"]
    assert document.title == "深圳市宝安区新桥街道办事处2024年上半年工作总结和下半年工作计划"
    assert document.published == "2024-10-22"


def test_attachment_plan_starts_at_its_heading_not_the_speech(seed_documents):
    document = seed_documents["003_d469b632b0e4d0a4.txt"]
    (plan,) = document.sections
    assert plan.heading == "2023年重点工作任务"
    assert "路虽远,行则将至" not in document.text[plan.start : plan.end]
    assert document.text[plan.start : plan.end].rstrip().endswith("配强社区党委兼职委员。")


def test_original_text_is_stored_unchanged(seed_documents):
    for name, document in seed_documents.items():
        assert document.text == (SEEDS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_chinese_encodings_decode_to_the_same_text(tmp_path, encoding):
    original = (SEEDS / "000_c1d99a5c8820d14d.txt").read_text(encoding="utf-8")
    text, _ = decode(original.encode(encoding), tmp_path / "x.txt")
    assert text == original


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (
            "Café crème brûlée à la française, s'il vous plaît. ".encode("latin-1") * 20,
            "undecodable",
        ),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    with pytest.raises(InputError) as error:
        decode(content, path)
    assert str(error.value).startswith(f"{path}: {problem}")


def test_ingesting_twice_leaves_five_documents(rules, db_url):
    engine = open_store(db_url)
    for _ in range(2):
        documents, _ = read_corpus([SEEDS], rules)
        store_documents(engine, documents)
    with Session(engine) as session:
        assert len(session.exec(select(Document)).all()) == 5
        assert len(session.exec(select(Section)).all()) == 8


def test_changed_file_replaces_its_old_version(rules, db_url, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "000_c1d99a5c8820d14d.txt", corpus)
    engine = open_store(db_url)
    store_documents(engine, read_corpus([corpus], rules)[0])
    changed = corpus / "000_c1d99a5c8820d14d.txt"
    changed.write_text(changed.read_text("utf-8").replace("2256个", "2300个"), "utf-8")
    result = store_documents(engine, read_corpus([corpus], rules)[0])
    assert result.replaced == ["000_c1d99a5c8820d14d.txt"]
    with Session(engine) as session:
        (document,) = session.exec(select(Document)).all()
        assert "2300个" in document.text
        assert len(session.exec(select(Section)).all()) == 2


def test_same_content_under_another_name_is_a_duplicate(rules, db_url, tmp_path):
    engine = open_store(db_url)
    store_documents(engine, read_corpus([SEEDS / "000_c1d99a5c8820d14d.txt"], rules)[0])
    copy = tmp_path / "copy.txt"
    shutil.copy(SEEDS / "000_c1d99a5c8820d14d.txt", copy)
    result = store_documents(engine, read_corpus([copy], rules)[0])
    assert result.duplicates == [("copy.txt", "000_c1d99a5c8820d14d.txt")]


def test_report_without_headings_is_one_summary_of_its_first_paragraph_year(rules, tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("一年来,街道完成3个老旧小区改造。\n2019年新建公园2个。\n", "utf-8")
    with pytest.raises(InputError, match="no year in the first paragraph"):
        read_document(path, ManifestEntry(), rules)
    document = read_document(path, ManifestEntry(year=2019), rules)
    assert [(s.role, s.period) for s in document.sections] == [("summary", "2019")]


def test_untitled_plan_heading_after_annual_summary_is_next_year(rules, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "某某街道2022年工作总结和工作计划\n一、工作总结\n完成道路3条。\n二、工作计划\n建成公园2个。\n",
        "utf-8",
    )
    document = read_document(path, ManifestEntry(), rules)
    assert [(s.role, s.period) for s in document.sections] == [
        ("summary", "2022"),
        ("plan", "2023"),
    ]


def test_folder_paths_are_collected_recursively(rules, tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(SEEDS / "001_89c76ec95f46d324.txt", nested)
    documents, _ = read_corpus([tmp_path], rules)
    assert [d.name for d in documents] == ["001_89c76ec95f46d324.txt"]


def test_manifest_year_is_used_only_when_the_text_names_none(rules, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("一、上半年工作总结\n完成道路3条。\n", "utf-8")
    document = read_document(path, ManifestEntry(year=2030), rules)
    assert [(s.role, s.period) for s in document.sections] == [("summary", "2030H1")]
    assert Path(document.path) == path


# First lines of our own: marker lines of made-up material, and real openings that merely use a
# marker's word (合成 in an industry, 虚构 as a verb of fraud, "synthetic" inside another word).
SYNTHETIC_FIRST_LINES = [
    ("【合成样本】以下为示例报告", True),
    ("合成测试样本:某街道2025年工作计划", True),
    ("SYNTHETIC TEST DOCUMENT - not a real report", True),
    ("Synthetic sample: township work report", True),
    ("本文为虚构的示例文本,仅用于演示。", True),
    ("说明:本报告内容仅供测试使用", True),
    ("某某街道2024年工作总结", False),
    ("2024年,街道推动合成生物产业园落地,新增企业12家。", False),
    ("严厉打击虚构交易、刷单炒信等违法行为", False),
    ("photosynthetics industry park report", False),
]


@pytest.mark.parametrize(("first_line", "synthetic"), SYNTHETIC_FIRST_LINES)
def test_a_first_line_that_says_so_marks_a_document_synthetic(rules, first_line, synthetic):
    text = f"\n  {first_line}\n一、2024年工作总结\n完成道路改造3条。"
    assert rules.cruft.marks_synthetic(text) is synthetic


def test_only_the_first_line_can_mark_a_document_synthetic(rules):
    assert not rules.cruft.marks_synthetic("某某街道2024年工作总结\n本段引用了一份合成测试样本。")


def test_the_fixtures_are_read_as_synthetic_and_the_seeds_as_real(rules):
    documents, _ = read_corpus([SEEDS, FIXTURES / "corpus"], rules)
    assert {d.name for d in documents if d.synthetic} == {p.name for p in (FIXTURES / "corpus").glob("*.txt")}
    assert not any(d.synthetic for d in documents if d.name in {p.name for p in SEEDS.glob("*.txt")})
