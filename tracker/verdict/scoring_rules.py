"""The thresholds and word lists of matching and scoring, read from rules/scoring.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.rules import RulesError, read_rule_file


@dataclass(frozen=True)
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
    venue_before: tuple[str, ...] = ()
    venue_verbs: tuple[str, ...] = ()

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
                venue_before=tuple(data.get("venue_before", [])),
                venue_verbs=tuple(data.get("venue_verbs", [])),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise RulesError(f"{directory / 'scoring.toml'}: missing or bad value {error}") from None
