"""`tracker fetch` against a local server of synthetic government pages; nothing leaves the machine."""

from __future__ import annotations

import threading
import time
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_files import government_page, pdf_file, word_file

from tracker.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "fixtures" / "corpus" / "synthetic_xixiang_2024_plan.txt").read_text(encoding="utf-8")
SUMMARY = (ROOT / "fixtures" / "corpus" / "synthetic_xixiang_2025_summary.txt").read_text(encoding="utf-8")
HTML = "text/html; charset=utf-8"
ATTACHMENT_PAGE = """<html><head><meta charset="utf-8"><title>西乡街道2025年工作总结</title>
<meta name="PubDate" content="2026-01-20"></head><body>
<div class="crumb">首页 &gt; 政务公开 &gt; 计划总结</div>
<div id="zoom"><p>西乡街道2025年工作总结和2026年工作计划全文见附件。</p>
<p>附件:<a href="/files/summary-2025.docx">西乡街道2025年工作总结.docx</a>
<a href="/files/summary-2025.pdf?v=2">西乡街道2025年工作总结.pdf</a></p></div>
<div class="foot">版权所有</div></body></html>"""
NOTICE = """<html><head><meta charset="utf-8"><title>停水通知</title></head><body>
<div id="zoom"><p>因供水管道检修,1月5日上午8时至12时辖区部分小区停水,请居民提前储水。</p></div>
</body></html>"""


class GovernmentSite(BaseHTTPRequestHandler):
    """Serves the synthetic pages; `slow` answers after the client gave up."""

    routes: dict[str, tuple[str, bytes]] = {}
    arrivals: list[tuple[str, float]] = []
    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.arrivals.append((self.path, time.monotonic()))
        self.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.5)
            return  # the client gave up long ago: nobody to answer
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        content_type, body = route
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    GovernmentSite.routes = {
        "/xxgk/plan-2024.html": (HTML, government_page(PLAN, published="2024-02-01")),
        "/xxgk/gb-2024.html": ("text/html", government_page(PLAN, charset="gb2312")),
        "/xxgk/summary-2025.html": (HTML, ATTACHMENT_PAGE.encode()),
        "/files/summary-2025.docx": ("application/octet-stream", word_file(SUMMARY)),
        "/files/summary-2025.pdf?v=2": ("application/pdf", pdf_file(SUMMARY)),
        "/xxgk/notice.html": (HTML, NOTICE.encode()),
        "/slow": (HTML, government_page(PLAN)),
    }
    GovernmentSite.arrivals = []
    GovernmentSite.user_agents = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), GovernmentSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(*args: str):
    return CliRunner().invoke(cli, ["fetch", *args])


def test_fetch_saves_pages_and_attachments_with_their_manifest(site, tmp_path):
    into = tmp_path / "reports"
    result = fetch(
        f"{site}/xxgk/plan-2024.html", f"{site}/xxgk/summary-2025.html", "--into", str(into), "--delay", "0"
    )
    assert result.exit_code == 0, result.output
    manifest = tomllib.loads((into / "manifest.toml").read_text(encoding="utf-8"))["document"]
    by_url = {entry["source_url"]: entry for entry in manifest}
    assert set(by_url) == {  # the landing page that only links to its report is not kept
        "http://www.example.gov.cn/xxgk/jhzj/t20240115_1.html",  # the page's canonical address
        f"{site}/files/summary-2025.docx",
        f"{site}/files/summary-2025.pdf?v=2",
    }
    assert by_url["http://www.example.gov.cn/xxgk/jhzj/t20240115_1.html"]["published"] == "2024-02-01"
    assert by_url[f"{site}/files/summary-2025.docx"]["published"] == "2026-01-20"  # the page's date
    assert all(entry["fetched_at"] and (into / entry["file"]).is_file() for entry in manifest)
    assert {Path(entry["file"]).suffix for entry in manifest} == {".html", ".docx", ".pdf"}
    assert len(result.output.strip().splitlines()) == 2
    assert all(agent.startswith("tracker/") for agent in GovernmentSite.user_agents)


