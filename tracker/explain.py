"""`tracker explain`: one commitment, its verdict, its evidence and every rule that fired.

A reader can check a verdict by hand: the evidence is quoted with its document and offsets,
and the explanation records are shown in the order the scorer stored them. Where a reviewer has
decided, their decision (what report and export show) stands beside the machine's verdict.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.decisions import CandidateQuote
from tracker.export import STATUS_MEANINGS, export_target
from tracker.store import CommitmentDetail, Match
from tracker.verdicts import Review, outcome, quotes, utc_text

NONE = "—"


def print_explanation(
    detail: CommitmentDetail, review: Review | None, candidates: list[CandidateQuote], console: Console
) -> None:
    """candidates: the statements a reviewer may cite, numbered as `review --evidence N` counts them."""
    commitment, match = detail.commitment, detail.match
    console.print(Text(f"Commitment {commitment.id}", style="bold"))
    _fields(
        console,
        ("plan", f"{commitment.plan_doc}, period {commitment.plan_period}"),
        ("street", f"{commitment.street or 'unknown'} ({commitment.district or 'district unknown'})"),
        ("source", detail.source_url or NONE),
        ("section", commitment.section),
        ("ref", commitment.ref or NONE),
        ("text", commitment.text),
        ("offsets", f"{commitment.char_start}:{commitment.char_end} of the stored plan text"),
        ("items", "、".join(commitment.items) or NONE),
        ("targets", "; ".join(_target(target) for target in commitment.targets) or NONE),
        ("deadline", commitment.deadline or NONE),
        ("checkable", "yes" if commitment.checkable else "no"),
        ("promised level", commitment.level or NONE),
    )
    console.print()
    if match is None:
        console.print("Verdict: not scored yet (run `tracker score`)", highlight=False, markup=False)
        return
    if review is None:
        console.print(Text("Verdict (the machine's; no reviewer has decided)", style="bold"))
    else:
        console.print(Text("Verdict: the review decision, which report and export show", style="bold"))
        console.print(decision_table(match, review))
        console.print(Text("The machine's verdict", style="bold"))
    if match.followup_docs:
        followup = ", ".join(match.followup_docs)
    else:
        followup = f"none yet (awaiting the summary of {match.awaited_period or 'the period'})"
    _fields(
        console,
        ("status", f"{match.status} ({STATUS_MEANINGS[match.status]})"),
        ("reason", match.reason or NONE),
        ("flags", ", ".join(match.flags) or NONE),
        ("confidence", f"{match.confidence:g}"),
        ("disputed", "yes" if match.disputed else "no"),
        ("ratio", NONE if match.ratio is None else f"{match.ratio:.3g}"),
        ("follow-up", followup),
    )
    console.print()
    console.print(Text("Evidence the machine cited", style="bold"))
    if not match.evidence:
        console.print(f"  {NONE} none cited", highlight=False, markup=False)
    for evidence in match.evidence:
        where = f"  {evidence['doc']} [{evidence['char_start']}:{evidence['char_end']}]"
        console.print(Text(where, style="cyan"), soft_wrap=True)
        console.print(Text(f"  {evidence['text']}"), soft_wrap=True)
    console.print()
    rules = Table(title="Rules that fired, in order", title_justify="left")
    rules.add_column("#", justify="right")
    rules.add_column("rule", no_wrap=True)
    rules.add_column("left", overflow="fold")
    rules.add_column("right", overflow="fold")
    rules.add_column("weight", justify="right")
    for number, record in enumerate(match.explanation, start=1):
        rules.add_row(
            str(number),
            Text(record["rule"]),
            Text(str(record["left"])),
            Text(str(record["right"])),
            f"{record['weight']:g}",
        )
    console.print(rules)
    if candidates:
        table = Table(title="Candidate statements (cite one with review --evidence #)", title_justify="left")
        for column in ("#", "score", "document", "offsets", "sentence", "cited"):
            table.add_column(column, justify="right" if column in ("#", "score") else "left", overflow="fold")
        for number, candidate in enumerate(candidates, start=1):
            evidence = candidate.evidence
            table.add_row(
                str(number),
                f"{candidate.score:g}",
                Text(evidence["doc"]),
                f"{evidence['char_start']}:{evidence['char_end']}",
                Text(evidence["text"]),
                "yes" if candidate.cited_by(match) else "",
            )
        console.print(table)


def decision_table(match: Match, review: Review) -> Table:
    """The decision in force and the machine's verdict side by side: status, reason, evidence, who."""
    decision = review.decision
    status, reason, evidence = outcome(match, decision)
    table = Table(show_header=True, title_justify="left")
    table.add_column("")
    table.add_column("review decision (shown)", overflow="fold")
    table.add_column("machine", overflow="fold")
    table.add_row("status", status, match.status)
    table.add_row("reason", reason or NONE, match.reason or NONE)
    table.add_row("evidence", _quoted(evidence), _quoted(quotes(match.evidence)))
    who = f"{decision.decision} by {decision.reviewer} at {utc_text(decision.at)}"
    if review.changed:
        who += "; the machine's verdict changed since"
    table.add_row("decided", Text(who), f"confidence {match.confidence:g}")
    if decision.note:
        table.add_row("note", Text(decision.note), "")
    return table


def _quoted(evidence: list[dict]) -> Text:
    if not evidence:
        return Text(NONE)
    return Text("\n".join(f"{e['doc']} [{e['char_start']}:{e['char_end']}] {e['text']}" for e in evidence))


def _fields(console: Console, *pairs: tuple[str, str]) -> None:
    """Label and value, one a line, never wrapped mid-quote so it can be copied and searched."""
    for label, value in pairs:
        console.print(Text(f"  {label:<15}{value}"), soft_wrap=True)


def _target(stored: dict[str, Any]) -> str:
    target = export_target(stored)
    return f"{target['raw']} ({target['comparator']} {target['quantity']} {target['unit']})"
