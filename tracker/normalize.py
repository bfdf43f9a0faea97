"""Normalised text that remembers where every character came from.

Reports mix full-width and half-width punctuation (",", "," and "(", "(")
and carry indentation and blank lines from web pages. Every stage works on one
normal form, and every span it finds is quoted back from the original text
through the offset map, so a reader can always check the quote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

HORIZONTAL_SPACE = frozenset(" \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\f\v")


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


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """NFKC per character: full-width punctuation and digits become ASCII."""
    return unicodedata.normalize("NFKC", char)


def normalize(original: str) -> NormalizedText:
    """Fold width (NFKC, char by char), drop CR, indentation and blank lines.

    Horizontal space survives only as one space between two ASCII letters or
    digits ("Baidu map"); Chinese text needs none.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space: int | None = None  # original offset of a space run not yet emitted
    for index, char in enumerate(original):
        if char in HORIZONTAL_SPACE or char == "\r":
            if pending_space is None:
                pending_space = index
            continue
        folded = "\n" if char in "\n\u2028\u2029\x85" else _fold(char)
        if folded == "\n":
            pending_space = None
            if out and out[-1] != "\n":
                out.append("\n")
                starts.append(index)
                ends.append(index + 1)
            continue
        folded = "".join(piece for piece in folded if not piece.isspace())  # NFKC folds ´ to " ́"
        if not folded:
            continue
        if pending_space is not None and out and _is_ascii_word(out[-1]) and _is_ascii_word(folded[0]):
            out.append(" ")
            starts.append(pending_space)
            ends.append(pending_space + 1)
        pending_space = None
        for piece in folded:
            out.append(piece)
            starts.append(index)
            ends.append(index + 1)
    while out and out[-1] == "\n":
        out.pop()
        starts.pop()
        ends.pop()
    return NormalizedText("".join(out), tuple(starts), tuple(ends))


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def compact(text: str) -> str:
    """The text with every kind of whitespace removed, in normal form (for anchors)."""
    return "".join(normalize(text).text.split())
