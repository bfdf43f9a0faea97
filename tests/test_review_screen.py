"""The review screen as a newcomer meets it: picking starts on the cited statement, headlines are
never evidence, blind mode stays blind, `?` is help, a note outlives an undo, and every footer
key shows in an 80×24 terminal."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from tests.conftest import FIXTURES, REVIEW_RULES, SEEDS
from tracker import decisions
from tracker.cli import cli
from tracker.decisions import QueueItem
from tracker.review import HelpScreen, ReviewApp, ReviewScreen
from tracker.store import Document, commitment_detail, open_store

EVERYTHING = 1.0  # a dispute threshold that queues every verdict


@pytest.fixture(scope="module")
def built_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("screen") / "demo.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "run", str(SEEDS), str(FIXTURES / "corpus")])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def engine(built_db, tmp_path):
    copy = tmp_path / "review.db"
    shutil.copy(built_db, copy)
    return open_store(f"sqlite:///{copy}")


def queue(engine) -> list[QueueItem]:
    return decisions.queue(engine, EVERYTHING)


def screen_text(app: ReviewApp, widget: str) -> str:
    return str(app.review_screen.query_one(widget, Static).render())


def run(app: ReviewApp, script, size: tuple[int, int] = (160, 50)) -> None:
    async def drive() -> None:
        async with app.run_test(size=size) as pilot:
            await script(pilot)

    asyncio.run(drive())


def test_pick_starts_on_the_statement_the_machine_cited(engine):
    items = queue(engine)
    at, item, cited = next(
        (n, item, shown[start])
        for n, item in enumerate(items)
        if item.match.status in ("done", "partial")
        and (shown := decisions.candidate_quotes(engine, item.commitment.id, REVIEW_RULES))
        and (start := next((k for k, c in enumerate(shown) if c.cited_by(item.match)), 0)) > 0
    )
    app = ReviewApp(engine, "tester", items[at:], REVIEW_RULES)

    async def pick(pilot) -> None:
        assert f"▶ #{shown_number(app, cited)}" in screen_text(app, "#statements")
        await pilot.press("p", "enter", "enter")  # the status shown, no reason code

    run(app, pick)
    [event] = decisions.history(engine)
    assert (event.commitment_id, event.decision, event.evidence) == (
        item.commitment.id,
        "pick",
        [cited.evidence],
    )


def shown_number(app: ReviewApp, candidate) -> int:
    screen = app.review_screen
    return screen.shown_candidates(screen.current).index(candidate) + 1


@pytest.mark.parametrize(
    ("sentence", "after", "reports", "headline"),
    [
        ("园林绿化提档升级。", "新建口袋公园三个", False, True),
        ("“智慧社区”稳步推进。", "完成平台建设", False, True),
        ("园林绿化提档升级。", "\u3000新建口袋公园", False, True),
        ("园林绿化提档升级。", "\n二、", False, False),  # ends its paragraph: a sentence of its own
        ("园林绿化提档升级。", "", False, False),
        ("新建口袋公园三个。", "改造绿道", True, False),  # a figure: evidence
        ("南山公园建成开放。", "改造绿道", True, False),  # a named item reported done: evidence
        ("绿化、亮化工程有序推进。", "完成", False, False),  # 、 inside: a list, not a heading
        ("老旧小区改造和管网更新工作全面提速。", "完成", False, False),  # longer than a heading
        ("园林绿化提档升级;", "新建", False, False),  # a clause, not a sentence
    ],
)
def test_a_run_in_headline_is_told_by_its_form(sentence, after, reports, headline):
    assert REVIEW_RULES.is_headline(sentence, after, reports) is headline


def test_a_headline_the_scorer_weighed_is_never_offered_as_evidence(engine):
    items = queue(engine)
    at, item, headline = next(
        (n, item, headline)
        for n, item in enumerate(items)
        if (headline := first_headline(engine, item.commitment.id)) is not None
    )
    offered = decisions.candidate_quotes(engine, item.commitment.id, REVIEW_RULES)
    assert headline not in [c.evidence["text"] for c in offered]
    app = ReviewApp(engine, "tester", items[at:], REVIEW_RULES)

    async def look(pilot) -> None:
        assert item.commitment.id in screen_text(app, "#commitment")
        assert headline not in screen_text(app, "#statements")

    run(app, look)


def first_headline(engine, commitment_id: str) -> str | None:
    """The first candidate sentence of the scorer's list that is a run-in headline."""
    detail = commitment_detail(engine, commitment_id)
    with Session(engine) as session:
        for candidate in detail.candidates:
            statement = candidate.statement
            text = session.get(Document, statement.document_id).text
            sentence = text[statement.sentence_start : statement.sentence_end]
            reports = bool(statement.quantities) or (statement.level == "done" and bool(statement.items))
            after = text[statement.sentence_end : statement.sentence_end + 2]
            if REVIEW_RULES.is_headline(sentence, after, reports):
                return sentence
    return None


