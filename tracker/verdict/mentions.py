"""Whether a statement mentions a committed item: the comparison levels (comparisons.py), and the
decoys that refuse a mention (another numeral, history, background or venue, the place of
another object)."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.link import CommitmentView, StatementView
from tracker.verdict.comparisons import NameHit, name_match, numeral_conflict, parenthesised
from tracker.verdict.model import Context, short
from tracker.verdict.objects import numbered_conflict, object_after_item
from tracker.verdict.scope import mention_context


@dataclass(frozen=True)
class ItemReader:
    """How a commitment's items are looked for in a statement: each at every comparison level,
    refused where the statement names it only as a decoy. Built once per commitment."""

    commitment: CommitmentView
    ctx: Context
    suffixes: dict[str, str | None]
    aliases: dict[str, tuple[str, ...]]
    objects: dict[str, list[str]]  # the object done at an item that is a place

    @classmethod
    def of(cls, commitment: CommitmentView, ctx: Context) -> ItemReader:
        items = commitment.items
        return cls(
            commitment,
            ctx,
            {item: ctx.suffix_of(item) for item in items},
            {item: parenthesised(item, commitment.text) for item in items},
            {item: object_after_item(item, commitment, ctx) for item in items},
        )

    def hit(self, item: str, statement: StatementView) -> tuple[NameHit | None, tuple[str, str] | None]:
        """The statement's mention of the item, or the decoy it is (rule, what) when refused."""
        hit = self._named(item, statement)
        if hit is None:
            conflict = numeral_conflict(item, statement)
            return None, ("numeral_differs", conflict) if conflict else None
        return self._decoy_checked(item, hit, statement)

    def mention(self, item: str, statement: StatementView) -> NameHit | None:
        """The statement's mention of the item, unless a decoy refuses it; without the reason,
        which the missing gate does not need (and the numeral trap costs on every statement)."""
        hit = self._named(item, statement)
        return None if hit is None else self._decoy_checked(item, hit, statement)[0]

    def _named(self, item: str, statement: StatementView) -> NameHit | None:
        ctx = self.ctx
        return name_match(item, statement, ctx.rules, self.suffixes[item], self.aliases[item], ctx.own_places)

    def _decoy_checked(
        self, item: str, hit: NameHit, statement: StatementView
    ) -> tuple[NameHit | None, tuple[str, str] | None]:
        """The hit, or the decoy that refuses it (rule, what)."""
        rules = self.ctx.rules
        if context := mention_context(item, statement, rules):
            return None, (f"{context}_mention", short(statement.text))
        if conflict := numbered_conflict(self.commitment, statement):
            return None, ("numeral_differs", conflict)
        sentence = statement.compact_sentence
        if self.objects[item] and not any(pair in sentence for pair in self.objects[item]):
            # "文锦、求智、溪畔社区老年食堂" names 文锦社区 as the place of a canteen,
            # not of the promised 城市书房.
            return None, ("place_mention", short(statement.text))
        return hit, None
