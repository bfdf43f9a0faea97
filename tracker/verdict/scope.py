"""Whose result a statement reports: a name mentioned as history, background or a venue, another
street's clause, a district-wide figure are not this commitment's evidence."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from tracker.link import StatementView
from tracker.normalize import compact
from tracker.place import LONGEST_TOWNSHIP, TOWNSHIP_SUFFIX, names_written
from tracker.verdict.scoring_rules import MatchingRules, ScoringRules


def mention_context(item: str, statement: StatementView, rules: ScoringRules) -> str | None:
    """'history', 'background', 'venue' or 'member' when the statement names the item only as
    such."""
    text = statement.compact_text
    position = text.find(compact(item))
    if position < 0:
        return None
    before = text[max(0, position - 8) : position]
    if any(word in before for word in rules.history_words):
        return "history"
    clause = re.split(r"[,,;;]", text[:position])[-1]
    if any(clause.startswith(word) or f",{word}" in clause for word in rules.background_words):
        return "background"
    after = text[position + len(compact(item)) :][:6]
    if before.endswith(rules.venue_before) and any(verb in after for verb in rules.venue_verbs):
        return "venue"  # "在海防公园举办…展演": the place of another event, not the project
    if after.startswith(rules.member_nouns):
        return "member"  # "微型消防站队员开展拉练": its people act, nothing is done to it
    return None


def other_street_in(statement: StatementView, own_street: str | None, streets: frozenset[str]) -> str | None:
    """Another township (of `streets`, full names) named in the clause: its results are not this
    street's. The longest name at each suffix, so "大雁塔街道" is never read as "雁塔街道"."""
    return next((name for name in townships_in(statement.compact_text, streets) if name != own_street), None)


@lru_cache(maxsize=4096)
def townships_in(text: str, streets: frozenset[str]) -> tuple[str, ...]:
    """The townships of `streets` a text names; once per statement, not once per commitment of its
    street (the missing gate reads the whole summary for each)."""
    return tuple(mention.name for mention in names_written(text, streets, LONGEST_TOWNSHIP, TOWNSHIP_SUFFIX))


def without_other_streets(
    statement: StatementView, own_street: str | None, streets: frozenset[str]
) -> StatementView | None:
    """The statement without its clauses on other streets ("…工作专班,与福永街道联合招商").

    What is left is this street's; a statement all about another street is None.
    """
    kept = [
        part
        for part in re.split(r"(?<=[,，;；])", statement.text)
        if not other_street_in(replace(statement, text=part), own_street, streets)
    ]
    if not kept:
        return None
    text = "".join(kept)
    inside = compact(text)
    return replace(
        statement,
        text=text,
        items=[item for item in statement.items if compact(item) in inside],
        quantities=[q for q in statement.quantities if compact(q["raw"]) in inside],
    )


def wider_scope(text: str, rules: ScoringRules) -> str | None:
    """A district- or city-wide figure ("全区新建社康21家"), not a ranking ("全区首家")."""
    for word in rules.wider_scope_words:
        if word not in text:  # as in most texts: no pattern to build and run
            continue
        for match in re.finditer(re.escape(word), text):
            following = text[match.end() : match.end() + 2]
            before = text[max(0, match.start() - 1) : match.start()]
            if before != "占" and not any(following.startswith(w) for w in rules.scope_ranking_words):
                return word
    return None


def own_place_cores(names: list[str], matching: MatchingRules) -> tuple[str, ...]:
    """The cores of a place's names, without their administrative endings (临溪镇 → 临溪,
    东兴区 → 东兴), longest first; a core of one character is no name of its own."""
    cores = set()
    for name in names:
        ending = next((e for e in matching.admin_endings if name.endswith(e)), "")
        core = name[: len(name) - len(ending)]
        if len(core) >= 2:
            cores.add(core)
    return tuple(sorted(cores, key=lambda core: (-len(core), core)))
