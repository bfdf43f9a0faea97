"""The `tracker` command: a thin click layer over the pipeline modules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from tracker import explain, export, pipeline, report
from tracker.evaluate import STATUSES, evaluate, read_gold
from tracker.ingest import InputError
from tracker.rules import Rules, RulesError, load_rules
from tracker.store import commitment_detail, commitment_ids_starting_with, database_url, open_store


class BadInput(click.ClickException):
    """Bad input or usage: one line naming the file and the problem, exit code 2."""

    exit_code = 2


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        envvar="TRACKER_DB",
        default=None,
        help="Database URL or SQLite file (default: tracker.db here; env TRACKER_DB).",
    )(command)


def rules_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rules_dir",
        envvar="TRACKER_RULES",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder of rule files overriding the bundled rules/ (env TRACKER_RULES).",
    )(command)


def input_errors_exit_2(command: Callable[..., Any]) -> Callable[..., Any]:
    """Domain input errors become one-line messages with exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (InputError, RulesError) as error:
            raise BadInput(str(error)) from None

    return wrapper


def get_rules(ctx: click.Context, rules_dir: Path | None) -> Rules:
    return load_rules(rules_dir or ctx.obj.get("rules_dir"))


@click.group()
@click.version_option(package_name="tracker")
@db_option
@rules_option
@click.pass_context
def cli(ctx: click.Context, db: str | None, rules_dir: Path | None) -> None:
    """Check each 街道 plan (工作计划) against the later summary (工作总结) of the same street."""
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, rules_dir=rules_dir)


def engine_for(ctx: click.Context, db: str | None):
    return open_store(database_url(db or ctx.obj.get("db")))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def ingest(ctx: click.Context, paths: tuple[Path, ...], db: str | None, rules_dir: Path | None) -> None:
    """Store report files (.txt, or folders of them) with their metadata and parts.

    Example:

        tracker ingest seeds/ fixtures/corpus/
    """
    console = Console()
    result = pipeline.ingest_paths(list(paths), get_rules(ctx, rules_dir), engine_for(ctx, db), console)
    report.print_ingest_result(result, console)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def run(ctx: click.Context, paths: tuple[Path, ...], db: str | None, rules_dir: Path | None) -> None:
    """Ingest every *.txt under the folders, then extract, link and score.

    Example:

        tracker run seeds/ fixtures/corpus/
    """
    console = Console()
    rules = get_rules(ctx, rules_dir)
    engine = engine_for(ctx, db)
    report.print_ingest_result(pipeline.ingest_paths(list(paths), rules, engine, console), console)
    report.print_score_stats(pipeline.score(engine, rules), console)


@cli.command()
@click.option("--street", default=None, help="Only this street (e.g. 西乡街道).")
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def score(ctx: click.Context, street: str | None, db: str | None, rules_dir: Path | None) -> None:
    """(Re)extract, link and score what is stored.

    Example:

        tracker score --street 西乡街道
    """
    stats = pipeline.score(engine_for(ctx, db), get_rules(ctx, rules_dir), street)
    report.print_score_stats(stats, Console())


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.pass_context
def docs(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the stored documents with their street, periods and parts.

    Example:

        tracker docs --json
    """
    report.print_documents(engine_for(ctx, db), Console(), as_json=as_json)


@cli.command()
@click.option("--db", default=None, help="Where the demo store goes (default: a user data folder).")
@click.pass_context
@input_errors_exit_2
def demo(ctx: click.Context, db: str | None) -> None:
    """Run the whole pipeline on the bundled seeds and synthetic fixtures.

    Example:

        tracker demo
    """
    console = Console()
    rules = get_rules(ctx, None)
    engine, url = pipeline.demo_engine(db)
    console.print(f"Demo store: {url}", highlight=False)
    report.print_ingest_result(pipeline.ingest_paths(pipeline.demo_corpus(), rules, engine, console), console)
    report.print_score_stats(pipeline.score(engine, rules), console)
    report.print_documents(engine, console)
    report.print_status_summary(engine, console)


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--errors", is_flag=True, help="List every gold line the tracker got wrong.")
@click.pass_context
@input_errors_exit_2
def eval_command(
    ctx: click.Context, gold: tuple[Path, ...], db: str | None, as_json: bool, errors: bool
) -> None:
    """Accuracy of the stored verdicts against gold labels (.jsonl files or folders).

    Example:

        tracker run seeds/ fixtures/corpus/ && tracker eval fixtures/gold/
    """
    scores = evaluate(engine_for(ctx, db), read_gold(list(gold)))
    report.print_scores(scores, Console(), as_json=as_json, errors=errors)


@cli.command(name="export")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), required=True, help="File format.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (replaced whole, never half-written).",
)
@click.option("--street", default=None, help="Only this street (e.g. 西乡街道).")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only this status.")
@click.option(
    "--encoding",
    type=click.Choice(export.CSV_ENCODINGS),
    default=None,
    help="CSV only: utf-8-sig (default; the BOM makes spreadsheet programs show Chinese) or utf-8.",
)
@db_option
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str,
    output: Path,
    street: str | None,
    status: str | None,
    encoding: str | None,
    db: str | None,
) -> None:
    """Write the scored commitments, one a row, with verdict, evidence and explanation.

    Lists and objects are JSON text in CSV and XLSX cells; JSONL is UTF-8 without a BOM.

    Example:

        tracker export --format xlsx -o xixiang.xlsx --street 西乡街道
    """
    if encoding and fmt != "csv":
        raise BadInput(f"{output}: --encoding applies to CSV only")
    if not output.parent.is_dir():
        raise BadInput(f"{output}: no such folder {output.parent}")
    rows = export.commitment_rows(engine_for(ctx, db), street, status)
    if not rows:
        click.echo(
            f"warning: no scored commitments for street {street or 'any'}, status {status or 'any'}; "
            f"writing an empty {fmt.upper()} file",
            err=True,
        )
    try:
        export.write(rows, output, fmt, encoding or "utf-8-sig")
    except OSError as error:
        raise click.ClickException(f"{output}: {error.strerror or error}") from None
    click.echo(f"exported {len(rows)} commitments to {output}")


@cli.command(name="explain")
@click.argument("commitment_id")
@db_option
@click.pass_context
def explain_command(ctx: click.Context, commitment_id: str, db: str | None) -> None:
    """Show one commitment, its verdict, its evidence and every rule that fired.

    COMMITMENT_ID is an id from the export, or a unique start of one.

    Example:

        tracker explain caeee08b
    """
    engine = engine_for(ctx, db)
    ids = commitment_ids_starting_with(engine, commitment_id)
    if len(ids) > 1:
        raise BadInput(f"{commitment_id}: ambiguous, {len(ids)} commitment ids start with it")
    detail = commitment_detail(engine, ids[0]) if ids else None
    if detail is None:
        raise BadInput(f"{commitment_id}: no commitment has this id")
    explain.print_explanation(detail, Console())
