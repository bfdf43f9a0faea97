"""Download report pages and their attachments into a corpus folder, politely.

Each saved file gets an entry in the folder's manifest.toml (source_url, published,
fetched_at), so `tracker run DIR` reads them with their addresses and dates. A page that
fails is named with its reason and the others are kept.
"""

from __future__ import annotations

import hashlib
import re
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from tracker.formats import SourceFormat, UnreadableSource, decode_html, read_html, sniff_format
from tracker.ingest import MANIFEST_NAME, InputError
from tracker.normalize import normalize
from tracker.rules import Rules
from tracker.sections import NoSectionError, find_sections

USER_AGENT = f"tracker/{version('tracker')} (plan-versus-outcome tracker of township work reports)"
ATTACHMENT_LINK = re.compile(
    r"""href\s*=\s*["']([^"']+\.(?:docx|pdf|doc|wps)(?:\?[^"'#]*)?)(?:#[^"']*)?["']""", re.I
)
# Answers worth asking again after a pause: the server is busy or failing, not the address wrong.
RETRY_STATUSES = {429, 500, 502, 503, 504}
SUFFIXES = {
    SourceFormat.HTML: ".html",
    SourceFormat.DOCX: ".docx",
    SourceFormat.PDF: ".pdf",
    SourceFormat.LEGACY_OFFICE: ".doc",
    SourceFormat.TEXT: ".txt",
}


@dataclass(frozen=True)
class FetchSettings:
    delay: float = 2.0  # seconds between two requests to one host
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0  # first pause before a retry; doubled each time


@dataclass
class SavedPage:
    url: str
    file: str | None  # None for a landing page that only links to the report
    attachments: list[str] = field(default_factory=list)


@dataclass
class FailedPage:
    url: str
    reason: str


class FetchFailed(Exception):
    """An address that gave no usable answer; the message says why."""


class PoliteClient:
    """An HTTP client that waits between two requests to one host and retries with back-off."""

    def __init__(self, settings: FetchSettings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=settings.timeout,
            follow_redirects=True,
            transport=transport,
        )
        self.last_request: dict[str, float] = {}

    def close(self) -> None:
        self.client.close()

    def get(self, url: str) -> httpx.Response:
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff * 2 ** (attempt - 1))
            self._wait_for(urlsplit(url).netloc)
            try:
                response = self.client.get(url)
            except httpx.TimeoutException:
                problem = f"timed out after {self.settings.timeout:g} s"
                continue
            except httpx.HTTPError as error:
                problem = f"no answer ({type(error).__name__}: {error})"
                continue
            if response.status_code in RETRY_STATUSES:
                problem = f"HTTP {response.status_code}"
                continue
            if response.is_error:
                raise FetchFailed(f"HTTP {response.status_code}")
            return response
        tries = self.settings.retries + 1
        raise FetchFailed(f"{problem} ({tries} tr{'y' if tries == 1 else 'ies'})")

    def _wait_for(self, host: str) -> None:
        if host in self.last_request:
            pause = self.last_request[host] + self.settings.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self.last_request[host] = time.monotonic()


def fetch_reports(
    urls: list[str], into: Path, rules: Rules, client: PoliteClient
) -> tuple[list[SavedPage], list[FailedPage]]:
    """Save each report page (or file) and the attachments it links to under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    saved: list[SavedPage] = []
    failed: list[FailedPage] = []
    entries: dict[str, dict[str, str]] = {}
    for url in urls:
        try:
            page = _fetch_one(url, into, rules, client, entries, failed)
        except FetchFailed as error:
            failed.append(FailedPage(url, str(error)))
        else:
            saved.append(page)
    if entries:
        _merge_manifest(into / MANIFEST_NAME, entries)
    return saved, failed


def _fetch_one(
    url: str,
    into: Path,
    rules: Rules,
    client: PoliteClient,
    entries: dict[str, dict[str, str]],
    failed: list[FailedPage],
) -> SavedPage:
    """Save one page (or report file) and its attachments. A page is kept only when it holds a
    report part itself: a landing page that only links to the report gives its attachments, which
    `run` reads, and is not saved. An attachment that fails is added to `failed`."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError as error:
        raise FetchFailed(f"not a valid address ({error})") from None
    if scheme not in ("http", "https"):
        raise FetchFailed("not an http(s) address")
    response = client.get(url)
    raw = response.content
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    if sniff_format(raw) is not SourceFormat.HTML:  # a direct link to a report file
        name = _save(into, url, raw)
        entries[name] = {"source_url": url, "fetched_at": fetched_at}
        return SavedPage(url, name)
    try:
        source = read_html(raw, rules.formats, rules.cruft.marks_synthetic_line)
    except UnreadableSource as error:
        raise FetchFailed(str(error)) from None
    page_html, _, _ = decode_html(raw, rules.formats)
    links = list(
        dict.fromkeys(urljoin(str(response.url), link) for link in ATTACHMENT_LINK.findall(page_html))
    )
    is_report = _holds_a_report(source.text, source.title, rules)
    if not links and not is_report:
        raise FetchFailed("not a report page: no summary or plan part, and no .docx/.pdf/.wps attachment")
    page_entry = {"source_url": source.source_url or url, "fetched_at": fetched_at}
    if source.published:
        page_entry["published"] = source.published
    page = SavedPage(url, None)
    if is_report:
        page.file = _save(into, url, raw)
        entries[page.file] = page_entry
    for link in links:
        try:
            attachment = client.get(link).content
        except FetchFailed as error:
            failed.append(FailedPage(link, str(error)))
            continue
        name = _save(into, link, attachment)
        entries[name] = {**page_entry, "source_url": link}
        page.attachments.append(name)
    if page.file is None and not page.attachments:
        raise FetchFailed("not a report page, and none of its attachments could be fetched")
    return page


def _save(into: Path, url: str, raw: bytes) -> str:
    """Write a fetched file under its name (whole or not at all: a killed fetch leaves no
    truncated report for `run` to refuse); its name."""
    name = _file_name(url, raw)
    partial = into / f".{name}.part"
    partial.write_bytes(raw)
    partial.replace(into / name)
    return name


def _holds_a_report(text: str, title: str | None, rules: Rules) -> bool:
    try:
        return bool(find_sections(normalize(text), rules, title or "", None))
    except NoSectionError:
        return False


def _file_name(url: str, raw: bytes) -> str:
    """A name that says where the file came from and never collides: the address's last part
    and a digest of the whole address."""
    stem = Path(urlsplit(url).path).stem or urlsplit(url).netloc
    stem = re.sub(r"[^0-9A-Za-z_-]+", "_", stem)[:60] or "page"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return f"{stem}-{digest}{SUFFIXES[sniff_format(raw)]}"


def _merge_manifest(path: Path, entries: dict[str, dict[str, str]]) -> None:
    """Add or update the entries of the fetched files, keeping every other entry and key."""
    import tomli_w

    try:
        documents = (
            tomllib.loads(path.read_text(encoding="utf-8")).get("document", []) if path.exists() else []
        )
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(
            path, f"malformed manifest ({error}); the fetched files are saved beside it"
        ) from None
    by_file = {document["file"]: document for document in documents}
    for name, entry in entries.items():
        by_file[name] = {**by_file.get(name, {}), "file": name, **entry}
    temporary = path.with_suffix(".toml.tmp")
    temporary.write_text(tomli_w.dumps({"document": list(by_file.values())}), encoding="utf-8")
    temporary.replace(path)
