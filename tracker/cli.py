"""The `tracker` command: a thin click layer over the pipeline modules.

Each command imports the modules it needs when it runs: `tracker --help`, `report` and `export`
never load spaCy, --help not even the store, and `report` and `export` not even SQLAlchemy: they
read the store through tracker.store_read.
"""

from __future__ import annotations

import functools
import getpass
import os
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker import terminal
from tracker.contract import CSV_ENCODINGS, FORMATS, STATUSES
from tracker.ingest import BadFiles, InputError
from tracker.rules import Rules, RulesError, load_rules
from tracker.store_errors import StoreBusy, StoreUnavailable, shown_url, store_failure
from tracker.store_read import AmbiguousStreet, StoredPlace, UnknownStreet
from tracker.terminal import one_line

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from tracker.store_read import StoreReader


class BadInput(click.ClickException):
    """Bad input or usage: one line naming the file and the problem, exit code 2."""

    exit_code = 2


class BadInputs(BadInput):
    """Several bad input files: a line that says so, then one line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class StoreFailed(click.ClickException):
    """The store failed while a command used it (damaged, or its server lost): one line naming
    the store and the problem, exit code 1."""


class TrackerGroup(click.Group):
    """Every error a command ends with is one line: a store that fails names itself, and no
    control character of a file name or value can break the line or drive the terminal."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BadInputs as error:
            error.message = "\n".join(map(one_line, error.lines))
            raise
        except click.ClickException as error:
            error.message = one_line(error.message)
            raise
        except Exception as error:
            problem = store_failure(error)
            if problem is None:
                raise
            store = shown_url(ctx.obj.get("url") or "the store")
            raise StoreFailed(one_line(f"{store}: {problem}")) from None


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


def workers_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--workers",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        callback=lambda _ctx, _param, workers: workers or os.cpu_count() or 1,
        help="Processes that segment and extract documents; 0 = one per core.",
    )(command)


PLACE_LEVELS = ("district", "city", "province")


def place_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--district, --city and --province, which choose among the stored places a --street name
    several share; the command gets them as one `levels` dict."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, levels={level: kwargs.pop(level) for level in PLACE_LEVELS}, **kwargs)

    for level, example in zip(PLACE_LEVELS, ("新吴区", "无锡市", "江苏省"), strict=True):
        wrapper = click.option(
            f"--{level}",
            default=None,
            help=f"With --street, when several places share its name: the one in this {level} "
            f"(e.g. {example}; '' for the one whose {level} is unknown).",
        )(wrapper)
    return wrapper


def chosen_place(store: StoreReader, street: str | None, levels: dict[str, str | None]) -> StoredPlace | None:
    """The stored place --street and the levels name (None for no --street); raises UnknownStreet or
    AmbiguousStreet, which list the stored places of the name."""
    from tracker.store_read import find_place

    if street is None:
        given = [f"--{level}" for level, value in levels.items() if value is not None]
        if given:
            raise BadInput(f"{', '.join(given)}: goes with --street, to choose among places of one name")
        return None
    return find_place(store, street, **levels)


def skip_bad_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--skip-bad",
        is_flag=True,
        help="Store the good files and list the bad ones (default: a bad file stores nothing).",
    )(command)


def input_errors_exit_2(command: Callable[..., Any]) -> Callable[..., Any]:
    """Domain input errors become one-line messages with exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BadFiles as error:
            raise BadInputs(error.lines()) from None
        except (InputError, RulesError, StoreBusy, StoreUnavailable, UnknownStreet, AmbiguousStreet) as error:
            raise BadInput(str(error)) from None

    return wrapper


def get_rules(ctx: click.Context, rules_dir: Path | None) -> Rules:
    return load_rules(rules_dir or ctx.obj.get("rules_dir"))


# What `tracker` alone prints: where to start, not every option (that is --help).
SHORT_HELP = """\
tracker: check each 街道 plan (工作计划) against the later summary (工作总结) of the same street.

  tracker demo                  try it on the bundled reports
  tracker run DIR...            ingest and score your reports (*.txt)
  tracker report --street S     a street's commitments, verdicts and evidence
  tracker export -o FILE.xlsx   the scored list as .csv, .jsonl or .xlsx
  tracker review                decide disputed verdicts, key by key