def test_blind_mode_keeps_the_verdict_hidden_after_accepting_until_it_is_left(engine):
    items = queue(engine)
    first = items[0]
    app = ReviewApp(engine, "tester", items, REVIEW_RULES)

    async def accept_blind(pilot) -> None:
        await pilot.press("b", "a", "k")  # blind, accept, back to it
        messages = [notification.message for notification in app._notifications]
        assert messages == [f"accept: {first.commitment.id} recorded"]
        shown = screen_text(app, "#commitment")
        assert "machine verdict hidden" in shown and f"accept: {first.match.status}" not in shown
        assert "confidence" not in shown
        await pilot.press("b")  # leave blind mode: now it shows
        assert f"accept: {first.match.status}" in screen_text(app, "#commitment")

    run(app, accept_blind)
    assert [e.decision for e in decisions.history(engine)] == ["accept"]


def test_question_mark_opens_the_help_and_records_nothing(engine):
    items = queue(engine)
    app = ReviewApp(engine, "tester", items, REVIEW_RULES)

    async def ask(pilot) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = "".join(str(widget.render()) for widget in app.screen.query(Static))
        for binding in ReviewScreen.BINDINGS:
            assert binding.tooltip in help_text
        await pilot.press("a")  # closes the help, decides nothing
        assert app.screen is app.review_screen
        assert decisions.history(engine) == []
        await pilot.press("m")  # unsure has a key of its own

    run(app, ask)
    [event] = decisions.history(engine)
    assert (event.commitment_id, event.decision) == (items[0].commitment.id, "unsure")


def test_a_note_on_an_undone_decision_goes_with_the_next_one(engine):
    items = queue(engine)
    app = ReviewApp(engine, "tester", items, REVIEW_RULES)

    async def note_accept_undo_reject(pilot) -> None:
        await pilot.press("n")
        app.screen.query_one(Input).value = "路名不一致"
        await pilot.press("enter", "a", "u")
        assert "路名不一致 (saved with your next decision)" in screen_text(app, "#commitment")
        await pilot.press("r")

    run(app, note_accept_undo_reject)
    trail = decisions.history(engine)
    assert [(e.decision, e.note) for e in trail] == [
        ("accept", "路名不一致"),
        ("undo", None),
        ("reject", "路名不一致"),
    ]
    assert {e.commitment_id for e in trail} == {items[0].commitment.id}


def test_every_footer_key_and_the_help_fit_an_80_by_24_terminal(engine):
    app = ReviewApp(engine, "tester", queue(engine), REVIEW_RULES)

    async def look(pilot) -> None:
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert {key.key for key in keys} == {binding.key for binding in ReviewScreen.BINDINGS if binding.show}
        for key in keys:
            region = key.region
            shown = len(key.key_display) + 1 + len(key.description)  # "? help"
            assert region.y == 23 and region.x >= 0 and region.right <= 80 and region.width >= shown
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("HelpScreen > Vertical").region
        assert box.y >= 0 and box.bottom <= 24 and box.right <= 80

    run(app, look, size=(80, 24))
