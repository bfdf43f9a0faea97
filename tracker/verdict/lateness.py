"""Whether the summary dates the result after the promised deadline (the flag `late`)."""

from __future__ import annotations

import re

from tracker.link import CommitmentView, StatementView

MONTH = re.compile(r"(20\d{2}年)?(\d{1,2}|[一二三四五六七八九十]{1,2})月")
CN_MONTHS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}


def late(
    commitment: CommitmentView, statements: list[StatementView], months: tuple[tuple[str, int], ...]
) -> bool:
    """The summary dates the result after the promised month (or in a later year); months are
    the deadline words' months (rules/deadlines.toml [months])."""
    due = deadline_month(commitment.deadline, months)
    if due is None:
        return False
    year = int(commitment.period[:4])
    for statement in statements:
        for match in MONTH.finditer(statement.text):
            month = _month_value(match.group(2))
            stated_year = int(match.group(1)[:4]) if match.group(1) else year
            if month and (stated_year > year or (stated_year == year and month > due)):
                return True
    return False


def deadline_month(deadline: str | None, months: tuple[tuple[str, int], ...]) -> int | None:
    """The month a deadline falls due in: its word's (上半年 6, 2季度 6), else the month it names."""
    if not deadline:
        return None
    for word, month in months:
        if word in deadline:
            return month
    match = MONTH.search(deadline)
    return _month_value(match.group(2)) if match else None


def _month_value(text: str) -> int | None:
    value = int(text) if text.isdigit() else CN_MONTHS.get(text)
    return value if value and 1 <= value <= 12 else None
