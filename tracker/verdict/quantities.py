"""Targets against reported quantities: which statement quantity measures what a target measures,
and whether it meets it."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from tracker.link import StatementView
from tracker.normalize import compact
from tracker.verdict.model import Explanation
from tracker.verdict.scope import wider_scope
from tracker.verdict.scoring_rules import ScoringRules
from tracker.verdict.words import bigrams


def compare_targets(
    commitment_text: str,
    targets: list[dict],
    statements: list[StatementView],
    rules: ScoringRules,
    why: Explanation,
) -> tuple[list[dict], list[tuple[str, float | None]]]:
    """Each target against the quantity reported for it: (reported pairs, shortfalls as (reason, ratio))."""
    reported = []
    shortfalls: list[tuple[str, float | None]] = []
    for target in targets:
        quantity = comparable_in(target, commitment_text, statements, rules)
        if quantity is None:
            why.add("quantity_unreported", target["raw"], "", 0)
            continue
        reported.append({"target": target["raw"], "reported": quantity["raw"]})
        value, goal = quantity["quantity"], target["quantity"]
        if target["comparator"] in ("<=", "<"):
            if value > goal:
                why.add("bound_missed", target["raw"], quantity["raw"], -0.5)
                shortfalls.append(("bound_missed", goal / value if value else 0.0))
            else:
                why.add("bound_kept", target["raw"], quantity["raw"], 0.5)
            continue
        ratio = value / goal if goal else 1.0
        short = ratio < 1 or (  # "近800场" falls short of "不少于800场"; "约800场" of "超过800场"
            ratio == 1
            and (
                quantity["comparator"] == "<"
                or (quantity["comparator"] in ("~", "<=") and target["comparator"] == ">")
            )
        )
        why.add(
            "quantity_short" if short else "quantity_met",
            target["raw"],
            quantity["raw"],
            -0.5 if short else 0.5,
        )
        if short:
            shortfalls.append(("quantity_short", round(ratio, 3)))
    return reported, shortfalls


def local_quantities(statement: StatementView, rules: ScoringRules) -> list[dict]:
    """The statement's quantities outside district- or city-wide segments."""
    text = statement.compact_text
    if not statement.quantities or not any(word in text for word in rules.wider_scope_words):
        return list(statement.quantities)  # no wider segment: the common case, without splitting
    wide = [seg for seg in re.split(r"[,,;;]", text) if wider_scope(seg, rules)]
    return [q for q in statement.quantities if not any(compact(q["raw"]) in seg for seg in wide)]


def same_figures(targets: list[dict], quantities: list[dict]) -> bool:
    """Every target stands in the statement with its very figure, and the figures are telling:
    two or more, or one that no one rounds ("提高6栋234户…" and "惠及6栋楼234户居民")."""
    if not all(same_value(t, quantities) for t in targets):
        return False
    return len(targets) >= 2 or not _round(targets[0]["quantity"])


def _round(value: float) -> bool:
    return value < 100 or float(value).is_integer() and int(value) % 10 == 0


def same_value(target: dict, quantities: list[dict]) -> bool:
    return any(q["unit"] == target["unit"] and q["quantity"] == target["quantity"] for q in quantities)


def comparable(target: dict, quantities: list[dict], rules: ScoringRules) -> bool:
    return any(_same_measure(target, q, rules) for q in quantities)


def comparable_in(
    target: dict, commitment_text: str, statements: list[StatementView], rules: ScoringRules
) -> dict | None:
    """The statement quantity measuring what the target measures.

    Same unit first, then the counted noun, then the words just before the
    number: "总产值达到400亿元" is compared with "总产值377.5亿元", not with
    the "地区生产总值176亿元" of the same sentence.
    """
    target_lead = lead(commitment_text, target["raw"])
    for statement in statements:
        matching = [q for q in local_quantities(statement, rules) if _same_measure(target, q, rules)]
        if matching:
            return max(
                matching,
                key=lambda q: (
                    q["unit"] == target["unit"],
                    _noun_similarity(target, q),
                    lead_overlap(target_lead, lead(statement.text, q["raw"])),
                    fuzz.partial_ratio(target_lead, lead(statement.text, q["raw"])),
                ),
            )
    return None


def lead(text: str, raw: str) -> str:
    """The words right before a quantity, back to the previous punctuation or number."""
    position = text.find(raw)
    if position < 0:
        return ""
    return re.split(r"[,,;;。0-9]", text[max(0, position - 12) : position])[-1]


def lead_overlap(target_lead: str, statement_lead: str) -> int:
    """Character pairs two leads share: "宣传、讲座活动不少于180场" measures "宣传讲座196场",
    not "示范活动26场" of the same sentence."""
    return len(bigrams(target_lead) & bigrams(statement_lead))


def _same_measure(target: dict, quantity: dict, rules: ScoringRules) -> bool:
    """Same kind and unit (or two counting classifiers); counted nouns rank, they do not bar."""
    if target.get("kind", "level") != quantity.get("kind", "level"):
        return False
    units = {target["unit"], quantity["unit"]}
    return len(units) == 1 or units <= rules.count_units


def _noun_similarity(target: dict, quantity: dict) -> float:
    if not target.get("noun") or not quantity.get("noun"):
        return 100.0
    return fuzz.partial_ratio(target["noun"], quantity["noun"])
