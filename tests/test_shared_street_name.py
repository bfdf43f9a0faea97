"""A street name two stored places share (新安街道 of Shenzhen and of Wuxi) is never read as one
street: `report`, `export` and `review` ask which place is meant, `report --all` and the
export's streets sheet give one row per place, the export carries province and city. The
reports are synthetic, written for these tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from rich.cells import cell_len
from rich.console import Console

from tracker import report, street_report
from tracker.cli import cli
from tracker.export import COLUMNS, SUMMARY_COLUMNS
from tracker.store_read import AmbiguousStreet, StoredPlace, connect, find_place, place_documents, scored_rows

SYNTHETIC = "【合成测试样本 SYNTHETIC】虚构的测试材料,不是真实的政府报告。\n"
# file name -> (title, what the plan promises, what the summary reports)
REPORTS = {
    "shenzhen": (
        "深圳市宝安区新安街道",
        "1.新建口袋公园3个。\n2.完成文化广场改造。\n",
        "1.建成口袋公园3个。\n",
    ),
    "wuxi": ("无锡市新吴区新安街道", "1.新建篮球场2处。\n2.完成农贸市场改造。\n", "1.建成篮球场2处。\n"),
}
PLACES = {("广东省", "深圳市"), ("江苏省", "无锡市")}
SHENZHEN = "广东省 · 深圳市 · 宝安区 · 新安街道"
WUXI = "江苏省 · 无锡市 · 新吴区 · 新安街道"


def write_corpus(corpus: Path) -> Path:
    for name, (title, plan, summary) in REPORTS.items():
        (corpus / f"synthetic_{name}_plan.txt").write_text(
            f"{SYNTHETIC}{title}2024年工作计划\n一、2024年工作计划\n{plan}", "utf-8"
        )
        (corpus / f"synthetic_{name}_summary.txt").write_text(
            f"{SYNTHETIC}{title}2024年工作总结\n一、2024年工作总结\n{summary}", "utf-8"
        )
    return corpus


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    corpus = write_corpus(tmp_path_factory.mktemp("shared-name"))
    db = str(corpus / "t.db")
    result = invoke("--db", db, "run", str(corpus))
    assert result.exit_code == 0, result.output
    return db


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def exported(db: str, *args: str) -> list[dict]:
    """The JSONL export's rows, written beside the store."""
    out = Path(db).with_name("out.jsonl")
    result = invoke("--db", db, "export", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--street", "新安街道"],
        ["export", "--street", "新安街道", "-o", "{tmp}/out.csv"],
        ["review", "--street", "新安街道", "--list"],
    ],
    ids=["report", "export", "review"],
)
def test_a_shared_name_is_refused_listing_its_places(db, tmp_path, command):
    result = invoke("--db", db, *(arg.format(tmp=tmp_path) for arg in command))
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("Error: 新安街道: 2 stored places share this name")
    assert SHENZHEN in line and WUXI in line and "--district" in line and "--province" in line
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("choice", "place", "own", "other"),
    [
        (["--province", "江苏省"], "江苏省 · 无锡市 · 新吴区", "篮球场", "口袋公园"),
        (["--district", "宝安区"], "广东省 · 深圳市 · 宝安区", "口袋公园", "篮球场"),
        (["--city", "无锡市", "--district", "新吴区"], "江苏省 · 无锡市 · 新吴区", "篮球场", "口袋公园"),
    ],
    ids=["by province", "by district", "by city and district"],
)
def test_the_chosen_place_is_reported_alone_under_its_full_place(db, choice, place, own, other):
    result = invoke("--db", db, "report", "--street", "新安街道", *choice, "--width", "160")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Commitment report: 新安街道 ({place})"
    assert own in result.output and other not in result.output
    rows = exported(db, "--street", "新安街道", *choice)
    assert rows and all(own in row["text"] or "改造" in row["text"] for row in rows)
    assert {(row["province"], row["city"], row["district"]) for row in rows} == {tuple(place.split(" · "))}


def test_a_level_that_matches_no_stored_place_names_the_stored_ones(db):
    result = invoke("--db", db, "report", "--street", "新安街道", "--province", "浙江省")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: 新安街道: no such street in 浙江省; stored places of the name: {SHENZHEN}; {WUXI}\n"
    )


def test_a_level_without_street_is_refused(db):
    result = invoke("--db", db, "report", "--all", "--province", "江苏省")
    assert (result.exit_code, result.output) == (
        2,
        "Error: --province: goes with --street, to choose among places of one name\n",
    )


def test_report_all_gives_one_row_per_place_under_its_name(db):
    with connect(f"sqlite:///{db}") as store:
        rows = street_report.compare_streets(store)
    assert sorted(row.label for row in rows) == ["新安街道 (宝安区)", "新安街道 (新吴区)"]
    assert [sum(row.counts.values()) for row in rows] == [2, 2]  # each place's own plan, not both
    result = invoke("--db", db, "report", "--all", "--width", "80")
    lines = result.output.splitlines()
    named = [number for number, line in enumerate(lines) if line.startswith("新安街道")]
    assert sorted(lines[number + 1].strip() for number in named) == ["宝安区", "新吴区"]


def place(street, district, city, province):
    return StoredPlace(street, district, city, province)


