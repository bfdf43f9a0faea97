"""Read report files as people have them: decode, clean, detect metadata, split parts.

Nothing is stored here: `read_corpus` either returns every document of the
request or raises an InputError naming every bad file, so a bad file never
leaves a half-written store behind (`run --skip-bad` stores the others).
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import charset_normalizer

from tracker.formats import (
    READABLE_SUFFIXES,
    SourceFormat,
    SourceText,
    UnreadableSource,
    read_source,
    sniff_format,
)
from tracker.gazetteer import Place, load_gazetteer
from tracker.normalize import NormalizedText, normalize
from tracker.place import PlaceHints, read_place
from tracker.rules import Rules
from tracker.sections import (
    FRAME,
    HEADING_NUMBER,
    NoSectionError,
    SectionSpan,
    find_sections,
    heading_role,
    opens_part,
    section_lines,
    years_in,
)

MANIFEST_NAME = "manifest.toml"
MANIFEST_KEYS = {
    "file",
    "street",
    "district",
    "city",
    "province",
    "source_url",
    "published",
    "year",
    "fetched_at",
}
# Encodings a Chinese report may come in; GB2312/GBK labels decode as their superset GB18030.
CHINESE_ENCODINGS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5"}
# The longest seed is 22 KB; a file 90 times that is not one work report but a dump, and
# cleaning it would hold two offsets per character in memory. Refused, so a run stays bounded.
MAX_REPORT_BYTES = 2_000_000
# A Word or PDF file carries images and fonts beside its text: its own, larger bound.
MAX_SOURCE_BYTES = 30_000_000
# What sniff_format reads to tell a file's format.
SNIFFED_BYTES = 2048
# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) but for \t \n \f \r: found in binary files.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class InputError(Exception):
    """A file the tracker cannot take: `path: problem` on one line."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class BadFiles(InputError):
    """Several bad files of one request: one `path: problem` line each."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} files", "bad input, nothing stored:")
        self.errors = errors

    def lines(self) -> list[str]:
        return [str(self), *map(str, self.errors)]


@dataclass(frozen=True)
class ManifestEntry:
    street: str | None = None
    district: str | None = None
    city: str | None = None
    province: str | None = None
    source_url: str | None = None
    published: str | None = None
    year: int | None = None


@dataclass
class Manifest:
    path: Path | None
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestedDocument:
    """A decoded report with its metadata and parts, ready to store."""

    name: str
    path: str
    sha256: str
    encoding: str
    text: str
    title: str
    text_sha256: str  # content_digest: the same report in another encoding or format has the same
    street: str | None
    district: str | None
    city: str | None
    source_url: str | None
    published: str | None
    years: list[int]
    sections: list[SectionSpan]
    synthetic: bool  # its first line says it is made-up test material (rules/cruft.toml)
    warnings: list[str] = field(default_factory=list)
    province: str | None = None
    place: str | None = None  # the place identity pairing compares; None: never paired
    place_note: str | None = None  # why not, when the place is ambiguous or incomplete


@dataclass
class IngestResult:
    """What ingesting a request did with each file."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (name, stored twin)
    skipped: list[str] = field(default_factory=list)  # "path: problem" of each bad file skipped


# What a path that is not a regular file is, for the one line that refuses it.
FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def read_input(path: Path) -> bytes:
    """The bytes of a regular file (or of a symlink to one) within its format's size limit.

    Anything else is refused from os.stat before it is opened: a FIFO would block the run (and
    hold the store's lock) forever, a folder, a dangling symlink or a symlink loop has no bytes,
    and a file over MAX_SOURCE_BYTES (every format's bound) is not opened at all. The file is
    then opened non-blocking and checked again, in case it was swapped meanwhile; a plain text,
    told by its first bytes, over MAX_REPORT_BYTES is refused before the rest is read.
    """
    _check_regular(path, _stat(path))
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        _check_regular(path, info)
        head = handle.read(SNIFFED_BYTES)
        if sniff_format(head) is SourceFormat.TEXT:
            _check_report_size(path, info.st_size)
        raw = head + handle.read(MAX_SOURCE_BYTES + 1 - len(head))
    _check_source_size(path, len(raw))
    return raw


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        raise InputError(path, "dangling symlink" if path.is_symlink() else "no such file") from None
    except OSError as error:
        problem = "symlink loop" if error.errno == errno.ELOOP else error.strerror or str(error)
        raise InputError(path, problem) from None


def _check_regular(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in FILE_KINDS if test(info.st_mode)), "a special file")
        raise InputError(path, f"not a regular file but {kind}")
    _check_source_size(path, info.st_size)


def _check_source_size(path: Path, size: int) -> None:
    if size > MAX_SOURCE_BYTES:
        raise InputError(path, f"{size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit for one file")


