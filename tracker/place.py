"""Where a report is from: its township (街道, 镇 or 乡), district, city and province.

A township is read only from its full name as written ("新安街道", "石桥镇", "城关乡", in
"XX街道办事处" or "XX县人民政府XX镇" too), never from a bare name inside another word
("招商引资" names no 招商街道). The report's own is the one its title names, else the first
its opening names, else the one its text names most. A name that several places share is
resolved by the district, city and province words of the text and the manifest; a name
they do not settle is ambiguous: shown, never guessed. A wrong place is worse than none,
since documents are paired only within one place.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, replace
from enum import StrEnum

from tracker.gazetteer import TOWNSHIP_END, Gazetteer, Place

TOWNSHIP_SUFFIX = re.compile(r"街道|镇|乡")
MASKED_STREET = re.compile(r"(?:XX|xx|××|\*\*|某某)(?:街道|镇|乡)")
LONGEST_TOWNSHIP = 16  # characters, suffix included (the longest of the codes has 14)
OPENING_CHARS = 300  # the opening paragraph: where a report says who speaks
SHOWN_PLACES = 4  # an ambiguous name lists this many of its places
QUOTES = {"“": "”", '"': '"', "「": "」"}  # a quoted name is an honour or a title: “五星街道”称号


class PlaceStatus(StrEnum):
    FOUND = "found"  # one place of the gazetteer
    GIVEN = "given"  # the manifest names a township the gazetteer does not hold
    AMBIGUOUS = "ambiguous"  # a township name several places share, not settled by the text
    UNKNOWN = "unknown"  # no township named (or a masked "XX街道")


@dataclass(frozen=True)
class PlaceHints:
    """What a manifest says about the place; every level optional."""

    street: str | None = None
    district: str | None = None
    city: str | None = None
    province: str | None = None


@dataclass(frozen=True)
class PlaceReading:
    place: Place | None  # the levels known (street None when the township is not)
    status: PlaceStatus
    note: str | None = None  # why it pairs with nothing, or what the manifest added

    @property
    def key(self) -> str | None:
        """The identity pairing compares; None for a place never paired."""
        if self.place is None or self.place.street is None or self.status is PlaceStatus.AMBIGUOUS:
            return None
        if self.status is PlaceStatus.GIVEN and not (self.place.city or self.place.district):
            return None
        return self.place.key


@dataclass(frozen=True)
class Mention:
    start: int
    name: str


def names_written(text: str, names: Container[str], longest: int, ends: re.Pattern[str]) -> list[Mention]:
    """The names of a level written in text: at each place a name may end, the longest."""
    mentions = []
    for match in ends.finditer(text):
        end = match.end()
        for start in range(max(0, end - longest), end - 1):
            if text[start:end] in names:
                mentions.append(Mention(start, text[start:end]))
                break
    return mentions


def township_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Every township of the gazetteer written in full, but where its suffix is part of a word
    ("城镇化"), the whole name is quoted (“五星街道”称号: an honour) or it is a goal ("建设和谐街道")."""
    return [
        m
        for m in names_written(text, gazetteer.streets, gazetteer.longest_street, TOWNSHIP_SUFFIX)
        if not _suffix_in_word(text, m, gazetteer)
        and not _quoted(text, m)
        and not text[: m.start].endswith(gazetteer.goal_verbs)
    ]


def _suffix_in_word(text: str, mention: Mention, gazetteer: Gazetteer) -> bool:
    suffix = TOWNSHIP_END.search(mention.name)
    following = gazetteer.not_followed_by.get(suffix.group() if suffix else "", ())
    return text.startswith(following, mention.start + len(mention.name))


def _quoted(text: str, mention: Mention) -> bool:
    before = text[mention.start - 1 : mention.start]
    end = mention.start + len(mention.name)
    return before in QUOTES and text[end : end + 1] == QUOTES[before]


def read_place(text: str, title: str, hints: PlaceHints, gazetteer: Gazetteer) -> PlaceReading:
    """The report's place: from the manifest's hints, else from its title and text."""
    name = hints.street or own_township(text, title, gazetteer)
    if name is None:
        area = area_named(text, title, hints, gazetteer)
        name = None if MASKED_STREET.search(text) else township_by_bare_name(text, area, gazetteer)
        if name is None:
            return PlaceReading(area, PlaceStatus.UNKNOWN)
    candidates = [p for p in gazetteer.streets.get(name, []) if _agrees(p, hints, gazetteer)]
    if not candidates:
        given = _given(name, hints, gazetteer)
        return PlaceReading(given, PlaceStatus.GIVEN, f"{name} is not in the gazetteer{_under(hints)}")
    if len(candidates) > 1:
        candidates = _best_supported(candidates, text, gazetteer)
    if len(candidates) == 1:
        return PlaceReading(candidates[0], PlaceStatus.FOUND)
    shown = "; ".join(p.shown for p in candidates[:SHOWN_PLACES])
    more = "…" if len(candidates) > SHOWN_PLACES else ""
    where = f"{len(candidates)} places ({shown}{more})"
    note = f"ambiguous: {name} is in {where}; a manifest can name its district"
    return PlaceReading(Place(_common(candidates), street=name), PlaceStatus.AMBIGUOUS, note)