@pytest.mark.parametrize(
    ("places", "where"),
    [
        (
            [
                place("新安街道", "宝安区", "深圳市", "广东省"),
                place("新安街道", "新吴区", "无锡市", "江苏省"),
            ],
            "宝安区",
        ),
        (
            [
                place("鼓楼街道", "鼓楼区", "南京市", "江苏省"),
                place("鼓楼街道", "鼓楼区", "徐州市", "江苏省"),
            ],
            "南京市鼓楼区",
        ),
        (
            [place("城关镇", "城关区", "甲市", "甲省"), place("城关镇", "城关区", "甲市", "乙省")],
            "甲省甲市城关区",
        ),
        (
            [place("新安街道", None, None, None), place("新安街道", "新吴区", "无锡市", "江苏省")],
            "place unknown",
        ),
        (
            [
                place("西乡街道", "宝安区", "深圳市", "广东省"),
                place("新安街道", "宝安区", "深圳市", "广东省"),
            ],
            None,
        ),
    ],
    ids=[
        "districts differ",
        "same district name, cities differ",
        "only provinces differ",
        "one unplaced",
        "no namesake",
    ],
)
def test_the_fewest_levels_tell_namesakes_apart(places, where):
    assert street_report.telling_apart(places[0], places) == where


def test_review_lists_only_the_chosen_place(db):
    for row in exported(db):  # a rejected verdict stays in the queue
        result = invoke(
            "--db", db, "review", "--decide", row["commitment_id"], "--reject", "--reviewer", "王芳"
        )
        assert result.exit_code == 0, result.output
    result = invoke("--db", db, "review", "--street", "新安街道", "--district", "新吴区", "--list", "--json")
    assert result.exit_code == 0, result.output
    queued = [json.loads(line) for line in result.output.splitlines()]
    wuxi = {row["commitment_id"] for row in exported(db) if row["city"] == "无锡市"}
    assert queued and {item["commitment_id"] for item in queued} == wuxi


def test_every_export_format_ends_with_province_and_city(db, tmp_path):
    assert COLUMNS[-2:] == ("province", "city")
    rows = exported(db)
    assert {(row["province"], row["city"]) for row in rows} == PLACES
    result = invoke("--db", db, "export", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0, result.output
    header, *lines = csv.reader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig")))
    assert header == list(COLUMNS) and {tuple(line[-2:]) for line in lines} == {
        ("广东省", "深圳市"),
        ("江苏省", "无锡市"),
    }
    result = invoke("--db", db, "export", "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(tmp_path / "out.xlsx", read_only=True)
    header = [cell.value for cell in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert header[: len(COLUMNS)] == list(COLUMNS)
    summary = list(workbook["streets"].iter_rows(values_only=True))
    assert summary[0] == SUMMARY_COLUMNS
    assert sorted((line[0], line[-2], line[-1]) for line in summary[1:]) == [
        ("新安街道", "无锡市", "江苏省"),
        ("新安街道", "深圳市", "广东省"),
    ]


def test_streets_headers_stay_on_one_line_at_80_columns(db):
    console = Console(width=80, record=True, file=io.StringIO())
    with connect(f"sqlite:///{db}") as store:
        report.print_streets(store, console)
    lines = console.export_text().splitlines()
    assert lines[1].split() == [header for header, _ in report.STREETS_COLUMNS]
    assert all(cell_len(line) <= 80 for line in lines)
    assert sum("新安街道" in line for line in lines) == 2  # one row per place


def test_places_are_told_apart_on_every_backend(store_url, tmp_path):
    result = invoke("--db", store_url, "run", str(write_corpus(tmp_path)))
    assert result.exit_code == 0, result.output
    with connect(store_url) as store:
        with pytest.raises(AmbiguousStreet):
            find_place(store, "新安街道")
        wuxi = find_place(store, "新安街道", province="江苏省")
        assert wuxi == ("新安街道", "新吴区", "无锡市", "江苏省")
        texts = [commitment.text for commitment, _, _ in scored_rows(store, wuxi)]
        documents = place_documents(store, wuxi)
        compared = street_report.compare_streets(store)
    assert texts == ["新建篮球场2处", "完成农贸市场改造"] and len(documents) == 2
    assert sorted(row.label for row in compared) == ["新安街道 (宝安区)", "新安街道 (新吴区)"]


def test_an_unplaced_namesake_is_listed_and_chosen_by_an_empty_level(tmp_path):
    corpus = write_corpus(tmp_path)
    (corpus / "synthetic_unplaced_plan.txt").write_text(
        f"{SYNTHETIC}新安街道2024年工作计划\n一、2024年工作计划\n1.新建游泳馆1座。\n", "utf-8"
    )
    db = str(tmp_path / "t.db")
    assert invoke("--db", db, "run", str(corpus)).exit_code == 0
    refused = invoke("--db", db, "report", "--street", "新安街道")
    assert refused.exit_code == 2
    assert f"3 stored places share this name (新安街道 (place unknown); {SHENZHEN}; {WUXI})" in refused.output
    result = invoke("--db", db, "report", "--street", "新安街道", "--province", "", "--width", "160")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Commitment report: 新安街道"
    assert "游泳馆" in result.output and "篮球场" not in result.output and "口袋公园" not in result.output
    assert "not paired: ambiguous: 新安街道 is in" in result.output
