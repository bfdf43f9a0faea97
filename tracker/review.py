"""`tracker review`: the review queue, as a Textual application or printed.

The screen shows one commitment of the queue at a time: on the left what was promised and the
machine's verdict with the rules that fired; on the right the candidate statements, best first,
with the named items and quantities highlighted. Every key that decides writes the decision to
the store at once (tracker.decisions), so quitting or a crash loses nothing decided. Blind mode
hides everything the machine concluded (status, confidence, scores, rules, which statement it
cited, and the status a confirmation would name) so that a reviewer judges the statements alone.
The footer holds the keys that fit in 80 columns; `?` lists them all.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.engine import Engine
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static

from tracker import decisions
from tracker.decisions import (
    REASONS,
    CandidateQuote,
    Decision,
    DecisionConflict,
    QueueItem,
    ReviewError,
    ReviewRules,
)
from tracker.evaluate import STATUSES
from tracker.terminal import escaped, escaped_text, one_line
from tracker.verdicts import utc_text

NONE = "—"
NO_REASON = "(no reason code)"
ITEM_STYLE = "bold black on yellow"
NUMBER_STYLE = "bold cyan"
STATUS_STYLES = {"done": "green", "partial": "yellow", "missing": "red", "unverifiable": "grey62"}


def highlighted(text: str, items: list[str], numbers: list[str]) -> Text:
    """The text with named items and quantities marked, so shared names stand out at a glance."""
    shown = Text(text)
    shown.highlight_words([n for n in numbers if n], NUMBER_STYLE)
    shown.highlight_words([i for i in items if i], ITEM_STYLE)
    return shown


def rules_about(explanation: list[dict], sentence: str) -> list[dict]:
    """The explanation records that quote this sentence or a name in it (once each)."""
    found: list[dict] = []
    for record in explanation:
        sides = (str(record["left"]).rstrip("…"), str(record["right"]).rstrip("…"))
        if any(len(side) > 1 and side in sentence for side in sides) and record not in found:
            found.append(record)
    return found


def rule_line(record: dict) -> str:
    return f"{record['rule']}: {record['left']} ↔ {record['right']} ({record['weight']:+g})"


class StatusScreen(ModalScreen[tuple[str, str | None] | None]):
    """Choose a status, then its reason code; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    StatusScreen { align: center middle; }
    StatusScreen > Vertical { width: 60; height: auto; border: thick $accent; padding: 1 2; }
    StatusScreen OptionList { height: auto; }
    """

    def __init__(self, title: str, status: str) -> None:
        super().__init__()
        self.title_text = title
        self.status = status

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield OptionList(*STATUSES, id="status")
            yield OptionList(id="reason")
            yield Label("↑↓ choose · Enter confirm · Esc cancel")

    def on_mount(self) -> None:
        statuses = self.query_one("#status", OptionList)
        statuses.highlighted = STATUSES.index(self.status)
        statuses.focus()
        self.query_one("#reason", OptionList).display = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "status":
            self.status = STATUSES[event.option_index]
            if not REASONS[self.status]:
                self.dismiss((self.status, None))
                return
            reasons = self.query_one("#reason", OptionList)
            reasons.clear_options()
            reasons.add_options([NO_REASON, *REASONS[self.status]])
            reasons.display = True
            reasons.highlighted = 0
            reasons.focus()
        else:
            reason = str(event.option.prompt)
            self.dismiss((self.status, None if reason == NO_REASON else reason))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[str | None]):
    """One line of text (a note, a filter); Enter keeps it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > Vertical { width: 80; height: auto; border: thick $accent; padding: 1 2; }
    """

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.prompt)
            yield Input(self.value)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the review screen with what it does; any key closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 78; height: auto; max-height: 100%; border: thick $accent; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Keys of the review screen", style="bold"))
            yield Static(key_help())
            yield Label("Any key closes this help.")

    def on_key(self, event: Key) -> None:
        event.stop()
        self.dismiss(None)


# Keys as the help names them.
KEY_NAMES = {"down": "↓", "up": "↑", "right": "→", "left": "←", "question_mark": "?"}


def key_help() -> Text:
    """One line a binding of the review screen: its keys, then what it does."""
    lines = []
    for binding in ReviewScreen.BINDINGS:
        keys = " ".join(KEY_NAMES.get(key, key) for key in binding.key.split(","))
        lines.append(Text.assemble((f"{keys:<13}", "bold"), binding.tooltip or binding.description))
    return Text("\n").join(lines)


class ReviewScreen(Screen[None]):
    """The queue, one commitment at a time; the keys are this screen's, so a dialog never decides.

    The footer shows what fits in 80 columns; the help (`?`) lists every key with its tooltip.
    """

    BINDINGS = [
        Binding("a", "decide('accept')", "accept", tooltip="accept the machine's verdict, then next"),
        Binding("r", "decide('reject')", "reject", tooltip="the verdict is wrong (it stays in the queue)"),
        Binding("m", "decide('unsure')", "unsure", tooltip="unsure: cannot tell (it stays in the queue)"),
        Binding("p", "pick", "pick", tooltip="pick the highlighted (▶) statement as evidence, then a status"),
        Binding("s", "set_status", "set", tooltip="set status and reason by hand"),
        Binding("n", "note", "note", tooltip="write a note, stored with your next decision on it"),
        Binding("u", "undo", "undo", tooltip="undo your last decision (a note on it comes back)"),
        Binding("j,down,space", "move(1)", "next", show=False, tooltip="next commitment (skip)"),
        Binding("k,up", "move(-1)", "previous", show=False, tooltip="previous commitment"),
        Binding(
            "l,right", "candidate(1)", "next statement", show=False, tooltip="highlight the next statement"
        ),
        Binding(
            "h,left",
            "candidate(-1)",
            "prev statement",
            show=False,
            tooltip="highlight the previous statement",
        ),
        Binding("b", "blind", "blind", tooltip="blind mode: hide the machine's verdict, scores and citation"),
        Binding("f", "filter", "filter", show=False, tooltip="filter by words of street, status or section"),
        Binding("question_mark", "help", "help", key_display="?", tooltip="this help"),
        Binding("q", "app.quit", "quit", tooltip="quit (every decision is already stored)"),
    ]
    DEFAULT_CSS = """
    #counter { height: 1; background: $primary; color: $text; padding: 0 1; }
    #panes { height: 1fr; }
    #left, #right { width: 1fr; padding: 0 1; }
    #left { border-right: solid $primary; }
    """

    def __init__(self, engine: Engine, reviewer: str, items: list[QueueItem], rules: ReviewRules) -> None:
        super().__init__()
        self.engine = engine
        self.reviewer = reviewer
        self.rules = rules
        self.all_items = items
        self.items = items
        self.index = first_left(items)
        self.candidate = 0
        self.blind = False
        self.filter_text = ""
        self.notes: dict[str, str] = {}  # commitment id → note that goes with its next decision
        self.decided: list[str] = []  # commitment ids decided on this screen, latest last, for undo
        self.candidates: dict[str, list[CandidateQuote]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="counter")
        with Horizontal(id="panes"):
            with VerticalScroll(id="left", can_focus=False):
                yield Static(id="commitment")
            with VerticalScroll(id="right", can_focus=False):
                yield Static(id="statements")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.start_candidate()
        self.show()

    @property
    def current(self) -> QueueItem | None:
        return self.items[self.index] if self.items else None

    def shown_candidates(self, item: QueueItem) -> list[CandidateQuote]:
        """Best first; in blind mode in document order, since the ranking is the machine's view."""
        if item.commitment.id not in self.candidates:
            self.candidates[item.commitment.id] = decisions.candidate_quotes(
                self.engine, item.commitment.id, self.rules
            )
        found = self.candidates[item.commitment.id]
        if self.blind:
            return sorted(found, key=lambda c: (c.evidence["doc"], c.evidence["char_start"]))
        return found

    def start_candidate(self) -> None:
        """Highlight the statement the machine cited, so `p` starts there (blind: the first one)."""
        item = self.current
        shown = self.shown_candidates(item) if item is not None and not self.blind else []
        self.candidate = next((n for n, c in enumerate(shown) if c.cited_by(item.match)), 0)

    def show(self) -> None:
        left = sum(item.left for item in self.all_items)
        counter = f"{left} left of {len(self.all_items)} in the queue"
        if self.items:
            counter = f"item {self.index + 1}/{len(self.items)} · " + counter
        counter += f" · reviewer {self.reviewer}"
        if self.filter_text:
            counter += f" · filter “{self.filter_text}”"
        if self.blind:
            counter += " · BLIND"
        self.query_one("#counter", Static).update(Text(escaped(counter)))
        item = self.current
        if item is None:
            self.query_one("#commitment", Static).update(Text("Nothing to review.", style="bold"))
            self.query_one("#statements", Static).update("")
            return
        self.query_one("#commitment", Static).update(escaped_text(self.commitment_text(item)))
        self.query_one("#statements", Static).update(escaped_text(self.statements_text(item)))
        self.query_one("#left", VerticalScroll).scroll_home(animate=False)

    def commitment_text(self, item: QueueItem) -> Text:
        commitment, match = item.commitment, item.match
        numbers = [target["raw"] for target in commitment.targets]
        text = Text()
        text.append(f"{commitment.street or 'street unknown'} · {commitment.plan_doc} · ", style="dim")
        text.append(f"plan {commitment.plan_period} · {commitment.id}\n", style="dim")
        text.append(f"{commitment.section}\n\n", style="bold")
        text.append_text(highlighted(commitment.text, commitment.items, numbers))
        text.append("\n\n")
        for label, value in (
            ("items", "、".join(commitment.items) or NONE),
            ("targets", "; ".join(numbers) or NONE),
            ("deadline", commitment.deadline or NONE),
            ("promised level", commitment.level or NONE),
        ):
            text.append(f"{label:<15}", style="dim")
            text.append(f"{value}\n")
        text.append("\n")
        if self.blind:
            text.append("machine verdict hidden (blind review)\n", style="italic")
        else:
            text.append("machine        ", style="dim")
            text.append(match.status, style=STATUS_STYLES[match.status])
            text.append(f" {match.reason or ''}  confidence {match.confidence:g}")
            text.append("  disputed\n" if match.disputed else "\n")
        if item.review is not None:
            decision = item.review.decision
            text.append("review         ", style="dim")
            # In blind mode only a reviewer's own status shows: accept, reject and unsure echo the machine's.
            if self.blind and decision.decision not in ("pick", "set"):
                text.append(f"{item.state} ", style="bold")
            else:
                text.append(f"{item.state}: {decision.status_after} {decision.reason or ''} ", style="bold")
            text.append(f"by {decision.reviewer} at {utc_text(decision.at)}\n")
            if decision.note:
                text.append(f"               note: {decision.note}\n")
        if commitment.id in self.notes:
            text.append("new note       ", style="dim")
            text.append(f"{self.notes[commitment.id]} (saved with your next decision)\n", style="italic")
        if not self.blind:
            text.append("\nRules that fired\n", style="bold")
            for record in match.explanation:
                text.append(f"  {rule_line(record)}\n")
        return text

    def statements_text(self, item: QueueItem) -> Text:
        shown = self.shown_candidates(item)
        text = Text()
        text.append(f"Candidate statements ({len(shown)})\n\n", style="bold")
        if not shown:
            text.append("none: the scorer found no statement on this commitment\n", style="italic")
        decision = item.review.decision if item.review else None
        picked = decision.evidence if decision and decision.decision == "pick" else []
        chosen = {(e["doc"], e["char_start"]) for e in picked}
        for number, candidate in enumerate(shown):
            where = (candidate.evidence["doc"], candidate.evidence["char_start"])
            marker = "▶ " if number == self.candidate else "  "
            text.append(marker, style="bold reverse" if number == self.candidate else "")
            text.append(f"#{number + 1} ", style="bold")
            if not self.blind:
                text.append(f"score {candidate.score:g} ")
            evidence = candidate.evidence
            text.append(f"{evidence['doc']} [{evidence['char_start']}:{evidence['char_end']}]", style="cyan")
            if candidate.cited_by(item.match) and not self.blind:
                text.append("  cited by the machine", style="green")
            if where in chosen:
                text.append("  picked by the reviewer", style="bold magenta")
            text.append("\n")
            text.append_text(highlighted(evidence["text"], item.commitment.items, candidate.quantities))
            text.append("\n")
            if not self.blind:
                for record in rules_about(item.match.explanation, evidence["text"]):
                    text.append(f"    {rule_line(record)}\n", style="dim")
            text.append("\n")
        return text

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self.start_candidate()
            self.show()

    def action_candidate(self, step: int) -> None:
        item = self.current
        if item is not None and (count := len(self.shown_candidates(item))):
            self.candidate = (self.candidate + step) % count
            self.show()

    def action_blind(self) -> None:
        self.blind = not self.blind
        self.start_candidate()
        self.show()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def record(self, item: QueueItem, decision: str, **details: Any) -> Decision | None:
        """Write one decision at once and refresh the item; a refused decision is only notified.

        The decision is made against the history shown (item.seen): when another reviewer decided
        meanwhile, theirs is kept, the refusal names it and the screen shows it instead.
        """
        commitment_id = item.commitment.id
        note = self.notes.get(commitment_id) if decision != "undo" else None
        try:
            event = decisions.record(
                self.engine, commitment_id, decision, self.reviewer, note=note, seen=item.seen, **details
            )
        except DecisionConflict as error:
            self.reload(item)
            self.show()
            self.notify(one_line(str(error)), severity="error", timeout=15)
            return None
        except ReviewError as error:
            self.notify(one_line(str(error)), severity="error")
            return None
        if note is not None:
            del self.notes[commitment_id]
        self.reload(item)
        if self.blind and decision not in ("pick", "set"):  # the status would be the machine's
            self.notify(f"{decision}: {commitment_id} recorded")
        else:
            self.notify(f"{decision}: {commitment_id} now {event.status_after}")
        return event

    def reload(self, item: QueueItem) -> None:
        """The item's effective review and history length as the store has them now."""
        commitment_id = item.commitment.id
        item.review = decisions.reviews(self.engine, [commitment_id]).get(commitment_id)
        item.seen = len(decisions.history(self.engine, commitment_id))

    def decide_current(self, decision: str, **details: Any) -> None:
        """Record on the current item, then move on to the next."""
        item = self.current
        if item is not None and self.record(item, decision, **details):
            self.decided.append(item.commitment.id)
            self.action_move(1)

    def action_decide(self, decision: str) -> None:
        self.decide_current(decision)

    def action_pick(self) -> None:
        item = self.current
        if item is None:
            return
        shown = self.shown_candidates(item)
        if not shown:
            self.notify("no candidate statement to pick", severity="warning")
            return
        evidence = shown[self.candidate].evidence
        default = item.status if item.status in ("done", "partial") else "done"

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                self.decide_current("pick", status=result[0], reason=result[1], evidence=evidence)

        title = f"Statement #{self.candidate + 1} is the evidence. Status?"
        self.app.push_screen(StatusScreen(title, default), chosen)

    def action_set_status(self) -> None:
        item = self.current
        if item is None:
            return

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                self.decide_current("set", status=result[0], reason=result[1])

        self.app.push_screen(StatusScreen("Set the status (evidence stays as shown)", item.status), chosen)

    def action_note(self) -> None:
        item = self.current
        if item is None:
            return
        commitment_id = item.commitment.id

        def written(note: str | None) -> None:
            if note:
                self.notes[commitment_id] = note
            elif note == "":
                self.notes.pop(commitment_id, None)
            self.show()

        prompt = "Note (saved with your next decision on this commitment; empty clears it)"
        self.app.push_screen(TextScreen(prompt, self.notes.get(commitment_id, "")), written)

    def action_undo(self) -> None:
        """Undo the last decision made here, else the current item's effective decision."""
        if self.decided:
            item = next(i for i in self.all_items if i.commitment.id == self.decided[-1])
        else:
            item = self.current
        if item is None or (event := self.record(item, "undo")) is None:
            return
        if self.decided:
            self.decided.pop()
        undone = next(e for e in decisions.history(self.engine, item.commitment.id) if e.id == event.undoes)
        if undone.note and item.commitment.id not in self.notes:  # it goes with the next decision
            self.notes[item.commitment.id] = undone.note
        if item in self.items:
            self.index = self.items.index(item)
            self.start_candidate()
        self.show()

    def action_filter(self) -> None:
        def chosen(text: str | None) -> None:
            if text is None:
                return
            self.filter_text = text
            self.items = [item for item in self.all_items if matches(item, text)]
            self.index = first_left(self.items)
            self.start_candidate()
            self.show()

        prompt = "Filter: words that street, status or section must contain (empty shows all)"
        self.app.push_screen(TextScreen(prompt, self.filter_text), chosen)


