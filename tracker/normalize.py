"""Normalised text that remembers where every character came from.

Reports mix full-width and half-width punctuation (",", "," and "(", "(")
and carry indentation and blank lines from web pages; a few pages are in
traditional script. Every stage works on one
normal form, and every span it finds is quoted back from the original text
through the offset map, so a reader can always check the quote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

HORIZONTAL_SPACE = frozenset(" \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\f\v")
LINE_BREAKS = frozenset("\n\u2028\u2029\x85")


@dataclass(frozen=True)
class NormalizedText:
    """`text` is the normal form; char i of it came from original[starts[i]:ends[i]]."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the original text covering normalised text[start:end]."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside 0:{len(self.text)}")
        return self.starts[start], self.ends[end - 1]

    def normalized_offset(self, original_offset: int) -> int:
        """First normalised char that came from at or after original_offset."""
        from bisect import bisect_left

        return bisect_left(self.starts, original_offset)


@cache
def _simplified_of() -> dict[str, str]:
    """Traditional characters and their simplified form, from OpenCC's character table
    (TSCharacters), where one character becomes one: the first of several candidates."""
    table = {}
    for line in (files("opencc") / "dictionary" / "TSCharacters.txt").read_text("utf-8").splitlines():
        traditional, candidates = line.split("\t")
        simplified = candidates.split()[0]
        if len(traditional) == len(simplified) == 1:
            table[traditional] = simplified
    return table


class _CompactForms(dict[int, str]):
    """A str.translate table: each character to its NFKC form without whitespace (NFKC folds ´
    to " ́"), a traditional character to its simplified one first (a page in traditional script
    reads like any other, and offsets stay, one character for one), made when a character is
    first met; normalize and compact look characters up."""

    def __missing__(self, code: int) -> str:
        char = _simplified_of().get(chr(code), chr(code))
        folded = "" if char in HORIZONTAL_SPACE else unicodedata.normalize("NFKC", char)
        self[code] = form = "".join(piece for piece in folded if not piece.isspace())
        return form


class _FoldedToOther(dict[int, str | None]):
    """A str.translate table that deletes every character whose form is one character: what is
    left of a text are the characters that fold to none or to several."""

    def __missing__(self, code: int) -> str | None:
        self[code] = kept = None if len(_COMPACT_FORMS[code]) == 1 else chr(code)
        return kept


_COMPACT_FORMS = _CompactForms()
_FOLDED_TO_OTHER = _FoldedToOther()
# Runs of characters that are neither whitespace nor horizontal space: most of a report.
_RUN = re.compile(f"[^\\s{re.escape(''.join(sorted(HORIZONTAL_SPACE)))}]+")


class _NormalForm:
    """The normal form as normalize builds it: pieces of text, the offset map, a pending space."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.pending_space: int | None = None  # original offset of a space run not yet emitted

    def add_char(self, index: int, char: str) -> None:
        if char in HORIZONTAL_SPACE or char == "\r":
            if self.pending_space is None:
                self.pending_space = index
            return
        if char in LINE_BREAKS:
            self.pending_space = None
            if self.pieces and self.pieces[-1][-1] != "\n":
                self._emit("\n", index)
            return
        folded = _COMPACT_FORMS[ord(char)]
        if not folded:
            return
        self._space_before(folded)
        for piece in folded:
            self._emit(piece, index)

    def add_run(self, start: int, run: str) -> None:
        """A run without whitespace: whole when each character folds to one, else char by char."""
        if run.translate(_FOLDED_TO_OTHER):
            for index, char in enumerate(run, start):
                self.add_char(index, char)
            return
        folded = run.translate(_COMPACT_FORMS)
        self._space_before(folded)
        self.pieces.append(folded)
        self.starts.extend(range(start, start + len(run)))
        self.ends.extend(range(start + 1, start + len(run) + 1))

    def _space_before(self, folded: str) -> None:
        """One space where a space run stood between two ASCII letters or digits."""
        pending = self.pending_space
        if (
            pending is not None
            and self.pieces
            and _is_ascii_word(self.pieces[-1][-1])
            and _is_ascii_word(folded[0])
        ):
            self._emit(" ", pending)
        self.pending_space = None

    def _emit(self, piece: str, index: int) -> None:
        self.pieces.append(piece)
        self.starts.append(index)
        self.ends.append(index + 1)

    def text(self) -> NormalizedText:
        """The normal form without trailing line breaks."""
        while self.pieces and self.pieces[-1] == "\n":
            self.pieces.pop()
            self.starts.pop()
            self.ends.pop()
        return NormalizedText("".join(self.pieces), tuple(self.starts), tuple(self.ends))


def normalize(original: str) -> NormalizedText:
    """Fold width (NFKC, char by char) and traditional characters to simplified ones, drop CR,
    indentation and blank lines.

    Horizontal space survives only as one space between two ASCII letters or
    digits ("Baidu map"); Chinese text needs none.
    """
    form = _NormalForm()
    position = 0
    for run in _RUN.finditer(original):
        for index in range(position, run.start()):  # the whitespace before the run
            form.add_char(index, original[index])
        form.add_run(run.start(), run.group())
        position = run.end()
    for index in range(position, len(original)):
        form.add_char(index, original[index])
    return form.text()


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def compact(text: str) -> str:
    """The text with every kind of whitespace removed, in normal form (for anchors)."""
    return text.translate(_COMPACT_FORMS)