`tracker --help` lists every command; `tracker COMMAND --help` explains one."""


@click.group(cls=TrackerGroup, invoke_without_command=True)
@click.version_option(package_name="tracker")
@db_option
@rules_option
@click.pass_context
def cli(ctx: click.Context, db: str | None, rules_dir: Path | None) -> None:
    """Check each 街道 plan (工作计划) against the later summary (工作总结) of the same street."""
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, rules_dir=rules_dir)
    if ctx.invoked_subcommand is None:
        click.echo(SHORT_HELP)


def store_url(ctx: click.Context, db: str | None, create: bool) -> str:
    """The store's URL from --db; unless create, a SQLite file that is not there is refused.

    Only the commands that write (run, ingest, score) make a store, so a mistyped --db given to a
    reading command is an error, not a new empty store. A PostgreSQL database is made by its server.
    """
    from tracker.store_read import database_url, sqlite_file

    ctx.obj["url"] = url = database_url(db or ctx.obj.get("db"))  # named by a store's failure
    path = sqlite_file(url)
    if not create and path is not None and not path.exists():
        raise BadInput(f"no store at {path} (`tracker run DIR` makes one)")
    return url


def engine_for(ctx: click.Context, db: str | None, create: bool = False):
    from tracker.store import open_store

    return open_store(store_url(ctx, db, create))


def reader_for(
    ctx: click.Context, db: str | None, create: bool = False
) -> AbstractContextManager[StoreReader]:
    """A read-only snapshot of the store, read without SQLAlchemy when it is current."""
    from tracker.store_read import connect

    return connect(store_url(ctx, db, create))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@skip_bad_option
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], skip_bad: bool, db: str | None, rules_dir: Path | None
) -> None:
    """Store report files (.txt, .html, .docx, .pdf, or folders of them) with their metadata and parts.

    Example:

        tracker ingest seeds/ fixtures/corpus/
    """
    from tracker import pipeline, report
    from tracker.store import exclusive_run

    console = terminal.console()
    engine = engine_for(ctx, db, create=True)
    with exclusive_run(engine, "ingest"):
        result = pipeline.ingest_paths(list(paths), get_rules(ctx, rules_dir), engine, console, skip_bad)
    report.print_ingest_result(result, console)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@workers_option
@skip_bad_option
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def run(
    ctx: click.Context,
    paths: tuple[Path, ...],
    workers: int,
    skip_bad: bool,
    db: str | None,
    rules_dir: Path | None,
) -> None:
    """Ingest every report file (.txt, .html, .docx, .pdf) under the folders, then extract, link
    and score what changed.

    Each file is read with the manifest.toml nearest above it. A re-run extracts only new and
    changed reports and scores only their streets; `tracker score` scores everything again.

    Example:

        tracker run seeds/ fixtures/corpus/ --workers 0
    """
    from tracker import report
    from tracker.ingest import IngestResult
    from tracker.nlp import chosen_segmenter
    from tracker.run_state import ScoreStats, unchanged_corpus

    console = terminal.console()
    rules = get_rules(ctx, rules_dir)
    with reader_for(ctx, db, create=True) as store:
        unchanged = unchanged_corpus(list(paths), rules, chosen_segmenter(), store)
    if unchanged is not None:  # as stored, extracted and scored: nothing to load the pipeline for
        report.print_ingest_result(IngestResult(unchanged=unchanged), console)
        report.print_score_stats(ScoreStats(), console)
        return
    from tracker import pipeline
    from tracker.store import exclusive_run

    engine = engine_for(ctx, db, create=True)
    with exclusive_run(engine, "run"):
        ingested = pipeline.ingest_paths(list(paths), rules, engine, console, skip_bad)
        report.print_ingest_result(ingested, console)
        with report.progress_hook(console) as progress:
            stats = pipeline.score(engine, rules, progress=progress, workers=workers, changed_only=True)
    report.print_score_stats(stats, console)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="The corpus folder the pages, attachments and manifest.toml go to.",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds between two requests to one host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds to wait for an answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Tries again after a time-out or a busy server, waiting longer each time.",
)
@rules_option
@click.pass_context
@input_errors_exit_2
def fetch(
    ctx: click.Context,
    urls: tuple[str, ...],
    into: Path,
    delay: float,
    timeout: float,
    retries: int,
    rules_dir: Path | None,
) -> None:
    """Download report pages and the .docx/.pdf/.wps files they link to into a corpus folder,
    with a manifest.toml entry for each (source_url, published, fetched_at).

    A page that fails is named with its reason (exit code 1); the others are kept.

    Example:

        tracker fetch https://www.example.gov.cn/art/2024/3/21/art_1.html --into reports/
        tracker run reports/
    """
    from tracker.fetch import FetchSettings, PoliteClient, fetch_reports

    client = PoliteClient(FetchSettings(delay=delay, timeout=timeout, retries=retries))
    try:
        saved, failed = fetch_reports(list(urls), into, get_rules(ctx, rules_dir), client)
    finally:
        client.close()
    for page in saved:
        files = [name for name in (page.file, *page.attachments) if name]
        click.echo(f"saved {', '.join(str(into / name) for name in files)}  ← {page.url}")
    for page in failed:
        click.echo(f"{page.url}: {page.reason}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


@cli.command()
@click.option("--street", default=None, help="Only this street (e.g. 西乡街道).")
@workers_option
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def score(
    ctx: click.Context, street: str | None, workers: int, db: str | None, rules_dir: Path | None
) -> None:
    """(Re)extract, link and score what is stored.

    Example:

        tracker score --street 西乡街道
    """
    from tracker import pipeline, report
    from tracker.store import exclusive_run

    console = terminal.console()
    engine = engine_for(ctx, db, create=True)
    with exclusive_run(engine, "score"), report.progress_hook(console) as progress:
        stats = pipeline.score(engine, get_rules(ctx, rules_dir), street, progress, workers)
    report.print_score_stats(stats, console)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.pass_context
@input_errors_exit_2
def docs(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the stored documents with their street, periods and parts.

    Example:

        tracker docs --json
    """
    from tracker import report

    report.print_documents(engine_for(ctx, db), terminal.console(), as_json=as_json)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per street.")