def first_left(items: list[QueueItem]) -> int:
    """Where to start: the first item nobody has judged yet (or the first of all)."""
    return next((n for n, item in enumerate(items) if item.left), 0)


def matches(item: QueueItem, text: str) -> bool:
    """Every word of text is in the item's street, shown status or section."""
    haystack = f"{item.commitment.street or ''} {item.status} {item.commitment.section}"
    return all(word in haystack for word in text.split())


class ReviewApp(App[None]):
    """The review queue of one store, decided by one reviewer."""

    TITLE = "tracker review"
    ENABLE_COMMAND_PALETTE = False  # its footer key would push the review keys out of 80 columns

    def __init__(self, engine: Engine, reviewer: str, items: list[QueueItem], rules: ReviewRules) -> None:
        super().__init__()
        self.review_screen = ReviewScreen(engine, reviewer, items, rules)

    def get_default_screen(self) -> Screen:
        return self.review_screen


def queue_row(item: QueueItem) -> dict[str, Any]:
    """One queue item as printed by --list --json."""
    match = item.match
    return {
        "commitment_id": item.commitment.id,
        "street": item.commitment.street,
        "plan_doc": item.commitment.plan_doc,
        "section": item.commitment.section,
        "text": item.commitment.text,
        "machine_status": match.status,
        "machine_reason": match.reason,
        "confidence": match.confidence,
        "disputed": match.disputed,
        "status": item.status,
        "state": item.state,
        "review": item.review.contract() if item.review else None,
        "decisions": item.seen,
    }


