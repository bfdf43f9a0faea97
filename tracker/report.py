"""What the terminal shows: ingest results, stored documents."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from tracker.store import IngestResult, list_documents


def print_ingest_result(result: IngestResult, console: Console) -> None:
    for label, names in (
        ("added", result.added),
        ("replaced", result.replaced),
        ("unchanged", result.unchanged),
    ):
        for name in names:
            console.print(f"{label:>9}  {name}", highlight=False)
    for name, twin in result.duplicates:
        console.print(
            f"[yellow]duplicate[/]  {name}: same content as {twin}, skipped", highlight=False
        )


def print_documents(engine: Engine, console: Console, as_json: bool = False) -> None:
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
                        "title": document.title,
                        "published": document.published,
                        "source_url": document.source_url,
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
    for column in ("document", "street", "district", "parts"):
        table.add_column(column)
    for document, sections in rows:
        parts = ", ".join(f"{s.role} {s.period}" for s in sections)
        table.add_row(
            document.name, document.street or "unknown", document.district or "unknown", parts
        )
    console.print(table)
