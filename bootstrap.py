"""Set up a virtual environment in .venv and run the demo or the tests.

    python3.11 bootstrap.py demo     # install everything, then `tracker demo`
    python3.11 bootstrap.py test     # install everything, then the whole test suite

pkuseg 0.0.25 is the only source of pkuseg's pretrained model, and its sdist
only builds with --no-build-isolation once numpy, cython, setuptools and wheel
are in place; that ordering is why setup is a script and not one pip command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
BUILD_REQUIREMENTS = ["numpy==2.4.6", "cython==3.3.1", "setuptools==80.9.0", "wheel==0.45.1"]


def run(*args: str | os.PathLike) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def pip(*args: str) -> None:
    run(PYTHON, "-m", "pip", "--disable-pip-version-check", "-q", *args)


def set_up() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"bootstrap.py: needs Python 3.11, this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip("install", *BUILD_REQUIREMENTS)
    pip("install", "--no-build-isolation", "pkuseg==0.0.25")
    pip("install", "-e", ".[test]")


def main() -> None:
    jobs = {
        "demo": [BIN / "tracker", "demo"],
        "test": [PYTHON, "-m", "pytest", "-q"],
    }
    if len(sys.argv) < 2 or sys.argv[1] not in jobs:
        sys.exit("usage: python3.11 bootstrap.py demo|test [extra arguments]")
    set_up()
    run(*jobs[sys.argv[1]], *sys.argv[2:])


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
