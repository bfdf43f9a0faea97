"""`tracker report`: the auditor's report of one street, and the comparison of every street.

The street report reads top to bottom: the street, then each plan with its follow-up report,
a summary with the fulfilment rate, and per plan section every commitment with its verdict and
the evidence quoted with document and offsets, so each line can be checked against the source.
Cells are rich Text (never markup: reports are full of brackets) in folding columns, because
Chinese has no spaces to wrap at and rich measures its characters as two cells wide.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from rich import box
from rich._export_format import CONSOLE_SVG_FORMAT
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from tracker import terminal
from tracker.contract import REASON_MEANINGS, STATUSES, UNPLACED
from tracker.export import STATUS_MEANINGS
from tracker.store_read import (
    CommitmentRow,
    MatchRow,
    PlanSource,
    StoredPlace,
    StoreReader,
    plan_documents,
    reviews,
    scored_rows,
    status_counts,
    synthetic_documents,
)
from tracker.verdicts import Review, checked, fulfilment_rate, outcome

NONE = "—"
MISSING_WORDS = STATUS_MEANINGS["missing"]  # "no evidence in the follow-up report", never "failed"
STATUS_STYLES = {
    "done": "bold white on green4",
    "partial": "bold black on yellow3",
    "missing": "bold white on red3",
    "unverifiable": "bold white on grey42",
}
# Rules whose `left` is a named item the scorer found reported (right: the mention found).
ITEM_RULES = ("item_exact", "item_split", "item_fuzzy")
DISPUTED_MARK = "⚑ disputed"
REVIEWED_MARK = "✓ reviewed"
BAR_WIDTH = 20
RATE_DEFINITION = (
    "Fulfilment rate = (done + ½ × partial) ÷ (done + partial + missing): the share delivered of the "
    "checkable commitments whose follow-up report covers the planned period. Unverifiable commitments "
    "(not checkable, no follow-up report yet, or an interim check before the period is over) are left "
    "out, so they neither raise nor lower it."
)
SYNTHETIC_MARK = "⚠ synthetic"
SYNTHETIC_WORDS = "made-up test material (its first line says so), not a real government report"
INTERIM_MARK = "◐ interim"
INTERIM_WORDS = (
    "an annual plan checked against a half-year summary only: what is not yet reported is not yet "
    "due, so its rate is not comparable with a whole year's and it is ranked apart"
)
LEGEND = (
    f"missing = {MISSING_WORDS}. {DISPUTED_MARK}: low confidence, close candidates or statements that "
    f"disagree; it goes to the review queue. {REVIEWED_MARK}: a reviewer has decided. "
    "`tracker explain ID` shows every rule behind a verdict."
)


# --svg: rich's SVG without its @font-face rules, which fetch Fira Code from a CDN; the reader's own
# monospace fonts draw it (rich sets each run's textLength, so the columns hold with any of them).
MONOSPACE_FONTS = '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Noto Sans Mono", Menlo, Consolas, monospace'
SVG_FORMAT = re.sub(r"\s*@font-face \{\{.*?\}\}", "", CONSOLE_SVG_FORMAT, flags=re.DOTALL).replace(
    "font-family: Fira Code, monospace;", f"font-family: {MONOSPACE_FONTS};"
)
PICTURE_WIDTH = 120  # columns of an SVG when --width is not given


class ReportError(Exception):
    """A street or period the store does not hold: one line, shown as bad input."""


@dataclass
class Row:
    """A commitment with the verdict a reader sees: the reviewer's where a decision settles it."""

    commitment: CommitmentRow
    match: MatchRow
    review: Review | None = None

    def __post_init__(self) -> None:
        decision = self.review.decision if self.review else None
        self.status, self.reason, self.evidence = outcome(self.match, decision)

    @property
    def reviewed(self) -> bool:
        return self.review is not None

    @property
    def disputed(self) -> bool:
        """Settled by a reviewer: no longer disputed; changed since review: disputed again."""
        return not self.review.settled if self.review else self.match.disputed

    @property
    def flags(self) -> list[str]:
        return self.match.flags + (self.review.flags if self.review else [])


