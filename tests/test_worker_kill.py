"""A `run --workers K` killed while its workers are alive: they die with it, and the next run
goes ahead at once (the run lock is held by no process left behind), on both stores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, SEEDS
from tracker.cli import cli

TRACKER = Path(sys.executable).parent / "tracker"


def children(pid: int) -> set[int]:
    """The live processes whose parent is pid (from /proc: the test runs on Linux, as pdeathsig does)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie holds nothing


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_multi_worker_run_takes_its_workers_along_and_the_next_run_goes_ahead(store_url, kill):
    corpus = [str(SEEDS), str(FIXTURES / "corpus")]
    run = subprocess.Popen(
        [TRACKER, "--db", store_url, "run", "--workers", "2", *corpus], stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while len(workers := children(run.pid)) < 2:
        assert run.poll() is None, "the run ended before its workers started"
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.02)
    time.sleep(0.5)  # the workers at work, the store's lock held
    os.kill(run.pid, kill)
    run.wait()

    deadline = time.monotonic() + 10
    while left := {pid for pid in workers if alive(pid)}:
        assert time.monotonic() < deadline, f"workers {sorted(left)} outlived their killed run"
        time.sleep(0.02)
    result = CliRunner().invoke(cli, ["--db", store_url, "run", *corpus])
    assert result.exit_code == 0, result.output


# A process that takes the run lock, forks a child that outlives it (no parent-death signal
# here), and ends without releasing anything: the child is still alive when the next run comes.
HOLDER = """
import os, sys, time
from tracker.store import exclusive_run, open_store
with exclusive_run(open_store(sys.argv[1]), "run"):
    child = os.fork()
    if child == 0:
        for stream in (1, 2):  # the test reads the holder's output to its end
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream)
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    os._exit(0)
"""


def test_a_process_forked_during_a_run_holds_none_of_its_lock(store_url):
    from tracker.store import exclusive_run, open_store

    holder = subprocess.run(
        [sys.executable, "-c", HOLDER, store_url], capture_output=True, text=True, check=True
    )
    child = int(holder.stdout)
    try:
        assert alive(child)
        with exclusive_run(open_store(store_url), "run"):
            pass
    finally:
        os.kill(child, signal.SIGKILL)
