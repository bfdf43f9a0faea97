"""`report --html`: the auditor's report as a page a browser opens offline.

The page carries the same facts as the terminal report (tracker.street_report builds them; the
words come from there too), laid out as HTML: per plan its facts and a table per plan section,
status colours, and each piece of evidence with its document and offsets. Everything the page
needs is inside it: the style sheet is inline, fonts are the reader's own, and no script, image
or font is fetched, so it opens the same on a laptop without network. Jinja2 escapes every text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from tracker import street_report
from tracker.contract import STATUSES
from tracker.street_report import Row, StreetReport, StreetRow


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("tracker", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["highlight"] = highlight
    # the terminal report's words and helpers: marks, legend, rate definition, verdict lines
    environment.globals.update(STATUSES=STATUSES, words=street_report)
    return environment


def highlight(text: str, classes: Mapping[str, str]) -> Markup:
    """text escaped, each occurrence of a word of `classes` wrapped in <mark class="…">."""
    words = sorted((word for word in classes if word), key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words))
    parts, end = [], 0
    for found in pattern.finditer(text):
        parts += [escape(text[end : found.start()]), _mark(found.group(), classes[found.group()])]
        end = found.end()
    parts.append(escape(text[end:]))
    return Markup("").join(parts)


def _mark(word: str, css_class: str) -> Markup:
    return Markup('<mark class="{}">{}</mark>').format(css_class, word)


def item_classes(row: Row) -> dict[str, str]:
    """A commitment's named items: "found" where the follow-up reports them, else "unreported"."""
    found = street_report.matched_items(row.match)
    return {item: "found" if item in found else "unreported" for item in row.commitment.items}


def mention_classes(row: Row) -> dict[str, str]:
    """The mentions of the commitment's items the scorer found in the evidence."""
    return dict.fromkeys(street_report.matched_items(row.match).values(), "found")


def street_page(report: StreetReport) -> str:
    return (
        _environment()
        .get_template("street.html.j2")
        .render(
            report=report,
            sections_of=street_report.sections_of,
            item_classes=item_classes,
            mention_classes=mention_classes,
        )
    )


def comparison_page(rows: list[StreetRow]) -> str:
    return (
        _environment()
        .get_template("comparison.html.j2")
        .render(
            full=[row for row in rows if not row.interim],
            interim=[row for row in rows if row.interim],
            synthetic=any(row.synthetic for row in rows),
        )
    )