def _check_report_size(path: Path, size: int) -> None:
    if size > MAX_REPORT_BYTES:
        raise InputError(
            path, f"{size:,} bytes, over the {MAX_REPORT_BYTES:,}-byte limit for one report (split it)"
        )


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding of a file; refuses rather than guesses wrong."""
    _check_report_size(path, len(raw))
    if not raw.strip():
        raise InputError(path, "empty file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(path, f"undecodable: broken {encoding} ({error.reason})") from None
            if not text.strip():
                raise InputError(path, "empty file (a byte-order mark alone)")
            return text, encoding
    if b"\x00" in raw:
        raise InputError(path, "binary file, not text")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(raw).best()
        guessed = best.encoding.lower() if best else None
        encoding = CHINESE_ENCODINGS.get(guessed or "")
        if encoding is None:
            found = f"looks like {guessed}" if guessed else "no encoding fits"
            raise InputError(path, f"undecodable: not UTF-8 or a Chinese encoding ({found})") from None
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise InputError(path, f"undecodable as {encoding} ({error.reason})") from None
    controls = len(CONTROL_CHARACTER.findall(text))
    if controls > max(2, len(text) // 200):
        raise InputError(path, "binary file, not text")
    return text, encoding


def load_manifest(folder: Path) -> Manifest:
    """The folder's manifest.toml, validated; an empty one when there is none."""
    path = folder / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return Manifest(None)
    try:
        data = tomllib.loads(read_input(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"malformed manifest ({error})") from None
    documents = data.get("document", [])
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        raise InputError(path, "malformed manifest: [[document]] tables expected")
    manifest = Manifest(path)
    manifest.warnings += [f"{path}: unknown key '{key}' ignored" for key in data if key != "document"]
    root = folder.resolve()
    for number, entry in enumerate(documents, 1):
        name = entry.get("file")
        if not isinstance(name, str) or not name:
            raise InputError(path, f"malformed manifest: document {number} has no 'file'")
        target = (folder / name).resolve()
        if not target.is_relative_to(root):
            raise InputError(path, f"'{name}' is outside the corpus folder")
        if not target.is_file():
            raise InputError(path, f"names a missing file '{name}'")
        for key in sorted(set(entry) - MANIFEST_KEYS):
            manifest.warnings.append(f"{path}: unknown key '{key}' in document '{name}' ignored")
        relative = str(target.relative_to(root))
        if relative in manifest.entries:
            raise InputError(path, f"malformed manifest: '{name}' is listed twice (document {number})")
        manifest.entries[relative] = _manifest_entry(path, name, entry)
    return manifest


def _manifest_entry(path: Path, name: str, entry: dict) -> ManifestEntry:
    for key in ("street", "district", "city", "province", "source_url", "published"):
        if key in entry and not isinstance(entry[key], str | date):
            raise InputError(path, f"malformed manifest: '{key}' of '{name}' must be a string")
    if "year" in entry and not (isinstance(entry["year"], int) and 1900 < entry["year"] < 2200):
        raise InputError(path, f"malformed manifest: 'year' of '{name}' must be a year")
    published = entry.get("published")
    if isinstance(published, str):
        try:
            date.fromisoformat(published)
        except ValueError:
            raise InputError(path, f"malformed manifest: 'published' of '{name}' is not a date") from None
    return ManifestEntry(
        street=entry.get("street"),
        district=entry.get("district"),
        city=entry.get("city"),
        province=entry.get("province"),
        source_url=entry.get("source_url"),
        published=str(published) if published else None,
        year=entry.get("year"),
    )


def collect_files(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, corpus folder) for every report file (.txt, .html, .docx, .pdf, …) under the given
    files and folders."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            found += [
                (f, path)
                for f in sorted(path.rglob("*"))
                if f.suffix.lower() in READABLE_SUFFIXES and not f.name.startswith(".")
            ]
        elif path.exists() or path.is_symlink():  # a file, or what read_input refuses in one line
            found.append((path, path.parent))
        else:
            raise InputError(path, "no such file or folder")
    if not found:
        raise InputError(", ".join(map(str, paths)), "no report files found (.txt, .html, .docx, .pdf)")
    return found


def read_corpus(paths: list[Path], rules: Rules) -> tuple[list[IngestedDocument], list[str]]:
    """Every document under paths, or an InputError naming every bad file; plus warnings."""
    documents, _, warnings, _ = read_changed(paths, rules, {})
    return documents, warnings


def read_changed(
    paths: list[Path], rules: Rules, stored: Mapping[str, str], skip_bad: bool = False
) -> tuple[list[IngestedDocument], list[str], list[str], list[InputError]]:
    """Like read_corpus, but a file whose name and sha256 are in `stored` is only named, in the
    second list, not decoded and parsed again: a re-run of an unchanged corpus reads bytes only.

    Every file is read with the manifest.toml nearest above it. Every bad file is tried: with
    skip_bad they come back in the last list, else they are raised together (BadFiles)."""
    manifests: dict[Path, Manifest] = {}
    documents: list[IngestedDocument] = []
    unchanged: list[str] = []
    bad: list[InputError] = []
    named: set[str] = set()  # the problems of `bad`, as printed
    seen: dict[str, Path] = {}
    for file, folder in collect_files(paths):
        try:
            if file.name in seen:
                raise InputError(file, f"another file named '{file.name}' is in the same request")
            seen[file.name] = file
            home = nearest_manifest_folder(file, folder)
            manifest = manifests.get(home) or manifests.setdefault(home, load_manifest(home))
            raw = read_input(file)
            if stored.get(file.name) == hashlib.sha256(raw).hexdigest():
                unchanged.append(file.name)
                continue
            key = str(file.resolve().relative_to(home.resolve()))
            documents.append(read_document(file, manifest.entries.get(key, ManifestEntry()), rules, raw))
        except InputError as error:
            if str(error) not in named:  # a bad manifest is named once, not once per file
                named.add(str(error))
                bad.append(error)
    if bad and not skip_bad:
        raise bad[0] if len(bad) == 1 else BadFiles(bad)
    warnings = [w for manifest in manifests.values() for w in manifest.warnings]
    warnings += [f"{document.path}: {w}" for document in documents for w in document.warnings]
    return documents, unchanged, warnings, bad


