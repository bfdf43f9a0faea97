"""Targets against reported quantities: which statement quantity measures what a target measures,
and whether it meets it."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from tracker.link import CommitmentView, StatementView
from tracker.normalize import compact
from tracker.quantities import check, counted_noun
from tracker.verdict.model import Context, Explanation
from tracker.verdict.scope import wider_scope
from tracker.verdict.scoring_rules import ScoringRules
from tracker.verdict.words import bigrams

_CJK = re.compile(r"[\u4e00-\u9fff]")


def compare_targets(
    commitment: CommitmentView, statements: list[StatementView], ctx: Context, why: Explanation
) -> tuple[list[dict], list[tuple[str, float | None]]]:
    """Each target against the quantity reported for it, after unit conversion: (reported pairs,
    shortfalls as (reason, ratio), weakest first: with several targets the verdict is the weakest's)."""
    reported = []
    shortfalls: list[tuple[str, float]] = []
    for target, target_lead in zip(commitment.targets, target_leads(commitment, ctx), strict=True):
        quantity = (
            parts_total(target, target_lead, statements, ctx)
            or comparable_in(target, target_lead, statements, ctx)
            or named_count(target, target_lead, statements, ctx)
        )
        if quantity is None:
            why.add("quantity_unreported", target["raw"], "", 0)
            continue
        reported.append({"target": target["raw"], "reported": quantity["raw"]})
        outcome = check(target, quantity)
        if outcome.bound:
            rule = "bound_kept" if outcome.met else "bound_missed"
        else:
            rule = "quantity_met" if outcome.met else "quantity_short"
        why.add(rule, target["raw"], quantity["raw"], 0.5 if outcome.met else -0.5)
        if not outcome.met:
            shortfalls.append((rule, round(outcome.ratio, 3)))
    return reported, sorted(shortfalls, key=lambda shortfall: shortfall[1])


def target_leads(commitment: CommitmentView, ctx: Context) -> list[str]:
    """What each target measures: its list name where the commitment pairs names with targets
    ("A、B分别达到X、Y"), else the words right before it."""
    raws = [t["raw"] for t in commitment.targets]
    respective = ctx.measures.respective_measures(commitment.text, raws)
    return [respective.get(raw) or lead(commitment.text, raw) for raw in raws]


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


def comparable(
    target: dict, target_lead: str, statement: StatementView, quantities: list[dict], ctx: Context
) -> bool:
    """Whether one of the statement's quantities measures what the target measures."""
    return any(
        ctx.measures.comparable(target, q, target_lead, lead(statement.text, q["raw"])) for q in quantities
    )


def comparable_in(
    target: dict, target_lead: str, statements: list[StatementView], ctx: Context
) -> dict | None:
    """The statement quantity measuring what the target measures.

    Same unit first, then the counted noun, then the words just before the
    number: "总产值达到400亿元" is compared with "总产值377.5亿元", not with
    the "地区生产总值176亿元" of the same sentence.
    """
    for statement in statements:
        matching = [
            q
            for q in local_quantities(statement, ctx.rules)
            if ctx.measures.comparable(target, q, target_lead, lead(statement.text, q["raw"]))
        ]
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


def parts_total(target: dict, target_lead: str, statements: list[StatementView], ctx: Context) -> dict | None:
    """A total reported as its parts: "完成D级危房改造21户、C级危房改造14户" is 35户 of "C级、D级危房
    改造35户". The target lists the parts ("A、B" before its kind, the last three characters of its
    lead); each figure measures what the target does, its lead says the kind and another of the
    listed parts. A breakdown of a total said too ("…35户,其中D级21户") is none."""
    kind = "".join(_CJK.findall(target_lead))[-3:]
    listed = _listed(target_lead, kind)
    if len(kind) < 3 or len(listed) < 2 or target.get("kind", "level") != "level":
        return None
    for statement in statements:
        if any(word in statement.compact_text for word in ctx.rules.breakdown_words):
            continue
        parts: dict[str, dict] = {}
        for q in local_quantities(statement, ctx.rules):
            part_lead = lead(statement.text, q["raw"])
            named = [part for part in listed if part in part_lead and part not in parts]
            if (
                named
                and kind in part_lead
                and q.get("kind", "level") == "level"
                and ctx.measures.comparable(target, q, target_lead, part_lead)
            ):
                parts[named[0]] = q
        if len(parts) >= 2:
            return {
                "quantity": sum(float(q["quantity"]) for q in parts.values()),
                "unit": target["unit"],
                "comparator": "=",
                "raw": "+".join(q["raw"] for q in parts.values()),
                "kind": "level",
                "noun": None,
            }
    return None


def _listed(target_lead: str, kind: str) -> list[str]:
    """The parts a target's lead lists before its kind: 一期、二期 of "新建一期、二期标准厂房"."""
    pieces = [piece for piece in target_lead.split("、")]
    if len(pieces) < 2:
        return []
    last = pieces[-1][: pieces[-1].rfind(kind)] if kind in pieces[-1] else pieces[-1]
    return [part for part in [pieces[0][-2:], *pieces[1:-1], last] if len(part) >= 2]


def named_count(target: dict, target_lead: str, statements: list[StatementView], ctx: Context) -> dict | None:
    """A count target met by naming the instances: "创建省级卫生村2个" against "桂湖村成功创建
    省级卫生村" reports one, "A社区、B社区获评…" two. The names counted are the statement's
    named places before the kind of thing the target counts (the longest end of its lead the
    statement says, three characters at least), and not that kind itself."""
    if target["unit"] not in ctx.rules.count_units or target.get("kind", "level") != "level":
        return None
    counted = "".join(_CJK.findall(counted_noun(target, target_lead)))
    for statement in statements:
        text = statement.compact_text
        kind = next((counted[i:] for i in range(len(counted) - 2) if counted[i:] in text), None)
        if kind is None:
            continue
        at = text.find(kind)
        names = [
            name
            for name in dict.fromkeys(compact(item) for item in statement.items)
            if kind not in name and name not in kind and 0 <= text.find(name) < at
        ]
        if names:
            return {
                "quantity": float(len(names)),
                "unit": target["unit"],
                "comparator": "=",
                "raw": "、".join(names),
                "kind": "level",
                "noun": kind,
            }
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


def _noun_similarity(target: dict, quantity: dict) -> float:
    if not target.get("noun") or not quantity.get("noun"):
        return 100.0
    return fuzz.partial_ratio(target["noun"], quantity["noun"])
