"""The thresholds and word lists of matching and scoring, read from rules/scoring.toml and
rules/matching.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.rules import RulesError, read_rule_file


@dataclass(frozen=True)
class Confidence:
    """The confidence factors of each way to a verdict (scoring.toml [confidence])."""

    vague: float
    no_followup: float
    items: float
    items_disagree: float
    topic: float
    topic_not_done: float
    not_mentioned: float
    not_mentioned_near: float
    gate: float
    gate_head_only: float


@dataclass(frozen=True, eq=False)  # hashed by identity: loaded once, a cache key of the comparisons
class MatchingRules:
    """The comparison levels' weights and limits, the head-noun synonyms, the name suffixes."""

    weights: dict[str, float]
    min_abbreviated_chars: int
    max_abbreviated_word: int
    max_abbreviation_zipf: float
    min_kept_chars: int
    rare_zipf: float
    dropped_zipf: float
    leading_places: tuple[str, ...]
    connectors: tuple[str, ...]  # joining a name's two ends (至): an abbreviation may leave them out
    admin_endings: tuple[str, ...]  # 镇, 区, 市 …: what is left is a place's core (临溪)
    settlement_words: tuple[str, ...]  # 场镇, 集镇 …: after a place's core, the place too
    company_forms: tuple[str, ...]  # 有限公司 …: a company's legal form, longest first
    company_short: str  # 公司: what its short name keeps of it
    province_abbreviations: frozenset[str]  # 川, 渝 …: a run of two or more is a region
    min_piece_chars: int
    min_window_chars: int  # a name this long is also looked for as a changed stretch of text
    max_window_changes: int  # … with at most this many characters changed
    unknown_zipf: float  # a first word rarer than this is an unknown run, cut after min_piece_chars
    distinctive_zipf: float
    measure_units: frozenset[str]
    measure_nouns: tuple[str, ...]
    containers: tuple[str, ...]
    ranks: tuple[str, ...]  # 省级, 市级 …: a thing of another rank is another thing
    synonyms: dict[str, tuple[str, ...]]  # head noun -> the others of its group
    suffixes: tuple[str, ...]  # name suffixes (names.toml), longest first

    @classmethod
    def load(cls, directory: Path) -> MatchingRules:
        data = read_rule_file(directory, "matching.toml")
        names = read_rule_file(directory, "names.toml")
        try:
            synonyms: dict[str, tuple[str, ...]] = {}
            for group in data["synonyms"]["groups"]:
                for word in group:
                    synonyms[word] = tuple(other for other in group if other != word)
            suffixes = {str(word) for words in names["suffixes"].values() for word in words}
            return cls(
                weights={str(level): float(weight) for level, weight in data["weights"].items()},
                min_abbreviated_chars=int(data["abbreviation"]["min_name_chars"]),
                max_abbreviated_word=int(data["abbreviation"]["max_word_chars"]),
                max_abbreviation_zipf=float(data["abbreviation"]["max_zipf"]),
                min_kept_chars=int(data["truncation"]["min_kept_chars"]),
                rare_zipf=float(data["truncation"]["rare_zipf"]),
                dropped_zipf=float(data["truncation"]["dropped_zipf"]),
                leading_places=tuple(data["truncation"]["leading_places"]),
                connectors=tuple(data["abbreviation"]["connectors"]),
                admin_endings=tuple(sorted(data["elision"]["admin_endings"], key=len, reverse=True)),
                settlement_words=tuple(data["elision"]["settlement_words"]),
                company_forms=tuple(data["elision"]["company_forms"]),
                company_short=str(data["elision"]["company_short"]),
                province_abbreviations=frozenset(data["elision"]["province_abbreviations"]),
                min_piece_chars=int(data["elision"]["min_piece_chars"]),
                min_window_chars=int(data["fuzzy"]["min_window_chars"]),
                max_window_changes=int(data["fuzzy"]["max_window_changes"]),
                unknown_zipf=float(data["elision"]["unknown_zipf"]),
                distinctive_zipf=float(data["object"]["distinctive_zipf"]),
                measure_units=frozenset(data["object"]["measure_units"]),
                measure_nouns=tuple(data["object"]["measure_nouns"]),
                containers=tuple(data["object"]["containers"]),
                ranks=tuple(data["object"]["ranks"]),
                synonyms=synonyms,
                suffixes=tuple(sorted(suffixes, key=len, reverse=True)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise RulesError(f"{directory / 'matching.toml'}: missing or bad value {error}") from None


@dataclass(frozen=True, eq=False)  # hashed by identity, like MatchingRules: a cache key of the comparisons
class ScoringRules:
    name_similarity: float
    min_fuzzy_name_chars: int
    max_key_share: float
    dispute_below: float
    close_candidates: float
    history_words: tuple[str, ...]
    background_words: tuple[str, ...]
    wider_scope_words: tuple[str, ...]
    scope_ranking_words: tuple[str, ...]
    topic_containment: float
    topic_stop_words: frozenset[str]
    count_units: frozenset[str]
    matching: MatchingRules
    confidence: Confidence
    deadline_months: tuple[tuple[str, int], ...]  # deadlines.toml [months], longest word first
    behind_schedule_words: tuple[str, ...] = ()
    breakdown_words: tuple[str, ...] = ()
    venue_before: tuple[str, ...] = ()
    venue_verbs: tuple[str, ...] = ()
    member_nouns: tuple[str, ...] = ()

    @classmethod
    def load(cls, directory: Path) -> ScoringRules:
        data = read_rule_file(directory, "scoring.toml")
        try:
            return cls(
                name_similarity=float(data["name_similarity"]),
                min_fuzzy_name_chars=int(data["min_fuzzy_name_chars"]),
                max_key_share=float(data["max_key_share"]),
                dispute_below=float(data["dispute_below"]),
                close_candidates=float(data["close_candidates"]),
                history_words=tuple(data["history_words"]),
                background_words=tuple(data["background_words"]),
                wider_scope_words=tuple(data["wider_scope_words"]),
                scope_ranking_words=tuple(data["scope_ranking_words"]),
                topic_containment=float(data["topic_containment"]),
                topic_stop_words=frozenset(data["topic_stop_words"]),
                count_units=frozenset(data["count_units"]),
                matching=MatchingRules.load(directory),
                confidence=Confidence(**{key: float(value) for key, value in data["confidence"].items()}),
                deadline_months=_deadline_months(directory),
                behind_schedule_words=tuple(data.get("behind_schedule_words", [])),
                breakdown_words=tuple(data.get("breakdown_words", [])),
                venue_before=tuple(data.get("venue_before", [])),
                venue_verbs=tuple(data.get("venue_verbs", [])),
                member_nouns=tuple(data.get("member_nouns", [])),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise RulesError(f"{directory / 'scoring.toml'}: missing or bad value {error}") from None


def _deadline_months(directory: Path) -> tuple[tuple[str, int], ...]:
    months = read_rule_file(directory, "deadlines.toml").get("months", {})
    try:
        found = {str(word): int(month) for word, month in months.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise RulesError(f"{directory / 'deadlines.toml'}: [months] {error}") from None
    if bad := [word for word, month in found.items() if not 1 <= month <= 12]:
        raise RulesError(f"{directory / 'deadlines.toml'}: [months] {bad[0]} is not a month 1-12")
    return tuple(sorted(found.items(), key=lambda entry: -len(entry[0])))
