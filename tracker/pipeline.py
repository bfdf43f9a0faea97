"""The stages in the order data flows: ingest → sections → extract → link → score → store."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from rich.console import Console
from sqlalchemy.engine import Engine

from tracker import report
from tracker.bundled import bundled_dir
from tracker.ingest import read_corpus
from tracker.rules import Rules
from tracker.store import IngestResult, database_url, open_store, store_documents


def ingest_paths(paths: list[Path], rules: Rules, engine: Engine, console: Console) -> IngestResult:
    """Read every file first, then store all in one transaction: a bad file writes nothing."""
    documents, warnings = read_corpus(paths, rules)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    return store_documents(engine, documents)


def demo_corpus() -> list[Path]:
    return [bundled_dir("seeds"), bundled_dir("fixtures") / "corpus"]


def run_demo(db: str | None, rules: Rules, console: Console) -> None:
    """The bundled corpus through the pipeline into a store of its own, then what it holds."""
    if db is None:
        folder = Path(platformdirs.user_data_dir("tracker"))
        folder.mkdir(parents=True, exist_ok=True)
        db = str(folder / "demo.db")
    engine = open_store(database_url(db))
    console.print(f"Demo store: {database_url(db)}", highlight=False)
    result = ingest_paths(demo_corpus(), rules, engine, console)
    report.print_ingest_result(result, console)
    report.print_documents(engine, console)
