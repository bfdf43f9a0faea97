"""The rule files in rules/: read once, validated, compiled.

Lexicons and patterns are data so that a user adds a word without touching
code. An installed tracker finds them inside the package (see bundled.py);
`--rules DIR` or TRACKER_RULES points at another folder with the same files.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from tracker.bundled import bundled_dir

# Bullets, table bars and joints a page puts before a line of its header.
LIST_MARK = re.compile(r"^[-•·*|+]+")


class RulesError(Exception):
    """A rule file is missing or malformed: names the file and the problem."""


def default_rules_dir() -> Path:
    configured = os.environ.get("TRACKER_RULES")
    if configured:
        return Path(configured)
    return bundled_dir("rules")


def read_rule_file(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise RulesError(f"{path}: rule file missing") from None
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{path}: malformed TOML ({error})") from None


def _strings(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RulesError(f"{path}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def _patterns(data: dict[str, Any], key: str, path: Path) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in _strings(data, key, path):
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise RulesError(f"{path}: bad pattern {pattern!r} in '{key}' ({error})") from None
    return tuple(compiled)


def _number(data: dict[str, Any], key: str, path: Path, at_most: float | None = None) -> float:
    """A number from 0 (to at_most, when given)."""
    value = data.get(key)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or value < 0 or (at_most is not None and value > at_most):
        bound = f" and at most {at_most:g}" if at_most is not None else ""
        raise RulesError(f"{path}: '{key}' must be a number of at least 0{bound}")
    return float(value)


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise RulesError(f"{path}: '[{key}]' table missing")
    return value


@dataclass(frozen=True)
class CruftRules:
    patterns: tuple[re.Pattern[str], ...]
    published_patterns: tuple[re.Pattern[str], ...]
    synthetic_patterns: tuple[re.Pattern[str], ...]
    any_pattern: re.Pattern[str]  # the patterns as one alternation: one search per line

    @classmethod
    def load(cls, directory: Path) -> CruftRules:
        path = directory / "cruft.toml"
        data = read_rule_file(directory, "cruft.toml")
        patterns = _patterns(data, "patterns", path)
        return cls(
            patterns,
            _patterns(data, "published_patterns", path),
            _patterns(data, "synthetic_patterns", path),
            re.compile("|".join(f"(?:{p.pattern})" for p in patterns)),
        )

    def is_cruft(self, line: str) -> bool:
        """Whether a normalised line is page furniture; a list mark or table bar before it
        ("• 发布日期:…", "| 索引号 |…") does not hide it, and a line of such marks alone is one."""
        unmarked = LIST_MARK.sub("", line)
        return not unmarked or bool(self.any_pattern.search(unmarked))

    def marks_synthetic_line(self, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.synthetic_patterns)

    def marks_synthetic(self, text: str) -> bool:
        """Whether the text's first line says it is synthetic (test material); page furniture
        before it (a saved page's metadata table) is passed over."""
        for line in text.splitlines():
            line = line.strip()
            if self.marks_synthetic_line(line):
                return True
            if line and not self.is_cruft(line):
                return False
        return False


@dataclass(frozen=True)
class FormatRules:
    """rules/formats.toml: how saved web pages, Word and PDF files are read."""

    task_number_columns: tuple[str, ...]
    task_text_columns: tuple[str, ...]
    extracted_share_flag: float
    scripted_body_chars: int
    bad_byte_share: float
    pdf_furniture: tuple[re.Pattern[str], ...]
    pdf_placeholder_titles: tuple[str, ...]

    @classmethod
    def load(cls, directory: Path) -> FormatRules:
        path = directory / "formats.toml"
        data = read_rule_file(directory, "formats.toml")
        return cls(
            task_number_columns=_strings(data, "task_number_columns", path),
            task_text_columns=_strings(data, "task_text_columns", path),
            extracted_share_flag=_number(data, "extracted_share_flag", path, at_most=1),
            scripted_body_chars=int(_number(data, "scripted_body_chars", path)),
            bad_byte_share=_number(data, "bad_byte_share", path, at_most=1),
            pdf_furniture=_patterns(data, "pdf_furniture", path),
            pdf_placeholder_titles=_strings(data, "pdf_placeholder_titles", path),
        )

    def is_pdf_furniture(self, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.pdf_furniture)


@dataclass(frozen=True)
class SectionRules:
    max_heading_chars: int
    role_phrases: dict[str, tuple[str, ...]]
    either_phrases: tuple[str, ...]
    summary_cue_lines: tuple[str, ...]
    halves: dict[str, tuple[str, ...]]
    next_year_words: tuple[str, ...]
    summary_cues: tuple[str, ...]
    plan_cues: tuple[str, ...]
    target_cues: tuple[str, ...]

    @cached_property
    def role_patterns(self) -> dict[str, re.Pattern[str]]:
        """Per role, one pattern that finds any of its phrases."""
        return {
            role: re.compile("|".join(map(re.escape, words))) for role, words in self.role_phrases.items()
        }

    @cached_property
    def any_phrase(self) -> re.Pattern[str]:
        """One pattern that finds any heading phrase: most lines of a report hold none."""
        words = [*self.role_phrases["summary"], *self.role_phrases["plan"], *self.either_phrases]
        return re.compile("|".join(map(re.escape, words)))

    @classmethod
    def load(cls, directory: Path) -> SectionRules:
        path = directory / "sections.toml"
        data = read_rule_file(directory, "sections.toml")
        limit = data.get("max_heading_chars")
        if not isinstance(limit, int) or limit < 4:
            raise RulesError(f"{path}: 'max_heading_chars' must be an integer >= 4")
        roles = _table(data, "roles", path)
        halves = _table(data, "halves", path)
        if set(roles) != {"summary", "plan", "either"}:
            raise RulesError(f"{path}: [roles] must have exactly 'summary', 'plan' and 'either'")
        if set(halves) != {"H1", "H2"}:
            raise RulesError(f"{path}: [halves] must have exactly 'H1' and 'H2'")
        no_heading = _table(data, "no_heading", path)
        return cls(
            max_heading_chars=limit,
            role_phrases={role: _strings(roles, role, path) for role in ("summary", "plan")},
            either_phrases=_strings(roles, "either", path),
            summary_cue_lines=_strings(_table(data, "cue_lines", path), "summary", path),
            halves={half: _strings(halves, half, path) for half in halves},
            next_year_words=_strings(_table(data, "periods", path), "next_year", path),
            summary_cues=_strings(no_heading, "summary_cues", path),
            plan_cues=_strings(no_heading, "plan_cues", path),
            target_cues=_strings(_table(data, "plan_preamble", path), "target_cues", path),
        )


ALIAS_KEYS = ("written", "official", "within")


@dataclass(frozen=True)
class Alias:
    """A name reports write for a division the codes know as `official`, inside `within`."""

    written: str
    official: str
    within: str


@dataclass(frozen=True)
class PlaceRules:
    """What places.toml adds to the national gazetteer (tracker.gazetteer), which holds the rest."""

    min_word_chars: int
    min_township_chars: int
    goal_verbs: tuple[str, ...]
    not_followed_by: dict[str, tuple[str, ...]]
    aliases: tuple[Alias, ...]

    @classmethod
    def load(cls, directory: Path) -> PlaceRules:
        path = directory / "places.toml"
        data = read_rule_file(directory, "places.toml")
        limits = {key: data.get(key) for key in ("min_word_chars", "min_township_chars")}
        for key, limit in limits.items():
            if not isinstance(limit, int) or limit < 1:
                raise RulesError(f"{path}: '{key}' must be a positive integer")
        following = _table(data, "not_followed_by", path)
        aliases = data.get("alias", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, dict) and all(isinstance(a.get(key), str) and a[key] for key in ALIAS_KEYS)
            for a in aliases
        ):
            raise RulesError(f"{path}: each [[alias]] needs 'written', 'official' and 'within' strings")
        return cls(
            min_word_chars=limits["min_word_chars"],
            min_township_chars=limits["min_township_chars"],
            goal_verbs=_strings(data, "goal_verbs", path),
            not_followed_by={suffix: _strings(following, suffix, path) for suffix in following},
            aliases=tuple(Alias(a["written"], a["official"], a["within"]) for a in aliases),
        )


@dataclass(frozen=True)
class Rules:
    directory: Path
    cruft: CruftRules
    sections: SectionRules
    places: PlaceRules
    formats: FormatRules

    @classmethod
    def load(cls, directory: Path | None = None) -> Rules:
        directory = Path(directory) if directory else default_rules_dir()
        if not directory.is_dir():
            raise RulesError(f"{directory}: rules folder not found")
        return cls(
            directory=directory,
            cruft=CruftRules.load(directory),
            sections=SectionRules.load(directory),
            places=PlaceRules.load(directory),
            formats=FormatRules.load(directory),
        )


@lru_cache(maxsize=8)
def load_rules(directory: Path | None = None) -> Rules:
    """Rules compiled once per process and folder."""
    return Rules.load(directory)
