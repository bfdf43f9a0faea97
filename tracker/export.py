"""`tracker export`: the scored commitment list as JSONL, CSV or XLSX, one commitment a row.

The fields and their order are an outside contract (docs: interfaces spec, "Export"); fields
added after them are extensions. Rows hold no timestamps, so the same store always gives the
same CSV and JSONL bytes. Files are written to a temporary name and renamed into place, so a
failed export never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.contract import REASON_MEANINGS, REASONS, STATUSES
from tracker.store_read import (
    CommitmentRow,
    MatchRow,
    PlanSource,
    StoredPlace,
    StoreReader,
    reviews,
    scored_rows,
    synthetic_documents,
)
from tracker.verdicts import Review, fulfilment_rate, outcome

if TYPE_CHECKING:  # openpyxl loads only when an XLSX file is written
    from openpyxl.styles import PatternFill

# The contract's fields, in the contract's order.
FIELDS = (
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
)
# Extensions, always after the contract's fields.
EXTRA_FIELDS = (
    "source_url",
    "ratio",
    "disputed",
    "awaited_period",
    "followup_docs",
    "explanation",
    "plan_title",
    "plan_published",
    "synthetic",
    "section_path",
    "province",
    "city",
)
COLUMNS = FIELDS + EXTRA_FIELDS
# XLSX only: the evidence as plain text for people, after every export field so that none moves.
XLSX_COLUMNS = (*COLUMNS, "evidence_text")
# XLSX sheet "streets": one line per place and plan period of the exported rows.
SUMMARY_COLUMNS = (
    "street",
    "district",
    "plan_period",
    "check",
    *STATUSES,
    "disputed",
    "rate",
    "synthetic",
    "city",
    "province",
)

TARGET_KEYS = ("quantity", "unit", "comparator", "raw")
EVIDENCE_KEYS = ("doc", "text", "char_start", "char_end")

STATUS_MEANINGS = {
    "done": "the follow-up report states the promised result, for every item and quantity",
    "partial": "the follow-up report shows delivery short of the promise",
    "missing": "no evidence in the follow-up report",
    "unverifiable": "not checkable, no follow-up report yet, or the planned period is not over",
}
STATUS_FILLS = {"done": "C6EFCE", "partial": "FFEB9C", "missing": "FFC7CE", "unverifiable": "D9D9D9"}
# XLSX: text cells for ids and codes (Excel turns long digit strings into floats).
TEXT_COLUMNS = ("commitment_id", "ref", "plan_period", "awaited_period")
WIDE_COLUMNS = {
    "text": 60,
    "evidence": 70,
    "explanation": 70,
    "section": 36,
    "items": 30,
    "targets": 30,
    "evidence_text": 70,
}
COLUMN_WIDTHS = {"commitment_id": 18, "street": 12, "district": 10, "ref": 6, "status": 13, "reason": 18}


def export_row(
    commitment: CommitmentRow,
    match: MatchRow,
    plan: PlanSource,
    review: Review | None = None,
    synthetic_docs: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One commitment as the contract's fields, then the extensions.

    A reviewer's decision overrides the machine's verdict (see tracker.verdicts): it adds the flag
    "reviewed" (and "changed_since_review" when a later run moved the machine's verdict), and
    accept, pick and set give the status, reason and evidence. `synthetic` says that the plan,
    a follow-up report or a quoted document is made-up test material (synthetic_docs).
    """
    # Three decimals like confidence: the same figure in every format (XLSX keeps 15 digits).
    ratio = None if match.ratio is None else round(match.ratio, 3)
    status, reason, evidence = outcome(match, review.decision if review else None)
    return {
        "commitment_id": commitment.id,
        "street": commitment.street,
        "district": commitment.district,
        "plan_doc": commitment.plan_doc,
        "plan_period": commitment.plan_period,
        "section": commitment.section,
        "ref": commitment.ref,
        "text": commitment.text,
        "char_start": commitment.char_start,
        "char_end": commitment.char_end,
        "checkable": commitment.checkable,
        "items": commitment.items,
        "targets": [export_target(target) for target in commitment.targets],
        "deadline": commitment.deadline,
        "status": status,
        "reason": reason,
        "flags": (match.flags + review.flags) if review else match.flags,
        "confidence": match.confidence,
        "followup_doc": match.followup_docs[0] if match.followup_docs else None,
        "evidence": [{key: quoted[key] for key in EVIDENCE_KEYS} for quoted in evidence],
        "review": review.contract() if review else None,
        "source_url": plan.source_url,
        "ratio": ratio,
        "disputed": not review.settled if review else match.disputed,
        "awaited_period": match.awaited_period,
        "followup_docs": match.followup_docs,
        "explanation": match.explanation,
        "plan_title": plan.title or None,
        "plan_published": plan.published,
        "synthetic": any(
            doc in synthetic_docs
            for doc in (commitment.plan_doc, *match.followup_docs, *(quoted["doc"] for quoted in evidence))
        ),
        "section_path": commitment.section_path,
        "province": plan.province,
        "city": plan.city,
    }


