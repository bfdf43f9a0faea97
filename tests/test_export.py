"""`tracker export` and `tracker explain` on the demo corpus: the contract's fields, quotes that re-quote."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlmodel import Session, select

from tests.conftest import FIXTURES, SEEDS, scored_store
from tracker import export
from tracker.cli import cli
from tracker.contract import REASON_MEANINGS, REASONS, STATUSES
from tracker.store import Commitment, Document, Match, open_store

# The interfaces spec's export fields, in its order (an outside contract).
CONTRACT_FIELDS = [
    "commitment_id",
    "street",
    "district",
    "plan_doc",
    "plan_period",
    "section",
    "ref",
    "text",
    "char_start",
    "char_end",
    "checkable",
    "items",
    "targets",
    "deadline",
    "status",
    "reason",
    "flags",
    "confidence",
    "followup_doc",
    "evidence",
    "review",
]
# Cells that hold JSON text in CSV (booleans too) and XLSX (booleans are native there).
JSON_CELLS = {
    "checkable",
    "items",
    "targets",
    "flags",
    "evidence",
    "review",
    "disputed",
    "followup_docs",
    "explanation",
    "synthetic",
    "section_path",
}
INT_CELLS = {"char_start", "char_end"}
FLOAT_CELLS = {"confidence", "ratio"}
BOM = "\ufeff".encode()


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """The pipeline run once on the seeds and the synthetic corpus."""
    db = str(tmp_path_factory.mktemp("export") / "demo.db")
    result = invoke("--db", db, "run", str(SEEDS), str(FIXTURES / "corpus"))
    assert result.exit_code == 0, result.output
    return db


def export_file(db: str, path: Path, fmt: str, *options: str) -> Path:
    result = invoke("--db", db, "export", "--format", fmt, "-o", str(path), *options)
    assert result.exit_code == 0, result.output
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="session")
def jsonl_rows(demo_db, tmp_path_factory) -> list[dict]:
    return read_jsonl(export_file(demo_db, tmp_path_factory.mktemp("jsonl") / "all.jsonl", "jsonl"))


def texts(db: str) -> dict[str, str]:
    with Session(open_store(f"sqlite:///{db}")) as session:
        return {document.name: document.text for document in session.exec(select(Document))}


def from_cell(name: str, value):
    """A CSV or XLSX cell back to its JSONL value, by the documented flattening."""
    if value is None or value == "":
        return None
    if name in JSON_CELLS and isinstance(value, str):
        return json.loads(value)
    if name in INT_CELLS:
        return int(value)
    if name in FLOAT_CELLS:
        return float(value)
    return value


def test_jsonl_has_every_contract_field_in_order_on_every_row(demo_db, jsonl_rows):
    with Session(open_store(f"sqlite:///{demo_db}")) as session:
        scored = len(session.exec(select(Match)).all())
    assert len(jsonl_rows) == scored > 600
    for row in jsonl_rows:
        assert list(row)[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
        assert list(row)[len(CONTRACT_FIELDS) :] == list(export.EXTRA_FIELDS)
        assert row["status"] in ("done", "partial", "missing", "unverifiable")
        assert row["review"] is None
        assert row["followup_doc"] == (row["followup_docs"][0] if row["followup_docs"] else None)
        for target in row["targets"]:
            assert list(target) == ["quantity", "unit", "comparator", "raw"]
        for evidence in row["evidence"]:
            assert list(evidence) == ["doc", "text", "char_start", "char_end"]
        for record in row["explanation"]:
            assert list(record) == ["rule", "left", "right", "weight"]


def test_every_evidence_span_requotes_the_stored_original(demo_db, jsonl_rows):
    documents = texts(demo_db)
    quoted = 0
    for row in jsonl_rows:
        for evidence in row["evidence"]:
            assert (
                documents[evidence["doc"]][evidence["char_start"] : evidence["char_end"]] == evidence["text"]
            )
            quoted += 1
    assert quoted > 200


def test_commitment_offsets_slice_the_plan_text_to_the_commitment(demo_db, jsonl_rows):
    documents = texts(demo_db)
    for row in jsonl_rows:
        assert documents[row["plan_doc"]][row["char_start"] : row["char_end"]] == row["text"]


def test_rows_come_in_a_stable_order(jsonl_rows):
    keys = [
        (r["street"] is None, r["street"] or "", r["plan_doc"], r["char_start"], r["commitment_id"])
        for r in jsonl_rows
    ]
    assert keys == sorted(keys)
    assert len({r["commitment_id"] for r in jsonl_rows}) == len(jsonl_rows)


def test_csv_starts_with_a_bom_and_holds_the_jsonl_rows(demo_db, jsonl_rows, tmp_path):
    raw = export_file(demo_db, tmp_path / "all.csv", "csv").read_bytes()
    assert raw.startswith(BOM)
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header = next(reader)
    assert header == list(export.COLUMNS)
    rows = [
        {name: from_cell(name, cell.removeprefix("'")) for name, cell in zip(header, line, strict=True)}
        for line in reader
    ]
    assert rows == jsonl_rows


def test_csv_in_utf8_has_no_bom(demo_db, tmp_path):
    raw = export_file(demo_db, tmp_path / "plain.csv", "csv", "--encoding", "utf-8").read_bytes()
    assert not raw.startswith(BOM)
    assert raw.decode("utf-8").startswith("commitment_id,street,district,")


def test_encoding_is_refused_for_other_formats(demo_db, tmp_path):
    result = invoke(
        "--db", demo_db, "export", "--format", "jsonl", "-o", str(tmp_path / "x.jsonl"), "--encoding", "utf-8"
    )
    assert result.exit_code == 2
    assert "--encoding applies to CSV only" in result.output
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_two_exports_of_the_same_store_are_byte_identical(demo_db, tmp_path, fmt):
    first = export_file(demo_db, tmp_path / f"first.{fmt}", fmt).read_bytes()
    second = export_file(demo_db, tmp_path / f"second.{fmt}", fmt).read_bytes()
    assert first == second


@pytest.fixture(scope="session")
def workbook(demo_db, tmp_path_factory):
    return load_workbook(export_file(demo_db, tmp_path_factory.mktemp("xlsx") / "all.xlsx", "xlsx"))


def test_xlsx_reads_back_as_the_jsonl_rows(workbook, jsonl_rows):
    sheet = workbook["commitments"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(export.XLSX_COLUMNS))}{len(jsonl_rows) + 1}"
    lines = list(sheet.iter_rows())
    header = [cell.value for cell in lines[0]]
    assert header == [*export.COLUMNS, "evidence_text"]  # every export field keeps its column
    rows = []
    for line in lines[1:]:
        for name in ("commitment_id", "ref"):
            cell = line[header.index(name)]
            assert cell.number_format == "@"
            assert cell.value is None or (cell.data_type == "s" and isinstance(cell.value, str))
        rows.append({name: from_cell(name, cell.value) for name, cell in zip(header, line, strict=True)})
    assert [{k: v for k, v in row.items() if k != "evidence_text"} for row in rows] == jsonl_rows
    status_fills = {line[header.index("status")].fill.start_color.rgb[-6:] for line in lines[1:]}
    assert status_fills == set(export.STATUS_FILLS.values())


def test_xlsx_quotes_the_evidence_as_plain_text_too(workbook, jsonl_rows):
    sheet = workbook["commitments"]
    plain = [line[-1] for line in sheet.iter_rows(min_row=2, values_only=True)]
    for row, text in zip(jsonl_rows, plain, strict=True):
        expected = [f"{q['doc']} [{q['char_start']}:{q['char_end']}] {q['text']}" for q in row["evidence"]]
        assert (text or "").split("\n") == (expected or [""])
    quoted = next(text for text in plain if text and "\n" in text)  # two quotes: two lines, no JSON
    assert not quoted.startswith(("[", "{")) and '"char_start"' not in quoted


def test_xlsx_sums_up_each_street_and_plan_period(workbook, jsonl_rows):
    lines = list(workbook["streets"].iter_rows(values_only=True))
    assert lines[0] == export.SUMMARY_COLUMNS
    summary = {(line[0], line[2]): dict(zip(export.SUMMARY_COLUMNS, line, strict=True)) for line in lines[1:]}
    assert set(summary) == {(row["street"], row["plan_period"]) for row in jsonl_rows}
    for (street, period), line in summary.items():
        rows = [row for row in jsonl_rows if (row["street"], row["plan_period"]) == (street, period)]
        for status in STATUSES:
            assert line[status] == sum(row["status"] == status for row in rows)
        assert line["disputed"] == sum(row["disputed"] for row in rows)
        checked = line["done"] + line["partial"] + line["missing"]
        rate = (line["done"] + line["partial"] / 2) / checked if checked else None
        assert line["rate"] == (None if rate is None else pytest.approx(rate, abs=0.0005))
    assert summary[("平湖街道", "2025")]["check"] == "interim"
    assert summary[("西乡街道", "2024")]["check"] == "full" and summary[("西乡街道", "2024")]["synthetic"]
    assert workbook["streets"]["J2"].number_format == "0%"


def test_the_xlsx_legend_explains_every_status_reason_and_mark(workbook, jsonl_rows):
    legend = {line[0]: line[1] for line in workbook["legend"].iter_rows(values_only=True) if line[0]}
    codes = {code for codes in REASONS.values() for code in codes}
    assert codes == set(REASON_MEANINGS)
    for code in codes | {row["reason"] for row in jsonl_rows if row["reason"]}:
        assert REASON_MEANINGS[code] in legend[code]
    for status in STATUSES:
        assert legend[status] == export.STATUS_MEANINGS[status]
    assert {"synthetic", "section_path", "evidence_text"} <= set(legend)
    assert "half-year summary" in legend["interim (flag; check)"]


def test_a_row_resting_on_a_synthetic_document_says_so(jsonl_rows):
    """The fixtures are synthetic (their first line says so), the seeds real: every real plan of the
    demo corpus is checked against a synthetic follow-up report."""
    for row in jsonl_rows:
        documents = [row["plan_doc"], *row["followup_docs"], *(quoted["doc"] for quoted in row["evidence"])]
        synthetic = any(doc.startswith("synthetic_") for doc in documents)
        assert row["synthetic"] is synthetic, row["commitment_id"]
    seed_plan_vs_synthetic_summary = [
        row for row in jsonl_rows if row["plan_doc"].startswith("000_") and row["followup_docs"]
    ]
    assert seed_plan_vs_synthetic_summary and all(row["synthetic"] for row in seed_plan_vs_synthetic_summary)


def test_every_row_carries_its_whole_heading_path(jsonl_rows):
    for row in jsonl_rows:
        assert row["section_path"][-1] == row["section"]
    under_a_chapter = [
        row["section_path"]
        for row in jsonl_rows
        if row["plan_doc"] == "synthetic_xixiang_2024_plan.txt" and row["section"].startswith("(一)")
    ]
    assert {path[1] for path in under_a_chapter} == {
        "一、坚持创新驱动,推动经济运行量质齐升",
        "二、坚持建管并举,加快提升城市功能品质",
        "三、坚持统筹发展和安全,筑牢平安西乡防线",
        "四、坚持民生优先,持续增进群众福祉",
    }


def test_street_filter_keeps_only_that_street(demo_db, jsonl_rows, tmp_path):
    rows = read_jsonl(export_file(demo_db, tmp_path / "x.jsonl", "jsonl", "--street", "西乡街道"))
    assert rows == [r for r in jsonl_rows if r["street"] == "西乡街道"]
    assert rows


def test_status_filter_keeps_only_that_status(demo_db, jsonl_rows, tmp_path):
    rows = read_jsonl(export_file(demo_db, tmp_path / "x.jsonl", "jsonl", "--status", "partial"))
    assert rows == [r for r in jsonl_rows if r["status"] == "partial"]
    assert rows


def test_unknown_status_is_a_usage_error(demo_db, tmp_path):
    result = invoke(
        "--db", demo_db, "export", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--status", "broken"
    )
    assert result.exit_code == 2
    assert not (tmp_path / "x.csv").exists()


def test_a_filter_without_rows_exports_only_the_header_and_warns(tmp_path):
    db = str(tmp_path / "one.db")
    scored_store(f"sqlite:///{db}").dispose()  # one partial commitment, settled as done by a reviewer
    csv_result = invoke(
        "--db", db, "export", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--street", "西乡街道",
        "--status", "missing",
    )  # fmt: skip
    assert csv_result.exit_code == 0
    assert "warning: no scored commitments for street 西乡街道, status missing" in csv_result.stderr
    lines = (tmp_path / "x.csv").read_text("utf-8-sig").splitlines()
    assert lines == [",".join(export.COLUMNS)]
    export_file(db, tmp_path / "x.jsonl", "jsonl", "--status", "missing")
    assert (tmp_path / "x.jsonl").read_bytes() == b""


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old export\n", "utf-8")

    def fail(rows, path, encoding):
        path.write_text("half", "utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write_csv", fail)
    with pytest.raises(OSError):
        export.write([], target, "csv")
    assert target.read_text("utf-8") == "old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_missing_output_folder_is_bad_input(demo_db, tmp_path):
    result = invoke("--db", demo_db, "export", "--format", "csv", "-o", str(tmp_path / "nope" / "x.csv"))
    assert result.exit_code == 2
    assert "no such folder" in result.output


def a_done_commitment(db: str) -> tuple[Commitment, Match]:
    with Session(open_store(f"sqlite:///{db}")) as session:
        rows = session.exec(
            select(Commitment, Match)
            .join(Match, Match.commitment_id == Commitment.id)
            .where(Match.status == "done")
            .order_by(Commitment.id)
        ).all()
        return next((c, m) for c, m in rows if m.evidence and len(m.explanation) > 1)


def test_explain_shows_the_evidence_and_the_rules_of_a_done_commitment(demo_db):
    commitment, match = a_done_commitment(demo_db)
    result = invoke("--db", demo_db, "explain", commitment.id)
    assert result.exit_code == 0, result.output
    assert commitment.text in result.output
    for evidence in match.evidence:
        assert evidence["text"] in result.output
        assert f"{evidence['doc']} [{evidence['char_start']}:{evidence['char_end']}]" in result.output
    position = 0
    for record in match.explanation:  # every rule, in the order stored
        position = result.output.index(f"│ {record['rule']} ", position) + 1


def test_explain_takes_a_unique_prefix_and_refuses_an_ambiguous_one(demo_db, jsonl_rows):
    ids = [row["commitment_id"] for row in jsonl_rows]
    target = ids[0]
    unique = next(
        target[:n] for n in range(1, len(target) + 1) if sum(i.startswith(target[:n]) for i in ids) == 1
    )
    assert invoke("--db", demo_db, "explain", unique).output.startswith(f"Commitment {target}")
    shared = target[: len(unique) - 1]
    result = invoke("--db", demo_db, "explain", shared)
    assert result.exit_code == 2
    count = sum(i.startswith(shared) for i in ids)
    assert f"ambiguous, {count} commitment ids start with it" in result.output


def test_explain_of_an_unknown_id_is_bad_input(demo_db):
    result = invoke("--db", demo_db, "explain", "ffffffffffffffff0")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: ffffffffffffffff0: no commitment has this id"
