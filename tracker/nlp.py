"""The Chinese pipeline: spaCy's blank zh with the pkuseg (or jieba) segmenter.

The segmenter is chosen when the pipeline is built and its model loaded once
per process (spaCy's Chinese pipeline does not pickle into worker processes).
Before a text is segmented, the names found in it are fed to the segmenter's
user dictionary so that 航城车辆段 or 通成路 stay whole; the `tracker_names`
component then marks them as entities.

pkuseg's bundled mixed-domain model is trained on data restricted to
research/academic use (spaCy issue 6214); TRACKER_PKUSEG_MODEL points at
another model directory (spaCy's MIT `spacy_ontonotes`), TRACKER_SEGMENTER=jieba
uses jieba (MIT) instead.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.metadata
import importlib.util
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.names import NameFinder

if TYPE_CHECKING:  # spaCy loads with the first pipeline: commands that only read the store start fast
    from spacy.language import Language
    from spacy.tokens import Doc

SEGMENTERS = ("pkuseg", "jieba")
JIEBA_MISSING = "jieba is not installed: pip install jieba==0.42.1"


def chosen_segmenter(segmenter: str | None = None) -> str:
    """The segmenter asked for, else TRACKER_SEGMENTER, else pkuseg."""
    chosen = segmenter or os.environ.get("TRACKER_SEGMENTER") or "pkuseg"
    if chosen not in SEGMENTERS:
        raise SegmenterError(f"unknown segmenter '{chosen}': choose {' or '.join(SEGMENTERS)}")
    return chosen


class SegmenterError(RuntimeError):
    """The chosen segmenter or its model is not installed: says how to install it."""


def pkuseg_model_dir(pkuseg_model: str | None = None) -> Path:
    """The pkuseg model directory asked for, else TRACKER_PKUSEG_MODEL, else pkuseg's bundled one."""
    chosen = pkuseg_model or os.environ.get("TRACKER_PKUSEG_MODEL")
    model = Path(chosen) if chosen else bundled_pkuseg_model()
    if not model.is_dir():
        raise SegmenterError(f"{model}: pkuseg model directory not found")
    return model


def segmenter_identity(segmenter: str) -> str:
    """The segmenter and the model it would load, as token spans depend on both: another pkuseg
    model (TRACKER_PKUSEG_MODEL) or jieba release must not reuse what the first one segmented.
    A model is known by its files' names, sizes and times, which reading them costs nothing."""
    if segmenter == "jieba":
        try:
            return f"jieba {importlib.metadata.version('jieba')}"
        except importlib.metadata.PackageNotFoundError:
            raise SegmenterError(JIEBA_MISSING) from None
    model = pkuseg_model_dir()
    files = sorted(path for path in model.iterdir() if path.is_file())
    return f"pkuseg {model.resolve()} " + " ".join(
        f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in files
    )


def bundled_pkuseg_model() -> Path:
    spec = importlib.util.find_spec("pkuseg")
    if spec is None or spec.origin is None:
        raise SegmenterError(
            "pkuseg is not installed: pip install numpy cython setuptools wheel && "
            "pip install --no-build-isolation pkuseg==0.0.25 (or set TRACKER_PKUSEG_MODEL)"
        )
    return Path(spec.origin).parent / "models" / "default"


def make_name_component(nlp: Language, name: str, rules_dir: str | None) -> NameComponent:
    return NameComponent(NameFinder.load(Path(rules_dir)) if rules_dir else None)


def _register_name_component() -> None:
    from spacy.language import Language

    if not Language.has_factory("tracker_names"):
        Language.factory("tracker_names", default_config={"rules_dir": None}, func=make_name_component)


