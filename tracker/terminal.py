"""What the tracker prints never drives the terminal it is printed on.

Report text, notes, reviewer names, file names and streets come from outside: a plan line
holding "\\x1b[2J" would clear the reviewer's screen, a bidirectional override would reorder
what is shown. Every control character of such text is printed as its escape (\\u001b), in
every output: the Rich consoles of the commands (terminal or pipe, --json included, where
the escape is JSON's own, so the value reads back the same) and the one-line errors, where a
newline is escaped too so that the error stays on one line.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Span, Text

# C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates.
_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{_CONTROLS}]")
CONTROL_OR_NEWLINE = re.compile(f"[{_CONTROLS}\n]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escaped(text: str) -> str:
    """text with each control character but the newline shown as its escape."""
    return CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    """text with each control character, the newline too, shown as its escape."""
    return CONTROL_OR_NEWLINE.sub(_escape, text)


def escaped_text(text: Text) -> Text:
    """A Rich Text with its control characters escaped, each escape in its character's style
    (for a widget that renders the Text itself, as Textual's do)."""
    controls = {found.start() for found in CONTROL.finditer(text.plain)}
    if not controls:
        return text
    pieces = text.divide(sorted({offset for start in controls for offset in (start, start + 1)}))
    result = Text(style=text.style, justify=text.justify, no_wrap=text.no_wrap, end=text.end)
    position = 0
    for piece in pieces:
        length = len(piece)
        if position in controls:
            shown = escaped(piece.plain)
            piece = Text(
                shown, style=piece.style, spans=[Span(0, len(shown), span.style) for span in piece.spans]
            )
        result.append_text(piece)
        position += length
    return result


class _Escaped:
    """A renderable whose text segments have their control characters escaped (Rich's own
    control segments, which move the cursor of a progress display, pass as they are)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or not CONTROL.search(segment.text):
                yield segment
            else:
                yield Segment(escaped(segment.text), segment.style)


class _EscapeControls(RenderHook):
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Escaped(renderable) for renderable in renderables]


def console(**options: Any) -> Console:
    """A Rich console (options as Console's) that prints control characters escaped."""
    made = Console(**options)
    made.push_render_hook(_EscapeControls())
    return made