def content_digest(norm: NormalizedText, sections: list[SectionSpan], rules: Rules) -> str:
    """A digest of the report's parts as read, page furniture and line breaks left out: the same
    report in another encoding, with other line ends, or as .txt, a saved page, .docx or .pdf has
    the same one, so it is stored once."""
    digest = hashlib.sha256()
    for section in sections:
        digest.update(f"\n{section.role} {section.period}\n".encode())
        for line in section_lines(norm, section, rules):
            digest.update("".join(line.text.split()).encode())
    return digest.hexdigest()


def nearest_manifest_folder(file: Path, root: Path) -> Path:
    """The folder between the file and the request's folder (root) nearest to the file that
    holds a manifest.toml; root when none does. A manifest applies to its folder and below."""
    folder = file.parent
    while folder != root and root in folder.parents and not (folder / MANIFEST_NAME).exists():
        folder = folder.parent
    return folder if (folder / MANIFEST_NAME).exists() else root


def read_document(
    path: Path, entry: ManifestEntry, rules: Rules, raw: bytes | None = None
) -> IngestedDocument:
    """One report file (its bytes when already read), decoded, with its metadata and parts."""
    raw = read_input(path) if raw is None else raw
    source = read_text(raw, path, rules)
    text = source.text
    norm = normalize(text)
    title = source.title or find_title(norm, rules)
    hints = PlaceHints(entry.street, entry.district, entry.city, entry.province)
    reading = read_place(norm.text, title, hints, load_gazetteer(rules.directory))
    place = reading.place or Place("")
    try:
        sections = find_sections(norm, rules, title, entry.year)
    except NoSectionError as error:
        raise InputError(path, str(error)) from None
    return IngestedDocument(
        name=path.name,
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=source.encoding,
        text=text,
        title=title,
        text_sha256=content_digest(norm, sections, rules),
        street=place.street,
        district=place.district,
        city=place.city,
        province=place.province or None,
        place=reading.key,
        place_note=reading.note or (None if reading.key else "place unknown: no township named"),
        source_url=entry.source_url or source.source_url,
        published=entry.published or source.published or find_published(norm.text, rules),
        years=sorted(set(years_in(norm.text))) or ([entry.year] if entry.year else []),
        sections=sections,
        synthetic=rules.cruft.marks_synthetic(text),
        warnings=list(source.warnings),
    )


def read_text(raw: bytes, path: Path, rules: Rules) -> SourceText:
    """The report text of a file of any readable format, told by its content."""
    source_format = sniff_format(raw)
    if source_format is SourceFormat.TEXT:
        text, encoding = decode(raw, path)
        return SourceText(text, encoding, source_format)
    _check_source_size(path, len(raw))
    try:
        source = read_source(raw, source_format, rules)
    except UnreadableSource as error:
        raise InputError(path, str(error)) from None
    if len(source.text.encode()) > MAX_REPORT_BYTES:
        raise InputError(
            path, f"its text is over the {MAX_REPORT_BYTES:,}-byte limit for one report (split it)"
        )
    return source


def find_title(norm: NormalizedText, rules: Rules) -> str:
    """The first line that is not page furniture (a page may print a dozen lines of metadata
    above its title), when it is short and no sentence: a page that opens with a paragraph or a
    numbered part heading has no title. An unnumbered heading may be the title ("某某镇2023年工作
    总结"); a table's bars are left out. The value under a furniture label standing alone
    ("索引号:" then the code) is furniture too."""
    lines = [line for line in norm.text.split("\n") if line]
    content = (
        line
        for line, before in zip(lines, ["", *lines], strict=False)
        if not rules.cruft.is_cruft(line) and not (before.endswith(":") and rules.cruft.is_cruft(before))
    )
    first = next(content, "")
    if opens_part(first, rules) and (HEADING_NUMBER.match(first) or not heading_role(first, rules)):
        return ""
    if len(first) > 80 or first.endswith("。"):
        return ""
    return first.strip(FRAME)


def find_published(text: str, rules: Rules) -> str | None:
    for pattern in rules.cruft.published_patterns:
        match = pattern.search(text)
        if match:
            try:
                return date.fromisoformat(
                    "-".join(f"{int(p):02d}" for p in match.group(1).split("-"))
                ).isoformat()
            except ValueError:
                continue
    return None