@dataclass
class PlanReport:
    """One plan (document and period) of a street: counts over all of it, rows as filtered."""

    plan_doc: str
    period: str
    source: PlanSource
    followup_docs: list[str]
    awaited_period: str | None
    interim: bool
    counts: Counter[str]
    disputed: int
    reviewed: int
    rows: list[Row]
    synthetic: list[str]  # the plan and follow-up documents that are made-up test material
    unplaced: str | None = None  # why the plan pairs with no summary: its place is unknown or ambiguous

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class StreetReport:
    place: StoredPlace
    plans: list[PlanReport]
    filters: list[str] = field(default_factory=list)  # what the rows were narrowed to, in words

    @property
    def street(self) -> str | None:
        return self.place.street

    @property
    def where(self) -> str:
        """The place above the street: province · city · district, those known."""
        above = (self.place.province, self.place.city, self.place.district)
        return " · ".join(level for level in above if level)

    @property
    def synthetic(self) -> list[str]:
        """Every synthetic document the report rests on, plan or follow-up."""
        return sorted({name for plan in self.plans for name in plan.synthetic})


def build_street_report(
    store: StoreReader,
    place: StoredPlace,
    period: str | None = None,
    status: str | None = None,
    disputed: bool = False,
) -> StreetReport:
    """The report of one stored place (store_read.find_place); raises ReportError for an unknown
    plan period."""
    street = place.street
    scored = scored_rows(store, place)
    reviewed = reviews(store)
    synthetic = synthetic_documents(store)
    by_plan: dict[tuple[str, str], list[Row]] = {}
    sources: dict[str, PlanSource] = {}
    for commitment, match, plan in scored:
        row = Row(commitment, match, reviewed.get(commitment.id))
        by_plan.setdefault((commitment.plan_period, commitment.plan_doc), []).append(row)
        sources[commitment.plan_doc] = plan
    periods = sorted({key[0] for key in by_plan})
    if period is not None and period not in periods:
        known = ", ".join(periods) or "none"
        raise ReportError(f"{period}: no scored plan of {street} for this period; plan periods: {known}")
    filters = [f"plan period {period}"] if period else []
    filters += [f"status {status}"] if status else []
    filters += ["disputed only"] if disputed else []
    plans = []
    for (plan_period, plan_doc), rows in sorted(by_plan.items()):
        if period is not None and plan_period != period:
            continue
        matches = [row.match for row in rows]
        followup_docs = sorted({doc for match in matches for doc in match.followup_docs})
        shown = [
            row for row in rows if (status is None or row.status == status) and (not disputed or row.disputed)
        ]
        plans.append(
            PlanReport(
                plan_doc=plan_doc,
                period=plan_period,
                source=sources[plan_doc],
                followup_docs=followup_docs,
                awaited_period=next((m.awaited_period for m in matches if m.awaited_period), None),
                interim=any("interim" in match.flags for match in matches),
                counts=Counter(row.status for row in rows),
                disputed=sum(row.disputed for row in rows),
                reviewed=sum(row.reviewed for row in rows),
                rows=shown,
                synthetic=[doc for doc in (plan_doc, *followup_docs) if doc in synthetic],
                unplaced=next((_unplaced(match) for match in matches if UNPLACED in match.flags), None),
            )
        )
    return StreetReport(place, plans, filters)


def print_street_report(report: StreetReport, console: Console, overview: bool = False) -> None:
    for renderable in street_renderables(report, overview):
        console.print(renderable)


def street_renderables(report: StreetReport, overview: bool = False) -> Iterable[RenderableType]:
    """The report; in an overview, each plan's sections are one line each (counts and rate) instead of
    a table of their commitments: a picture of a street that fits on a page."""
    where = f" ({report.where})" if report.where else ""
    yield Text(f"Commitment report: {report.street}{where}", style="bold")
    if report.synthetic:
        yield Text(
            f"{SYNTHETIC_MARK}: {', '.join(report.synthetic)}: {SYNTHETIC_WORDS}; "
            "the verdicts that rest on it say nothing about the real street.",
            style="bold yellow",
        )
    if not report.plans:
        yield Text("No scored plan of this street is stored (run `tracker score`).")
    if report.filters:
        yield Text(f"Showing only: {', '.join(report.filters)}.", style="italic")
    for plan in report.plans:
        yield from plan_renderables(plan, overview)
    yield Rule(style="dim")
    yield Text(RATE_DEFINITION, style="dim")
    yield Text(LEGEND, style="dim")


