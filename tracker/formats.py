"""Report files as people have them: a saved web page, a Word or PDF file, turned into text.

The text returned is what the store keeps as the report's original, so evidence quotes
and offsets point into it. A file's format is told by its content, not only its name:
a web page saved as .txt is still read as a web page. Plain text is decoded by
`tracker.ingest.decode`; everything here turns the other formats into plain lines, one
paragraph or heading a line, as a copied page would have them.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from statistics import median

import charset_normalizer

from tracker.normalize import normalize
from tracker.rules import FormatRules, Rules
from tracker.sections import HEADING_NUMBER

# Suffixes a corpus folder is searched for; the content decides how each is read.
READABLE_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps")
# Labels a page may declare for Chinese text: GB2312 and GBK pages decode as their superset.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
# What a saved page opens with, after any byte-order mark, XML prolog and comments.
HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|script|link|style|div)\b",
    re.IGNORECASE | re.DOTALL,
)
CJK = re.compile(r"[\u4e00-\u9fff]")
# A script's string literal: the body some sites render with JavaScript from a JSON field.
SCRIPT_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"', re.S)
PDF_CID_GLYPH = re.compile(r"\(cid:\d+\)")
CELL_END_PUNCTUATION = re.compile(r"[。;；.、]+$")
SOFFICE_TIMEOUT_SECONDS = 120


class SourceFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    LEGACY_OFFICE = "doc"  # Word 97-2003 .doc and Kingsoft .wps: OLE compound files


class UnreadableSource(Exception):
    """A file whose format is known but whose report text cannot be had; the message says why."""


@dataclass(frozen=True)
class SourceText:
    """A report's text with what its file says about it."""

    text: str
    encoding: str  # as stored: "utf-8", "gb18030", "html/gb18030", "docx", "pdf"
    format: SourceFormat
    title: str | None = None
    published: str | None = None
    source_url: str | None = None
    warnings: tuple[str, ...] = ()


def sniff_format(raw: bytes) -> SourceFormat:
    """The file's format from its first bytes."""
    head = raw[:2048]
    if head.startswith(b"%PDF-"):
        return SourceFormat.PDF
    if head.startswith(b"PK\x03\x04"):
        return SourceFormat.DOCX
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return SourceFormat.LEGACY_OFFICE
    if HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return SourceFormat.HTML
    return SourceFormat.TEXT


def read_source(raw: bytes, source_format: SourceFormat, rules: Rules) -> SourceText:
    """The report text of a file that is not plain text (plain text goes to ingest.decode).

    The readers' libraries raise many kinds of error on a damaged file (zlib, XML, PDF syntax):
    each becomes an UnreadableSource that names the format, never a traceback.
    """
    readers: dict[SourceFormat, Callable[[], SourceText]] = {
        SourceFormat.HTML: lambda: read_html(raw, rules.formats, rules.cruft.marks_synthetic_line),
        SourceFormat.DOCX: lambda: read_docx(raw, rules.formats),
        SourceFormat.PDF: lambda: read_pdf(raw, rules.formats),
        SourceFormat.LEGACY_OFFICE: lambda: read_legacy_office(raw, rules.formats),
    }
    try:
        return readers[source_format]()
    except UnreadableSource:
        raise
    except Exception as error:  # any failure of a third-party parser means a damaged file
        problem = f"{type(error).__name__}: {error}"
        raise UnreadableSource(f"damaged {source_format.value} file ({problem})") from None


# --- web pages ---------------------------------------------------------------------------


