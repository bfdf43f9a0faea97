"""A newcomer's first steps: the demo says what to type next, and a slip is one line, never a trap.

Reading commands never make a store, an unknown street names the close ones, the export format
follows the file's extension, `tracker` alone says where to start, and `explain` shows what a
reviewer decided beside what the machine concluded.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, REVIEW_RULES, scored_store
from tracker import decisions
from tracker.cli import cli, command_name, shell_word
from tracker.store import open_store

TRACKER = Path(sys.executable).parent / "tracker"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    """`tracker demo` once, into a store of its own: the store and what it printed.

    It runs in its own folder, where the commands it prints are run too, as a user would.
    """
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(db.parent)
        result = invoke("demo", "--db", str(db))
    assert result.exit_code == 0, result.output
    return db, result.output


@pytest.fixture
def db(demo, tmp_path) -> Path:
    """A copy of the demo store, for a test that records decisions."""
    return Path(shutil.copy(demo[0], tmp_path / "review.db"))


def next_steps(output: str) -> list[list[str]]:
    """The commands the demo prints after "Next, on this store:", as argument lists."""
    tail = output.split("Next, on this store:", 1)[1]
    return [shlex.split(line) for line in tail.strip().splitlines()]


def test_demo_runs_on_the_bundled_corpus(demo):
    _, output = demo
    assert "scored" in output and "西乡街道" in output
    assert "no evidence in the follow-up report" in output
    assert "WARNING" not in output


def test_demo_ends_with_report_export_and_review_commands_that_work_as_printed(demo, tmp_path):
    db, output = demo
    where = db.parent
    steps = next_steps(output)
    assert [step[3] for step in steps] == ["report", "export", "review"]
    assert "'" not in output.split("Next, on this store:")[1]  # a street name needs no quotes
    for step in steps:
        assert Path(shutil.which(step[0]) or step[0]).resolve() == TRACKER.resolve()  # tracker, or its path
        assert step[1:3] == ["--db", str(db)]
    report, export = (
        subprocess.run(step, cwd=where, capture_output=True, text=True, timeout=120) for step in steps[:2]
    )
    assert report.returncode == export.returncode == 0, report.stderr + export.stderr
    street = steps[0][steps[0].index("--street") + 1]
    assert street in report.stdout and "fulfilment" in report.stdout.lower()
    exported = where / steps[1][steps[1].index("-o") + 1]
    assert zipfile.is_zipfile(exported)  # the .xlsx the name promises

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the review screen needs a terminal")
    socket = str(tmp_path / "tmux.socket")
    command = f"cd {shlex.quote(str(where))} && {shlex.join(steps[2])}; echo exited $?; sleep 30"
    tmux = ["tmux", "-S", socket]
    subprocess.run([*tmux, "new-session", "-d", "-s", "demo", "-x", "120", "-y", "40", command], check=True)
    try:
        wait_for_screen(tmux, "left of")
        subprocess.run([*tmux, "send-keys", "-t", "demo", "q"], check=True)
        wait_for_screen(tmux, "exited 0")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def test_the_printed_program_is_tracker_when_the_path_finds_it_else_its_whole_path(monkeypatch):
    monkeypatch.setenv("PATH", str(TRACKER.parent))
    assert command_name() == "tracker"
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(TRACKER.parent.parent.parent)  # a clone's root, as bootstrap.py runs the demo
    assert command_name() == str(TRACKER)  # whole: the user's shell may be in another folder


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("福海街道", "福海街道"),
        ("--street", "--street"),
        ("/tmp/demo.db", "/tmp/demo.db"),
        ("/tmp/my stores/demo.db", "'/tmp/my stores/demo.db'"),
        ("西乡 街道", "'西乡 街道'"),
        ("O'Brien.db", "'O'\"'\"'Brien.db'"),
    ],
)
def test_a_printed_argument_is_quoted_only_when_the_shell_needs_it(text, word):
    assert shell_word(text) == word
    assert shlex.split(word) == [text]


def wait_for_screen(tmux: list[str], text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "demo"], capture_output=True, text=True
        ).stdout
        if text in screen:
            return
        assert time.monotonic() < deadline, f"{text!r} never showed:\n{screen}"
        time.sleep(0.1)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--all"],
        ["report", "--street", "西乡街道"],
        ["export", "-o", "{tmp}/out.csv"],
        ["review", "--list"],
        ["review"],
        ["review", "--decide", "c1", "--accept"],
        ["docs"],
        ["streets", "--json"],
        ["explain", "c1"],
        ["eval", str(FIXTURES / "gold")],
    ],
    ids=lambda argv: "-".join(argv[:2]).replace(str(FIXTURES), "fixtures"),
)
def test_reading_commands_never_create_a_store(tmp_path, argv):
    mistyped = tmp_path / "trakcer.db"
    result = invoke("--db", str(mistyped), *(arg.format(tmp=tmp_path) for arg in argv))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: no store at {mistyped} (`tracker run DIR` makes one)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_default_store_is_not_made_by_a_reading_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DB", raising=False)
    result = invoke("streets")
    assert result.exit_code == 2 and "no store at" in result.output
    assert not (tmp_path / "tracker.db").exists()


@pytest.mark.parametrize(
    "argv",
    [["export", "--street", "西乡", "-o", "{tmp}/out.csv"], ["review", "--street", "西乡", "--list"]],
    ids=["export", "review"],
)
def test_an_unknown_street_is_one_line_naming_the_close_ones(tmp_path, argv):
    store = tmp_path / "store.db"
    scored_store(f"sqlite:///{store}").dispose()
    result = invoke("--db", str(store), *(arg.format(tmp=tmp_path) for arg in argv))
    assert result.exit_code == 2
    assert result.output.strip() == "Error: 西乡: no such street; close names: 西乡街道"
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("name", "is_format"),
    [
        ("out.xlsx", zipfile.is_zipfile),
        (
            "out.jsonl",
            lambda path: json.loads(path.read_text("utf-8").splitlines()[0])["commitment_id"] == "c1",
        ),
        ("OUT.CSV", lambda path: path.read_bytes().startswith(b"\xef\xbb\xbfcommitment_id,")),
    ],
)
def test_the_export_format_follows_the_file_extension(tmp_path, name, is_format):
    store = tmp_path / "store.db"
    scored_store(f"sqlite:///{store}").dispose()
    result = invoke("--db", str(store), "export", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert is_format(tmp_path / name)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "xlsx", "-o", "{tmp}/out.csv"], "out.csv: a .csv file, but --format is xlsx"),
        (
            ["-o", "{tmp}/out.txt"],
            "out.txt: give --format (csv|jsonl|xlsx); the file name does not say which",
        ),
    ],
)
def test_a_format_the_file_name_contradicts_or_does_not_give_is_refused(tmp_path, argv, message):
    store = tmp_path / "store.db"
    scored_store(f"sqlite:///{store}").dispose()
    result = invoke("--db", str(store), "export", *(arg.format(tmp=tmp_path) for arg in argv))
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["store.db"]


def test_tracker_alone_prints_where_to_start_and_exits_0():
    result = invoke()
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) < 15 and "tracker --help" in result.output
    named = [line.split()[1] for line in lines if line.startswith("  tracker ")]
    assert named and set(named) <= set(cli.commands)


def test_explain_shows_the_review_decision_beside_the_machine_verdict(tmp_path):
    store = tmp_path / "store.db"
    scored_store(f"sqlite:///{store}").dispose()  # machine: partial quantity_short; ann set done
    result = invoke("--db", str(store), "explain", "c1")
    assert result.exit_code == 0, result.output
    decided = result.output.split("Verdict: the review decision", 1)[1]
    status_row = next(line for line in decided.splitlines() if line.startswith("│ status"))
    assert [cell.strip() for cell in status_row.split("│")[1:-1]] == ["status", "done", "partial"]
    assert "set by ann at" in decided and "都建了" in decided
    assert "quantity_short" in decided


def test_explain_without_a_decision_says_the_verdict_is_the_machines(tmp_path):
    store = tmp_path / "store.db"
    engine = scored_store(f"sqlite:///{store}")
    decisions.record(engine, "c1", "undo", "ann")
    engine.dispose()
    result = invoke("--db", str(store), "explain", "c1")
    assert "Verdict (the machine's; no reviewer has decided)" in result.output
    assert "review decision" not in result.output


def first_disputed(db: Path):
    """A queued commitment with several candidate statements, and its candidates."""
    engine = open_store(f"sqlite:///{db}")
    for item in decisions.queue(engine, 1.0):
        found = decisions.candidate_quotes(engine, item.commitment.id, REVIEW_RULES)
        if len(found) > 1 and item.match.status != "missing":
            return engine, item, found
    raise AssertionError("no queued commitment with two candidates")


def test_deciding_another_status_than_the_machines_needs_evidence_or_a_note(db):
    engine, item, _ = first_disputed(db)
    result = invoke("--db", str(db), "review", "--decide", item.commitment.id, "--status", "missing")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {item.commitment.id}: missing is not the machine's verdict ({item.match.status}): name the "
        f"evidence with --evidence N (the candidates of `tracker explain {item.commitment.id}`) or say why "
        "with --note"
    ]
    assert decisions.history(engine) == []
    result = invoke(
        "--db",
        str(db),
        "review",
        "--decide",
        item.commitment.id,
        "--status",
        "missing",
        "--note",
        "not there",
    )
    assert result.exit_code == 0, result.output
    assert [(e.decision, e.status_after, e.note) for e in decisions.history(engine)] == [
        ("set", "missing", "not there")
    ]


def test_evidence_n_picks_the_candidate_explain_numbers_n(db):
    engine, item, found = first_disputed(db)
    explained = invoke("--db", str(db), "explain", item.commitment.id).output
    candidates = explained.split("Candidate statements", 1)[1]
    row_2 = next(line for line in candidates.splitlines() if line.startswith("│ 2 │"))
    assert found[1].evidence["text"][:3] in row_2 and str(found[1].evidence["char_start"]) in row_2
    result = invoke(
        "--db", str(db), "review", "--decide", item.commitment.id, "--status", "partial", "--evidence", "2"
    )
    assert result.exit_code == 0, result.output
    [event] = decisions.history(engine)
    assert (event.decision, event.status_after, event.evidence) == ("pick", "partial", [found[1].evidence])
    result = invoke(
        "--db", str(db), "review", "--decide", item.commitment.id, "--status", "done", "--evidence", "99"
    )
    assert result.exit_code == 2 and f"no candidate statement 99; it has {len(found)}" in result.output


def test_the_review_screen_without_a_terminal_refuses_in_one_line(db):
    piped = subprocess.run(
        [str(TRACKER), "--db", str(db), "review"],
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert piped.returncode == 2
    assert piped.stderr.strip().splitlines() == [
        "Error: review: the review screen needs a terminal; use --list to print the queue, "
        "--decide ID to record a decision"
    ]
    assert piped.stdout == ""


def test_the_review_screen_piped_from_a_terminal_refuses_too(db, tmp_path):
    """In a real terminal with its output piped (`tracker review | less`), it refuses, never hangs."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    tmux = ["tmux", "-S", str(tmp_path / "tmux.socket")]
    review = shlex.join([str(TRACKER), "--db", str(db), "review"])
    command = f"{review} | cat; echo exited ${{PIPESTATUS[0]}}"
    subprocess.run(
        [
            *tmux,
            "new-session",
            "-d",
            "-s",
            "demo",
            "-x",
            "200",
            "-y",
            "20",
            "bash",
            "-c",
            f"{command}; sleep 30",
        ]
    )
    try:
        wait_for_screen(tmux, "exited 2")
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "demo"], capture_output=True, text=True
        ).stdout
        assert "the review screen needs a terminal; use --list" in screen
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