def test_fetched_reports_are_read_by_run_with_their_addresses(site, tmp_path):
    into = tmp_path / "reports"
    result = fetch(
        f"{site}/xxgk/plan-2024.html", f"{site}/xxgk/summary-2025.html", "--into", str(into), "--delay", "0"
    )
    assert result.exit_code == 0
    store = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["--db", str(store), "run", str(into)])
    assert result.exit_code == 0, result.output
    assert "unknown key" not in result.output
    result = CliRunner().invoke(cli, ["--db", str(store), "docs", "--json"])
    assert "http://www.example.gov.cn/xxgk/jhzj/t20240115_1.html" in result.output
    assert "2024-02-01" in result.output
    # the summary as .docx and as .pdf is one report: one of the two is stored, the other a duplicate
    attachments = (f"{site}/files/summary-2025.docx", f"{site}/files/summary-2025.pdf?v=2")
    assert sum(address in result.output for address in attachments) == 1


def test_fetch_waits_between_two_requests_to_one_host(site, tmp_path):
    urls = [f"{site}/xxgk/plan-2024.html", f"{site}/xxgk/gb-2024.html", f"{site}/xxgk/summary-2025.html"]
    result = fetch(*urls, "--into", str(tmp_path / "reports"), "--delay", "0.4")
    assert result.exit_code == 0, result.output
    times = [arrival for _, arrival in GovernmentSite.arrivals]
    assert len(times) == 5  # three pages and two attachments
    assert min(later - earlier for earlier, later in zip(times, times[1:], strict=False)) >= 0.39


def test_a_missing_a_slow_and_a_non_report_page_each_give_one_line_and_the_rest_are_kept(site, tmp_path):
    into = tmp_path / "reports"
    urls = [f"{site}/gone.html", f"{site}/slow", f"{site}/xxgk/notice.html", f"{site}/xxgk/gb-2024.html"]
    result = CliRunner().invoke(
        cli, ["fetch", *urls, "--into", str(into), "--delay", "0", "--timeout", "0.5", "--retries", "1"]
    )
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"{site}/gone.html: HTTP 404",
        f"{site}/slow: timed out after 0.5 s (2 tries)",
        f"{site}/xxgk/notice.html: not a report page: no summary or plan part, "
        "and no .docx/.pdf/.wps attachment",
    ]
    assert [path for path, _ in GovernmentSite.arrivals].count("/slow") == 2
    manifest = tomllib.loads((into / "manifest.toml").read_text(encoding="utf-8"))["document"]
    assert len(manifest) == 1 and (into / manifest[0]["file"]).read_bytes().startswith(b"<!DOCTYPE html>")


def test_fetch_keeps_what_the_manifest_already_says(site, tmp_path):
    into = tmp_path / "reports"
    assert fetch(f"{site}/xxgk/plan-2024.html", "--into", str(into), "--delay", "0").exit_code == 0
    path = into / "manifest.toml"
    path.write_text(path.read_text(encoding="utf-8") + 'street = "西乡街道"\n', encoding="utf-8")
    assert (
        fetch(
            f"{site}/xxgk/plan-2024.html", f"{site}/xxgk/gb-2024.html", "--into", str(into), "--delay", "0"
        ).exit_code
        == 0
    )
    manifest = tomllib.loads(path.read_text(encoding="utf-8"))["document"]
    assert len(manifest) == 2
    assert [entry.get("street") for entry in manifest] == ["西乡街道", None]


def test_an_address_that_is_no_address_is_one_line(tmp_path):
    result = fetch("http://[bad", "ftp://example.org/report.pdf", "--into", str(tmp_path / "reports"))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "http://[bad: not a valid address (Invalid IPv6 URL)",
        "ftp://example.org/report.pdf: not an http(s) address",
    ]