class NameComponent:
    """Marks the names of rules/names.toml as doc.ents (FAC, PROJECT, ORG, EVENT).

    Names already found in the text (ChinesePipeline puts them in doc.user_data) are not
    looked for again.
    """

    def __init__(self, finder: NameFinder | None) -> None:
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        from spacy.util import filter_spans

        if self.finder is None:
            return doc
        names = doc.user_data.get("tracker_names")
        spans = []
        for found in self.finder.find(doc.text) if names is None else names:
            span = doc.char_span(found.start, found.end, label=found.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


class ChinesePipeline:
    """spaCy zh + segmenter + names, with the per-text user dictionary."""

    def __init__(self, rules_dir: Path, segmenter: str | None = None, pkuseg_model: str | None = None):
        self.segmenter = chosen_segmenter(segmenter)
        self.finder = NameFinder.load(rules_dir)
        self.nlp = self._build(rules_dir, pkuseg_model)

    def _build(self, rules_dir: Path, pkuseg_model: str | None) -> Language:
        from spacy.lang.zh import Chinese

        _register_name_component()

        if self.segmenter == "jieba":
            self._jieba_words = _JiebaWords()
            nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        else:
            if importlib.util.find_spec("spacy_pkuseg") is None:
                raise SegmenterError("spacy-pkuseg is not installed: pip install spacy-pkuseg==1.0.2")
            model = pkuseg_model_dir(pkuseg_model)
            nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
            # spacy-pkuseg warns on stderr that a .pkl model is not .msgpack: not the user's concern
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                nlp.tokenizer.initialize(pkuseg_model=str(model), pkuseg_user_dict="default")
        nlp.add_pipe("tracker_names", config={"rules_dir": str(rules_dir)})
        return nlp

    def __call__(self, text: str) -> Doc:
        names = self.finder.find(text)
        self._teach_names([found.text for found in names])
        doc = self.nlp.make_doc(text)
        doc.user_data["tracker_names"] = names
        for _, component in self.nlp.pipeline:
            doc = component(doc)
        return doc

    def token_spans(self, text: str, parts: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        """(start, end) of every token of text, as __call__ segments it; with parts, of the tokens
        of those parts only ((start, end) of each, within one line).

        The segmenters cut a text at whitespace first, so a line's tokens are the same cut alone
        (a sentence's nearly so: 1 of 1,671 units of the demo corpus differs); the names taught
        are still those found in the whole text. Read from the Doc's arrays, without a Token
        object per token and without the entities: extraction needs only spans.
        """
        from spacy.attrs import IDX, LENGTH

        self._teach_names([found.text for found in self.finder.find(text)])
        spans = []
        for start, end in [(0, len(text))] if parts is None else parts:
            doc = self.nlp.make_doc(text[start:end])
            spans += [
                (start + at, start + at + length) for at, length in doc.to_array([IDX, LENGTH]).tolist()
            ]
        return spans

    def _teach_names(self, names: list[str]) -> None:
        """The text's own names into the user dictionary (reset per text: same text, same tokens)."""
        words = sorted(set(names) | set(self.finder.known))
        if self.segmenter == "pkuseg":
            self.nlp.tokenizer.pkuseg_update_user_dict(words, reset=True)
        else:
            self._jieba_words.teach(words)


class _JiebaWords:
    """The words of one text in jieba's dictionary, those of the text before taken out first.

    jieba has one dictionary per process and add_word keeps every word, at a frequency that
    depends on those added before: without the undo, a text's tokens would depend on which
    texts a process (or worker) segmented before it.
    """

    def __init__(self) -> None:
        if importlib.util.find_spec("jieba") is None:
            raise SegmenterError(JIEBA_MISSING)
        import jieba

        jieba.initialize()  # its dictionary loaded with the pipeline, not on the first text
        self.dictionary = jieba.dt
        self.replaced: dict[str, int | None] = {}  # entry -> its frequency before, None if absent
        self.total = self.dictionary.total

    def teach(self, words: list[str]) -> None:
        frequencies = self.dictionary.FREQ
        for entry, before in self.replaced.items():
            if before is None:
                del frequencies[entry]
            else:
                frequencies[entry] = before
        self.dictionary.total = self.total
        self.replaced = {}
        for word in words:
            for length in range(1, len(word) + 1):  # add_word enters the word's prefixes too
                self.replaced.setdefault(word[:length], frequencies.get(word[:length]))
            self.dictionary.add_word(word)


def load_pipeline(rules_dir: Path, segmenter: str | None = None) -> ChinesePipeline:
    """One pipeline per process, rules folder and segmenter: the model loads once."""
    return _load_pipeline(rules_dir, chosen_segmenter(segmenter))


@lru_cache(maxsize=4)
def _load_pipeline(rules_dir: Path, segmenter: str) -> ChinesePipeline:
    # The model's millions of objects (pkuseg's feature table) live as long as the process: no
    # collection while they load (0.5 s of a 3 s load), then exempt from collection for good.
    collecting = gc.isenabled()
    gc.disable()
    try:
        pipeline = ChinesePipeline(rules_dir, segmenter)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return pipeline
