"""Where the data that ships with tracker lives: rules/, seeds/ and fixtures/.

In a source checkout (and an editable install) they are the repository's own
folders; a built wheel carries them inside the package (pyproject.toml maps
them), so an installed tracker finds its rules and its demo corpus too.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGED_NAMES = {"rules": "rule_files", "seeds": "seed_files", "fixtures": "fixture_files"}


def bundled_dir(name: str) -> Path:
    """The folder `rules`, `seeds` or `fixtures`, installed or in the source tree."""
    installed = PACKAGE_DIR / PACKAGED_NAMES[name]
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name
