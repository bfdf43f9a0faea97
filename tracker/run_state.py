"""What a `run` finds before it starts and counts when it ends, readable without the pipeline.

Loading the pipeline (SQLAlchemy, SQLModel, spaCy's code) takes longer than checking that a
corpus is exactly as stored. A newsroom re-running a folder every night mostly changes
nothing: every file is stored with the same bytes, every document was extracted with this
code, these rules and this segmenter, and every commitment has a verdict. `unchanged_corpus`
tells so through the store's light reader, and `run` then stops there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tracker.ingest import collect_files, read_input
from tracker.nlp import segmenter_identity
from tracker.rules import Rules
from tracker.store_read import StoreReader, stored_documents, unscored_commitments

# The modules whose code decides the stored units and verdicts: a new release of any of them
# makes a re-run extract and score again, as a change of the rules does.
DECIDING_MODULES = (
    "ingest",
    "sections",
    "normalize",
    "nlp",
    "names",
    "quantities",
    "extract",
    "link",
    "verdict",
)

# The modules whose code decides the token spans of a text (the SegmentCache's key).
SEGMENTING_MODULES = ("nlp", "names")


@dataclass
class ScoreStats:
    commitments: int = 0
    pairs_examined: int = 0
    all_pairs: int = 0
    extracted_documents: int = 0


def extraction_fingerprint(rules: Rules, segmenter: str) -> str:
    """What stored units and verdicts depend on: the deciding code, the segmenter and its model,
    and every rule file."""
    return _fingerprint(DECIDING_MODULES, rules, segmenter)


def segmentation_fingerprint(rules: Rules, segmenter: str) -> str:
    """What token spans depend on: the segmenter and its model, the code that teaches it the
    text's names and every rule file (the names found read names, verbs, levels and places)."""
    return _fingerprint(SEGMENTING_MODULES, rules, segmenter)


def _fingerprint(modules: tuple[str, ...], rules: Rules, segmenter: str) -> str:
    digest = hashlib.sha256(segmenter_identity(segmenter).encode())
    here = Path(__file__).parent
    for path in [
        *(path for module in modules for path in _module_files(here, module)),
        *sorted(rules.directory.glob("*.toml")),
    ]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _module_files(here: Path, module: str) -> list[Path]:
    """A module's file, or every file of a subpackage (tracker/verdict/)."""
    package = here / module
    return sorted(package.glob("*.py")) if package.is_dir() else [here / f"{module}.py"]


def unchanged_corpus(paths: list[Path], rules: Rules, segmenter: str, store: StoreReader) -> list[str] | None:
    """The names of the files under paths when a run has nothing to do; None when it has
    (a new or changed file, two files of one name, stale units, a commitment without verdict)."""
    stored = stored_documents(store)
    fingerprint = extraction_fingerprint(rules, segmenter)
    if any(made_with != fingerprint for _, made_with in stored.values()) or unscored_commitments(store):
        return None
    names: dict[str, None] = {}  # in the order found, as ingest names them
    for file, _ in collect_files(paths):
        known = stored.get(file.name)
        if file.name in names or known is None or known[0] != hashlib.sha256(read_input(file)).hexdigest():
            return None
        names[file.name] = None
    return list(names)