def own_township(text: str, title: str, gazetteer: Gazetteer) -> str | None:
    """The township the report speaks for: the one its title names, else the first its opening
    names, else the one it names most (more often than any other and than a masked "XX街道")."""
    in_title = township_mentions(title, gazetteer)
    if in_title:
        return in_title[0].name
    mentions = [m for m in township_mentions(text, gazetteer) if _long_or_chained(text, m, gazetteer)]
    masked = [m.start() for m in MASKED_STREET.finditer(text)]
    opening = _opening_end(text, title)
    first = min([m.start for m in mentions] + masked, default=opening)
    if first < opening:
        return None if first in masked else next(m.name for m in mentions if m.start == first)
    return _dominant(Counter(m.name for m in mentions), above=len(masked))


def _long_or_chained(text: str, mention: Mention, gazetteer: Gazetteer) -> bool:
    """A township name long enough to stand alone, or a short one ("新镇", also the start of
    "新镇小学") written after its county's or city's name ("奈曼旗新镇")."""
    if len(mention.name) >= gazetteer.min_township_chars:
        return True
    above = {level for p in gazetteer.streets[mention.name] for level in (p.district, p.city) if level}
    return any(text[: mention.start].endswith(name) for name in above)


def township_by_bare_name(text: str, area: Place | None, gazetteer: Gazetteer) -> str | None:
    """For a report that writes no township in full: the township of the district it names
    whose bare name ("西乡") it uses at least twice and more than any other's. Never a bare
    name without its district: alone it may be part of any word ("招商引资")."""
    if area is None or area.district is None:
        return None
    bare = Counter(
        {
            name: text.count(stem)
            for name in gazetteer.streets_of_district.get((area.city, area.district), ())
            if len(stem := TOWNSHIP_END.sub("", name)) >= 2 and stem in text
        }
    )
    return _dominant(bare, above=1)


def _opening_end(text: str, title: str) -> int:
    return (text.find(title) + len(title) if title else 0) + OPENING_CHARS


def _dominant(counts: Counter[str], above: int = 0) -> str | None:
    """The most frequent name when it beats the runner-up and `above`."""
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] > above and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _agrees(place: Place, hints: PlaceHints, gazetteer: Gazetteer) -> bool:
    """Whether a place of the gazetteer is the one the manifest describes, alias or not."""
    pairs = ((hints.district, place.district), (hints.city, place.city), (hints.province, place.province))
    for given, level in pairs:
        if given and given not in [level, *gazetteer.written_as.get(level or "", [])]:
            return False
    return True


def _best_supported(candidates: list[Place], text: str, gazetteer: Gazetteer) -> list[Place]:
    """The candidates whose district, city and province the text writes most levels of."""
    support = {place: _levels_written(place, text, gazetteer) for place in candidates}
    best = max(support.values())
    return [place for place in candidates if support[place] == best] if best else candidates


def _levels_written(place: Place, text: str, gazetteer: Gazetteer) -> int:
    """How many of a place's district, city and province the text names (by name or alias).

    A short name ("城区") counts only written before the next level's name ("阳泉市城区")."""
    chain = [level for level in (place.province, place.city, place.district, place.street) if level]
    found = 0
    for position, level in enumerate(chain[:-1]):
        for name in [level, *gazetteer.written_as.get(level, [])]:
            if len(name) >= gazetteer.min_word_chars:
                written = name in text
            else:
                written = any(name + below in text for below in chain[position + 1 :])
            if written:
                found += 1
                break
    return found


def _common(places: list[Place]) -> str:
    """The province the places share, else empty: what an ambiguous name still tells."""
    provinces = {p.province for p in places}
    return provinces.pop() if len(provinces) == 1 else ""


def _given(name: str, hints: PlaceHints, gazetteer: Gazetteer) -> Place:
    """The manifest's place as it names it, the province filled from the city when it can be."""
    province = hints.province or (gazetteer.province_of_city(hints.city) if hints.city else None)
    return Place(province or "", hints.city, hints.district, name)


def _under(hints: PlaceHints) -> str:
    where = "".join(level for level in (hints.province, hints.city, hints.district) if level)
    return f" under {where}" if where else ""


def area_named(text: str, title: str, hints: PlaceHints, gazetteer: Gazetteer) -> Place | None:
    """District, city and province of a report whose township is unknown: the manifest's, else
    the district (or city) its title names, else its opening, else the one its text names most,
    each checked against the gazetteer."""
    for level, names in ((hints.district, gazetteer.districts), (hints.city, gazetteer.cities)):
        if level:
            found = [p for p in names.get(level, []) if _agrees(p, hints, gazetteer)]
            return found[0] if len(found) == 1 else _given_above(hints, gazetteer)
    for part in (title, text[: _opening_end(text, title)], text):
        for names in (gazetteer.districts, gazetteer.cities):
            written = Counter(
                m.name
                for m in names_written(part, names, gazetteer.longest_name, gazetteer.name_ends)
                if len(m.name) >= gazetteer.min_word_chars
            )
            alone = next(iter(written)) if len(written) == 1 else None
            name = _dominant(written) if part is text else alone
            places = [p for p in names.get(name or "", []) if _agrees(p, hints, gazetteer)]
            if len(places) > 1:
                places = _best_supported(places, part, gazetteer)
            if len(places) == 1:
                return places[0]
    return _given_above(hints, gazetteer) if hints.province else None


def _given_above(hints: PlaceHints, gazetteer: Gazetteer) -> Place:
    province = hints.province or (gazetteer.province_of_city(hints.city) if hints.city else None)
    return replace(Place(province or ""), city=hints.city, district=hints.district)