def decode_html(raw: bytes, rules: FormatRules) -> tuple[str, str, list[str]]:
    """(text, charset, warnings): the page's own declaration first, then UTF-8, then detection.

    A page whose declared charset fits all but a few bytes (at most `bad_byte_share`) is read
    with those replaced, and says so: one stray byte is no reason to refuse a report.
    """
    declared = DECLARED_CHARSET.search(raw[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates.append("utf-8")
    for label in candidates:
        charset = CHARSET_ALIASES.get(label, label)
        try:
            return raw.decode(charset), charset, []
        except LookupError:
            continue
        except UnicodeDecodeError:
            text = raw.decode(charset, errors="replace")
            bad = text.count("\ufffd")
            if bad <= max(1, rules.bad_byte_share * len(raw)):
                return text, charset, [f"{bad} byte(s) that are not {charset} were replaced"]
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise UnreadableSource("web page in an encoding that cannot be determined")
    charset = CHARSET_ALIASES.get(best.encoding.lower(), best.encoding.lower())
    return raw.decode(charset, errors="replace"), charset, []


def read_html(raw: bytes, rules: FormatRules, marks_synthetic: Callable[[str], bool]) -> SourceText:
    """A saved page's main text (trafilatura), title, date and canonical address; marks_synthetic
    tells the line that marks test material (rules/cruft.toml), which stays above the title."""
    import trafilatura
    from lxml import html as lxml_html

    page, charset, warnings = decode_html(raw, rules)
    metadata = trafilatura.extract_metadata(page)
    body = _main_text(page)
    visible = _visible_text(lxml_html, page)
    scripted = _scripted_body(page, rules)
    if _cjk_count(scripted) > 2 * _cjk_count(body):
        body = scripted  # the visible body is (nearly) empty: the site renders it from a JSON field
    elif _cjk_count(body) < rules.extracted_share_flag * _cjk_count(visible):
        warnings.append(
            f"only {_cjk_count(body):,} of the page's {_cjk_count(visible):,} Chinese characters "
            "were taken as the report text: check that the report is all there"
        )
    title = (metadata.title or "").strip() if metadata else ""
    if title and title not in body[: 4 * len(title) + 200]:
        body = _with_title(body, title, marks_synthetic)
    return SourceText(
        text=body,
        encoding=f"html/{charset}",
        format=SourceFormat.HTML,
        title=title or None,
        published=metadata.date if metadata and metadata.date else None,
        source_url=metadata.url if metadata and metadata.url else None,
        warnings=tuple(warnings),
    )


def _with_title(body: str, title: str, marks_synthetic: Callable[[str], bool]) -> str:
    """The body with the page's title as its first line, which holds the year and place the body
    may not repeat; a line near the top that marks test material stays before it."""
    lines = body.split("\n")
    marker = next((i for i, line in enumerate(lines[:10]) if marks_synthetic(line)), -1)
    return "\n".join([*lines[: marker + 1], title, *lines[marker + 1 :]])


def _main_text(page: str) -> str:
    import trafilatura

    text = trafilatura.extract(
        page,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    return _plain_lines(text or "")


def _visible_text(lxml_html, page: str) -> str:
    try:
        tree = lxml_html.fromstring(page)
    except Exception:  # lxml raises several types on a page it cannot parse; none is fatal here
        return ""
    for element in tree.xpath("//script|//style|//noscript"):
        element.drop_tree()
    return tree.text_content()


def _scripted_body(page: str, rules: FormatRules) -> str:
    """The text of the script string literal richest in Chinese, when it holds the body."""
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S | re.I)
    literals = [m.group(1) for script in scripts for m in SCRIPT_STRING.finditer(script)]
    if not literals:
        return ""
    richest = max(literals, key=lambda literal: _cjk_count(literal))
    try:
        value = json.loads(f'"{richest}"')
    except json.JSONDecodeError:
        return ""
    if _cjk_count(value) < rules.scripted_body_chars:
        return ""
    return _main_text(f"<html><body>{value}</body></html>") if "<" in value else _plain_lines(value)


def _plain_lines(text: str) -> str:
    lines = (line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _cjk_count(text: str) -> int:
    return len(CJK.findall(text))


# --- Word ----------------------------------------------------------------------------------


def read_docx(raw: bytes, rules: FormatRules) -> SourceText:
    """Paragraphs and tables in reading order; a task table gives one line a task."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableSource(f"corrupt or unreadable .docx file ({error})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += table_lines([[cell.text.strip() for cell in row.cells] for row in block.rows], rules)
        elif text := block.text.strip():
            lines.append(text)
    title = (document.core_properties.title or "").strip() or None
    return SourceText("\n".join(lines), "docx", SourceFormat.DOCX, title=title)


def table_lines(rows: list[list[str]], rules: FormatRules) -> list[str]:
    """A table as lines: a task table one line per task, its number first; any other, its rows."""
    rows = [_merged_cells_once(row) for row in rows if any(row)]
    if not rows:
        return []
    header = rows[0]
    number_column = _column(header, rules.task_number_columns)
    task_column = _column(header, rules.task_text_columns)
    if number_column is None or task_column is None:
        return [",".join(cell for cell in row if cell) for row in rows]
    lines = []
    for row in rows[1:]:
        if len(row) != len(header) or not row[task_column]:
            continue
        details = ";".join(
            f"{name}:{cell}"
            for index, (name, cell) in enumerate(zip(header, row, strict=True))
            if cell and index not in (number_column, task_column)
        )
        task = CELL_END_PUNCTUATION.sub("", row[task_column])
        number = CELL_END_PUNCTUATION.sub("", row[number_column])
        lines.append(f"{number}.{task}" + (f"({details})" if details else "") + "。")
    return lines


def _merged_cells_once(row: list[str]) -> list[str]:
    """python-docx repeats a merged cell in every column it spans: keep its first copy."""
    return [cell if index == 0 or cell != row[index - 1] else "" for index, cell in enumerate(row)]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, cell in enumerate(header) if any(name in cell for name in names)), None)


# --- PDF -------------------------------------------------------------------------------------


def read_pdf(raw: bytes, rules: FormatRules) -> SourceText:
    """The text layer in reading order, lines wrapped by the page joined back into paragraphs."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings would break the one-line error
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            title = str(pdf.metadata.get("Title") or "").strip()
            pages = [page.extract_text_lines() for page in pdf.pages]
    except (PdfminerException, PDFPasswordIncorrect) as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(cause).lower():
            raise UnreadableSource("encrypted PDF: save it without a password") from None
        raise UnreadableSource(f"unreadable PDF ({cause!r})") from None
    text = "\n".join(_pdf_paragraphs(pages, rules))
    if PDF_CID_GLYPH.search(text):
        raise UnreadableSource("PDF whose fonts map glyphs to no characters ((cid:…)): text unreadable")
    if _cjk_count(text) == 0:
        raise UnreadableSource("PDF without a text layer (a scan?): no characters to read")
    placeholder = not title or any(word in title.lower() for word in rules.pdf_placeholder_titles)
    return SourceText(text, "pdf", SourceFormat.PDF, title=None if placeholder else title)


def _pdf_paragraphs(pages: list[list[dict]], rules: FormatRules) -> list[str]:
    """Join back the lines the pages wrapped, across page breaks too. A line that comes within
    two characters of its page's right margin goes on in the next line, unless that one starts a
    paragraph: indented, as Chinese paragraphs are, or opening on a heading number ("二、", "(三)")."""
    paragraphs: list[str] = []
    continues = False
    for page in pages:
        lines = [line for line in page if line["text"].strip() and not rules.is_pdf_furniture(line["text"])]
        if not lines:
            continue
        left = min(line["x0"] for line in lines)
        right = max(line["x1"] for line in lines)
        char_width = median(line["bottom"] - line["top"] for line in lines)  # a full-width character
        for line in lines:
            text = line["text"].strip()
            indented = line["x0"] - left > char_width / 2
            opens_paragraph = indented or HEADING_NUMBER.match(normalize(text[:12]).text)
            if continues and not opens_paragraph:
                paragraphs[-1] += text
            else:
                paragraphs.append(text)
            continues = right - line["x1"] < 2 * char_width
    return paragraphs


# --- .doc and .wps ---------------------------------------------------------------------------


def read_legacy_office(raw: bytes, rules: FormatRules) -> SourceText:
    """A Word 97-2003 or Kingsoft WPS file, converted to .docx by LibreOffice when it is here."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in raw:
        raise UnreadableSource("encrypted Office document: save it without a password")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnreadableSource(
            "a .doc/.wps file needs LibreOffice ('soffice' on the PATH) to be converted; "
            "install it or save the file as .docx"
        )
    with tempfile.TemporaryDirectory(prefix="tracker-convert-") as folder:
        source = Path(folder) / "report.doc"
        source.write_bytes(raw)
        try:
            subprocess.run(
                [soffice, "--headless", "--convert-to", "docx", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=SOFFICE_TIMEOUT_SECONDS,
            )
            converted = (Path(folder) / "report.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as error:
            raise UnreadableSource(f"LibreOffice could not convert it ({error})") from None
    source_text = read_docx(converted, rules)
    return SourceText(source_text.text, "doc→docx", SourceFormat.LEGACY_OFFICE, title=source_text.title)
