"""The missing gate: `missing/not_mentioned` is said only when no form of the commitment's object
stands in the summary with a result.

Items and topic match on the statements blocking proposed, by the strict forms.
Before a commitment is called missing, every statement of the summary of its
street and period is searched again for every form of its object: its names
at every comparison level, the phrase of its object and that phrase abbreviated,
truncated or with a synonym of its head, and its head noun. A statement that
says one of these and reports a result is a near hit: the verdict is judged on
it and disputed, for a reviewer. So is a statement saying the head noun with a
figure of what a target measures (the object in every unit it is counted in). A
head noun alone keeps "missing" but at low confidence, disputed, with the near
hit as the candidate. Nothing of this is an
accusation: it is evidence a person should look at.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.link import CommitmentView, StatementView
from tracker.names import quoted_phrases
from tracker.normalize import compact
from tracker.verdict.comparisons import (
    Level,
    NameHit,
    elided_phase,
    ordinal_differs,
)
from tracker.verdict.judge import judge
from tracker.verdict.level import statement_level
from tracker.verdict.mentions import ItemReader
from tracker.verdict.model import Context, Explanation, Verdict, cite, short
from tracker.verdict.objects import (
    head,
    noun_runs,
    numbered_conflict,
    object_run,
    object_said,
    other_rank,
    promised_rank,
)
from tracker.verdict.quantities import comparable, lead, local_quantities, named_count, target_leads
from tracker.verdict.scope import mention_context, wider_scope


def things_named(commitment: CommitmentView, ctx: Context) -> tuple[str, ...]:
    """The items that are no place (matching.toml containers): "在A村、B村建成日间照料中心2个"
    names the 日间照料中心 to be built, and A村, B村 only where."""
    containers = ctx.rules.matching.containers
    return tuple(item for item in commitment.items if not compact(item).endswith(containers))


def not_mentioned(commitment: CommitmentView, near_miss: bool, ctx: Context, why: Explanation) -> Verdict:
    why.add("not_mentioned", short(commitment.text), "no statement reports on it", 0)
    factors = ctx.rules.confidence
    return Verdict(
        "missing",
        "not_mentioned",
        confidence=factors.not_mentioned_near if near_miss else factors.not_mentioned,
    )


@dataclass(frozen=True)
class NearHit:
    statement: StatementView
    hit: NameHit
    strong: bool  # a name or the object's phrase, not its head noun alone


def look_again(
    commitment: CommitmentView, verdict: Verdict, summary: list[StatementView], ctx: Context, why: Explanation
) -> Verdict:
    """The verdict once every form of the object was looked for in the whole summary."""
    forms = Forms.of(commitment, ctx)
    # the clause before each, in the same document: where an elided project is named
    before = {
        later.id: earlier
        for earlier, later in zip(summary, summary[1:], strict=False)
        if earlier.doc == later.doc
    }
    hits = [
        near for statement in summary if (near := forms.near_hit(statement, before.get(statement.id), ctx))
    ]
    if not hits:
        return verdict
    hits.sort(key=lambda near: (-near.strong, -near.hit.score, near.statement.id))
    best = hits[0]
    rules = ctx.rules
    why.add(f"near_{best.hit.how}", best.hit.mention, short(best.statement.text), best.hit.score)
    candidates = [{"statement_id": near.statement.id, "score": round(near.hit.score, 3)} for near in hits[:5]]
    if not best.strong:
        why.add("gate_head_only", "、".join(forms.heads), "the head noun alone: for a reviewer", 0)
        return Verdict(
            "missing",
            "not_mentioned",
            confidence=rules.confidence.gate_head_only,
            disputed=True,
            candidates=candidates,
        )
    if best.statement.not_done:
        why.add("reported_not_done", short(commitment.text), short(best.statement.text), -1.0)
        judged = Verdict("missing", "reported_not_done")
    else:
        judged = judge(commitment, [best.statement], [statement_level(best.statement)], [], ctx, why)
    judged.confidence = best.hit.score * rules.confidence.gate
    judged.disputed = True
    judged.evidence = cite([best.statement])
    judged.candidates = candidates
    return judged


@dataclass(frozen=True)
class Forms:
    """Every form of a commitment's object the gate looks for, read once per commitment."""

    commitment: CommitmentView
    items: ItemReader  # its names, at every comparison level
    quoted: tuple[str, ...]  # programmes it names in quotes
    phrase: tuple[str, ...] | None  # the run its verb applies to (none where it names items)
    heads: tuple[str, ...]  # the head noun of each run, and their synonyms
    leads: tuple[str, ...]  # what each target measures (quantities.target_leads)
    searched: tuple[str, ...]  # its items the gate looks for: not the places of a thing named
    kind: str | None  # the head of the phrase its verb applies to
    rank: str | None  # the rank the commitment gives that kind (省级), if any

    @classmethod
    def of(cls, commitment: CommitmentView, ctx: Context) -> Forms:
        runs = noun_runs(commitment, ctx)
        # the kind of a place run (金水湾、湘天华府等小区) is where, not what: no head to look for
        places = ctx.rules.matching.containers
        heads = [kind for kind in (head(run, ctx) for run in runs) if kind not in places]
        synonyms = ctx.rules.matching.synonyms
        object_phrase = object_run(commitment, runs)
        phrase = None if commitment.items else object_phrase
        kind = head(object_phrase, ctx) if object_phrase else None
        return cls(
            commitment,
            ItemReader.of(commitment, ctx),
            tuple(name for name in quoted_phrases(compact(commitment.text)) if len(name) >= 3),
            phrase if phrase and len("".join(phrase)) >= 4 else None,
            tuple(dict.fromkeys(name for kind in heads for name in (kind, *synonyms.get(kind, ())))),
            tuple(target_leads(commitment, ctx)),
            things_named(commitment, ctx) or tuple(commitment.items),
            kind,
            promised_rank(compact(commitment.text), kind, ctx) if kind else None,
        )

    def near_hit(
        self, statement: StatementView, earlier: StatementView | None, ctx: Context
    ) -> NearHit | None:
        """The strongest form of the object the statement says, where it reports a result for it."""
        commitment, rules = self.commitment, ctx.rules
        if not (statement.level or statement.quantities or statement.not_done):
            return None
        if ordinal_differs(commitment.text, statement) or numbered_conflict(commitment, statement):
            return None
        if commitment.targets and wider_scope(statement.text, rules):
            return None
        if self.kind and other_rank(self.rank, self.kind, statement.compact_sentence, ctx):
            return None  # 市级 said of the kind, not the 省级 promised
        weights = rules.matching.weights
        for item in self.searched:
            hit = self.items.mention(item, statement)
            if hit:
                return NearHit(statement, hit, strong=True)
            if earlier and (phase := elided_phase(item, statement, earlier)):
                return NearHit(statement, NameHit(Level.PHASE, weights[Level.PHASE], phase), strong=True)
        said_quoted = set(quoted_phrases(statement.compact_text)) if self.quoted else set()
        for name in self.quoted:  # a programme both write in quotes: “精微网格”
            if name in said_quoted and not mention_context(name, statement, rules):
                return NearHit(statement, NameHit(Level.EXACT, weights[Level.EXACT], name), strong=True)
        hit = object_said(self.phrase, statement.compact_text, ctx) if self.phrase else None
        if hit and not mention_context(hit.mention, statement, rules):
            return NearHit(statement, hit, strong=True)
        for name in self.heads:
            if (
                len(name) >= 2
                and name in statement.compact_text
                and name in statement.compact_sentence
                and not mention_context(name, statement, rules)
            ):
                # the head noun with a figure of what the target measures (电梯 and 17台 for
                # 电梯15部) says the object in every unit it is counted in
                measured = self.measured_in(statement, name, ctx)
                return NearHit(statement, NameHit(Level.HEAD, weights[Level.HEAD], name), strong=measured)
        return None

    def measured_in(self, statement: StatementView, name: str, ctx: Context) -> bool:
        """Does the statement give a figure of the head noun `name` (the noun it counts, or the
        words right before it, say it) that measures what one of the targets measures, or name
        the instances a count target counts?"""
        quantities = [
            q
            for q in local_quantities(statement, ctx.rules)
            if name in (q.get("noun") or "") or name in lead(statement.text, q["raw"])
        ]
        return any(
            comparable(target, target_lead, statement, quantities, ctx)
            or named_count(target, target_lead, [statement], ctx) is not None
            for target, target_lead in zip(self.commitment.targets, self.leads, strict=True)
        )
