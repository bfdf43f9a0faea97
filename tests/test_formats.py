"""Reports as people have them: the same report as .txt, a saved web page, .docx and .pdf."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner
from report_files import government_page, pdf_file, word_file, write_corpus

from tracker.cli import cli
from tracker.formats import SourceFormat, read_source, sniff_format, table_lines
from tracker.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
# 西乡街道's synthetic 2024 plan, and its follow-up: the real 2024 summary of the seeds.
PLAN = (ROOT / "fixtures" / "corpus" / "synthetic_xixiang_2024_plan.txt").read_text(encoding="utf-8")
SUMMARY = (ROOT / "seeds" / "000_c1d99a5c8820d14d.txt").read_text(encoding="utf-8")
MANIFEST = """
[[document]]
file = "plan.{suffix}"
street = "西乡街道"
district = "宝安区"
city = "深圳市"

[[document]]
file = "summary.{suffix}"
street = "西乡街道"
district = "宝安区"
city = "深圳市"
"""
RULES = load_rules()
WRITERS = {
    "txt": lambda text: text.encode("utf-8"),
    "html": government_page,
    "docx": word_file,
    "pdf": pdf_file,
}


class Exported(NamedTuple):
    rows: list[dict]  # the exported commitments
    texts: dict[str, str]  # the stored text of each document
    store: Path


def run_and_export(folder: Path, tmp_path: Path) -> Exported:
    """Run a corpus into a store of its own and export it."""
    store = tmp_path / f"{folder.name}.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(store), "run", str(folder)])
    assert result.exit_code == 0, result.output
    out = tmp_path / f"{folder.name}.jsonl"
    result = runner.invoke(cli, ["--db", str(store), "export", "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with sqlite3.connect(store) as connection:
        texts = dict(connection.execute("SELECT name, text FROM document"))
    return Exported(rows, texts, store)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exported]:
    tmp_path = tmp_path_factory.mktemp("formats")
    results = {}
    for suffix, write in WRITERS.items():
        folder = write_corpus(
            tmp_path / suffix,
            {f"plan.{suffix}": write(PLAN), f"summary.{suffix}": write(SUMMARY)},
            MANIFEST.format(suffix=suffix),
        )
        results[suffix] = run_and_export(folder, tmp_path)
    return results


def verdicts(rows: list[dict]) -> list[tuple]:
    return [
        (
            row["section"],
            row["ref"],
            row["text"],
            row["status"],
            row["reason"],
            [e["text"] for e in row["evidence"]],
        )
        for row in rows
    ]


@pytest.mark.parametrize("suffix", ["html", "docx", "pdf"])
def test_the_same_report_in_another_format_gives_the_same_commitments_and_verdicts(exports, suffix):
    plain = verdicts(exports["txt"].rows)
    assert len(plain) > 20
    assert sum(verdict[3] in ("done", "partial") for verdict in plain) > 10
    assert verdicts(exports[suffix].rows) == plain


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_evidence_offsets_quote_the_stored_text_of_every_format(exports, suffix):
    rows, texts, _ = exports[suffix]
    quoted = [(evidence, texts[evidence["doc"]]) for row in rows for evidence in row["evidence"]]
    assert quoted
    for evidence, text in quoted:
        assert text[evidence["char_start"] : evidence["char_end"]] == evidence["text"]
    for row in rows:
        assert texts[row["plan_doc"]][row["char_start"] : row["char_end"]].replace("\n", "") == row["text"]


def test_a_saved_page_gives_its_title_publication_date_and_address_in_docs_report_and_export(exports):
    rows, _, store = exports["html"]
    address = "http://www.example.gov.cn/xxgk/jhzj/t20240115_1.html"
    title = "深圳市宝安区西乡街道办事处2024年工作计划"
    plan_rows = [row for row in rows if row["plan_doc"] == "plan.html"]
    assert {(row["source_url"], row["plan_title"], row["plan_published"]) for row in plan_rows} == {
        (address, title, "2024-01-15")
    }
    runner = CliRunner()
    docs = runner.invoke(cli, ["--db", str(store), "docs", "--json"]).output.splitlines()
    plan = next(doc for doc in map(json.loads, docs) if doc["name"] == "plan.html")
    assert (plan["title"], plan["published"], plan["source_url"]) == (title, "2024-01-15", address)
    report = runner.invoke(
        cli, ["--db", str(store), "report", "--street", "西乡街道", "--width", "300"]
    ).output
    assert f"{title} · published 2024-01-15 · {address}" in report


def test_a_gb2312_page_decodes_as_gb18030():
    source = read_source(government_page(PLAN, charset="gb2312"), SourceFormat.HTML, RULES)
    assert source.encoding == "html/gb18030"
    assert "大铲湾片区周边环境整治提升工程" in source.text


def test_a_page_whose_body_its_script_renders_is_read_from_the_json_field():
    raw = government_page(PLAN, body_in_script=True)
    source = read_source(raw, SourceFormat.HTML, RULES)
    assert "大铲湾片区周边环境整治提升工程" in source.text
    assert source.title == "深圳市宝安区西乡街道办事处2024年工作计划"
    assert source.published == "2024-01-15"


def test_a_page_whose_extracted_text_is_far_shorter_than_its_visible_text_is_flagged():
    """A site template that puts the report in page furniture (an <aside>), which the extractor
    drops: the report would be silently cut short."""
    paragraphs = "".join(f"<p>{line}</p>" for line in PLAN.splitlines()[2:])
    raw = (
        "<html><head><meta charset='utf-8'><title>工作计划</title></head><body>"
        "<main><p>西乡街道2024年工作计划。</p></main>"
        f"<aside>{paragraphs}</aside></body></html>"
    ).encode()
    source = read_source(raw, SourceFormat.HTML, RULES)
    assert any("Chinese characters were taken as the report text" in warning for warning in source.warnings)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"%PDF-1.7\n...", SourceFormat.PDF),
        (b"PK\x03\x04\x14\x00", SourceFormat.DOCX),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", SourceFormat.LEGACY_OFFICE),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", SourceFormat.HTML),
        (b"  <html lang='zh'>", SourceFormat.HTML),
        (
            b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">',
            SourceFormat.HTML,
        ),
        (b"<!-- saved page -->\n<script>var a = 1;</script><div>", SourceFormat.HTML),
        ("2024年工作总结\n一、主要工作".encode(), SourceFormat.TEXT),
    ],
)
def test_a_files_format_is_told_by_its_content(raw, expected):
    assert sniff_format(raw) is expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [
                ["序号", "工作任务", "责任单位", "完成时限"],
                ["1", "建成社区党群服务中心2个", "党建办", "2024年6月底前"],
                ["2", "完成老旧小区改造3个。", "城建办", "2024年12月底前"],
            ],
            [
                "1.建成社区党群服务中心2个(责任单位:党建办;完成时限:2024年6月底前)。",
                "2.完成老旧小区改造3个(责任单位:城建办;完成时限:2024年12月底前)。",
            ],
        ),
        (
            [["编号", "重点项目", "完成情况"], ["3、", "新建公园1座", "已完工"]],
            ["3.新建公园1座(完成情况:已完工)。"],
        ),
        (
            [["指标", "目标值"], ["地区生产总值", "增长6%"], ["地区生产总值", "增长6%"]],
            ["指标,目标值", "地区生产总值,增长6%", "地区生产总值,增长6%"],
        ),
        ([["序号", "任务", "任务"], ["1", "建设智慧社区", "建设智慧社区"]], ["1.建设智慧社区。"]),
    ],
)
def test_a_task_table_gives_one_line_a_task_with_its_number(rows, expected):
    assert table_lines(rows, RULES.formats) == expected


def test_a_task_tables_number_is_the_commitments_ref(tmp_path):
    table = [["序号", "任务", "责任单位"], ["7", "年底前建成社区党群服务中心2个", "党建办"]]
    folder = write_corpus(
        tmp_path / "docx",
        {"plan.docx": word_file(PLAN, table)},
        MANIFEST.split('[[document]]\nfile = "summary')[0].format(suffix="docx"),
    )
    rows = run_and_export(folder, tmp_path).rows
    tasks = [row for row in rows if "党群服务中心2个" in row["text"]]
    assert [row["ref"] for row in tasks] == ["7"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("locked.pdf", lambda: pdf_file(PLAN, encrypt_with="secret"), "encrypted PDF"),
        ("scan.pdf", lambda: pdf_file(PLAN, blank=True), "without a text layer"),
        ("broken.docx", lambda: b"PK\x03\x04" + b"\x00garbage" * 50, "corrupt or unreadable .docx"),
        (
            "notice.html",
            lambda: (
                "<html><head><meta charset='utf-8'><title>停水通知</title></head><body><p>"
                "因管道检修,明日上午停水,请居民提前储水。</p></body></html>".encode()
            ),
            "notice.html",
        ),
        ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "LibreOffice"),
    ],
)
def test_a_bad_file_is_one_line_naming_it_and_the_store_is_untouched(
    tmp_path, monkeypatch, name, content, problem
):
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice: a .doc is refused, never converted
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_bytes(content())
    store = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["--db", str(store), "ingest", str(folder)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and problem in lines[0]
    with sqlite3.connect(store) as connection:
        assert connection.execute("SELECT count(*) FROM document").fetchone() == (0,)


def test_the_synthetic_mark_of_a_page_stays_its_first_line(exports):
    """The page's title goes on the second line when the first marks test material, so a
    synthetic report is flagged in every format."""
    flags = {}
    for suffix, exported in exports.items():
        docs = CliRunner().invoke(cli, ["--db", str(exported.store), "docs", "--json"]).output.splitlines()
        flags[suffix] = {doc["name"].split(".")[0]: doc["synthetic"] for doc in map(json.loads, docs)}
    assert flags["txt"] == {"plan": True, "summary": False}
    assert all(found == flags["txt"] for found in flags.values())


def test_a_page_with_a_few_stray_bytes_is_read_with_a_warning():
    raw = government_page(PLAN).replace("工作计划".encode(), b"\xff\xfe" + "工作计划".encode(), 1)
    source = read_source(raw, SourceFormat.HTML, RULES)
    assert "大铲湾片区周边环境整治提升工程" in source.text
    assert source.warnings == ("2 byte(s) that are not utf-8 were replaced",)


def damaged_docx() -> bytes:
    """A .docx whose document part is cut short, as an interrupted download leaves it."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(word_file(PLAN)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for item in source.infolist():
            data = source.read(item)
            damaged.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return out.getvalue()


def damaged_pdf() -> bytes:
    """A PDF whose page content streams are overwritten in the middle."""
    raw = bytearray(pdf_file(PLAN))
    for start in range(len(raw) // 3, len(raw) * 2 // 3, 97):
        raw[start : start + 8] = b"\x00garbage"
    return bytes(raw)


@pytest.mark.parametrize(("name", "content"), [("cut.docx", damaged_docx), ("overwritten.pdf", damaged_pdf)])
def test_a_damaged_file_is_one_line_naming_it(tmp_path, name, content):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_bytes(content())
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "store.db"), "ingest", str(folder)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]


def test_the_same_report_as_a_page_and_as_text_is_stored_once(tmp_path):
    folder = write_corpus(
        tmp_path / "both",
        {"plan.txt": PLAN.encode("gb18030"), "plan-page.html": government_page(PLAN)},
        MANIFEST.split('[[document]]\nfile = "summary')[0].format(suffix="txt"),
    )
    store = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["--db", str(store), "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "duplicate" in result.output
    with sqlite3.connect(store) as connection:
        assert connection.execute("SELECT count(*) FROM document").fetchone() == (1,)
