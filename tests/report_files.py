"""Write a plain-text report as the files people have: a government web page, .docx and .pdf.

The pages copy the layout of government sites (breadcrumbs, an 索引号/发布机构 table,
【字体:大 中 小】, share and print links, a footer) around the report's own lines; all of it
is synthetic, made here from the project's synthetic fixtures.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

SITE = "深圳市宝安区人民政府门户网站"
SYNTHETIC_MARKER = "SYNTHETIC"


def report_lines(text: str) -> tuple[str, list[str]]:
    """(title, body lines): the first line is shown as the title; a fixture's synthetic-marker
    line stays first in the body."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    marker = lines[:1] if SYNTHETIC_MARKER in lines[0] else []
    title, *body = lines[len(marker) :]
    return title, [*marker, *body]


def government_page(
    text: str,
    *,
    published: str = "2024-01-15",
    canonical: str = "http://www.example.gov.cn/xxgk/jhzj/t20240115_1.html",
    charset: str = "utf-8",
    body_in_script: bool = False,
) -> bytes:
    """A saved page of a government site around the report; with body_in_script, the page's body
    is empty and the report sits in a JSON field that the site's script renders."""
    title, body = report_lines(text)
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in body)
    content = (
        f"<script>var pageData = {json.dumps({'pages_content': paragraphs}, ensure_ascii=False)};"
        "document.getElementById('zoom').innerHTML = pageData.pages_content;</script>"
        if body_in_script
        else paragraphs
    )
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_{SITE}</title>
<meta name="PubDate" content="{published} 09:30:00">
<link rel="canonical" href="{canonical}">
</head><body>
<div class="top">无障碍浏览 | 长者模式 | 登录</div>
<div class="crumb">您现在的位置:<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a> &gt; 计划总结</div>
<table class="xxgk"><tr><td>索引号:</td><td>11440306MB2C/2024-00102</td><td>分类:</td><td>计划总结</td></tr>
<tr><td>发布机构:</td><td>街道办事处</td><td>生成日期:</td><td>{published}</td></tr></table>
<div class="article"><h1>{html.escape(title)}</h1>
<div class="info">发布时间:{published} 来源:本站 浏览次数:1024 【字体:大 中 小】</div>
<div id="zoom">{content}</div>
<div class="tools">分享到: 微信 微博 | 打印本页 | 关闭窗口</div></div>
<div class="foot">主办单位:某区人民政府办公室 版权所有 粤ICP备00000000号 网站标识码4403060000</div>
</body></html>"""
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset)


def word_file(text: str, task_table: list[list[str]] | None = None) -> bytes:
    """The report as a .docx: its title, its paragraphs, and a task table after them."""
    import docx

    title, body = report_lines(text)
    document = docx.Document()
    document.core_properties.title = title
    marker = body[:1] if SYNTHETIC_MARKER in body[0] else []
    for line in marker:
        document.add_paragraph(line)
    document.add_heading(title, level=1)
    for line in body[len(marker) :]:
        document.add_paragraph(line)
    if task_table:
        table = document.add_table(rows=len(task_table), cols=len(task_table[0]))
        for row, cells in zip(table.rows, task_table, strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_file(text: str, *, encrypt_with: str | None = None, blank: bool = False) -> bytes:
    """The report typeset as an A4 PDF with a text layer, as a word processor does: paragraphs
    indented two characters and wrapped at the right margin, a page number at each foot.
    `blank` draws no text (a scan's layout)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt_with)
    size, left, top, leading = 12, 60, A4[1] - 60, 18
    width = A4[0] - 2 * left
    title, body = report_lines(text)
    y, page = top, 1

    def line(words: str, x: float) -> None:
        nonlocal y, page
        if y < 80:
            pdf.setFont("STSong-Light", 9)
            pdf.drawCentredString(A4[0] / 2, 40, f"- {page} -")
            pdf.showPage()
            y, page = top, page + 1
        if not blank:
            pdf.setFont("STSong-Light", size)
            pdf.drawString(x, y, words)
        y -= leading

    marker = body[:1] if SYNTHETIC_MARKER in body[0] else []
    for paragraph in marker:
        line(paragraph, left)
    line(title, left + 4 * size)
    for paragraph in body[len(marker) :]:
        x, rest = left + 2 * size, paragraph
        while rest:
            end = 1
            while end < len(rest) and pdfmetrics.stringWidth(
                rest[: end + 1], "STSong-Light", size
            ) <= width - (x - left):
                end += 1
            line(rest[:end], x)
            x, rest = left, rest[end:]
    pdf.setFont("STSong-Light", 9)
    pdf.drawCentredString(A4[0] / 2, 40, f"- {page} -")
    pdf.save()
    return buffer.getvalue()


def write_corpus(folder: Path, reports: dict[str, bytes], manifest: str) -> Path:
    folder.mkdir(parents=True)
    for name, content in reports.items():
        (folder / name).write_bytes(content)
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return folder


def run_and_export(corpus: Path, files: dict[str, str]) -> list[dict]:
    """Write the files (reports and their manifest.toml) into corpus, `tracker run` it and return
    the rows `tracker export --format jsonl` gives: a street through the whole pipeline."""
    from click.testing import CliRunner  # only the tests that run a street need the CLI

    from tracker.cli import cli

    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    db, exported = str(corpus / "t.db"), corpus / "t.jsonl"
    for args in (["run", str(corpus)], ["export", "--format", "jsonl", "-o", str(exported)]):
        result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