@click.pass_context
@input_errors_exit_2
def streets(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the stored streets: district, documents, plan and summary periods, commitments.

    Example:

        tracker streets --json
    """
    from tracker import report

    with reader_for(ctx, db) as store:
        report.print_streets(store, terminal.console(), as_json=as_json)


@cli.command(name="report")
@click.option("--street", default=None, help="The street to report on (e.g. 西乡街道).")
@place_options
@click.option("--all", "all_streets", is_flag=True, help="Compare every place, one row per plan period.")
@click.option("--period", default=None, help="Only the plan of this period (e.g. 2025, 2024H2).")
@click.option(
    "--status", type=click.Choice(STATUSES), default=None, help="Only commitments with this status."
)
@click.option("--disputed", is_flag=True, help="Only disputed commitments (those that go to review).")
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also save the report as a web page (tables per plan section; opens offline).",
)
@click.option(
    "--svg",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also save a picture (SVG) of the overview: per plan its facts and one line per section.",
)
@click.option(
    "--width",
    type=click.IntRange(min=60),
    default=None,
    help="Columns to lay the report out in (default: the terminal's, or 80 when piped).",
)
@db_option
@click.pass_context
@input_errors_exit_2
def report_command(
    ctx: click.Context,
    street: str | None,
    levels: dict[str, str | None],
    all_streets: bool,
    period: str | None,
    status: str | None,
    disputed: bool,
    html: Path | None,
    svg: Path | None,
    width: int | None,
    db: str | None,
) -> None:
    """Print what each plan promised and what the follow-up report shows, with the evidence.

    With --street: per plan of the street, its follow-up report, counts per status, the fulfilment
    rate, then every commitment with its verdict and quoted evidence; a name several stored places
    share is refused, listing them, until --district, --city or --province chooses one. With --all:
    one row per place and plan period, best fulfilment rate first. Colour only on a terminal (and not
    with NO_COLOR set). --html saves the report as a web page that opens offline, --svg a
    picture of its overview.

    Example:

        tracker report --street 西乡街道 --period 2024 --svg xixiang.svg
    """
    from tracker import export, street_report

    if bool(street) == all_streets:
        raise BadInput("report: give either --street S or --all")
    if all_streets and (status or disputed):
        raise BadInput("report: --status and --disputed apply to --street, --all compares whole plans")
    for path in (html, svg):
        if path is not None and not path.parent.is_dir():
            raise BadInput(f"{path}: no such folder {path.parent}")
    with reader_for(ctx, db) as store:  # read it all first: the store is not held while laying out
        place = chosen_place(store, street, levels)
        if place is None:
            rows = street_report.compare_streets(store, period)
        else:
            try:
                built = street_report.build_street_report(store, place, period, status, disputed)
            except street_report.ReportError as error:
                raise BadInput(str(error)) from None
    console = terminal.console(width=width)
    if all_streets:
        if period and not rows:
            raise BadInput(f"{period}: no scored plan of any street for this period")
        street_report.print_comparison(rows, console)
        title = "tracker report --all"
    else:
        street_report.print_street_report(built, console)
        title = f"tracker report: {street}"
    try:
        if html:
            from tracker import report_html

            page = report_html.comparison_page(rows) if all_streets else report_html.street_page(built)
            export.write_text(html, page)
        if svg:
            picture = (
                street_report.comparison_renderables(rows)
                if all_streets
                else street_report.street_renderables(built, overview=True)
            )
            export.write_text(
                svg, street_report.svg_picture(picture, title, width or street_report.PICTURE_WIDTH)
            )
    except OSError as error:
        raise click.ClickException(f"{error.filename}: {error.strerror or error}") from None


@cli.command()
@click.option("--db", default=None, help="Where the demo store goes (default: a user data folder).")
@click.pass_context
@input_errors_exit_2
def demo(ctx: click.Context, db: str | None) -> None:
    """Run the whole pipeline on the bundled seeds and synthetic fixtures.

    Example:

        tracker demo
    """
    from tracker import pipeline, report
    from tracker.store import exclusive_run
    from tracker.store_read import reading, sqlite_file, street_overview

    console = terminal.console()
    rules = get_rules(ctx, None)
    engine, url = pipeline.demo_engine(db)
    ctx.obj["url"] = url
    console.print(f"Demo store: {url}", highlight=False, markup=False)
    with exclusive_run(engine, "demo"):
        corpus = pipeline.demo_corpus()
        report.print_ingest_result(pipeline.ingest_paths(corpus, rules, engine, console), console)
        with report.progress_hook(console) as progress:
            stats = pipeline.score(engine, rules, progress=progress)
    report.print_score_stats(stats, console)
    report.print_documents(engine, console)
    with reading(engine) as store:
        report.print_status_summary(store, console)
        street = max(
            (row for row in street_overview(store) if row.street), key=lambda row: row.commitments
        ).street
    console.print("\nNext, on this store:", style="bold")
    for command in (
        ["report", "--street", street],
        ["export", "-o", "tracker-demo.xlsx"],
        ["review", "--street", street],
    ):
        line = " ".join(map(shell_word, [command_name(), "--db", str(sqlite_file(url) or url), *command]))
        console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)


def shell_word(text: str) -> str:
    """text as one word of a shell command: as it is when letters and digits (Chinese ones too)."""
    return text if text.isalnum() else shlex.quote(text)


def command_name() -> str:
    """How to type this tracker: `tracker` when the PATH finds this one, else its script's whole path
    (bootstrap.py runs the demo from the clone's root, which need not be the user's folder)."""
    script = Path(sys.executable).parent / "tracker"
    found = shutil.which("tracker")
    if not script.exists() or (found and Path(found).resolve() == script.resolve()):
        return "tracker"
    return str(script)


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
    from tracker import report
    from tracker.evaluate import evaluate, read_gold

    scores = evaluate(engine_for(ctx, db), read_gold(list(gold)))
    report.print_scores(scores, terminal.console(), as_json=as_json, errors=errors)


@cli.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="File format (default: the output file's extension).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (replaced whole, never half-written).",
)
@click.option("--street", default=None, help="Only this street (e.g. 西乡街道).")
@place_options
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only this status.")
@click.option(
    "--encoding",
    type=click.Choice(CSV_ENCODINGS),
    default=None,
    help="CSV only: utf-8-sig (default; the BOM makes spreadsheet programs show Chinese) or utf-8.",
)
@db_option
@click.pass_context
@input_errors_exit_2
def export_command(
    ctx: click.Context,
    fmt: str | None,
    output: Path,
    street: str | None,
    levels: dict[str, str | None],
    status: str | None,
    encoding: str | None,
    db: str | None,
) -> None:
    """Write the scored commitments, one a row, with verdict, evidence and explanation.

    The format is the output file's extension (.csv, .jsonl, .xlsx) unless --format names it.
    Lists and objects are JSON text in CSV and XLSX cells; JSONL is UTF-8 without a BOM.

    Example:

        tracker export -o xixiang.xlsx --street 西乡街道
    """
    from tracker import export

    fmt = export_format(output, fmt)
    if encoding and fmt != "csv":
        raise BadInput(f"{output}: --encoding applies to CSV only")
    if not output.parent.is_dir():
        raise BadInput(f"{output}: no such folder {output.parent}")
    with reader_for(ctx, db) as store:
        rows = export.commitment_rows(store, chosen_place(store, street, levels), status)
    if not rows:
        click.echo(
            one_line(
                f"warning: no scored commitments for street {street or 'any'}, status {status or 'any'}; "
                f"writing an empty {fmt.upper()} file"
            ),
            err=True,
        )
    try:
        export.write(rows, output, fmt, encoding or "utf-8-sig")
    except OSError as error:
        raise click.ClickException(f"{output}: {error.strerror or error}") from None
    click.echo(one_line(f"exported {len(rows)} commitments to {output}"))


def export_format(output: Path, fmt: str | None) -> str:
    """The format --format names, else the one output's extension names; they must agree."""
    extension = output.suffix.lower().removeprefix(".")
    if fmt is None:
        if extension not in FORMATS:
            raise BadInput(f"{output}: give --format ({'|'.join(FORMATS)}); the file name does not say which")
        return extension
    if extension in FORMATS and extension != fmt:
        raise BadInput(f"{output}: a .{extension} file, but --format is {fmt}")
    return fmt


@cli.command(name="explain")
@click.argument("commitment_id")
@db_option
@click.pass_context
@input_errors_exit_2
def explain_command(ctx: click.Context, commitment_id: str, db: str | None) -> None:
    """Show one commitment, its verdict, its evidence and every rule that fired.

    A reviewer's decision, which report and export show, is printed beside the machine's verdict;
    the candidate statements are numbered for `review --decide ID --status ST --evidence N`.

    COMMITMENT_ID is an id from the export, or a unique start of one.

    Example:

        tracker explain caeee08b
    """
    from tracker import decisions, explain
    from tracker.store import commitment_detail, commitment_ids_starting_with

    engine = engine_for(ctx, db)
    found = one_id(commitment_ids_starting_with(engine, commitment_id), commitment_id)
    detail = commitment_detail(engine, found)
    if detail is None:  # removed by a run between the two reads
        raise BadInput(f"{commitment_id}: no commitment has this id")
    rules = decisions.ReviewRules.load(get_rules(ctx, None).directory)
    review = decisions.reviews(engine, [found]).get(found)
    explain.print_explanation(
        detail, review, decisions.candidate_quotes(engine, found, rules), terminal.console()
    )


ID_SHOWN = 40  # an id's start as an error line shows it (ids are 16 characters)


def one_id(ids: list[str], prefix: str) -> str:
    """The one id that starts with prefix (like git); exit 2 when none or several do."""
    shown = prefix if len(prefix) <= ID_SHOWN else f"{prefix[:ID_SHOWN]}… ({len(prefix):,} characters)"
    if len(ids) > 1:
        raise BadInput(f"{shown}: ambiguous, {len(ids)} commitment ids start with it")
    if not ids:
        raise BadInput(f"{shown}: no commitment has this id")
    return ids[0]


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no LOGNAME/USER in the environment
        return "unknown"


@cli.command(name="review")
@click.argument("commitment_id", required=False)
@click.option("--street", default=None, help="Only this street (e.g. 西乡街道).")
@place_options
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default=None,
    help="Only commitments shown with this status; with --decide, the status to set.",
)
@click.option("--section", default=None, help="Only commitments whose plan section heading contains this.")
@click.option(
    "--reviewer",
    envvar="TRACKER_REVIEWER",
    default=None,
    help="Who decides, stored with every decision (env TRACKER_REVIEWER; default: your login name).",
)
@click.option("--list", "as_list", is_flag=True, help="Print the queue instead of opening the review screen.")
@click.option("--history", is_flag=True, help="Print the decisions trail (all, or of COMMITMENT_ID).")
@click.option("--json", "as_json", is_flag=True, help="With --list or --history: one JSON object a line.")
@click.option("--decide", "decide_id", metavar="ID", help="Record a decision on this commitment.")
@click.option("--accept", is_flag=True, help="With --decide: accept the machine's verdict.")
@click.option("--reject", is_flag=True, help="With --decide: the machine's verdict is wrong (stays queued).")
@click.option("--unsure", is_flag=True, help="With --decide: cannot tell (it stays queued).")
@click.option("--reason", default=None, help="With --decide --status: the reason code (e.g. quantity_short).")
@click.option("--note", default=None, help="With --decide: a note kept with the decision.")
@click.option(
    "--evidence",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="With --decide --status: candidate statement N (numbered by `tracker explain ID`) is the evidence.",
)
@click.option(
    "--seen",
    type=click.IntRange(min=0),
    default=None,
    help="With --decide: how many decisions on it you saw (`decisions` in --list --json); "
    "refused, naming the other decision, if someone decided since.",
)
@db_option
@rules_option
@click.pass_context
@input_errors_exit_2
def review_command(
    ctx: click.Context,
    commitment_id: str | None,
    street: str | None,
    levels: dict[str, str | None],
    status: str | None,
    section: str | None,
    reviewer: str | None,
    as_list: bool,
    history: bool,
    as_json: bool,
    decide_id: str | None,
    accept: bool,
    reject: bool,
    unsure: bool,
    reason: str | None,
    note: str | None,
    evidence: int | None,
    seen: int | None,
    db: str | None,
    rules_dir: Path | None,
) -> None:
    """Review disputed verdicts: accept, reject, pick other evidence or set the status.

    The queue holds disputed and low-confidence verdicts nobody has settled, rejected and unsure
    ones, and reviewed ones whose automated verdict changed in a later run. Every decision is
    stored at once with who and when, and outlives every re-run; `export` shows it.

    Example:

        tracker review --street 西乡街道 --reviewer 王芳
        tracker review --list --json
        tracker review --decide caeee08b --status partial --reason items_short --note "2 of 3 roads"
        tracker review --decide caeee08b --status done --evidence 2
        tracker review --decide caeee08b --accept --seen 1
        tracker review --history caeee08b
    """
    from tracker import decisions, review
    from tracker.store import check_integrity, commitment_ids_starting_with
    from tracker.store_read import place_documents, reading
    from tracker.verdict import ScoringRules

    engine = engine_for(ctx, db)
    if sum((as_list, history, decide_id is not None)) > 1:
        raise BadInput("review: choose one of --list, --history and --decide")
    if commitment_id is not None and not history:
        raise BadInput(f"{commitment_id}: a commitment id goes with --history (or use --decide ID)")
    if as_json and not (as_list or history):
        raise BadInput("review: --json goes with --list or --history")
    verdicts = [name for name, given in (("accept", accept), ("reject", reject), ("unsure", unsure)) if given]
    if decide_id is None and (verdicts or reason or note or evidence or seen is not None):
        raise BadInput(
            "review: --accept, --reject, --unsure, --reason, --note, --evidence and --seen go with --decide"
        )
    if history:
        if commitment_id is not None:  # a commitment may have gone since its review: its trail stays
            known = commitment_ids_starting_with(engine, commitment_id)
            reviewed = decisions.reviewed_ids_starting_with(engine, commitment_id)
            commitment_id = one_id(sorted(set(known) | set(reviewed)), commitment_id)
        review.print_history(decisions.history(engine, commitment_id), terminal.console(), as_json=as_json)
        return
    reviewer = reviewer or default_reviewer()
    if decide_id is not None:
        if len(verdicts) + (status is not None) != 1:
            raise BadInput(f"{decide_id}: --decide needs one of --status, --accept, --reject and --unsure")
        if evidence is not None and status is None:
            raise BadInput(f"{decide_id}: --evidence goes with --status")
        target = one_id(commitment_ids_starting_with(engine, decide_id), decide_id)
        check_integrity(engine)  # a decision is never written into a damaged store
        try:
            event = decisions.record_from_command_line(
                engine,
                target,
                verdicts[0] if verdicts else "set",
                reviewer,
                status=status,
                reason=reason,
                candidate=evidence,
                note=note,
                seen=seen,
                rules=decisions.ReviewRules.load(get_rules(ctx, rules_dir).directory),
            )
        except decisions.ReviewError as error:
            raise BadInput(str(error)) from None
        click.echo(
            one_line(f"{event.decision}: {target} {event.status_before} → {event.status_after} by {reviewer}")
        )
        return
    with reading(engine) as store:
        place = chosen_place(store, street, levels)
        documents = None if place is None else place_documents(store, place)
    if not as_list and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadInput(
            "review: the review screen needs a terminal; use --list to print the queue, "
            "--decide ID to record a decision"
        )
    dispute_below = ScoringRules.load(get_rules(ctx, rules_dir).directory).dispute_below
    items = decisions.queue(engine, dispute_below, documents, status, section)
    if as_list:
        review.print_queue(items, terminal.console(), as_json=as_json)
        return
    rules = decisions.ReviewRules.load(get_rules(ctx, rules_dir).directory)
    check_integrity(engine)
    review.ReviewApp(engine, reviewer, items, rules).run()
