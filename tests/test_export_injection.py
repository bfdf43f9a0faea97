"""Exports opened in a spreadsheet: a text that reads like a formula never runs as one (OWASP)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tracker import export
from tracker.cli import cli

# A synthetic plan whose clauses open with every character a spreadsheet takes for a formula,
# in a file, street and district named the same way.
PLAN = """【合成测试样本 SYNTHETIC】本文件为虚构的测试材料,不是真实的政府报告。
深圳市宝安区西乡街道办事处2025年工作计划
一、2025年工作计划
(一)城市建设。
=HYPERLINK("https://example.org","点击")新建道路7条。
+1+1完成公园建设5个。
-2+3开工建设学校2所。
@SUM(A1)建成社康中心3个。
'=1+2改造老旧小区4个。
"""
MANIFEST = """[[document]]
file = "=plan.txt"
street = "=西乡街道"
district = "+宝安区"
"""
OPENINGS = ("=", "+", "-", "@", "\t", "\r")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The plan run and exported in the three formats; the folder of the exports."""
    folder = tmp_path_factory.mktemp("injection")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "=plan.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    db = str(folder / "store.db")
    assert invoke("--db", db, "run", str(corpus)).exit_code == 0
    for fmt in ("csv", "xlsx", "jsonl"):
        result = invoke("--db", db, "export", "--format", fmt, "-o", str(folder / f"all.{fmt}"))
        assert result.exit_code == 0, result.output
    return folder


def test_jsonl_keeps_the_formula_like_texts_exact(exported):
    rows = [json.loads(line) for line in (exported / "all.jsonl").read_text("utf-8").splitlines()]
    assert [row["text"] for row in rows] == [
        '=HYPERLINK("https://example.org","点击")新建道路7条',
        "+1+1完成公园建设5个",
        "-2+3开工建设学校2所",
        "@SUM(A1)建成社康中心3个",
        "'=1+2改造老旧小区4个",
    ]
    assert {(row["plan_doc"], row["street"], row["district"]) for row in rows} == {
        ("=plan.txt", "=西乡街道", "+宝安区")
    }


def test_no_csv_cell_opens_like_a_formula_and_each_reads_back_exact(exported):
    jsonl = [json.loads(line) for line in (exported / "all.jsonl").read_text("utf-8").splitlines()]
    reader = csv.reader(io.StringIO((exported / "all.csv").read_text("utf-8-sig"), newline=""))
    header = next(reader)
    lines = list(reader)
    assert len(lines) == len(jsonl) == 5
    for line, row in zip(lines, jsonl, strict=True):
        assert not [cell for cell in line if cell.startswith(OPENINGS)]
        cells = dict(zip(header, line, strict=True))
        for name in ("text", "plan_doc", "street", "district"):
            assert cells[name] == "'" + row[name]  # the documented escape, dropped when read back


def test_xlsx_cells_are_strings_never_formulas(exported):
    sheet = load_workbook(exported / "all.xlsx")["commitments"]
    header = [cell.value for cell in sheet[1]]
    for line in sheet.iter_rows(min_row=2):
        for name in ("text", "plan_doc", "street", "district"):
            cell = line[header.index(name)]
            assert cell.data_type == "s" and cell.value.startswith(("=", "+", "-", "@", "'"))
    with zipfile.ZipFile(exported / "all.xlsx") as archive:
        worksheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(worksheets) == 3  # commitments, streets, legend
        for name in worksheets:
            worksheet = archive.read(name).decode()
            assert "<f>" not in worksheet and "<f " not in worksheet, name


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 755", "'+86 755"),
        ("-3个", "'-3个"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'quoted", "''quoted"),
        ("新建道路=7条", "新建道路=7条"),
        (-0.5, -0.5),
        (["=1"], '["=1"]'),
    ],
)
def test_a_text_cell_opening_like_a_formula_gets_one_apostrophe(value, cell):
    assert export.csv_cell(value) == cell