def export_target(target: dict[str, Any]) -> dict[str, Any]:
    """The contract's target keys; whole quantities as integers (7, not 7.0)."""
    row = {key: target[key] for key in TARGET_KEYS}
    if isinstance(row["quantity"], float) and row["quantity"].is_integer():
        row["quantity"] = int(row["quantity"])
    return row


def commitment_rows(
    store: StoreReader, place: StoredPlace | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """The export rows of the store (one place, one status as reviewed), in a stable order."""
    found = reviews(store)
    synthetic = synthetic_documents(store)
    rows = [export_row(c, m, plan, found.get(c.id), synthetic) for c, m, plan in scored_rows(store, place)]
    return [row for row in rows if status is None or row["status"] == status]


def write(rows: list[dict[str, Any]], path: Path, fmt: str, encoding: str = "utf-8-sig") -> None:
    """Write rows in fmt to path atomically; encoding applies to CSV only."""
    with atomic_file(path) as temporary:
        if fmt == "jsonl":
            _write_jsonl(rows, temporary)
        elif fmt == "csv":
            _write_csv(rows, temporary, encoding)
        elif fmt == "xlsx":
            _write_xlsx(rows, temporary)
        else:
            raise ValueError(f"unknown export format {fmt!r}")


def write_text(path: Path, text: str) -> None:
    """A report page or picture, written as atomically as an export."""
    with atomic_file(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A fresh file beside path (so the rename cannot cross file systems), renamed onto it at the end.

    Its name holds the pid of the export writing it: the temporary files left by an export that
    was killed (its process gone) are removed first.
    """
    _remove_stale_temporaries(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # mode as umask allows
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of earlier exports to path whose process has ended."""
    own = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[0-9a-f]{{8}}\.tmp")
    for found in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if (match := own.fullmatch(found.name)) and not _running(int(match.group(1))):
            found.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only asks whether the process is there
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def _write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


# OWASP's CSV-injection guidance: a cell that opens with one of these is taken for a formula by
# Excel, WPS and LibreOffice (=HYPERLINK(…) becomes a live link). Such a text cell gets a leading
# apostrophe, which the spreadsheet shows as text; so does one that already opens with an
# apostrophe, so that reading back is exact: drop one leading apostrophe from every text cell.
FORMULA_OPENINGS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_cell(value: Any) -> Any:
    """CSV text of a value: JSON for lists, objects and booleans; empty for null; a text that a
    spreadsheet would run as a formula neutralised; numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool | list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_OPENINGS):
        return "'" + value
    return value


def _write_csv(rows: list[dict[str, Any]], path: Path, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([csv_cell(row[name]) for name in COLUMNS])


def xlsx_cell(value: Any) -> Any:
    """XLSX value: JSON text for lists and objects; booleans and numbers native; null empty."""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses
    return value


def evidence_text(evidence: list[dict[str, Any]]) -> str:
    """The quotes as a person reads them: `document [start:end] text`, one a line."""
    return "\n".join(f"{q['doc']} [{q['char_start']}:{q['char_end']}] {q['text']}" for q in evidence)


def summary_rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """One line per place and plan period of the rows (two same-named streets of two provinces are
    two): check (full or interim), counts per status, disputed, fulfilment rate (as the report
    computes it) and whether a synthetic document is in it."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        place = tuple(row[level] or "" for level in ("province", "city", "district"))
        key = (row["street"] is None, row["street"] or "", row["plan_period"], *place)
        groups.setdefault(key, []).append(row)
    lines = []
    for _, members in sorted(groups.items()):
        counts = Counter(row["status"] for row in members)
        rate = fulfilment_rate(counts)
        first = members[0]
        lines.append(
            (
                first["street"],
                first["district"],
                first["plan_period"],
                "interim" if any("interim" in row["flags"] for row in members) else "full",
                *(counts.get(status, 0) for status in STATUSES),
                sum(row["disputed"] for row in members),
                None if rate is None else round(rate, 3),
                any(row["synthetic"] for row in members),
                first["city"],
                first["province"],
            )
        )
    return lines


# The legend sheet: every code and mark a reader meets in the workbook, in words.
LEGEND_NOTES = (
    (
        "interim (flag; check)",
        "an annual plan checked against a half-year summary only: what is not yet "
        "reported is not yet due, so its rate is not comparable with a whole year's",
    ),
    (
        "synthetic",
        "the plan, a follow-up report or a quoted document says in its first line that it is "
        "made-up test material, not a real government report",
    ),
    ("section_path", "the part heading, then every sub-heading down to `section`"),
    ("evidence_text", "the evidence as plain text: document [start:end] quote, one a line"),
    ("lists and objects", "JSON text, as in the JSONL export"),
    (
        "streets (sheet)",
        "one line per place (street, district, city, province) and plan period of this file: "
        "counts per status, disputed, "
        "and rate = (done + ½ × partial) ÷ (done + partial + missing)",
    ),
)


def _write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    # openpyxl (and numpy under it) loads only here: report and the other formats start faster
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "commitments"
    sheet.append(XLSX_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(rows, start=2):
        values = {**row, "evidence_text": evidence_text(row["evidence"])}
        for column, name in enumerate(XLSX_COLUMNS, start=1):
            cell = sheet.cell(row=number, column=column, value=xlsx_cell(values[name]))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text that starts with "=" stays text, never a formula
            if name in TEXT_COLUMNS:
                cell.number_format = "@"
            cell.alignment = wrapped if name in WIDE_COLUMNS else top
        status = sheet.cell(row=number, column=COLUMNS.index("status") + 1)
        status.fill = _status_fill(row["status"])
    for column, name in enumerate(XLSX_COLUMNS, start=1):
        width = WIDE_COLUMNS.get(name) or COLUMN_WIDTHS.get(name) or max(len(name) + 2, 10)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_COLUMNS))}{len(rows) + 1}"

    summary = workbook.create_sheet("streets")
    summary.append(SUMMARY_COLUMNS)
    for cell in summary[1]:
        cell.font = Font(bold=True)
        if cell.value in STATUS_FILLS:
            cell.fill = _status_fill(cell.value)
    for line in summary_rows(rows):
        summary.append(line)
        for cell in summary[summary.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a street named "=…" stays text here too
        summary.cell(row=summary.max_row, column=SUMMARY_COLUMNS.index("plan_period") + 1).number_format = "@"
        summary.cell(row=summary.max_row, column=SUMMARY_COLUMNS.index("rate") + 1).number_format = "0%"
    for column, name in enumerate(SUMMARY_COLUMNS, start=1):
        summary.column_dimensions[get_column_letter(column)].width = max(len(name) + 2, 10)
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_COLUMNS))}{summary.max_row}"

    legend = workbook.create_sheet("legend")
    legend.append(("status", "meaning"))
    for status_name, meaning in STATUS_MEANINGS.items():
        legend.append((status_name, meaning))
        legend.cell(row=legend.max_row, column=1).fill = _status_fill(status_name)
    legend.append(())
    legend.append(("reason", "meaning"))
    for status_name, reasons in REASONS.items():
        for reason in reasons:
            legend.append((reason, f"{status_name}: {REASON_MEANINGS[reason]}"))
    legend.append(())
    legend.append(("column or mark", "meaning"))
    for name, meaning in LEGEND_NOTES:
        legend.append((name, meaning))
    for line in legend.iter_rows():
        if line[0].value in ("status", "reason", "column or mark"):
            for cell in line:
                cell.font = Font(bold=True)
    legend.column_dimensions["A"].width = 22
    legend.column_dimensions["B"].width = 100
    workbook.save(path)


def _status_fill(status: str) -> PatternFill:
    """The solid fill of a status colour."""
    from openpyxl.styles import PatternFill

    colour = STATUS_FILLS[status]
    return PatternFill(start_color=colour, end_color=colour, fill_type="solid")