def source_text(source: PlanSource) -> Text | None:
    """The plan document's title, publication date and address, those that are known."""
    known = source_words(source)
    return Text(" · ".join(known)) if known else None


def source_words(source: PlanSource) -> list[str]:
    """The known ones of the plan document's title, publication date and address."""
    parts = [source.title, f"published {source.published}" if source.published else None, source.source_url]
    return [part for part in parts if part]


def plan_renderables(plan: PlanReport, overview: bool = False) -> Iterable[RenderableType]:
    yield Text()
    yield Rule(Text(f"Plan {plan.period} · {plan.plan_doc}", style="bold"), align="left")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    if source := source_text(plan.source):
        facts.add_row("source", source)
    facts.add_row("follow-up", Text(followup_words(plan)))
    if plan.synthetic:
        facts.add_row("synthetic", Text(f"{', '.join(plan.synthetic)}: {SYNTHETIC_WORDS}", style="yellow"))
    if plan.interim:
        facts.add_row("interim", Text(INTERIM_WORDS))
    facts.add_row("commitments", counts_text(plan.counts))
    facts.add_row("review", Text(f"{DISPUTED_MARK} {plan.disputed}   {REVIEWED_MARK} {plan.reviewed}"))
    facts.add_row("fulfilment", rate_text(plan.counts))
    if len(plan.rows) != plan.total:
        facts.add_row("showing", Text(f"{len(plan.rows)} of {plan.total} commitments"))
    yield facts
    if not plan.rows:
        yield Text("No commitment of this plan matches the filters.", style="italic")
    elif overview:
        yield sections_summary(plan)
    else:
        for path, rows in sections_of(plan):
            yield section_table(path, rows)


def followup_words(plan: PlanReport) -> str:
    """The plan's follow-up reports, or why it has none."""
    if plan.followup_docs:
        return ", ".join(plan.followup_docs)
    return plan.unplaced or f"none yet: awaiting the summary of {plan.awaited_period or plan.period}"


def sections_of(plan: PlanReport) -> list[tuple[tuple[str, ...], list[Row]]]:
    """The plan's rows by heading path, in plan order."""
    sections: dict[tuple[str, ...], list[Row]] = {}
    for row in plan.rows:
        sections.setdefault(tuple(row.commitment.section_path), []).append(row)
    return list(sections.items())


def counts_text(counts: Mapping[str, int]) -> Text:
    text = Text()
    for status in STATUSES:
        text.append(f" {status} ", style=STATUS_STYLES[status])
        text.append(f" {counts.get(status, 0)}  ")
    return text


def rate_text(counts: Mapping[str, int]) -> Text:
    rate = fulfilment_rate(counts)
    if rate is None:
        return Text(f"{NONE} nothing checked against a follow-up report yet")
    text = rate_bar(rate)
    text.append(f" {rate:.0%}", style="bold")
    text.append(f"  {rate_sum(counts)}")
    return text


def rate_sum(counts: Mapping[str, int]) -> str:
    """How the rate was reckoned, in the report's words."""
    done, partial = counts.get("done", 0), counts.get("partial", 0)
    return f"(done {done} + ½ × partial {partial}) ÷ {checked(counts)} checked"


def rate_bar(rate: float | None, width: int = BAR_WIDTH) -> Text:
    """The rate as a bar of block characters: readable in plain text, coloured on a terminal."""
    if rate is None:
        return Text(" " * width)
    filled = round(rate * width)
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "grey50"))


@dataclass
class RateBar:
    """A rate bar that shrinks to the width its table column gets, instead of being cut."""

    rate: float | None
    width: int = BAR_WIDTH

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield rate_bar(self.rate, min(self.width, options.max_width))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, self.width)


HEADING_SEPARATOR = " › "


