"""`tracker report` and `tracker streets` on the demo corpus: what an auditor reads, plain when piped."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from PIL import Image, ImageColor
from rich.cells import cell_len
from rich.console import Console

from tests.conftest import FIXTURES, SEEDS
from tracker import decisions, pipeline, report, report_html, street_report
from tracker.cli import cli
from tracker.evaluate import STATUSES
from tracker.normalize import compact
from tracker.store import open_store
from tracker.store_read import connect, find_place, scored_rows, street_overview

WIDE = 600  # wide enough that no quote is folded, so it can be searched whole


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """The pipeline run once on the seeds and the synthetic corpus, through the piped command line."""
    db = str(tmp_path_factory.mktemp("report") / "demo.db")
    result = invoke("--db", db, "run", str(SEEDS), str(FIXTURES / "corpus"))
    assert result.exit_code == 0, result.output
    assert "extracting documents" not in result.output  # no progress bars when piped
    return db


@pytest.fixture(scope="session")
def demo_url(demo_db) -> str:
    return f"sqlite:///{demo_db}"


def read(url: str, query, *args, **kwargs):
    """query(store, …) on a snapshot of the store at url, read as `report` and `export` read it."""
    with connect(url) as store:
        return query(store, *args, **kwargs)


def scored_of(store, street: str):
    """The scored commitments of the one stored place of this street name."""
    return scored_rows(store, find_place(store, street))


def report_of(store, street: str, **filters):
    """The report of the one stored place of this street name, as `report --street` builds it."""
    return street_report.build_street_report(store, find_place(store, street), **filters)


@pytest.fixture(scope="session")
def streets(demo_url) -> list[str]:
    return [row.street for row in read(demo_url, street_overview) if row.street]


def recorded(print_to, width: int = WIDE) -> str:
    """What a report prints, recorded by rich (never shown on the test's terminal)."""
    console = Console(record=True, width=width, file=io.StringIO())
    print_to(console)
    return console.export_text()


@pytest.fixture(scope="session")
def street_texts(demo_url, streets) -> dict[str, str]:
    return {
        street: recorded(
            lambda console, street=street: street_report.print_street_report(
                read(demo_url, report_of, street), console
            )
        )
        for street in streets
    }


def badge_rows(text: str, status: str) -> int:
    """Table rows whose verdict cell opens with this status badge."""
    return len(re.findall(rf"^│  {status} +│", text, flags=re.MULTILINE))


def test_every_status_shows_somewhere_across_the_streets(street_texts):
    everything = "\n".join(street_texts.values())
    for status in STATUSES:
        assert badge_rows(everything, status), status


def test_evidence_is_quoted_with_its_document_and_offsets(demo_url, street_texts):
    quoted = 0
    for commitment, match, _ in read(demo_url, scored_rows):
        text = street_texts[commitment.street]
        assert commitment.text in text
        for evidence in match.evidence:
            assert f"{evidence['doc']} [{evidence['char_start']}:{evidence['char_end']}]" in text
            assert evidence["text"] in text
            quoted += 1
    assert quoted > 200
    assert "臣田东路、金圆路等5条道路动工建设" in street_texts["西乡街道"]


def test_targets_are_set_against_what_was_reported(demo_url, street_texts):
    match = next(
        m for c, m, _ in read(demo_url, scored_of, "西乡街道") if c.text.startswith("协调推动臣田东路")
    )
    assert match.reported == [{"target": "7条", "reported": "5条"}]
    assert f"7条 → reported 5条 · ratio {match.ratio:.2f}" in street_texts["西乡街道"]


def test_disputed_rows_are_marked(demo_url, street_texts):
    for street, text in street_texts.items():
        disputed = sum(match.disputed for _, match, _ in read(demo_url, scored_of, street))
        assert len(re.findall(r"^│ ⚑ disputed +│", text, flags=re.MULTILINE)) == disputed
    assert any(match.disputed for _, match, _ in read(demo_url, scored_rows))


def test_missing_is_worded_as_no_evidence_never_as_failure(street_texts):
    everything = "\n".join(street_texts.values())
    assert "no evidence in the follow-up report" in everything
    assert not re.search(r"failed|broken", everything, flags=re.IGNORECASE)


def test_the_report_names_the_plan_its_follow_up_and_the_awaited_period(street_texts):
    text = street_texts["西乡街道"]
    assert "Plan 2024 · synthetic_xixiang_2024_plan.txt" in text
    assert "follow-up    000_c1d99a5c8820d14d.txt" in text
    assert "none yet: awaiting the summary of 2026" in text
    assert "Fulfilment rate = (done + ½ × partial) ÷ (done + partial + missing)" in text


def test_an_interim_check_says_so(street_texts):
    assert "an annual plan checked against a half-year summary only" in street_texts["平湖街道"]


def test_fulfilment_rate_counts_partial_as_half_and_leaves_unverifiable_out():
    assert street_report.fulfilment_rate({"done": 2, "partial": 1, "missing": 1, "unverifiable": 9}) == 0.625
    assert street_report.fulfilment_rate({"unverifiable": 4}) is None


def reviewed_marks(text: str) -> int:
    return len(re.findall(rf"^│ {street_report.REVIEWED_MARK} +│", text, flags=re.MULTILINE))


@pytest.fixture
def reviewed_url(demo_db, tmp_path) -> str:
    """A copy of the demo store for tests that record decisions."""
    copy = tmp_path / "reviewed.db"
    shutil.copy(demo_db, copy)
    return f"sqlite:///{copy}"


def test_a_reviewers_decision_overrides_the_machine_in_the_street_report(reviewed_url):
    scored = read(reviewed_url, scored_of, "西乡街道")
    commitment, match, _ = next((c, m, url) for c, m, url in scored if m.status == "missing")
    before = {
        (row.street, row.period): row.counts.copy()
        for row in read(reviewed_url, street_report.compare_streets)
    }
    decisions.record(
        open_store(reviewed_url),
        commitment.id,
        "set",
        "审核员甲",
        status="unverifiable",
        reason="vague",
        note="口号式表述",
    )
    built = read(reviewed_url, report_of, "西乡街道")
    row = next(row for plan in built.plans for row in plan.rows if row.commitment.id == commitment.id)
    assert (row.status, row.reason, row.disputed) == ("unverifiable", "vague", False)
    plan = next(plan for plan in built.plans if plan.period == commitment.plan_period)
    machine = Counter(r.match.status for r in plan.rows)
    assert plan.counts["missing"] == machine["missing"] - 1
    assert plan.counts["unverifiable"] == machine["unverifiable"] + 1
    text = recorded(lambda console: street_report.print_street_report(built, console))
    assert reviewed_marks(text) == 1
    verdicts = "".join(line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    assert "by 审核员甲" in verdicts and "machine: missing" in verdicts and "口号式表述" in verdicts
    missing_only = read(reviewed_url, report_of, "西乡街道", status="missing")
    assert commitment.id not in {row.commitment.id for plan in missing_only.plans for row in plan.rows}
    after = {
        (row.street, row.period): row.counts for row in read(reviewed_url, street_report.compare_streets)
    }
    key = ("西乡街道", commitment.plan_period)
    assert after[key]["missing"] == before[key]["missing"] - 1
    assert after[key]["unverifiable"] == before[key]["unverifiable"] + 1


def test_an_undone_decision_gives_the_machine_verdict_back(reviewed_url):
    commitment, match, _ = next(
        row for row in read(reviewed_url, scored_of, "西乡街道") if row[1].status == "done"
    )
    engine = open_store(reviewed_url)
    decisions.record(engine, commitment.id, "set", "审核员甲", status="missing", reason="not_mentioned")
    decisions.record(engine, commitment.id, "undo", "审核员甲")
    built = read(reviewed_url, report_of, "西乡街道")
    row = next(row for plan in built.plans for row in plan.rows if row.commitment.id == commitment.id)
    assert (row.status, row.reviewed) == ("done", False)


def test_long_chinese_text_wraps_within_the_width_instead_of_being_cut(demo_url):
    commitment, match = max(
        ((c, m) for c, m, _ in read(demo_url, scored_rows) if not re.search(r"\s", c.text)),
        key=lambda row: len(row[0].text),
    )
    assert len(commitment.text) > 60
    row = street_report.Row(commitment, match)
    text = recorded(lambda console: console.print(street_report.section_table("heading", [row])), width=80)
    lines = text.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    column = "".join(line.split("│")[2].strip() for line in lines if line.startswith("│"))
    assert commitment.text in column


def test_piped_report_has_no_escape_codes(demo_db):
    result = invoke("--db", demo_db, "report", "--street", "西乡街道")
    assert result.exit_code == 0, result.output
    assert "Commitment report: 西乡街道" in result.output
    assert "\x1b[" not in result.output


def test_status_filter_keeps_only_that_status(demo_db):
    result = invoke(
        "--db", demo_db, "report", "--street", "西乡街道", "--status", "missing", "--width", "400"
    )
    assert result.exit_code == 0, result.output
    assert badge_rows(result.output, "missing") > 0
    for other in ("done", "partial", "unverifiable"):
        assert badge_rows(result.output, other) == 0
    assert "Showing only: status missing." in result.output


def test_disputed_filter_keeps_only_disputed_rows(demo_url, demo_db):
    result = invoke("--db", demo_db, "report", "--street", "西乡街道", "--disputed", "--width", "400")
    assert result.exit_code == 0, result.output
    rows = sum(badge_rows(result.output, status) for status in STATUSES)
    disputed = sum(match.disputed for _, match, _ in read(demo_url, scored_of, "西乡街道"))
    assert rows == disputed == len(re.findall(r"^│ ⚑ disputed +│", result.output, flags=re.MULTILINE))


def test_period_filter_keeps_one_plan(demo_db):
    result = invoke("--db", demo_db, "report", "--street", "西乡街道", "--period", "2026")
    assert result.exit_code == 0, result.output
    assert "Plan 2026 ·" in result.output
    assert "Plan 2024 ·" not in result.output and "Plan 2025 ·" not in result.output


def test_all_compares_every_street_best_rate_first(demo_url, demo_db, streets):
    result = invoke("--db", demo_db, "report", "--all", "--width", "120")
    assert result.exit_code == 0, result.output
    rows = read(demo_url, street_report.compare_streets)
    for interim in (False, True):
        rates = [row.rate for row in rows if row.interim is interim]
        known = [rate for rate in rates if rate is not None]
        assert known == sorted(known, reverse=True)
        assert rates[len(known) :] == [None] * (len(rates) - len(known))
    words = [[word for word in line.split() if word != "⚠"] for line in result.output.splitlines()]
    listed = [line[:2] for line in words if line and line[0] in streets]
    assert listed == [[row.street, row.period] for row in rows]
    assert {street for street, _ in listed} == set(streets)
    assert "\x1b[" not in result.output


def test_an_interim_check_is_ranked_apart_from_the_full_ones_and_marked(demo_url, demo_db):
    """平湖街道's 2025 plan, checked against its first-half summary only, has the best rate of all
    (what is not yet reported is not yet due): it comes after every full check, under its mark."""
    rows = read(demo_url, street_report.compare_streets)
    interim = [(row.street, row.period) for row in rows if row.interim]
    assert interim == [("平湖街道", "2025")]
    full_rates = [row.rate for row in rows if not row.interim and row.rate is not None]
    assert rows[-1].rate > max(full_rates) and rows[-1].interim
    output = invoke("--db", demo_db, "report", "--all", "--width", "120").output
    apart = output.index("◐ interim: ranked apart")
    assert output.index("平湖街道 ⚠  2025 ") > apart > output.index("西乡街道 ⚠  2026 ")
    assert "its rate is not comparable with a whole year's" in " ".join(output.split())


def test_the_report_header_flags_synthetic_documents(street_texts, demo_db):
    header = street_texts["西乡街道"].split("Plan 2024")[0]
    both = "synthetic_xixiang_2024_plan.txt, synthetic_xixiang_2025_summary.txt"
    assert f"⚠ synthetic: {both}: made-up" in header
    assert "synthetic    synthetic_xixiang_2024_plan.txt" in street_texts["西乡街道"]  # in its plan's facts
    compared = invoke("--db", demo_db, "report", "--all", "--width", "120").output
    assert "西乡街道 ⚠" in compared
    assert "⚠ synthetic: the plan or its follow-up report is made-up" in " ".join(compared.split())


def test_docs_flags_the_synthetic_documents(demo_db):
    listed = [json.loads(line) for line in invoke("--db", demo_db, "docs", "--json").output.splitlines()]
    fixtures = {path.name for path in (FIXTURES / "corpus").glob("*.txt")}
    assert {d["name"] for d in listed if d["synthetic"]} == fixtures
    assert {d["name"] for d in listed if not d["synthetic"]} == {path.name for path in SEEDS.glob("*.txt")}
    table = invoke("--db", demo_db, "docs").output
    assert table.count("⚠ yes") == len(fixtures)
    assert "first line says it is made-up test material" in table


def test_each_section_table_is_titled_with_its_whole_heading_path(street_texts):
    text = street_texts["西乡街道"]
    for chapter, first in (
        ("一、坚持创新驱动,推动经济运行量质齐升", "(一)稳住经济增长基本盘。"),
        ("四、坚持民生优先,持续增进群众福祉", "(一)促进教育优质均衡。"),
    ):
        assert f"{chapter} › {first}" in text


@pytest.fixture(scope="session")
def street_page(demo_db, tmp_path_factory) -> Path:
    """西乡街道's report saved with --html."""
    page = tmp_path_factory.mktemp("html") / "西乡街道.html"
    result = invoke("--db", demo_db, "report", "--street", "西乡街道", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output
    return page


def test_the_html_report_is_a_table_per_plan_section_with_a_row_per_commitment(demo_url, street_page):
    page = lxml.html.parse(str(street_page)).getroot()
    built = read(demo_url, report_of, "西乡街道")
    plans = page.xpath("//section[@class='plan']")
    assert [plan.findtext("h2") for plan in plans] == [f"Plan {p.period} · {p.plan_doc}" for p in built.plans]
    for plan, element in zip(built.plans, plans, strict=True):
        headings = element.xpath("h3")
        tables = element.xpath("table[@class='commitments']")
        sections = street_report.sections_of(plan)
        assert len(headings) == len(tables) == len(sections)
        for (path, rows), heading, table in zip(sections, headings, tables, strict=True):
            assert heading.xpath("span[not(@class='separator')]/text()") == list(path)
            lines = table.xpath("tbody/tr")
            assert [line.get("id") for line in lines] == [row.commitment.id for row in rows]
            assert [line.get("class") for line in lines] == [row.status for row in rows]
            for row, line in zip(rows, lines, strict=True):
                assert line.xpath("td[1]/span[contains(@class, 'badge')]/text()") == [row.status]
                assert line.xpath("string(td[2])").startswith(
                    f"[{row.commitment.ref}]" if row.commitment.ref else ""
                )
                assert row.commitment.text in line.xpath("string(td[2])")
    statuses = {line.get("class") for line in page.xpath("//table[@class='commitments']/tbody/tr")}
    assert statuses == set(STATUSES)
    assert "synthetic_xixiang_2025_summary.txt: made-up test material" in page.xpath(
        "string(//p[@class='warning synthetic'])"
    )


def test_the_html_report_quotes_each_evidence_with_its_document_and_offsets(demo_url, street_page):
    page = lxml.html.parse(str(street_page)).getroot()
    quoted = {
        (figure.xpath("string(figcaption)"), figure.xpath("string(blockquote)"))
        for figure in page.xpath("//td[@class='evidence']/figure")
    }
    expected = {
        (f"{e['doc']} [{e['char_start']}:{e['char_end']}]", e["text"])
        for plan in read(demo_url, report_of, "西乡街道").plans
        for row in plan.rows
        for e in row.evidence
    }
    assert quoted == expected and len(expected) > 30
    found = page.xpath("//td[@class='commitment']/mark[@class='found']/text()")
    assert "辅七路" in found and "纬二路" in found  # reported items, marked in the commitment


def test_the_html_report_needs_nothing_from_the_network(street_page):
    page = lxml.html.parse(str(street_page)).getroot()
    assert not page.xpath("//script | //link | //img | //iframe | //object | //embed | //*[@src]")
    style = page.xpath("string(//style)")
    assert style and not re.search(r"url\(|@import|https?:", style)
    assert page.xpath("//meta/@charset") == ["utf-8"]


@pytest.mark.parametrize("option", ["--html", "--svg"])
def test_a_report_file_that_cannot_be_written_whole_keeps_the_old_one(demo_db, tmp_path, monkeypatch, option):
    target = tmp_path / "report.out"
    target.write_text("old report\n", "utf-8")

    def disk_full(self, text, encoding=None):
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", disk_full)
    result = CliRunner().invoke(cli, ["--db", demo_db, "report", "--street", "西乡街道", option, str(target)])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert target.read_text("utf-8") == "old report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.out"]


def test_html_escapes_every_text_it_shows():
    marked = report_html.highlight("<b>金圆路&</b>", {"金圆路": "found"})
    assert marked == '&lt;b&gt;<mark class="found">金圆路</mark>&amp;&lt;/b&gt;'
    page = report_html._environment().get_template("page.html.j2").render(title="<script>x</script>")
    assert "<title>&lt;script&gt;x&lt;/script&gt;</title>" in page


def test_the_html_comparison_ranks_interim_checks_in_a_table_of_their_own(demo_db, tmp_path):
    page_file = tmp_path / "all.html"
    assert invoke("--db", demo_db, "report", "--all", "--html", str(page_file)).exit_code == 0
    page = lxml.html.parse(str(page_file)).getroot()
    full, interim = page.xpath("//table[@class='comparison']")
    assert [line.xpath("string(td[2])") for line in interim.xpath("tbody/tr")] == ["2025"]
    assert "平湖街道" in interim.xpath("string(tbody/tr/td[1])")
    assert len(full.xpath("tbody/tr")) == 10


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium: install Debian's chromium")
def test_the_html_report_renders_its_tables_in_headless_chromium_offline(street_page, tmp_path):
    """The page opened by a browser that cannot reach any host: its status colours are drawn."""
    shot = tmp_path / "page.png"
    offline = ["unshare", "-n"] if os.geteuid() == 0 and shutil.which("unshare") else []
    subprocess.run(
        [
            *offline,
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,1400",
            f"--screenshot={shot}",
            street_page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    colours = {colour: count for count, colour in Image.open(shot).convert("RGB").getcolors(1 << 24)}
    for badge in ("#1e7b34", "#b3261e", "#a86b00", "#5f6368"):  # done, missing, partial, unverifiable
        assert colours.get(ImageColor.getrgb(badge), 0) > 200, badge


@pytest.fixture(scope="session")
def street_pictures(demo_db, streets, tmp_path_factory) -> dict[str, str]:
    """Every street's report saved with --svg."""
    folder = tmp_path_factory.mktemp("svg")
    for street in streets:
        result = invoke("--db", demo_db, "report", "--street", street, "--svg", str(folder / f"{street}.svg"))
        assert result.exit_code == 0, result.output
    return {street: (folder / f"{street}.svg").read_text("utf-8") for street in streets}


def test_the_svg_fetches_no_font_or_anything_else(street_pictures):
    for svg in street_pictures.values():
        assert "@font-face" not in svg and "@import" not in svg and "<image" not in svg
        assert set(re.findall(r"url\(([^)]*)\)", svg)) == set(re.findall(r'clip-path="url\(([^)]*)\)"', svg))
        assert all(target.startswith("#") for target in re.findall(r"url\(([^)]*)\)", svg))
        assert not re.search(r"\bhref=", svg)


def test_the_svg_is_an_overview_a_page_long_with_every_section(demo_url, street_pictures):
    """Per plan its facts and one line per section (counts and rate); the rows are in the terminal
    report, --html and the export. The longest street of the demo is 268 commitments."""
    for street, svg in street_pictures.items():
        height = float(re.search(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', svg)[1])
        assert height < 2500, street
        text = html.unescape(" ".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")
        for plan in read(demo_url, report_of, street).plans:
            assert f"Plan {plan.period} · {plan.plan_doc}" in text
            for path, _ in street_report.sections_of(plan):
                assert compact(path[-1]) in compact(text), (street, path)


def test_chinese_text_in_the_svg_is_as_wide_as_its_cells(street_pictures):
    """rich measures a run by its characters (rich issue 2742); a Chinese one takes two cells."""
    svg = street_pictures["西乡街道"]
    runs = [
        (float(length), html.unescape(text))
        for length, text in re.findall(r'textLength="([0-9.]+)"[^>]*>([^<]+)</text>', svg)
    ]
    char_width = next(length / len(text) for length, text in runs if text.isascii() and text.strip())
    chinese = [(length, text) for length, text in runs if not text.isascii()]
    assert len(chinese) > 20
    for length, text in chinese:
        assert length == pytest.approx(cell_len(text) * char_width, abs=0.05), text


def test_all_can_be_saved_too(demo_db, tmp_path):
    svg = tmp_path / "all.svg"
    assert invoke("--db", demo_db, "report", "--all", "--svg", str(svg)).exit_code == 0
    assert "平湖街道" in svg.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--street", "西乡"], "Error: 西乡: no such street; close names: 西乡街道"),
        (["--street", "xixiang"], "Error: xixiang: no such street; stored streets: 南湾街道"),
        (["--street", "西乡街道", "--period", "2030"], "no scored plan of 西乡街道 for this period"),
        ([], "give either --street S or --all"),
        (["--all", "--street", "西乡街道"], "give either --street S or --all"),
        (["--all", "--disputed"], "--status and --disputed apply to --street"),
        (["--all", "--period", "1999"], "1999: no scored plan of any street for this period"),
        (["--all", "--svg", "/nonexistent/folder/x.svg"], "no such folder"),
    ],
)
def test_bad_report_requests_are_one_line_with_exit_2(demo_db, args, message):
    result = invoke("--db", demo_db, "report", *args)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert message in result.output


def test_streets_lists_what_is_stored_per_street(demo_url, demo_db, streets):
    result = invoke("--db", demo_db, "streets", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["street"] for row in rows] == streets
    xixiang = next(row for row in rows if row["street"] == "西乡街道")
    assert xixiang == {
        "street": "西乡街道",
        "district": "宝安区",
        "documents": 3,
        "plan_periods": ["2024", "2025", "2026"],
        "summary_periods": ["2024", "2025"],
        "commitments": len(read(demo_url, scored_of, "西乡街道")),
        "city": "深圳市",
        "province": "广东省",
        "note": None,
    }
    table = invoke("--db", demo_db, "streets")
    assert all(street in table.output for street in streets)


def test_progress_bars_only_on_a_terminal():
    with report.progress_hook(Console(file=io.StringIO())) as hook:
        assert hook is None
    terminal = Console(file=io.StringIO(), force_terminal=True)
    with report.progress_hook(terminal) as hook:
        hook("scoring commitments", 1, 2)
        hook("scoring commitments", 2, 2)
    assert "scoring commitments" in terminal.file.getvalue()


def test_scoring_tells_its_progress_hook(demo_db, rules, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(demo_db, copy)
    engine = open_store(f"sqlite:///{copy}")
    calls: list[tuple[str, int, int]] = []
    pipeline.score(engine, rules, "西乡街道", lambda *call: calls.append(call))
    scored = [call for call in calls if call[0] == "scoring commitments"]
    assert scored[-1][1] == scored[-1][2] == len(read(f"sqlite:///{copy}", scored_of, "西乡街道"))
    assert [call[1] for call in scored] == list(range(1, len(scored) + 1))
    assert ("extracting documents", 3, 3) in calls


def test_report_help_documents_the_filters():
    result = invoke("report", "--help")
    for option in ("--street", "--all", "--period", "--status", "--disputed", "--html", "--svg"):
        assert option in result.output