def print_queue(items: list[QueueItem], console: Console, as_json: bool = False) -> None:
    if as_json:
        for item in items:
            console.print_json(json.dumps(queue_row(item), ensure_ascii=False), indent=None)
        return
    left = sum(item.left for item in items)
    table = Table(title=f"Review queue: {left} left of {len(items)}", title_justify="left")
    for column in ("id", "street", "machine", "conf.", "state", "commitment"):
        table.add_column(column, overflow="fold", no_wrap=column in ("id", "conf.", "state"))
    for item in items:
        match = item.match
        table.add_row(
            item.commitment.id,
            Text(item.commitment.street or NONE),
            Text(f"{match.status} {match.reason or ''}".strip(), style=STATUS_STYLES[match.status]),
            f"{match.confidence:g}",
            Text(item.state, style="bold red" if item.review and item.review.changed else ""),
            Text(item.commitment.text),
        )
    console.print(table)


def history_row(event: Decision) -> dict[str, Any]:
    """One event of the trail as printed by --history --json."""
    row = {name: getattr(event, name) for name in Decision.model_fields}
    row["at"] = utc_text(event.at)
    return row


def print_history(events: list[Decision], console: Console, as_json: bool = False) -> None:
    if as_json:
        for event in events:
            console.print_json(json.dumps(history_row(event), ensure_ascii=False), indent=None)
        return
    console.print(Text(f"Review history: {len(events)} events", style="bold"))
    for event in events:  # one line an event, like a log: it stays readable in a narrow terminal
        line = Text(f"#{event.id} {utc_text(event.at)} {event.commitment_id} ")
        line.append(event.reviewer, style="bold")
        line.append(f" {event.decision}" + (f" of #{event.undoes}" if event.undoes else ""), style="cyan")
        line.append(f" {event.status_before} → {event.status_after} {event.reason or ''}".rstrip())
        line.append(
            f" (machine: {event.machine_status} {event.machine_reason or ''}".rstrip() + ")", style="dim"
        )
        if event.note:
            line.append(f" note: {event.note}", style="italic")
        console.print(line, soft_wrap=True)