def heading_path_text(path: tuple[str, ...]) -> Text:
    """The headings from the top down, the one the rows sit under in bold."""
    text = Text()
    for heading in path[:-1]:
        text.append(heading, style="dim")
        text.append(HEADING_SEPARATOR, style="dim")
    text.append(path[-1] if path else "", style="bold")
    return text


def sections_summary(plan: PlanReport) -> Table:
    """One line per plan section: its heading path, the commitments shown per status and their rate."""
    sections = sections_of(plan)
    parts = {path[0] for path, _ in sections}
    shared = len(parts) == 1 and all(len(path) > 1 for path, _ in sections)  # said once, as the title
    table = Table(
        title=Text(next(iter(parts)), style="bold") if shared else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("section", ratio=1, overflow="fold")
    for status in STATUSES:
        table.add_column(Text(status, style=STATUS_STYLES[status]), justify="right", no_wrap=True)
    table.add_column("rate", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for path, rows in sections:
        counts = Counter(row.status for row in rows)
        rate = fulfilment_rate(counts)
        table.add_row(
            heading_path_text(path[1:] if shared else path),
            *(str(counts.get(status, 0)) for status in STATUSES),
            NONE if rate is None else f"{rate:.0%}",
            RateBar(rate, width=10),
        )
    return table


def section_table(path: tuple[str, ...], rows: list[Row]) -> Table:
    """The commitments under one heading, titled with every heading above it ("一、… › (一)…")."""
    table = Table(title=heading_path_text(path), title_justify="left", show_lines=True, expand=True)
    table.add_column("verdict", width=16, overflow="fold")
    table.add_column("commitment", ratio=1, overflow="fold")
    table.add_column("evidence", ratio=1, overflow="fold")
    for row in rows:
        table.add_row(verdict_cell(row), commitment_cell(row.commitment, row.match), evidence_cell(row))
    return table


# The lines under a verdict's status badge, by kind; the terminal styles them, the page classes them.
VERDICT_LINE_STYLES = {
    "reason": "",
    "flag": "italic",
    "confidence": "dim",
    "disputed": "bold magenta",
    "reviewed": "bold cyan",
    "reviewer": "cyan",
    "machine": "dim",
    "note": "italic",
}


def verdict_lines(row: Row) -> list[tuple[str, str]]:
    """(kind, words) of each line under the status: reason, flags, confidence, dispute, review."""
    lines = [("reason", REASON_MEANINGS.get(row.reason, row.reason))] if row.reason else []
    lines += [("flag", flag.replace("_", " ")) for flag in row.flags if flag != "reviewed"]
    lines.append(("confidence", f"confidence {row.match.confidence:.2f}"))
    if row.disputed:
        lines.append(("disputed", DISPUTED_MARK))
    if row.review is not None:
        lines += [("reviewed", REVIEWED_MARK), ("reviewer", f"by {row.review.decision.reviewer}")]
        if row.status != row.match.status:
            lines.append(("machine", f"machine: {row.match.status}"))
        if row.review.decision.note:
            lines.append(("note", f"note: {row.review.decision.note}"))
    return lines


def verdict_cell(row: Row) -> Text:
    text = Text()
    text.append(f" {row.status} ", style=STATUS_STYLES[row.status])  # the badge only, not the cell
    for kind, words in verdict_lines(row):
        text.append(f"\n{words}", style=VERDICT_LINE_STYLES[kind])
    return text


def matched_items(match: MatchRow) -> dict[str, str]:
    """Named item → the mention the scorer found for it in the follow-up report."""
    return {record["left"]: record["right"] for record in match.explanation if record["rule"] in ITEM_RULES}


def commitment_cell(commitment: CommitmentRow, match: MatchRow) -> Text:
    """The commitment, reported items underlined in green, unreported ones in bold; quantities below."""
    text = Text()
    if commitment.ref:
        text.append(f"[{commitment.ref}]", style="dim")  # no space: a space would break the line
    body = Text(commitment.text)
    found = matched_items(match)
    for item in commitment.items:
        body.highlight_words([item], style="bold underline green" if item in found else "bold")
    text.append_text(body)
    text.append("\n" + " · ".join(commitment_details(commitment, match)), style="dim")
    return text


def commitment_details(commitment: CommitmentRow, match: MatchRow) -> list[str]:
    """What is shown under a commitment: targets against what was reported, ratio, deadline, id."""
    details = [f"{pair['target']} → reported {pair['reported']}" for pair in match.reported]
    if not match.reported and commitment.targets:
        details.append("target " + ", ".join(target["raw"] for target in commitment.targets))
    if match.ratio is not None:
        details.append(f"ratio {match.ratio:.2f}")
    if commitment.deadline:
        details.append(f"deadline {commitment.deadline}")
    details.append(f"id {commitment.id[:8]}")
    return details


def no_evidence_words(row: Row) -> str:
    """What stands in the evidence column of a row without evidence."""
    if row.status == "missing":
        return MISSING_WORDS
    if row.reason == "no_followup" and UNPLACED in row.match.flags:
        return "not paired: the plan's place is unknown or ambiguous"
    if row.reason == "no_followup":
        return f"awaiting the summary of {row.match.awaited_period}"
    return NONE


def evidence_cell(row: Row) -> Text:
    if not row.evidence:
        return Text(no_evidence_words(row), style="red" if row.status == "missing" else "dim")
    mentions = list(matched_items(row.match).values())
    text = Text()
    for number, evidence in enumerate(row.evidence):
        if number:
            text.append("\n\n")
        text.append(f"{evidence['doc']} [{evidence['char_start']}:{evidence['char_end']}]\n", style="cyan")
        quote = Text(evidence["text"])
        quote.highlight_words(mentions, style="bold green")
        text.append_text(quote)
    return text


@dataclass
class StreetRow:
    """One place and plan period in the comparison of `tracker report --all`."""

    place: StoredPlace
    period: str
    counts: Counter[str]
    disputed: int
    interim: bool = False  # checked against a half-year summary only: ranked apart
    synthetic: bool = False  # its plan or a follow-up report is made-up test material

    # where the street is, when another place of the comparison has its name: the levels that
    # tell them apart ("新吴区", else "无锡市新吴区", else the whole place)
    where: str | None = None

    @property
    def street(self) -> str | None:
        return self.place.street

    @property
    def label(self) -> str:
        """The street's name, followed by where it is when another place shares the name."""
        name = self.street or "unknown"
        return f"{name} ({self.where})" if self.where else name

    @property
    def rate(self) -> float | None:
        return fulfilment_rate(self.counts)


def compare_streets(store: StoreReader, period: str | None = None) -> list[StreetRow]:
    """Every place and plan period (two same-named streets of two provinces are two rows), best
    fulfilment rate first and those with no rate last; interim checks after all the others,
    ranked among themselves the same way."""
    rows: dict[tuple[StoredPlace, str], StreetRow] = {}
    for count in status_counts(store):
        if period is not None and count.plan_period != period:
            continue
        key = (count.place, count.plan_period)
        row = rows.setdefault(key, StreetRow(count.place, count.plan_period, Counter(), 0))
        row.counts[count.status] += count.count
        row.disputed += count.count if count.disputed else 0
        row.interim = row.interim or count.interim
    found = reviews(store)
    for commitment, match, plan in scored_rows(store, commitment_ids=list(found)):
        place = StoredPlace(commitment.street, commitment.district, plan.city, plan.province)
        row = rows.get((place, commitment.plan_period))
        if row is None:  # another period than the one asked for
            continue
        reviewed = Row(commitment, match, found[commitment.id])  # counted as the machine said: move it
        row.counts[match.status] -= 1
        row.counts[reviewed.status] += 1
        row.disputed += reviewed.disputed - match.disputed
    synthetic = synthetic_documents(store)
    for key, documents in plan_documents(store).items():
        if key in rows:
            rows[key].synthetic = not documents.isdisjoint(synthetic)
    for row in rows.values():
        row.where = telling_apart(row.place, {other.place for other in rows.values()})
    return sorted(
        rows.values(),
        key=lambda row: (
            row.interim,
            row.rate is None,
            -(row.rate or 0.0),
            row.street is None,
            row.street or "",
            tuple(level or "" for level in row.place),
            row.period,
        ),
    )


# The levels that may tell apart places of one street name, the fewest first.
APART_LEVELS = (("district",), ("city", "district"), ("province", "city", "district"))


def telling_apart(place: StoredPlace, places: Collection[StoredPlace]) -> str | None:
    """Where place is, in the fewest levels that tell it from the other places of its street name;
    None when no other place has the name."""
    namesakes = [other for other in places if other.street == place.street]
    if len(namesakes) < 2:
        return None
    for levels in APART_LEVELS:
        if len({tuple(getattr(other, level) for level in levels) for other in namesakes}) == len(namesakes):
            break
    return "".join(getattr(place, level) or "" for level in levels) or "place unknown"


def print_comparison(rows: list[StreetRow], console: Console) -> None:
    for renderable in comparison_renderables(rows):
        console.print(renderable)


def comparison_renderables(rows: list[StreetRow]) -> Iterable[RenderableType]:
    """Full checks ranked in one table, interim checks apart in a second one below; light borders
    and a bar that yields its width first, so that the counts fit in 80 columns."""
    if not rows:
        yield Text("No scored commitments are stored.", style="italic")
    full = [row for row in rows if not row.interim]
    interim = [row for row in rows if row.interim]
    if full:
        yield comparison_table("Streets compared by fulfilment rate", full)
    if interim:
        yield Text()
        yield comparison_table(f"{INTERIM_MARK}: ranked apart, {INTERIM_WORDS.split(':')[0]}", interim)
    notes = [Text(RATE_DEFINITION, style="dim")]
    if interim:
        notes.append(Text(f"{INTERIM_MARK}: {INTERIM_WORDS}.", style="dim"))
    if any(row.synthetic for row in rows):
        notes.append(Text(f"{SYNTHETIC_MARK}: the plan or its follow-up report is {SYNTHETIC_WORDS}."))
    yield Group(*notes, Text(LEGEND, style="dim"))


def comparison_table(title: str, rows: list[StreetRow]) -> Table:
    table = Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("street", no_wrap=True)
    table.add_column("plan", no_wrap=True)
    for status in STATUSES:
        table.add_column(Text(status, style=STATUS_STYLES[status]), justify="right", no_wrap=True)
    table.add_column("disputed", justify="right", no_wrap=True)
    table.add_column("rate", justify="right", no_wrap=True)
    table.add_column("")
    for row in rows:
        street = Text(row.street or "unknown")
        if row.synthetic:
            street.append(" ⚠", style="bold yellow")
        if row.where:  # a line of its own: the column stays as narrow as the names
            street.append(f"\n{row.where}", style="dim")
        table.add_row(
            street,
            row.period,
            *(str(row.counts.get(status, 0)) for status in STATUSES),
            str(row.disputed),
            NONE if row.rate is None else f"{row.rate:.0%}",
            RateBar(row.rate),
        )
    return table


def _unplaced(match: MatchRow) -> str | None:
    """The scorer's note on why an unplaced plan pairs with nothing ("not paired: ambiguous: …")."""
    return next((r["right"] for r in match.explanation if r["rule"] == "no_followup"), None)


def svg_picture(renderables: Iterable[RenderableType], title: str, width: int) -> str:
    """A picture of the renderables in colour, whatever the terminal; it fetches nothing."""
    console = terminal.console(  # control characters escaped: XML allows none of them
        record=True, width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor"
    )
    for renderable in renderables:
        console.print(renderable)
    return wide_text_lengths(console.export_svg(title=title, code_format=SVG_FORMAT))


SVG_TEXT_RUN = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)([^<]+)(?=</text>)')


def wide_text_lengths(svg: str) -> str:
    """Each text run of rich's SVG as long as the cells it takes, not its characters (rich issue
    2742: a Chinese character takes two cells, and was squeezed into one)."""

    def widened(run: re.Match[str]) -> str:
        text = html.unescape(run[4])
        if cell_len(text) <= len(text):  # no wide character (a line's closing "\n" takes no cell)
            return run[0]
        length = float(run[2]) / len(text) * cell_len(text)
        return f"{run[1]}{round(length, 2):g}{run[3]}{run[4]}"

    return SVG_TEXT_RUN.sub(widened, svg)
