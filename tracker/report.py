"""What the terminal shows: ingest results, stored documents and streets, progress of long runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tracker.contract import STATUSES
from tracker.ingest import IngestResult
from tracker.run_state import ScoreStats
from tracker.store_read import StoreReader, StreetOverview, street_overview
from tracker.street_report import compare_streets

if TYPE_CHECKING:  # the pipeline and the ORM load only for the commands that use them
    from sqlalchemy.engine import Engine

    from tracker.evaluate import Scores
    from tracker.pipeline import ProgressHook


def print_ingest_result(result: IngestResult, console: Console) -> None:
    for label, names in (
        ("added", result.added),
        ("replaced", result.replaced),
        ("unchanged", result.unchanged),
    ):
        for name in names:
            console.print(f"{label:>9}  {name}", highlight=False, markup=False)
    for name, twin in result.duplicates:
        console.print(
            f"[yellow]duplicate[/]  {escape(name)}: same content as {escape(twin)}, skipped", highlight=False
        )
    for line in result.skipped:
        console.print(f"[red]  skipped[/]  {escape(line)}", highlight=False, soft_wrap=True)  # one line each


def print_documents(engine: Engine, console: Console, as_json: bool = False) -> None:
    from tracker.store import list_documents

    rows = list_documents(engine)
    if as_json:
        for document, sections in rows:
            console.print_json(
                json.dumps(
                    {
                        "name": document.name,
                        "street": document.street,
                        "district": document.district,
                        "city": document.city,
                        "province": document.province,
                        "place_note": document.place_note,
                        "title": document.title,
                        "published": document.published,
                        "source_url": document.source_url,
                        "synthetic": document.synthetic,
                        "sections": [
                            {
                                "role": s.role,
                                "period": s.period,
                                "heading": s.heading,
                                "start": s.start,
                                "end": s.end,
                            }
                            for s in sections
                        ],
                    },
                    ensure_ascii=False,
                ),
                indent=None,
            )
        return
    table = Table(title="Stored documents")
    for column in ("document", *PLACE_COLUMNS, "parts", "synthetic"):
        table.add_column(column, overflow="fold", no_wrap=column == "street")
    for document, sections in rows:
        parts = ", ".join(f"{s.role} {s.period}" for s in sections)
        synthetic = Text("⚠ yes", style="bold yellow") if document.synthetic else Text("no")
        place = (document.street, document.district, document.city, document.province, document.place_note)
        table.add_row(document.name, *_place_cells(*place), parts, synthetic)
    console.print(table)
    if any(document.synthetic for document, _ in rows):
        console.print(
            "⚠ synthetic: the document's first line says it is made-up test material, "
            "not a real government report.",
            highlight=False,
        )
    _print_place_notes(console, [(document.name, document.place_note) for document, _ in rows])


PLACE_COLUMNS = ("street", "district", "city", "province")


def _place_cells(
    street: str | None, district: str | None, city: str | None, province: str | None, note: str | None
) -> list[str]:
    """Street, district, city and province; a street whose place is ambiguous is marked so."""
    ambiguous = " (ambiguous)" if street and note and note.startswith("ambiguous") else ""
    above = [level or "unknown" for level in (district, city, province)]
    return [f"{street or 'unknown'}{ambiguous}", *above]


def _print_place_notes(console: Console, notes: list[tuple[str, str | None]]) -> None:
    """Why documents pair with nothing: each ambiguous place, once, under the table."""
    for name, note in notes:
        if note and note.startswith("ambiguous"):
            console.print(Text(f"{name}: {note}", style="dim"), soft_wrap=True)


def print_scores(scores: Scores, console: Console, as_json: bool = False, errors: bool = False) -> None:
    """The figures of `tracker eval`: anchors, accuracy, macro-F1, per status, evidence, confusion."""
    figures = scores.as_dict()
    if as_json:
        console.print_json(json.dumps(figures, ensure_ascii=False))
        return
    console.print(
        f"gold lines {figures['gold_lines']}  anchors found {figures['anchors_found']:.1%}  "
        f"status accuracy {figures['status_accuracy']:.1%}  macro-F1 {figures['macro_f1']:.3f}  "
        f"evidence accuracy {figures['evidence_accuracy']:.1%}  "
        f"reason accuracy {figures['reason_accuracy']:.1%}",
        highlight=False,
    )
    table = Table(title="Per status")
    for column in ("status", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column != "status" else "left")
    for status, row in figures["per_status"].items():
        table.add_row(
            status,
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            str(row["support"]),
        )
    console.print(table)
    matrix = Table(title="Confusion (rows: gold, columns: predicted)")
    matrix.add_column("gold")
    for status in STATUSES:
        matrix.add_column(status, justify="right")
    confusion = scores.confusion()
    for gold in STATUSES:
        matrix.add_row(gold, *(str(confusion.get((gold, predicted), 0)) for predicted in STATUSES))
    console.print(matrix)
    if errors:
        for outcome in scores.outcomes:
            if outcome.predicted == outcome.gold.status and outcome.evidence_ok is not False:
                continue
            got = outcome.problem or f"{outcome.predicted}/{outcome.reason}"
            evidence = " evidence-missed" if outcome.evidence_ok is False else ""
            console.print(
                f"{outcome.gold.source}  {outcome.gold.anchor}  "
                f"gold {outcome.gold.status}/{outcome.gold.reason}  got {got}{evidence}  "
                f"[{outcome.commitment_id}]",
                highlight=False,
                markup=False,
            )


def print_score_stats(stats: ScoreStats, console: Console) -> None:
    share = stats.pairs_examined / stats.all_pairs if stats.all_pairs else 0.0
    console.print(
        f"extracted {stats.extracted_documents} document(s); scored {stats.commitments} commitments; "
        f"candidate pairs examined {stats.pairs_examined} of {stats.all_pairs} ({share:.1%})",
        highlight=False,
    )


def print_status_summary(store: StoreReader, console: Console) -> None:
    """Counts per status for each street and plan period: what the tracker concluded."""
    table = Table(title="Commitments per status (missing = no evidence in the follow-up report)")
    for column in ("street", "plan period", *STATUSES, "disputed"):
        table.add_column(column, justify="left" if column in ("street", "plan period") else "right")
    for row in sorted(compare_streets(store), key=lambda row: (row.street or "unknown", row.period)):
        counts = (str(row.counts.get(status, 0)) for status in STATUSES)
        table.add_row(row.label, row.period, *counts, str(row.disputed))
    console.print(table)


# The columns of `streets`: header, and the widest its cells may be on a narrow terminal. Rich
# narrows the widest columns to one width when a table is too wide for the terminal, which wraps
# the longer headers ("commitm/ents"); these caps (with the one-cell gaps) add up to 80, so at 80
# columns nothing is narrowed and every header stays on its line. Numbers never wrap, nor need to.
STREETS_COLUMNS = (
    ("street", 11),
    ("district", 8),
    ("city", 9),
    ("province", 8),
    ("documents", 9),
    ("plans", 8),
    ("summaries", 9),
    ("commitments", 11),
)
NUMBER_COLUMNS = ("documents", "commitments")
UNBOUNDED = 10_000  # columns: to measure a table as wide as its cells


def streets_table(rows: list[StreetOverview], console: Console) -> Table:
    """The `streets` table: each column as wide as its cells when the terminal is wide enough, else
    capped (names and period lists fold), never narrower than its header."""
    table = _streets_table(rows, capped=False)
    natural = console.measure(table, options=console.options.update_width(UNBOUNDED)).maximum
    return table if natural <= console.width else _streets_table(rows, capped=True)


def _streets_table(rows: list[StreetOverview], capped: bool) -> Table:
    table = Table(title="Stored streets", box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 0))
    for header, cap in STREETS_COLUMNS:
        number = header in NUMBER_COLUMNS
        table.add_column(
            header,
            justify="right" if number else "left",
            overflow="fold",
            no_wrap=number,
            min_width=cell_len(header),
            max_width=cap if capped and not number else None,
        )
    for row in rows:
        table.add_row(
            *_place_cells(row.street, row.district, row.city, row.province, row.note),
            str(row.documents),
            ", ".join(row.plan_periods) or "—",
            ", ".join(row.summary_periods) or "—",
            str(row.commitments),
        )
    return table


def print_streets(store: StoreReader, console: Console, as_json: bool = False) -> None:
    """One row per street: what is stored for it, so a reader knows which reports to ask for."""
    rows = street_overview(store)
    if as_json:
        for row in rows:
            console.print_json(json.dumps(asdict(row), ensure_ascii=False), indent=None)
        return
    console.print(streets_table(rows, console))
    _print_place_notes(console, [(row.street or "unknown", row.note) for row in rows])


@contextmanager
def progress_hook(console: Console) -> Iterator[ProgressHook | None]:
    """Progress bars for the pipeline's stages on a terminal; None (no bars) in piped output."""
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, completed: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=completed, total=total)

        yield advance
